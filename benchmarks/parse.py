"""Benchmark: the free-text reference parser.

1. Held-out split (never trained on; see ``training.refparse.train``): per-field token precision,
   recall and F1, and the micro F1 over fields, per set and pooled.
2. PLOS: every ``<ref>`` of the PLOS articles, as readers see it (``mixed-citation`` text as is;
   ``element-citation`` rendered in PLOS's house style), parsed and compared field by field with
   the tagged fields: first author's family name, title, journal, year, volume, first page.
3. Speed: references per second on one core, parsing the PLOS strings.

Run:  python benchmarks/parse.py
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import parse as parse_xml
from shared import citeproc_js, dev_records, oracle_ready, shared_data
from training.refparse.train import MODEL_PATH, Counts, datasets, micro, score

from mascite.model import plain_text
from mascite.refparse import parse_reference
from mascite.refparse.features import read_lexicon

FIELDS = ("author", "title", "container-title", "date", "volume", "pages", "editor", "publisher",
          "location", "doi", "url")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def held_out(data: Path) -> None:
    pooled: Counts = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    print("1. held-out split (token level; micro F1 over every field label but 'other')")
    for name, (_, test) in datasets(data).items():
        counts = score(MODEL_PATH, test, read_lexicon())
        for key, per_label in counts.items():
            pooled[key].update(per_label)
        p, r, f = _prf(*micro(counts))
        print(f"   {name:<18} {len(test):>5} refs  micro P {p:.4f} R {r:.4f} F1 {f:.4f}")
    p, r, f = _prf(*micro(pooled))
    print(f"   {'pooled':<18}             micro P {p:.4f} R {r:.4f} F1 {f:.4f}")
    print("   per field (pooled):")
    for label in FIELDS:
        p, r, f = _prf(pooled["tp"][label], pooled["fp"][label], pooled["fn"][label])
        print(f"     {label:<16} P {p:.4f} R {r:.4f} F1 {f:.4f}  "
              f"(n={pooled['tp'][label] + pooled['fn'][label]})")


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _shown(element: Element) -> str:
    """A mixed citation as rendered: name parts that the XML puts side by side are spaced."""
    parts: list[str] = [element.text or ""]
    for child in element:
        parts.append(_shown(child))
        if child.tag == "surname" and (child.tail or "") == "":
            parts.append(" ")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def plos_references(folder: Path) -> list[tuple[str, dict[str, str]]]:
    """(the reference as readers see it, the tagged fields) for every PLOS <ref>."""
    out = []
    for path in sorted(folder.glob("*.xml")):
        for ref in parse_xml(path).getroot().iter("ref"):
            citation = next((c for c in ref if c.tag in ("element-citation", "mixed-citation")),
                            None)
            if citation is None:
                continue
            surnames = [_text(n) for n in citation.iter("surname")]
            collabs = [_text(c) for c in citation.iter("collab")]
            truth = {"author": (surnames or collabs or [""])[0],
                     "title": _text(citation.find("article-title")) or _text(
                         citation.find("chapter-title")),
                     "container-title": _text(citation.find("source")),
                     "date": _text(citation.find("year"))[:4],
                     "volume": _text(citation.find("volume")),
                     "pages": _text(citation.find("fpage"))}
            if not truth["title"]:  # a book: its title is the source
                truth["title"], truth["container-title"] = truth["container-title"], ""
            if citation.tag == "mixed-citation":
                text = _shown(citation)
            else:
                names = []
                for name in citation.iter("name"):
                    given = re.sub(r"[^A-Z]", "", _text(name.find("given-names")))
                    names.append(f"{_text(name.find('surname'))} {given}".strip())
                names += collabs
                pages = "–".join(p for p in (_text(citation.find("fpage")),
                                             _text(citation.find("lpage"))) if p)
                parts = [", ".join(names) + (f" ({truth['date']})" if truth["date"] else "")]
                parts.append(truth["title"].rstrip(".") + ".")
                tail = " ".join(p for p in (truth["container-title"], truth["volume"] + (
                    ":" if pages else "") if truth["volume"] else "", pages) if p)
                if tail:
                    parts.append(tail + ".")
                text = " ".join(parts)
            out.append((text, {k: v for k, v in truth.items() if v}))
    return out


def _predicted(text: str) -> dict[str, str]:
    ref = parse_reference(text).reference
    first = ref.first_author
    values = {"author": (first.family or first.literal or "") if first else "",
              "title": ref.title or "", "container-title": ref.container_title or "",
              "date": str(ref.year or ""), "volume": ref.volume or "",
              "pages": re.split(r"[-–]", ref.page or "")[0]}
    return {k: v for k, v in values.items() if v}


def plos(folder: Path) -> list[str]:
    references = plos_references(folder)
    counts = {k: Counter[str]() for k in ("tp", "fp", "fn")}
    for text, truth in references:
        predicted = _predicted(text)
        for field in truth:  # fields the article tagged; untagged text cannot be scored
            if field in predicted and _fold(truth[field]) == _fold(predicted[field]):
                counts["tp"][field] += 1
            else:
                counts["fn"][field] += 1
                if field in predicted:
                    counts["fp"][field] += 1
    fields = ("author", "title", "container-title", "date", "volume", "pages")
    micro = _prf(*(sum(counts[k][f] for f in fields) for k in ("tp", "fp", "fn")))
    print(f"\n2. PLOS references: {len(references)} (field level, on the fields each reference "
          f"tags; exact after case/accent/punctuation folding)")
    print(f"   micro P {micro[0]:.4f} R {micro[1]:.4f} F1 {micro[2]:.4f}")
    for field in fields:
        p, r, f = _prf(counts["tp"][field], counts["fp"][field], counts["fn"][field])
        print(f"     {field:<16} P {p:.4f} R {r:.4f} F1 {f:.4f}")
    return [text for text, _ in references]


def speed(texts: list[str]) -> None:
    parse_reference(texts[0])  # load the model once, as an application would
    started = time.perf_counter()
    for text in texts:
        parse_reference(text)
    elapsed = time.perf_counter() - started
    print(f"\n3. speed: {len(texts)} references in {elapsed:.2f} s = "
          f"{len(texts) / elapsed:.0f} references/s on one core")


def _forms(works: list[dict[str, Any]]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Strings in two forms the training styles lack, with the truth: NLM with a full date
    (citeproc-js, nlm-citation-sequence) and given-name-first author lists (DBLP and ACM)."""
    from mascite.crossref import record_from_work
    from mascite.csl.format import csl_item
    from mascite.csl.styles import find_style

    records = [record_from_work(w).reference for w in works]
    items = []
    for index, ref in enumerate(records):
        item = csl_item(ref, index)
        item["id"] = f"r{index}"
        items.append(item)
    nlm = citeproc_js(items, find_style("nlm-citation-sequence"))
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {"nlm-full-date": [], "given-first": []}
    for index, ref in enumerate(records):
        authors = [a for a in ref.author or [] if a.family and a.given][:4]
        truth = {"authors": [_fold(a.full_family) for a in authors], "date": ref.issued.date_parts[0]
                 if ref.issued and ref.issued.date_parts else [], "volume": ref.volume or "",
                 "page": (ref.page or ref.article_number or "").split("-")[0]}
        text = re.sub(r"^\d+\.\s*", "", nlm[f"r{index}"])
        if len(authors) == len(ref.author or []) and len(authors) <= 6:
            out["nlm-full-date"].append((text, truth))
        if len(authors) == len(ref.author or []) and authors:
            names = [f"{a.given} {a.family}" for a in authors]
            year = ref.year or ""
            if index % 2:  # DBLP: "A B, C D: Title. Journal 12(3): 45-67 (2020)"
                text = (f"{', '.join(names)}: {plain_text(ref.title)}. {ref.container_title} "
                        f"{ref.volume}{f'({ref.issue})' if ref.issue else ''}: "
                        f"{ref.page or ref.article_number or ''} ({year})")
            else:  # ACM: "A B, C D, and E F. 2020. Title. Journal 12, 3 (2020), 45–67."
                who = names[0] if len(names) == 1 else (
                    f"{', '.join(names[:-1])}{',' if len(names) > 2 else ''} and {names[-1]}")
                text = (f"{who}. {year}. {plain_text(ref.title)}. {ref.container_title} "
                        f"{ref.volume}{f', {ref.issue}' if ref.issue else ''} ({year}), "
                        f"{(ref.page or ref.article_number or '').replace('-', '–')}.")
            out["given-first"].append((text, {**truth, "date": truth["date"][:1]}))
    return out


