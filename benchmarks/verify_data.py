"""The lists ``verify.py`` checks: real records, rendered by citeproc-js in eight styles, with
injected errors, hard clean cases, references without a DOI and unregistered works; and the
records the stand-in serves. Two sources of records: the Crossref dev records (split once into
dev and held-out), and the structured references of the PLOS articles (``plos``), a second
held-out set."""

from __future__ import annotations

import copy
import hashlib
import random
import re
from typing import Any

from defusedxml.ElementTree import parse as parse_xml
from shared import citeproc_js, shared_data

from mascite.crossref import record_from_work
from mascite.csl.format import csl_item
from mascite.csl.styles import find_style
from mascite.text import STOP_WORDS, fold

STYLES = ("nlm-citation-sequence", "american-medical-association", "ieee", "apa",
          "chicago-author-date", "modern-language-association", "harvard-cite-them-right",
          "nature")
SPLIT_SEED = 21  # the works split once: dev (rules chosen there) and held-out (reported)
KINDS = ("author-typo", "first-author-dropped", "title-word", "year-1", "year-5", "volume",
         "issue", "page", "journal", "doi-typo", "doi-other", "retraction",
         "expression-of-concern")
NEEDS_DOI = {"doi-typo", "doi-other"}
HARD = ("article-number", "supplement", "roman-pages", "corporate-author", "translated-title")
WORDS = ("quantum", "bayesian", "zebrafish", "ultrafast", "pediatric", "lithium", "cortical",
         "magnetic", "seasonal", "hepatic", "orbital", "viral", "coastal", "neural")


def usable(work: dict[str, Any]) -> bool:
    """A real journal article with the fields a reference carries (not a Crossref test deposit:
    10.5555 is Crossref's test prefix)."""
    if str(work.get("DOI", "")).startswith("10.5555/") or re.search(r"[<>]", work.get("DOI", "")):
        return False  # "<" and ">" in a DOI: citeproc-js's text output reads them as markup
    first = (work.get("author") or [{}])[0]
    family, given = str(first.get("family", "")), str(first.get("given", ""))
    if not given or "." in family or " and " in family:
        return False
    return bool(work.get("type") == "journal-article" and work.get("title")
                and work.get("container-title") and work.get("volume")
                and (work.get("page") or work.get("article-number")) and work.get("issued"))


def split(works: list[dict[str, Any]], seed: int) -> tuple[list[dict[str, Any]],
                                                         list[dict[str, Any]]]:
    """One record per work, shuffled by the seed, cut in two: (dev, held-out)."""
    unique: dict[str, dict[str, Any]] = {}
    for work in works:
        if usable(work):
            key = f"{fold(work['title'][0])}|{fold(work['author'][0]['family'])}"
            unique.setdefault(key, work)
    chosen = sorted(unique.values(), key=lambda w: str(w["DOI"]).lower())
    random.Random(seed).shuffle(chosen)  # noqa: S311 - benchmark sampling
    half = len(chosen) // 2
    return chosen[:half], chosen[half:]


def _year(work: dict[str, Any]) -> int:
    return int(work["issued"]["date-parts"][0][0])


def _record_years(work: dict[str, Any]) -> set[int]:
    years = {_year(work)}
    for key in ("published-print", "published-online"):
        parts = (work.get(key) or {}).get("date-parts") or [[None]]
        if parts[0] and parts[0][0]:
            years.add(int(parts[0][0]))
    return years


