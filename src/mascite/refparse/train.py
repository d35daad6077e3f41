"""Train the reference-string CRF: ``python -m mascite.refparse.train [--data DIR] [--out FILE]``.

Data: AnyStyle's and GROBID's hand-labelled references and strings rendered in nine styles from
the real Crossref dev records, all from the shared data folder. A seeded tenth of each set is held
out and never trained on; the held-out sets are what ``benchmarks/parse.py`` measures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import pycrfsuite

from ..crossref.mapping import record_from_work
from .data import Example, iterate_sources, split, tokens_with_labels
from .features import featurize
from .synth import STYLES, render_labelled

__all__ = ["MODEL_PATH", "datasets", "main", "train"]

MODEL_PATH = Path(__file__).with_name("model.crfsuite")
HELD_OUT = 0.10
SEED = 13


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


def train(examples: list[Example], out: Path, iterations: int = 400) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for tokens, labels in examples:
        trainer.append(featurize(tokens), labels)
    trainer.set_params({"c1": 0.02, "c2": 0.001, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mascite.refparse.train")
    default = os.environ.get("MASCITE_SHARED_DATA") or str(Path.cwd().parent / "shared" / "data")
    parser.add_argument("--data", default=default, help="the shared data folder")
    parser.add_argument("--out", default=str(MODEL_PATH), help="where to write the model")
    parser.add_argument("--iterations", type=int, default=400)
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not (data / "parser").is_dir():
        print(f"no labelled data under {data}/parser", file=sys.stderr)
        return 2
    sets = datasets(data)
    training = [e for train_set, _ in sets.values() for e in train_set]
    for name, (train_set, test_set) in sets.items():
        print(f"{name}: {len(train_set)} train, {len(test_set)} held out")
    started = time.perf_counter()
    train(training, Path(args.out), args.iterations)
    print(f"trained on {len(training)} references in {time.perf_counter() - started:.0f} s "
          f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
