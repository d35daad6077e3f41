"""LaTeX in BibTeX fields ⇄ Unicode text with CSL-JSON markup. Pure functions.

Reading turns accents and commands into Unicode (``{\\"o}`` → ö, ``--`` → –), case-protecting braces
into ``<span class="nocase">`` (as pandoc and citeproc-js expect in CSL-JSON), and ``\\emph`` and
friends into CSL's HTML-like tags. Writing does the reverse and escapes every LaTeX special, so that
``latex_to_unicode(unicode_to_latex(s)) == s`` and the output always compiles.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["blank_comments", "latex_to_unicode", "unicode_to_latex", "without_markup"]

_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def blank_comments(text: str) -> str:
    """LaTeX source with each ``%`` comment turned to spaces, so offsets stay where they were."""
    return _COMMENT.sub(lambda m: " " * len(m.group(0)), text)

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "d": "\u0323",
    "b": "\u0331", "k": "\u0328", "r": "\u030a", "t": "\u0361",
}
_MARK_TO_ACCENT = {mark: cmd for cmd, mark in _ACCENTS.items()}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "SS": "ẞ",
}
_SYMBOLS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009",
    "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "S": "§", "P": "¶", "copyright": "©", "textcopyright": "©",
    "textregistered": "®", "texttrademark": "™", "pounds": "£", "euro": "€", "texteuro": "€",
    "textasciitilde": "~", "textbackslash": "\\", "textasciicircum": "^", "textdegree": "°",
    "textbullet": "•", "slash": "/", "textless": "<", "textgreater": ">", "textbar": "|",
    "guillemotleft": "«", "guillemotright": "»", "textperiodcentered": "·", "textmu": "µ",
    "textunderscore": "_", "textdollar": "$", "textpercent": "%", "textampersand": "&",
    "textbraceleft": "{", "textbraceright": "}", "-": "\u00ad", "relax": "", "/": "",
}
_GREEK = {
    name: chr(code) for name, code in (
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4),
        ("epsilon", 0x3F5), ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7),
        ("theta", 0x3B8), ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC),
        ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3),
        ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3D5), ("varphi", 0x3C6), ("chi", 0x3C7),
        ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394),
        ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0), ("Sigma", 0x3A3),
        ("Upsilon", 0x3A5), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9),
    )
}
_MATH = {
    **_GREEK, "pm": "±", "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "sim": "∼",
    "approx": "≈", "infty": "∞", "cdot": "·", "neq": "≠", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "deg": "°", "circ": "∘", "prime": "′",
}
_TAGS = {
    "emph": "i", "textit": "i", "textsl": "i", "it": "i", "em": "i", "sl": "i",
    "textbf": "b", "bf": "b", "textsubscript": "sub", "textsuperscript": "sup",
    "textsc": "sc", "sc": "sc",
}
_PASS = {"textup", "textrm", "textnormal", "mbox", "text", "textsf", "texttt", "url", "hbox",
         "mathrm", "mathit", "mathbf", "ensuremath", "NoCaseChange", "MakeUppercase"}
_OPEN = {"i": "<i>", "b": "<b>", "sub": "<sub>", "sup": "<sup>",
         "sc": '<span style="font-variant:small-caps;">', "nocase": '<span class="nocase">'}
_CLOSE = {"i": "</i>", "b": "</b>", "sub": "</sub>", "sup": "</sup>", "sc": "</span>",
          "nocase": "</span>"}


class _Reader:
    """A recursive-descent reader over one field value; never raises on odd input."""

    def __init__(self, text: str, protect: bool) -> None:
        self.text = text
        self.pos = 0
        self.protect = protect
        # Braces protect case at the top level, inside a protected group and inside markup
        # arguments (\textbf{{DNA}}), but not inside accent or command groups ({\"o}).
        self.protectable = True

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos:self.pos + n]

    def read(self, depth: int = 0, math: bool = False, stop: str = "") -> str:
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "}" or (stop and char == stop):
                if depth > 0 or stop:
                    return "".join(out)
                self.pos += 1  # a stray closing brace at top level: drop it
                continue
            if char == "{":
                self.pos += 1
                out.append(self.group(depth, math))
            elif char == "\\":
                out.append(self.command(depth, math))
            elif char == "$" and not math:
                self.pos += 1
                inner = self.read(depth, math=True, stop="$")
                self.pos += 1
                out.append(inner)
            elif math and char in "^_" :
                self.pos += 1
                tag = "sup" if char == "^" else "sub"
                inner = self.argument(depth, math, markup=True)
                out.append(_OPEN[tag] + inner + _CLOSE[tag] if inner else "")
            elif not math and self.text.startswith("---", self.pos):
                out.append("—")
                self.pos += 3
            elif not math and self.text.startswith("--", self.pos):
                out.append("–")
                self.pos += 2
            elif not math and self.text.startswith("``", self.pos):
                out.append("“")
                self.pos += 2
            elif not math and self.text.startswith("''", self.pos):
                out.append("”")
                self.pos += 2
            elif char == "~" and not math:
                out.append("\u00a0")
                self.pos += 1
            else:
                out.append(char)
                self.pos += 1
        return "".join(out)

    def group(self, depth: int, math: bool) -> str:
        """After ``{``: a case-protected group, or an accent/command group like ``{\\"o}``."""
        starts_with_command = self.peek() == "\\"
        nocase = self.protect and self.protectable and not starts_with_command and not math
        saved, self.protectable = self.protectable, nocase
        inner = self.read(depth + 1, math)
        self.protectable = saved
        if self.peek() == "}":
            self.pos += 1
        if nocase and inner:
            return _OPEN["nocase"] + inner + _CLOSE["nocase"]
        return inner

    def argument(self, depth: int, math: bool, markup: bool = False) -> str:
        """One macro argument: a group or a single character (``\\'e``, ``\\'{e}``)."""
        while self.peek() in (" ", "\t", "\n"):
            self.pos += 1
        if self.peek() == "{":
            self.pos += 1
            saved = self.protectable
            self.protectable = saved and markup
            inner = self.read(depth + 1, math)
            self.protectable = saved
            if self.peek() == "}":
                self.pos += 1
            return inner
        if self.peek() == "\\":
            return self.command(depth, math)
        char = self.peek()
        self.pos += len(char)
        return char

    def command(self, depth: int, math: bool) -> str:
        self.pos += 1  # the backslash
        match = re.match(r"[A-Za-z]+", self.text[self.pos:])
        if match is None:
            name = self.peek()
            self.pos += len(name)
            if name in _ACCENTS:
                return _accent(self.argument(depth, math), name)
            if name == "\\":
                return "\n"
            return _SYMBOLS.get(name, name)
        name = match.group(0)
        self.pos += len(name)
        if name in _ACCENTS and len(name) == 1:
            return _accent(self.argument(depth, math), name)
        if name in _LETTERS or name in _SYMBOLS or (math and name in _MATH) or name in _GREEK:
            if self.peek() == " " or self.peek(2) == "{}":
                self.pos += 1 if self.peek() == " " else 2
            return _LETTERS.get(name) or _SYMBOLS.get(name) or _MATH.get(name) or _GREEK[name]
        if name in _MATH:
            return _MATH[name]
        if name in ("it", "em", "sl", "bf", "sc"):  # declarations: {\em text}
            while self.peek() == " ":
                self.pos += 1
            tag = _TAGS[name]
            inner = self.read(depth + 1, math)
            return _OPEN[tag] + inner + _CLOSE[tag] if inner else ""
        if name in _TAGS:
            tag = _TAGS[name]
            inner = self.argument(depth, math, markup=True)
            return _OPEN[tag] + inner + _CLOSE[tag] if inner else ""
        if name == "href":
            self.argument(depth, math)
            return self.argument(depth, math)
        if name in _PASS:
            return self.argument(depth, math) if self.peek().strip() in ("{", "") else ""
        # An unknown macro: keep its argument if it has one, drop the name.
        return self.argument(depth, math) if self.peek() == "{" else ""


def _accent(base: str, command: str) -> str:
    base = {"ı": "i", "ȷ": "j"}.get(base, base)
    if not base:
        return _ACCENTS[command]
    return unicodedata.normalize("NFC", base[0] + _ACCENTS[command]) + base[1:]


def latex_to_unicode(value: str, *, protect: bool = False) -> str:
    """Decode a BibTeX field value; with ``protect``, top-level braces become nocase spans."""
    if "\\" not in value and "{" not in value and not re.search(r"--|``|''|~|\$", value):
        return value.replace("}", "")
    return _Reader(value, protect).read()


# -------------------------------------------------------------------------------------- writing

_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "\u00a0": "~", "–": "--", "—": "---", "“": "``", "”": "''", "\u2009": r"\,",
    "\u00ad": r"\-",
}
_LETTER_TO_LATEX = {char: "{\\" + name + "}" for name, char in _LETTERS.items()}
_SYMBOL_TO_LATEX = {
    "…": r"\ldots{}", "§": r"\S{}", "¶": r"\P{}", "©": r"\copyright{}", "®": r"\textregistered{}",
    "™": r"\texttrademark{}", "£": r"\pounds{}", "€": r"\euro{}", "°": r"\textdegree{}",
    "•": r"\textbullet{}", "«": r"\guillemotleft{}", "»": r"\guillemotright{}",
    "‘": r"\textquoteleft{}", "’": r"\textquoteright{}",
    **{char: "$\\" + name + "$" for name, char in _GREEK.items()},
    **{char: "$\\" + name + "$" for name, char in _MATH.items() if name in (
        "pm", "times", "leq", "geq", "sim", "approx", "infty", "neq", "rightarrow", "leftarrow",
        "circ", "prime")},
}
_TAG_TO_LATEX = {"i": r"\textit{", "b": r"\textbf{", "sub": r"\textsubscript{",
                 "sup": r"\textsuperscript{", "sc": r"\textsc{", "nocase": "{"}
_TAG_RE = re.compile(
    r'<(/?)(i|b|sub|sup)>|<span class="nocase">|<span style="font-variant:\s*small-caps;?">|</span>'
)


def _encode_char(char: str) -> str:
    if char in _SPECIALS:
        return _SPECIALS[char]
    if ord(char) < 128:
        return char
    if char in _LETTER_TO_LATEX:
        return _LETTER_TO_LATEX[char]
    if char in _SYMBOL_TO_LATEX:
        return _SYMBOL_TO_LATEX[char]
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if marks and all(m in _MARK_TO_ACCENT for m in marks) and (ord(base) < 128 or base in "ıȷ"):
        out = {"ı": r"\i", "ȷ": r"\j"}.get(base, base)
        for mark in marks:
            out = "\\" + _MARK_TO_ACCENT[mark] + "{" + out + "}"
        return "{" + out + "}"
    return char  # no LaTeX name: UTF-8 compiles with LaTeX's default input encoding


def _encode_text(text: str) -> str:
    out: list[str] = []
    for char in text:
        encoded = _encode_char(char)
        # Keep what LaTeX would ligate ("--", "``", "''", "-" before "--") literal.
        if out and encoded and out[-1][-1:] in ("-", "`", "'") and encoded[0] == out[-1][-1]:
            out.append("{}")
        out.append(encoded)
    return "".join(out)


def unicode_to_latex(value: str) -> str:
    """Encode text (with CSL markup) as a BibTeX field value that decodes back to ``value``.

    Only properly paired tags are markup; an unpaired ``<i>`` is text and stays text.
    """
    matches = list(_TAG_RE.finditer(value))
    paired = _pair_tags(matches)
    parts: list[str] = []
    pos = 0
    for index, match in enumerate(matches):
        if index not in paired:
            continue
        parts.append(_encode_text(value[pos:match.start()]))
        parts.append(paired[index])
        pos = match.end()
    parts.append(_encode_text(value[pos:]))
    # "{\\&}" would read as a command group, not case protection: make it "{{}\\&}".
    for index, part in enumerate(parts):
        if part == "{":
            following = next((p for p in parts[index + 1:] if p), "")
            if following.startswith("\\"):
                parts[index] = "{{}"
    return "".join(parts)


def without_markup(value: str) -> str:
    """Text with its CSL markup taken out, for formats that hold plain text (RIS): as for
    :func:`unicode_to_latex`, only paired tags are markup; an unpaired ``<sub>`` stays text."""
    matches = list(_TAG_RE.finditer(value))
    paired = _pair_tags(matches)
    parts, pos = [], 0
    for index, match in enumerate(matches):
        if index in paired:
            parts.append(value[pos:match.start()])
            pos = match.end()
    return "".join(parts) + value[pos:]


def _pair_tags(matches: list[re.Match[str]]) -> dict[int, str]:
    """Which tags open or close an element, and the LaTeX each becomes."""
    stack: list[tuple[int, str]] = []
    paired: dict[int, str] = {}
    for index, match in enumerate(matches):
        tag = _tag_of(match)
        if not match.group(0).startswith("</"):
            stack.append((index, tag))
            continue
        if stack and (stack[-1][1] == tag or (tag == "span" and stack[-1][1] in ("sc", "nocase"))):
            opener, kind = stack.pop()
            paired[opener] = _TAG_TO_LATEX[kind]
            paired[index] = "}"
    return paired


def _tag_of(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group(2):
        return match.group(2)
    if "nocase" in text:
        return "nocase"
    return "sc" if "small-caps" in text else "span"