def _transpose(word: str, rng: random.Random) -> str | None:
    spots = [i for i in range(1, len(word) - 2) if word[i].isalpha() and word[i + 1].isalpha()
             and word[i].lower() != word[i + 1].lower()]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def inject(work: dict[str, Any], kind: str, donor: dict[str, Any],
           rng: random.Random) -> dict[str, Any] | None:
    """The record as the list (wrongly) gives it, or ``None`` when this kind cannot apply."""
    wrong = copy.deepcopy(work)
    authors = work.get("author") or []
    if kind == "author-typo":
        index = rng.choice([0, 0, 1]) if len(authors) > 1 else 0
        family = str(authors[index].get("family", ""))
        typo = _transpose(family, rng) if len(family) >= 5 else None
        if typo is None:
            return None
        wrong["author"][index] = {**authors[index], "family": typo}
    elif kind == "first-author-dropped":
        if len(authors) < 2 or not authors[1].get("family"):
            return None
        wrong["author"] = authors[1:]
    elif kind == "title-word":
        words = work["title"][0].split()
        spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()
                 and w.lower() not in STOP_WORDS]
        if not spots:
            return None
        i = rng.choice(spots)
        replacement = rng.choice([w for w in WORDS if w != words[i].lower()])
        words[i] = replacement.capitalize() if words[i][0].isupper() else replacement
        wrong["title"] = [" ".join(words)]
    elif kind in ("year-1", "year-5"):
        step = 1 if kind == "year-1" else 5
        if step == 1 and not (work.get("published-print") and work.get("published-online")):
            return None  # one year off a record without both dates may be the other date
        options = [_year(work) + d for d in (step, -step)
                   if all(abs(_year(work) + d - y) >= step for y in _record_years(work))]
        if not options:
            return None
        wrong["issued"] = {"date-parts": [[rng.choice(options)]]}
        for key in ("published-print", "published-online"):
            wrong.pop(key, None)
    elif kind == "volume":
        digits = re.sub(r"\D", "", work["volume"])
        if not digits:
            return None
        wrong["volume"] = str(int(digits) + rng.randint(3, 40))
    elif kind == "issue":
        digits = re.sub(r"\D", "", str(work.get("issue", "")))
        if not digits or not re.fullmatch(r"\d+", str(work["issue"])):
            return None
        wrong["issue"] = str(int(digits) + rng.randint(1, 5))
    elif kind == "page":
        first = re.match(r"\D*(\d+)", str(work.get("page", "")))
        if first is None:
            return None
        start = int(first.group(1)) + rng.randint(11, 90)
        wrong["page"] = f"{start}-{start + 7}"
    elif kind == "journal":
        mine, theirs = fold(work["container-title"][0]), fold(donor["container-title"][0])
        if mine.split()[:1] == theirs.split()[:1] or mine in theirs or theirs in mine:
            return None  # "JAMA" and "JAMA: The Journal of the American Medical Association"
        wrong["container-title"] = donor["container-title"]
        wrong.pop("short-container-title", None)
    elif kind == "doi-typo":
        doi = work["DOI"]
        spots = [i for i in range(doi.index("/") + 1, len(doi)) if doi[i].isalnum()]
        i = rng.choice(spots)
        wrong["DOI"] = doi[:i] + ("7" if doi[i] != "7" else "3") + doi[i + 1:]
    elif kind == "doi-other":
        wrong["DOI"] = donor["DOI"]
    return wrong


