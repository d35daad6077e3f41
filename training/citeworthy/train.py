"""Train the cite-worthiness model: ``python -m training.citeworthy.train [--dev]`` (from the
repository's root; needs the ``train`` extra, scikit-learn).

Only the development articles are read (see :mod:`.data`). ``--dev`` prints, for each
regularisation strength, five-fold cross-validated figures grouped by article, and the thresholds
each policy would take; without it the model is trained on every development article with the
chosen strength and written to ``mascite/document/citeworthy.json``. The held-out articles are
what ``benchmarks/citeworthy.py`` measures, once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mascite.document.citeworthy import MODEL_PATH, features

from .data import Sentence, articles, sentences

C = 0.1  # chosen with --dev: the best cross-validated F1 (standard policy)
MIN_COUNT = 2  # a feature seen in fewer development sentences is dropped
# policy: (what the threshold is chosen for, target)
POLICIES = {"strict": ("recall", 0.85), "standard": ("f1", None), "lenient": ("precision", 0.7)}


def featurize(items: Sequence[Sentence]) -> list[dict[str, int]]:
    return [dict.fromkeys(features(s.text, s.section, s.position, s.reasons), 1) for s in items]


def _vocabulary(rows: list[dict[str, int]]) -> set[str]:
    counts = Counter(f for row in rows for f in row)
    return {f for f, n in counts.items() if n >= MIN_COUNT}


def _fit(rows: list[dict[str, int]], labels: np.ndarray, c: float) -> tuple[DictVectorizer,
                                                                           LogisticRegression]:
    keep = _vocabulary(rows)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{f: v for f, v in r.items() if f in keep} for r in rows])
    classifier = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
    classifier.fit(x, labels)
    return vectorizer, classifier


def thresholds(scores: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Each policy's threshold on scored, labelled sentences (Results excluded by the caller)."""
    order = np.argsort(-scores)
    tp = np.cumsum(labels[order])
    k = np.arange(1, len(order) + 1)
    precision, recall = tp / k, tp / max(labels.sum(), 1)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    out = {}
    for policy, (kind, target) in POLICIES.items():
        if kind == "f1":
            i = int(np.argmax(f1))
        elif kind == "recall":
            i = int(np.argmax(recall >= target))
        else:  # the lowest threshold still at the precision target
            ok = np.nonzero(precision >= target)[0]
            i = int(ok[-1]) if len(ok) else 0
        out[policy] = round(float(scores[order][i]), 4)
    return out


def prf(predicted: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    tp = float((predicted & labels).sum())
    p = tp / max(predicted.sum(), 1)
    r = tp / max(labels.sum(), 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


def development(items: list[Sentence]) -> None:
    rows = featurize(items)
    labels = np.array([s.cited for s in items])
    groups = [s.article for s in items]
    scored = np.array([s.section != "results" for s in items])
    for c in (0.1, 0.25, 0.5, 1.0, 2.0):
        scores = np.zeros(len(items))
        for train, test in GroupKFold(n_splits=5).split(rows, labels, groups):
            vectorizer, classifier = _fit([rows[i] for i in train], labels[train], c)
            scores[test] = classifier.predict_proba(
                vectorizer.transform([rows[i] for i in test]))[:, 1]
        chosen = thresholds(scores[scored], labels[scored])
        figures = "  ".join(
            f"{policy} t={t:.3f} P/R/F1 " + "/".join(
                f"{v:.3f}" for v in prf(scores[scored] >= t, labels[scored]))
            for policy, t in chosen.items())
        print(f"C={c:<5} {figures}")


def train(items: list[Sentence]) -> dict[str, object]:
    rows = featurize(items)
    labels = np.array([s.cited for s in items])
    groups = [s.article for s in items]
    scored = np.array([s.section != "results" for s in items])
    scores = np.zeros(len(items))
    for fold_train, test in GroupKFold(n_splits=5).split(rows, labels, groups):
        vectorizer, classifier = _fit([rows[i] for i in fold_train], labels[fold_train], C)
        scores[test] = classifier.predict_proba(
            vectorizer.transform([rows[i] for i in test]))[:, 1]
    vectorizer, classifier = _fit(rows, labels, C)
    weights = {name: round(float(w), 4) for name, w in
               zip(vectorizer.get_feature_names_out(), classifier.coef_[0], strict=True)
               if abs(w) >= 0.005}
    return {"about": "cite-worthiness weights; trained by python -m training.citeworthy.train "
                     "on the development PLOS articles (CC BY 4.0)",
            "C": C, "sentences": len(items), "bias": round(float(classifier.intercept_[0]), 4),
            "thresholds": thresholds(scores[scored], labels[scored]),
            "weights": dict(sorted(weights.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", action="store_true", help="cross-validate on the dev articles")
    args = parser.parse_args(argv)
    items = [s for path in articles("dev") for s in sentences(path)]
    if not items:
        print("no PLOS articles: set MASCITE_SHARED_DATA", file=sys.stderr)
        return 2
    if args.dev:
        development(items)
        return 0
    data = train(items)
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}: {len(data['weights'])} weights, thresholds {data['thresholds']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
