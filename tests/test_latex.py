from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mascite.text.latex import latex_to_unicode, unicode_to_latex


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"O}zt{\"u}rk", "Öztürk"),
        (r"\"{O}zt\"urk", "Öztürk"),
        (r"\'{e}t\'e", "été"),
        (r"Caf\' e", "Café"),
        (r"{\ss}", "ß"),
        (r"S{\"u}t{\c{c}}{\"u}o{\u{g}}lu", "Sütçüoğlu"),
        (r"Baltal{\i}", "Baltalı"),
        (r"{\'\i}", "í"),
        (r"\v{S}koda", "Škoda"),
        (r"{\o}re {\AE}", "øre Æ"),
        (r"Tr{\~{\^e}}n", "Trễn"),
        ("pp. 4--10", "pp. 4–10"),
        ("A---B", "A—B"),
        ("``quoted''", "“quoted”"),
        (r"Smith \& Jones, 50\% of \#1 in \$", "Smith & Jones, 50% of #1 in $"),
        (r"a\_b", "a_b"),
        ("Fig.~2", "Fig.\u00a02"),
        (r"$\alpha$-synuclein", "α-synuclein"),
        (r"H$_2$O and x$^{2}$", "H<sub>2</sub>O and x<sup>2</sup>"),
        (r"\emph{E. coli} and {\em B. subtilis}", "<i>E. coli</i> and <i>B. subtilis</i>"),
        (r"\textbf{bold} \textsc{Caps}",
         '<b>bold</b> <span style="font-variant:small-caps;">Caps</span>'),
        (r"\url{http://x.org/a_b}", "http://x.org/a_b"),
        (r"\href{http://x.org}{the site}", "the site"),
        (r"\unknownmacro{kept}", "kept"),
        ("unbalanced {brace", "unbalanced brace"),
        ("stray } brace", "stray  brace"),
    ],
)
def test_latex_to_unicode(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text


def test_case_protecting_braces_become_nocase_spans_in_titles() -> None:
    assert latex_to_unicode("The {DNA} of {\\\"O}land", protect=True) == (
        'The <span class="nocase">DNA</span> of Öland')
    assert latex_to_unicode("{Whole Title}", protect=True) == (
        '<span class="nocase">Whole Title</span>')
    assert latex_to_unicode("{{x}}", protect=True) == (
        '<span class="nocase"><span class="nocase">x</span></span>')
    assert latex_to_unicode("The {DNA}") == "The DNA"
    assert latex_to_unicode(r"\textbf{{DNA}} {\"o}", protect=True) == (
        '<b><span class="nocase">DNA</span></b> ö')


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("Öztürk & Co 50% #1 a_b $x {y}",
         r"{\"{O}}zt{\"{u}}rk \& Co 50\% \#1 a\_b \$x \textbraceleft{}y\textbraceright{}"),
        ("~ ^ \\", r"\textasciitilde{} \textasciicircum{} \textbackslash{}"),
        ("pages 4–10 — “q”", "pages 4--10 --- ``q''"),
        ("a--b", "a-{}-b"),
        ("Baltalı Sütçüoğlu", r"Baltal{\i} S{\"{u}}t{\c{c}}{\"{u}}o{\u{g}}lu"),
        ("α-synuclein", r"$\alpha$-synuclein"),
        ('The <span class="nocase">DNA</span> of <i>E. coli</i>', r"The {DNA} of \textit{E. coli}"),
        ("a <i>b", "a <i>b"),
        ("参考文献", "参考文献"),
    ],
)
def test_unicode_to_latex(text: str, latex: str) -> None:
    assert unicode_to_latex(text) == latex
    assert latex_to_unicode(latex, protect=True) == text


_markup = st.sampled_from(["<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>",
                           '<span class="nocase">', "</span>"])


def _without_empty_elements(text: str) -> str:
    """Markup with nothing inside means nothing; LaTeX has no way to write it, so it is dropped."""
    empty = re.compile(r'<(i|b|sub|sup)></\1>|<span class="nocase"></span>')
    while empty.search(text):
        text = empty.sub("", text)
    return text


@given(st.lists(st.one_of(st.text(), _markup)).map("".join))
def test_encoding_then_decoding_is_the_identity(text: str) -> None:
    assert latex_to_unicode(unicode_to_latex(text), protect=True) == _without_empty_elements(text)


@given(st.text())
def test_decoding_any_text_never_raises(text: str) -> None:
    assert isinstance(latex_to_unicode(text, protect=True), str)
