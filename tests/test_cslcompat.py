"""Where mascite corrects pandoc's citeproc towards citeproc-js. Expected entries are what
citeproc-js 2.4.63 prints for the same items and styles (checked with benchmarks/citeproc-js)."""

from __future__ import annotations

import functools
import re

import pytest

from mascite import Reference
from mascite.csl.compat.items import _apostrophes, keep_lower, prepare_item, restore
from mascite.csl.format import format_bibliography as _format_bibliography

from .conftest import article

# what these tests hold is pandoc's engine with mascite's corrections (citeproc-js: test_engines)
format_bibliography = functools.partial(_format_bibliography, engine="pandoc")

pytestmark = pytest.mark.usefixtures("pandoc")  # every formatting test here needs pandoc


def test_apostrophes_as_citeproc_js_reads_them() -> None:
    assert _apostrophes("3',4'-dideoxykanamycin") == "3’,4’-dideoxykanamycin"
    assert _apostrophes("Reye's syndrome in patients' homes") == "Reye’s syndrome in patients’ homes"
    assert _apostrophes("the 'quoted' word") == "the 'quoted' word"  # a quotation: pandoc's job
    assert _apostrophes("GenCo 's revenue") == "GenCo ’s revenue"
    assert restore(_apostrophes('For "GenCo \'s revenue"'), {}) == 'For "GenCo \'s revenue"'
    assert _apostrophes("no quotes") == "no quotes"


def test_title_end_merges_as_citeproc_js() -> None:
    item = prepare_item({"title": "Is it appropriate?"})
    assert restore(f"“{item['title']},” Emotion", {}) == "“Is it appropriate?,” Emotion"
    assert restore(f"“{item['title']}.” Emotion", {}) == "“Is it appropriate?” Emotion"
    assert restore(f"<i>{item['title']}</i>. Emotion", {}) == "<i>Is it appropriate?</i> Emotion"
    assert restore(f"{item['title']}; Emotion", {}) == "Is it appropriate?; Emotion"


def test_stop_words_title_case_leaves_alone_as_citeproc_js_does() -> None:
    assert keep_lower("Res. number theory") == "Res. number theory"
    assert keep_lower("Urokinase. the measurement") == (
        'Urokinase. <span class="nocase">the</span> measurement')
    assert keep_lower("Of cells before, during and (v2) against: a test? a-b on-the-fly") == (
        'Of cells <span class="nocase">before</span>, <span class="nocase">during</span> '
        '<span class="nocase">and</span> (<span class="nocase">v</span>2) '
        '<span class="nocase">against</span>: a test? a-b <span class="nocase">on</span>-'
        '<span class="nocase">the</span>-fly')
    assert keep_lower("Smith v. Jones, afore modulo thruout apud") == (
        'Smith <span class="nocase">v</span>. Jones, <span class="nocase">afore</span> '
        '<span class="nocase">modulo</span> <span class="nocase">thruout</span> apud')
    assert keep_lower("Why look <i>after</i> them: a case of") == (
        'Why look <i><span class="nocase">after</span></i> them: a case of')
    entry = format_bibliography([article(title="Macrophage-like cells before, during and after "
                                         "treatment againstPseudomonas: a study (v2)? a test")],
                                "modern-language-association")[0]
    assert entry == ("Lee, K. “Macrophage-like Cells before, during and after Treatment "
                     "againstPseudomonas: A Study (v2)? A Test.” Emotion, vol. 16, 2016, "
                     "pp. 803–06.")


def test_title_case_around_markup_and_at_the_end_as_citeproc_js() -> None:
    titles = ["Meropenem against<i>Pseudomonas</i> in rat hearts after <i>ischemia</i>",
              "Cells we look after", "Cells in <i>vivo</i> we look after: a test of"]
    entries = format_bibliography([article(title=title) for title in titles],
                                  "modern-language-association")
    assert [entry.split("“")[1].split("”")[0] for entry in entries] == [
        "Cells in Vivo We Look after: A Test Of.", "Cells We Look After.",
        "Meropenem againstPseudomonas in Rat Hearts after Ischemia."]


def test_question_titles_keep_the_comma_in_ieee() -> None:
    entry = format_bibliography([article(title="Is the response appropriate?")], "ieee")[0]
    assert entry == ("[1] K. Lee, “Is the response appropriate?,” Emotion, vol. 16, "
                     "pp. 803–806, 2016.")
    apa = format_bibliography([article(title="Is the response appropriate?")], "apa")[0]
    assert apa == "Lee, K. (2016). Is the response appropriate? Emotion, 16, 803–806."