def forms() -> None:
    works = dev_records()
    if works is None or not oracle_ready():
        print("\n4. skipped: needs the dev records and the citeproc-js oracle")
        return
    articles = [w for w in works if w.get("type") == "journal-article" and w.get("title")
                and w.get("author") and w.get("volume")]
    print("\n4. forms the training styles lack (strings written from the Crossref dev records; "
          "the parser has seen their field values in other styles)")
    for form, cases in _forms(articles).items():
        right: Counter[str] = Counter()
        for text, truth in cases:
            ref = parse_reference(text).reference
            got = {"authors": [_fold(a.full_family) for a in ref.author or []][
                :len(truth["authors"])],
                   "date": (ref.issued.date_parts[0][:len(truth["date"])]
                            if ref.issued and ref.issued.date_parts else []),
                   "volume": ref.volume or "", "page": (ref.page or "").split("-")[0]}
            for field, value in truth.items():
                right[field] += got[field] == value
        shown = ", ".join(f"{k} {right[k] / len(cases):.3f}" for k in
                          ("authors", "date", "volume", "page"))
        print(f"   {form:<14} {len(cases):>4} strings, exact: {shown}")


def main() -> int:
    data = shared_data()
    if not (data / "parser").is_dir():
        print(f"no labelled data at {data}: set MASCITE_SHARED_DATA")
        return 2
    held_out(data)
    texts = plos(data / "plos")
    speed(texts)
    forms()
    return 0


if __name__ == "__main__":
    sys.exit(main())