def harden(work: dict[str, Any], case: str, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A clean hard case: (the record as served, the record as the list gives it), which agree
    in substance and differ only in how it is written."""
    served, listed = copy.deepcopy(work), copy.deepcopy(work)
    if case == "article-number":
        number = f"e{10000 + index * 37}"
        served.pop("page", None)
        served["article-number"] = number
        listed.pop("page", None)
        listed["page"] = number
    elif case == "supplement":
        served["issue"] = f"Supplement_{1 + index % 3}"
        listed["issue"] = f"Suppl {1 + index % 3}"
    elif case == "roman-pages":
        served["page"] = listed["page"] = ("iii-xv", "xi-xii", "ix")[index % 3]
    elif case == "corporate-author":
        name = ("World Health Organization", "The PLOS Medicine Editors",
                "Antithrombotic Trialists' Collaboration")[index % 3]
        served["author"] = [{"name": name}]
        listed["author"] = [{"name": name}]
    elif case == "translated-title":  # a title in another language, its English in brackets
        english = work["title"][0]
        served["title"] = [("Étude clinique : ", "Klinische Studie: ",
                            "Estudio clínico: ")[index % 3] + english]
        listed["title"] = served["title"]
        listed["translated-title"] = [f"A clinical study: {english}"]
    return served, listed


def build(works: list[dict[str, Any]], pool: list[dict[str, Any]], seed: int,
          ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """For each style, the list's entries (what it shows, and the truth); and the records the
    stand-in serves, by DOI. Notices, hard cases and unregistered works hold for a work in every
    list; errors are injected entry by entry."""
    rng = random.Random(seed * 7 + 1)  # noqa: S311 - benchmark sampling
    served = {str(w["DOI"]).lower(): copy.deepcopy(w) for w in pool if w.get("DOI")}
    modes: dict[str, str] = {}
    for n, work in enumerate(works):
        slot = n % 40
        mode = {3: "retraction", 23: "expression-of-concern", 17: "unregistered",
                33: "unregistered"}.get(slot, "")
        if slot in (5, 13, 21, 29, 37):
            mode = HARD[(n // 40 * 5 + (slot - 5) // 8) % len(HARD)]
        modes[str(work["DOI"]).lower()] = mode
    chosen = {str(w["DOI"]).lower() for w in works}
    # Wrong journals and DOIs come from works outside this list, as a wrong DOI would.
    donors = [w for w in pool if usable(w) and str(w["DOI"]).lower() not in chosen][:80]
    lists: dict[str, list[dict[str, Any]]] = {style: [] for style in STYLES}
    turn = 0
    # year-1 applies to few records (those with a print and an online date): it gets two turns
    errors = [k for k in KINDS if k not in ("retraction", "expression-of-concern")]
    errors.insert(errors.index("year-1"), "year-1")
    for n, work in enumerate(works):
        doi = str(work["DOI"]).lower()
        mode = modes[doi]
        for s, style in enumerate(STYLES):
            entry: dict[str, Any] = {"kind": None, "hard": None, "doi": doi,
                                     "registered": mode != "unregistered",
                                     "no_doi": mode == "unregistered" or rng.random() < 1 / 6}
            shown = work
            if mode in ("retraction", "expression-of-concern"):
                entry["kind"] = mode
            elif mode in HARD:
                entry["hard"] = mode
                served[doi], shown = harden(work, mode, n)
            elif mode == "" and (n * len(STYLES) + s) % 2:
                for attempt in range(len(errors)):
                    kind = errors[(turn + attempt) % len(errors)]
                    if entry["no_doi"] and kind in NEEDS_DOI:
                        continue
                    donor = rng.choice(donors)
                    candidate = inject(work, kind, donor, rng)
                    if candidate is not None:
                        entry["kind"], shown = kind, candidate
                        turn = (turn + attempt + 1) % len(errors)
                        break
            entry["shown"], entry["work"] = shown, served[doi] if mode in HARD else work
            lists[style].append(entry)
    for n, work in enumerate(works):
        doi = str(work["DOI"]).lower()
        if modes[doi] == "unregistered":
            served.pop(doi, None)
        elif modes[doi] in ("retraction", "expression-of-concern"):
            kind = modes[doi]
            record = served[doi]
            record["updated-by"] = [{
                "DOI": f"{record['DOI']}.notice", "label": kind.replace("-", " ").title(),
                "type": kind.replace("-", "_"), "source": "retraction-watch",
                "updated": {"date-parts": [[2024, 1, 9]]}}]
            if kind == "retraction" and n % 2:
                record["title"] = [f"RETRACTED: {record['title'][0]}"]
    return lists, served


def _items(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    items = []
    for i, entry in enumerate(entries):
        shown = entry[key]
        work = {k: v for k, v in shown.items() if k not in ("updated-by", "translated-title")}
        item = csl_item(record_from_work(work).reference, i)
        item["id"] = f"e{i}"
        if entry["no_doi"]:
            item.pop("DOI", None)
            item.pop("URL", None)
        if "translated-title" in shown:
            item["title"] = f"{item['title']} [{shown['translated-title'][0]}]"
        items.append(item)
    return items


def render(lists: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Each style's entries as citeproc-js writes them, with the DOI appended where the style
    prints none and the list gives one (as lists pasted from a reference manager do). An error
    the style does not show (an issue in a style that prints none, a later author hidden by
    "et al.") leaves the entry clean, and it counts as clean."""
    out: dict[str, list[str]] = {}
    for style, entries in lists.items():
        path = find_style(style)
        texts = citeproc_js(_items(entries, "shown"), path)
        truth = citeproc_js(_items(entries, "work"), path)
        for i, entry in enumerate(entries):
            visible = entry["kind"] in ("retraction", "expression-of-concern", *NEEDS_DOI)
            if entry["kind"] and not visible and texts[f"e{i}"] == truth[f"e{i}"]:
                entry["kind"], entry["shown"] = None, entry["work"]
        order = [int(key[1:]) for key in texts]  # the style's order: "———" follows it
        entries[:] = [entries[i] for i in order]
        texts = {f"e{n}": texts[f"e{i}"] for n, i in enumerate(order)}
        lines = []
        for i, entry in enumerate(entries):
            text = re.sub(r"^\[?\d+\]?\.?\s+", "", texts[f"e{i}"])  # the style's own number
            if not entry["no_doi"] and "10." not in text:
                text += f" https://doi.org/{entry['shown']['DOI']}"
            lines.append(text)
        out[style] = lines
    return out


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def plos_works() -> list[dict[str, Any]]:
    """The journal references of the PLOS articles as Crossref-shaped records: authors, title,
    journal (as the article abbreviates it), year, volume, issue, pages and DOI. References
    without a DOI get one under a prefix no real work has, so the stand-in can serve them."""
    works: dict[str, dict[str, Any]] = {}
    for path in sorted((shared_data() / "plos").glob("*.xml")):
        for ref in parse_xml(str(path)).getroot().iter("ref"):
            citation = next((c for c in ref if c.tag in ("element-citation", "nlm-citation",
                                                         "mixed-citation")), None)
            if citation is None or citation.get("publication-type") != "journal":
                continue
            names = [{"family": _text(n.find("surname")), "given": _text(n.find("given-names"))}
                     for n in citation.iter("name") if n.find("surname") is not None]
            fields = {tag: _text(citation.find(tag)) for tag in (
                "article-title", "source", "year", "volume", "issue", "fpage", "lpage")}
            if not (names and all(names[0].values()) and fields["article-title"]
                    and fields["source"] and re.fullmatch(r"\d{4}", fields["year"][:4] or "x")
                    and fields["volume"] and fields["fpage"]):
                continue
            doi = next((_text(p) for p in citation.iter("pub-id") if p.get("pub-id-type") == "doi"),
                       "")
            doi = doi or next((_text(e) for e in citation.iter("ext-link")
                               if e.get("ext-link-type") == "doi"), "")
            # a made-up DOI, sparse enough that a typo in it names no other work
            made_up = hashlib.sha256(f"{path.name}|{_text(citation)}".encode()).hexdigest()[:12]
            doi = (doi or f"10.99999/plos.{made_up}").lower()
            if doi in works or "<" in doi:
                continue
            page = fields["fpage"] + (f"-{fields['lpage']}" if fields["lpage"] else "")
            work: dict[str, Any] = {
                "DOI": doi, "type": "journal-article", "title": [fields["article-title"].rstrip(".")],
                "author": names, "container-title": [fields["source"]],
                "short-container-title": [fields["source"]], "volume": fields["volume"],
                "page": page, "issued": {"date-parts": [[int(fields["year"][:4])]]}}
            if fields["issue"]:
                work["issue"] = fields["issue"]
            works[doi] = work
    return list(works.values())