def test_primes_and_a_stray_apostrophe() -> None:
    entries = format_bibliography([
        article(id="a", title="Absorption of 3',4'-dideoxykanamycin B"),
        article(id="b", title='Review for "GenCo \'s revenue and ISO \'s purchase cost"',
                author=[{"family": "Moe", "given": "K"}]),
        article(id="c", title="GenCo 's revenue", author=[{"family": "Zed", "given": "K"}])], "apa")
    assert entries == [
        "Lee, K. (2016). Absorption of 3’,4’-dideoxykanamycin B. Emotion, 16, 803–806.",
        "Moe, K. (2016). Review for “GenCo 's revenue and ISO 's purchase cost.” Emotion, 16, "
        "803–806.",
        "Zed, K. (2016). GenCo ’s revenue. Emotion, 16, 803–806."]


def test_names_without_a_name_element_print_the_label_after_them() -> None:
    book = Reference.from_csl({
        "id": "b", "type": "book", "title": "Long-Lived Nuclear Spin Order",
        "editor": [{"family": "Pileio", "given": "Giuseppe"}], "publisher": "RSC",
        "issued": {"date-parts": [[2020]]}})
    assert format_bibliography([book], "american-medical-association") == [
        "1. Pileio G, ed. Long-Lived Nuclear Spin Order. RSC; 2020."]


def test_subsequent_author_substitute_replaces_names_only() -> None:
    anonymous = [article(id=f"c{i}", title="Current Comment", author=None, volume=str(70 + i))
                 for i in range(2)]
    same_author = [article(id=f"s{i}", title=f"Study {i}") for i in range(2)]
    entries = format_bibliography([*anonymous, *same_author], "modern-language-association")
    assert entries == [
        "“Current Comment.” Emotion, vol. 70, 2016, pp. 803–06.",
        "“Current Comment.” Emotion, vol. 71, 2016, pp. 803–06.",
        "Lee, K. “Study 0.” Emotion, vol. 16, 2016, pp. 803–06.",
        "———. “Study 1.” Emotion, vol. 16, 2016, pp. 803–06."]


def test_inner_double_quotes_stay_double_under_en_gb() -> None:
    title = "Comments on the data ecosystem: “Ocean of Data”"
    entry = format_bibliography([article(title=title)], "nature")[0]
    assert entry == "1. Lee, K. Comments on the data ecosystem: “Ocean of Data”. Emotion 16, 803–806 (2016)."


def test_a_page_value_that_is_not_a_numeric_range_keeps_its_hyphen() -> None:
    entry = format_bibliography([article(page="1308-1309.e1", title="Gout")], "ieee")[0]
    assert entry == "[1] K. Lee, “Gout,” Emotion, vol. 16, pp. 1308-1309.e1, 2016."


def test_only_names_without_a_name_element_get_one() -> None:
    from mascite.csl.compat.items import prepare_style

    style = ('<names variable="editor"><label form="short" prefix=", "/></names>'
             '<names variable="editor"><label form="verb" suffix=" "/><name and="text"/></names>'
             '<names variable="author"><label prefix=", "/><substitute><names variable="editor">'
             '<name/></names></substitute></names><names variable="translator"/>')
    assert prepare_style(style) == (
        '<names variable="editor"><name/><label form="short" prefix=", "/></names>'
        '<names variable="editor"><label form="verb" suffix=" "/><name and="text"/></names>'
        '<names variable="author"><name/><label prefix=", "/><substitute><names variable="editor">'
        '<name/></names></substitute></names><names variable="translator"/>')


def test_two_pass_bibliography_equals_one_pass() -> None:
    from mascite.csl.engines import pandoc
    from mascite.csl.engines.pandoc.run import NOCITE, entries
    from mascite.csl.format import csl_item
    from mascite.csl.styles import find_style

    references = [article(id=f"r{i}", title=f"Study number {i}",
                          author=[{"family": f"Family{i % 90}", "given": "A"}],
                          issued={"date-parts": [[2000 + i % 3 if i >= 90 else 2000 + i % 2]]})
                  for i in range(120)]
    references += [article(id=f"n{i}", title=f"Anonymous {i}", author=None) for i in range(3)]
    for style in ("apa", "chicago-author-date"):
        fast = format_bibliography(references, style)
        items = [pandoc.prepare(csl_item(r, i)) for i, r in enumerate(references, start=1)]
        slow = entries(pandoc.citeproc(items, find_style(style), NOCITE, "plain", [], failure="x"),
                       "text")
        assert fast == slow
    apa = format_bibliography(references, "apa")
    assert [e for e in apa if e.startswith("Family0,")] == [
        "Family0, A. (2000a). Study number 0. Emotion, 16, 803–806.",
        "Family0, A. (2000b). Study number 90. Emotion, 16, 803–806."]
    assert sum(re.search(r"\(200[01][ab]\)", e) is not None for e in apa) == 20


