"""Title case as citeproc-js applies it, and initials in given names printed whole. Every
expected value was printed by citeproc-js 2.4.63 (``CSL.Output.Formatters.title`` for the
titles; the full engine for the entries)."""

from __future__ import annotations

import functools

import pytest

from mascite.csl.compat.initials import normalize_given, normalizing_terminator
from mascite.csl.compat.titlecase import is_stop_word, js_title_case, missed_capitals
from mascite.csl.format import format_bibliography as _format_bibliography
from mascite.csl.styles import find_style

from .conftest import article

# what these tests hold is pandoc's engine with mascite's corrections (citeproc-js: test_engines)
format_bibliography = functools.partial(_format_bibliography, engine="pandoc")

CITEPROC_JS = {
    "sunburstShinyWidget: sunburst HTML widget based on D3.js":
        "sunburstShinyWidget: Sunburst HTML Widget Based on D3.Js",
    "encapsulation of the [Ru(bpy)3]2+ luminophore":
        "Encapsulation of the [Ru(Bpy)3]2+ Luminophore",
    "2020 3rd conference on e-Education, e-Business and management":
        "2020 3rd Conference on E-Education, e-Business and Management",
    "canary: c84fd7ba-4ceb-4176-a1c2-bfe03a1ce216": "Canary: C84fd7ba-4ceb-4176-A1c2-Bfe03a1ce216",
    "the émigré’s tale of für and über": "The Émigré’s Tale of Für and Über",
    "memory analysis of on-the-fly coding": "Memory Analysis of On-the-Fly Coding",
    "a study:of things and v2 vs the rest": "A Study:Of Things and v2 vs the Rest",
    "editing sites in<i>grin1b</i>transcripts of embryonic<i>danio rerio</i>":
        "Editing Sites in<i>Grin1b</i>Transcripts of Embryonic<i>Danio Rerio</i>",
    "things we look after": "Things We Look After",
    "“unclosed quote of a thing": "“unclosed Quote of a Thing",
}


@pytest.mark.parametrize("title", sorted(CITEPROC_JS))
def test_title_case_as_citeproc_js(title: str) -> None:
    assert js_title_case(title) == CITEPROC_JS[title]


def test_letters_pandoc_leaves_lower_case() -> None:
    def letters(title: str) -> list[str]:
        return [title[at:at + 3] for at in missed_capitals(title)]

    assert letters("sunburst widget based on D3.js") == ["js"]
    assert letters("conference on e-Education, e-Business") == ["e-E"]
    assert letters("the émigré’s tale of für") == ["émi", "für"]
    assert letters("a study:of things") == ["of "]
    assert letters("canary: c84fd7ba-4ceb-4176-a1c2") == []  # pandoc capitalises these too
    assert letters("an ordinary title of things") == []


def test_stop_words_read_as_citeproc_js_reads_its_list() -> None:
    assert [is_stop_word(w) for w in ("of", "vs", "v2", "vi", "a1c2", "upon", "After")] == [
        True, True, True, True, False, True, True]


@pytest.mark.usefixtures("pandoc")
def test_title_case_after_pandoc_where_the_style_applies_it() -> None:
    titles = ["sunburstShinyWidget: sunburst HTML widget based on D3.js",
              "encapsulation of the [Ru(bpy)3]2+ luminophore",
              "the émigré’s tale of für and über"]
    refs = [article(title=title, issued={"date-parts": [[2000 + n]]})
            for n, title in enumerate(titles)]
    chicago = format_bibliography(refs, "chicago-author-date")
    assert [entry.split("“")[1].split("”")[0] for entry in chicago] == [
        "sunburstShinyWidget: Sunburst HTML Widget Based on D3.Js.",
        "Encapsulation of the [Ru(Bpy)3]2+ Luminophore.",
        "The Émigré’s Tale of Für and Über."]
    apa = format_bibliography(refs, "apa")  # APA keeps article titles as given: probes vanish
    assert [entry.split(". ", 2)[2].split(". Emotion")[0] for entry in apa] == [
        "sunburstShinyWidget: sunburst HTML widget based on D3.js",
        "encapsulation of the [Ru(bpy)3]2+ luminophore", "the émigré’s tale of für and über"]


def test_initials_in_whole_given_names_as_citeproc_js_writes_them() -> None:
    given = ["Amy Y-Hui", "Emad A.-B.", "Michael C.", "J.R.R.", "Mohamed I", "Chun-fen",
             "Jean-Paul"]
    assert [normalize_given(g, ". ") for g in given] == [
        "Amy Y.-Hui", "Emad A. B.", "Michael C.", "J. R. R.", "Mohamed I.", "Chun-fen",
        "Jean-Paul"]
    assert normalizing_terminator(find_style("chicago-author-date").read_text()) == ". "
    assert normalizing_terminator(find_style("modern-language-association").read_text()) == ". "
    assert normalizing_terminator(find_style("apa").read_text()) is None


@pytest.mark.usefixtures("pandoc")
def test_whole_given_names_keep_initials_with_a_full_stop_in_chicago() -> None:
    refs = [article(author=[{"family": "Then", "given": "Amy Y-Hui"},
                         {"family": "Abdel-Salam", "given": "Emad A.-B."}], title="Fish")]
    entry = format_bibliography(refs, "chicago-author-date")[0]
    assert entry.startswith("Then, Amy Y.-Hui, and Emad A. B. Abdel-Salam. 2016. “Fish.”")
