"""Train the reference-string CRF: ``python -m training.refparse.train [--data DIR] [--out FILE]``
(from the repository's root).

Data: AnyStyle's and GROBID's hand-labelled references and strings rendered in nine styles from
the real Crossref dev records, all from the shared data folder. A seeded tenth of each set is held
out and never trained on; the held-out sets are what ``benchmarks/parse.py`` measures.

Features and settings are chosen on a development split instead (``--dev``: a seeded ninth of each
training set left out, the model trained on the rest and scored on it), so that the held-out
figure is not one chosen among variants by its own score.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

import mascite.refparse
from mascite.crossref.mapping import record_from_work
from mascite.refparse.features import Lexicon, featurize, word

from .data import Example, iterate_sources, split, tokens_with_labels
from .synth import STYLES, render_labelled

__all__ = ["MODEL_PATH", "Counts", "datasets", "development", "lexicon", "main", "micro", "score",
           "train"]

MODEL_PATH = Path(mascite.refparse.__file__).with_name("model.crfsuite")
Counts = dict[str, Counter[str]]  # "tp", "fp", "fn": tokens per label
# Labels whose words the lexicon records, and the group it gives them: names only, because
# journal, publisher and place words recur across fields and taught the model less.
_GROUPS = {"author": "name", "editor": "name"}
HELD_OUT = 0.10
SEED = 13
DEV_SHARE = 1 / 9  # of each training set: a tenth of the whole
DEV_SEED = 101


def synthetic(path: Path, seed: int = SEED) -> list[Example]:
    """Labelled strings rendered from Crossref records in every style."""
    rng = random.Random(seed)  # noqa: S311 - training variation
    examples = []
    with path.open(encoding="utf-8") as handle:
        works = [json.loads(line)["record"] for line in handle if line.strip()]
    for work in works:
        if work.get("type") != "journal-article" or not work.get("title") or not work.get("author"):
            continue
        reference = record_from_work(work).reference
        for style in STYLES:
            example = tokens_with_labels(render_labelled(reference, style, rng))
            if example[0]:
                examples.append(example)
    return examples


def datasets(data: Path) -> dict[str, tuple[list[Example], list[Example]]]:
    """Every labelled set, split into (train, held-out)."""
    sets = {name: split(examples, HELD_OUT, SEED) for name, examples in iterate_sources(data)}
    works = data / "crossref" / "works-dev.jsonl"
    if works.exists():
        sets["crossref-rendered"] = split(synthetic(works), HELD_OUT, SEED)
    return sets


def development(data: Path) -> dict[str, tuple[list[Example], list[Example]]]:
    """Every labelled set's training part, split into (train, dev); the held-out part is not
    touched."""
    return {name: split(train_set, DEV_SHARE, DEV_SEED)
            for name, (train_set, _) in datasets(data).items()}


def score(model: Path, examples: list[Example], words: Lexicon) -> Counts:
    """Tokens per label: true positives ("tp"), false positives ("fp", under the label the model
    gave) and false negatives ("fn", under the true label). ``--dev`` and ``benchmarks/parse.py``
    both count with this."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    counts: Counts = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    for tokens, gold in examples:
        for truth, guess in zip(gold, tagger.tag(featurize(tokens, words)), strict=True):
            if truth == guess:
                counts["tp"][truth] += 1
            else:
                counts["fp"][guess] += 1
                counts["fn"][truth] += 1
    return counts


def micro(counts: Counts) -> tuple[int, int, int]:
    """(tp, fp, fn) summed over every field label; "other", a token outside every field, is not
    one."""
    tp, fp, fn = (sum(n for label, n in counts[key].items() if label != "other")
                  for key in ("tp", "fp", "fn"))
    return tp, fp, fn


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def lexicon(examples: list[Example]) -> Lexicon:
    """Words (as the ``w=`` feature spells them: lower case, no punctuation around; letters
    only, three or more) seen at least twice in names (authors, editors), and there at least
    as often as elsewhere. A word gets a weight of its own only if it is common enough; the
    lexicon carries what rarer names share."""
    seen: Counter[str] = Counter()
    grouped: Counter[tuple[str, str]] = Counter()
    for tokens, labels in examples:
        for token, label in zip(tokens, labels, strict=True):
            spelt = word(token)
            if len(spelt) > 2 and spelt.isalpha():
                seen[spelt] += 1
                if label in _GROUPS:
                    grouped[spelt, _GROUPS[label]] += 1
    found: dict[str, list[str]] = {}
    for (spelt, group), count in sorted(grouped.items()):
        if count >= 2 and count >= 0.5 * seen[spelt]:
            found.setdefault(spelt, []).append(group)
    return {spelt: tuple(groups) for spelt, groups in found.items()}


def write_lexicon(words: Lexicon, path: Path) -> None:
    path.write_text("".join(f"{w}\t{','.join(g)}\n" for w, g in sorted(words.items())),
                    encoding="utf-8")


def train(examples: list[Example], out: Path, iterations: int = 400) -> Lexicon:
    """Train the model into ``out`` and return its lexicon. The lexicon is cross-fitted: each
    half of the examples is featurised with the lexicon of the other half, so that the model
    learns how far to trust it on words it has not seen (as on new references), not on words
    whose every label went into it."""
    halves = [examples[0::2], examples[1::2]]
    trainer = pycrfsuite.Trainer(verbose=False)
    for half, other in ((halves[0], halves[1]), (halves[1], halves[0])):
        words = lexicon(other)
        for tokens, labels in half:
            trainer.append(featurize(tokens, words), labels)
    trainer.set_params({"c1": 0.02, "c2": 0.001, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(out))
    return lexicon(examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.refparse.train")
    default = os.environ.get("MASCITE_SHARED_DATA") or str(Path.cwd().parent / "shared" / "data")
    parser.add_argument("--data", default=default, help="the shared data folder")
    parser.add_argument("--out", help="where to write the model (default: the package's own; "
                        "with --dev, a file in the temporary folder)")
    parser.add_argument("--iterations", type=int, default=400)
    parser.add_argument("--dev", action="store_true",
                        help="train without the dev split and score on it (for choosing features)")
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not (data / "parser").is_dir():
        print(f"no labelled data under {data}/parser", file=sys.stderr)
        return 2
    sets = development(data) if args.dev else datasets(data)
    training = [e for train_set, _ in sets.values() for e in train_set]
    for name, (train_set, test_set) in sets.items():
        print(f"{name}: {len(train_set)} train, {len(test_set)} {'dev' if args.dev else 'held out'}")
    started = time.perf_counter()
    out = Path(args.out or (Path(tempfile.gettempdir()) / "mascite-dev.crfsuite" if args.dev
                            else MODEL_PATH))
    words = train(training, out, args.iterations)
    write_lexicon(words, out.with_suffix(".lexicon.txt"))
    print(f"trained on {len(training)} references in {time.perf_counter() - started:.0f} s "
          f"-> {out} (lexicon: {len(words)} words)")
    if args.dev:
        pooled: Counts = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
        for name, (_, dev_set) in sets.items():
            counts = score(out, dev_set, words)
            for key, per_label in counts.items():
                pooled[key].update(per_label)
            print(f"dev {name:<18} micro F1 {_f1(*micro(counts)):.4f}")
        tp, fp, fn = micro(pooled)
        print(f"dev pooled             micro F1 {_f1(tp, fp, fn):.4f} (tp {tp} fp {fp} fn {fn})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