@pytest.mark.parametrize("style", ["ieee", "american-medical-association"])
def test_a_numeric_list_formatted_in_parts_equals_one_run(style: str, monkeypatch) -> None:
    from mascite.csl import styles
    from mascite.csl.engines.pandoc import parts, run

    references = [article(id=f"r{i}", title=f"Study number {i}", page=f"{i}-{i + 9}",
                          author=[{"family": f"Family{i}", "given": "A"}]) for i in range(320)]
    references.append(article(id="same", title="One page", page="93-93"))
    monkeypatch.setattr(run, "cpus", lambda: 2)
    for to in ("text", "markdown"):
        in_parts = format_bibliography(references, style, to=to)
        monkeypatch.setattr(run, "cpus", lambda: 1)
        whole = format_bibliography(references, style, to=to)
        monkeypatch.setattr(run, "cpus", lambda: 2)
        assert in_parts == whole
    assert parts.position_alone(styles.style_text(styles.find_style(style)))
    text = format_bibliography(references, style)
    first = "[1] A. Family0" if style == "ieee" else "1. Family0 A"
    assert len(text) == 321
    assert text[0].startswith(first)
    assert text[320].startswith("[321] K. Lee" if style == "ieee" else "321. Lee K")
    dash = "–" if style == "ieee" else "-"  # AMA's page-range-delimiter is a hyphen
    assert f"93{dash}93" in text[320]
    assert f"93{dash}102" in text[93]


def test_a_one_page_range_repairs_no_other_range_in_markdown() -> None:
    """Pandoc writes an en dash as "--" in Markdown: the repair of "93-93" must not touch "93--102"."""
    entries = format_bibliography([article(title="A", page="93-93"),
                                   article(title="B", page="93-102")], "ieee", to="markdown")
    assert [re.search(r"pp\. (\S+),", e).group(1) for e in entries] == ["93--93", "93--102"]


def test_styles_that_sort_or_disambiguate_are_not_formatted_in_parts() -> None:
    from mascite.csl.engines.pandoc.parts import position_alone
    from mascite.csl.styles import find_style, style_text

    assert [position_alone(style_text(find_style(s))) for s in
            ("apa", "chicago-author-date", "modern-language-association", "nature",
             "elsevier-vancouver")] == [False, False, False, True, True]


def test_page_values_citeproc_js_labels_as_one_page() -> None:
    pages = ["no-no", "III-318", "12a-b", "Suppl-4", "iii-xv", "e12-e15", "12-B", "1308-1309.e1"]
    entries = format_bibliography([article(id=f"p{i}", page=p, title="T") for i, p in
                                   enumerate(pages)], "ieee")
    assert [e.split("Emotion, vol. 16, ")[1] for e in entries] == [
        "p. no-no, 2016.", "p. III–318, 2016.", "p. 12a-b, 2016.", "p. Suppl-4, 2016.",
        "pp. iii–xv, 2016.", "pp. e12–e15, 2016.", "pp. 12-B, 2016.", "pp. 1308-1309.e1, 2016."]


def test_strip_periods_keeps_a_full_stop_before_a_lower_case_letter() -> None:
    """citeproc-js strips a period only before anything but a lower-case letter (or at the end)."""
    entries = format_bibliography([
        article(id="a", title="A", **{"container-title-short": "int.jour.sci.res.mana."}),
        article(id="b", title="B", **{"container-title-short": "J. Clin. Invest."})],
        "american-medical-association")
    assert entries == ["1. Lee K. A. int.jour.sci.res.mana. 2016;16:803-806.",
                       "2. Lee K. B. J Clin Invest. 2016;16:803-806."]


def test_hyphenated_given_names_where_a_style_reads_the_hyphen_as_a_space() -> None:
    # AMA: initialize-with-hyphen="false"; citeproc-js keeps a lower-case part ("C fen")
    people = [("Bai", "Chun-fen"), ("Gao", "Wen-Sheng"), ("Gao", "Wen-sheng Li")]
    refs = [article(author=[{"family": family, "given": given}], title=f"Title {n}",
                    issued={"date-parts": [[2000 + n]]})
            for n, (family, given) in enumerate(people)]
    entries = format_bibliography(refs, "american-medical-association")
    assert [entry.split(".")[1].strip() for entry in entries] == [
        "Bai C fen", "Gao WS", "Gao W sheng L"]
    ieee = format_bibliography(refs[:1], "ieee")  # hyphens kept elsewhere
    assert ieee == ["[1] C. Bai, “Title 0,” Emotion, vol. 16, pp. 803–806, 2000."]
