"""A bibliographic item as a pydantic model of a CSL-JSON item: :class:`Reference`, with its
:class:`Name` and :class:`Date` parts.

CSL-JSON is the lingua franca of citation processors (citeproc-js, pandoc, Zotero), so a
:class:`Reference` *is* a CSL-JSON item: hyphenated CSL names are the aliases, unknown variables are
kept as extras, and ``Reference.from_csl(item).to_csl() == item`` for any valid item.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)

from ..text.fold import plain_text
from .sparse import Sparse

__all__ = ["DATE_VARIABLES", "NAME_VARIABLES", "Date", "Name", "Reference"]

_CSL = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)


class Name(Sparse):
    """A CSL name: a person (family/given with particles and suffix) or an organisation (literal)."""

    model_config = _CSL

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = Field(None, alias="dropping-particle")
    non_dropping_particle: str | None = Field(None, alias="non-dropping-particle")
    suffix: str | None = None
    comma_suffix: bool | None = Field(None, alias="comma-suffix")
    static_ordering: bool | None = Field(None, alias="static-ordering")
    literal: str | None = None
    parse_names: bool | None = Field(None, alias="parse-names")

    @property
    def full_family(self) -> str:
        """Family name with its non-dropping particle ("van Gogh"); the literal for organisations."""
        if self.literal and not self.family:
            return self.literal
        return " ".join(p for p in (self.non_dropping_particle, self.family) if p)

    def __str__(self) -> str:
        if self.literal and not self.family:
            return self.literal
        given = " ".join(p for p in (self.given, self.dropping_particle) if p)
        tail = f", {self.suffix}" if self.suffix else ""
        return f"{self.full_family}, {given}{tail}" if given else f"{self.full_family}{tail}"


DatePart = int | str
_NO_PARTS: frozenset[tuple[int, int]] = frozenset()
_NO_NUMBERS: frozenset[str] = frozenset()


def _coerce_part(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return value


class Date(Sparse):
    """A CSL date: ``date-parts`` (one part, or two for a range), season, circa, literal or raw.

    Numeric strings in ``date-parts`` ("2020") are read as numbers, as CSL processors do.
    """

    model_config = _CSL

    date_parts: list[list[DatePart]] | None = Field(None, alias="date-parts")
    season: int | str | None = None
    circa: bool | int | str | None = None
    literal: str | None = None
    raw: str | None = None
    # Which parts were written as text ("2020"), so that to_csl() writes them back the same way.
    _text_parts: frozenset[tuple[int, int]] = PrivateAttr(default=frozenset())

    @model_validator(mode="wrap")
    @classmethod
    def _numbers(cls, data: Any, handler: ModelWrapValidatorHandler[Date]) -> Date:
        text_parts: set[tuple[int, int]] = set()
        if isinstance(data, dict) and isinstance(data.get("date-parts"), list):
            parts = data["date-parts"]
            text_parts = {(i, j) for i, part in enumerate(parts) if isinstance(part, list)
                          for j, p in enumerate(part) if isinstance(p, str)}
            data = {**data, "date-parts": [[_coerce_part(p) for p in part]
                                           if isinstance(part, list) else part for part in parts]}
        date = handler(data)
        date._text_parts = frozenset(text_parts) if text_parts else _NO_PARTS
        return date

    def to_csl(self) -> dict[str, Any]:
        """The CSL-JSON date, with parts written as text where they were read as text."""
        out = self.model_dump(by_alias=True, exclude_none=True, mode="json")
        if self._text_parts and "date-parts" in out:
            out["date-parts"] = [[str(p) if (i, j) in self._text_parts else p
                                  for j, p in enumerate(part)]
                                 for i, part in enumerate(out["date-parts"])]
        return out

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> Date:
        """A single (possibly partial) date."""
        parts: list[DatePart] = [year]
        if month is not None:
            parts.append(month)
            if day is not None:
                parts.append(day)
        return cls.model_validate({"date-parts": [parts]})

    def _part(self, index: int) -> int | None:
        if not self.date_parts or not self.date_parts[0] or len(self.date_parts[0]) <= index:
            return None
        value = self.date_parts[0][index]
        return value if isinstance(value, int) else None

    @property
    def year(self) -> int | None:
        """The (first) year, also found in ``raw`` or ``literal`` text when there are no parts."""
        year = self._part(0)
        if year is None:
            for text in (self.raw, self.literal):
                match = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text or "")
                if match:
                    return int(match.group(1))
        return year

    @property
    def month(self) -> int | None:
        """The (first) month, if given."""
        return self._part(1)

    @property
    def day(self) -> int | None:
        """The (first) day, if given."""
        return self._part(2)


NAME_VARIABLES = (
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "executive-producer",
    "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original-author",
    "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator",
    "translator",
)
DATE_VARIABLES = (
    "accessed", "available-date", "event-date", "issued", "original-date", "submitted",
)

Names = list[Name] | None
_NUMBER_VARIABLES = (
    "volume", "issue", "page", "page-first", "article-number", "number", "edition",
    "chapter-number", "number-of-pages",
)


class Reference(Sparse):
    """One bibliographic item, field for field a CSL-JSON item.

    Beyond CSL 1.0.2 we carry ``subtitle``, ``article-number`` and ``translated-title`` (the
    English translation a reference list gives in brackets, kept apart from the original title), and
    ``truncated-authors`` (the list ended in "et al." / "and others", so a shorter author list than the
    record's is not an error). Any other unknown variable is kept as an extra and written back.
    """

    model_config = _CSL

    id: str | int | None = None
    type: str | None = None
    # names
    author: Names = None
    chair: Names = None
    collection_editor: Names = Field(None, alias="collection-editor")
    compiler: Names = None
    composer: Names = None
    container_author: Names = Field(None, alias="container-author")
    contributor: Names = None
    curator: Names = None
    director: Names = None
    editor: Names = None
    editorial_director: Names = Field(None, alias="editorial-director")
    executive_producer: Names = Field(None, alias="executive-producer")
    guest: Names = None
    host: Names = None
    illustrator: Names = None
    interviewer: Names = None
    narrator: Names = None
    organizer: Names = None
    original_author: Names = Field(None, alias="original-author")
    performer: Names = None
    producer: Names = None
    recipient: Names = None
    reviewed_author: Names = Field(None, alias="reviewed-author")
    script_writer: Names = Field(None, alias="script-writer")
    series_creator: Names = Field(None, alias="series-creator")
    translator: Names = None
    truncated_authors: bool | None = Field(None, alias="truncated-authors")
    # dates
    issued: Date | None = None
    accessed: Date | None = None
    available_date: Date | None = Field(None, alias="available-date")
    event_date: Date | None = Field(None, alias="event-date")
    original_date: Date | None = Field(None, alias="original-date")
    submitted: Date | None = None
    # titles
    title: str | None = None
    subtitle: str | None = None
    title_short: str | None = Field(None, alias="title-short")
    original_title: str | None = Field(None, alias="original-title")
    translated_title: str | None = Field(None, alias="translated-title")
    container_title: str | None = Field(None, alias="container-title")
    container_title_short: str | None = Field(None, alias="container-title-short")
    collection_title: str | None = Field(None, alias="collection-title")
    event_title: str | None = Field(None, alias="event-title")
    # locators
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    page_first: str | None = Field(None, alias="page-first")
    article_number: str | None = Field(None, alias="article-number")
    number: str | None = None
    edition: str | None = None
    chapter_number: str | None = Field(None, alias="chapter-number")
    number_of_pages: str | None = Field(None, alias="number-of-pages")
    # publication
    publisher: str | None = None
    publisher_place: str | None = Field(None, alias="publisher-place")
    genre: str | None = None
    medium: str | None = None
    # identifiers
    doi: str | None = Field(None, alias="DOI")
    issn: str | None = Field(None, alias="ISSN")
    isbn: str | None = Field(None, alias="ISBN")
    pmid: str | None = Field(None, alias="PMID")
    pmcid: str | None = Field(None, alias="PMCID")
    url: str | None = Field(None, alias="URL")
    # the rest
    language: str | None = None
    abstract: str | None = None
    note: str | None = None
    keyword: str | None = None
    citation_key: str | None = Field(None, alias="citation-key")

    _numbers: frozenset[str] = PrivateAttr(default=frozenset())  # given as JSON numbers

    @model_validator(mode="wrap")  # type: ignore[arg-type]  # pydantic's stub misses info+classmethod
    @classmethod
    def _from_csl_keys(cls, data: Any, handler: ModelWrapValidatorHandler[Reference],
                       info: ValidationInfo[Any]) -> Reference:
        # CSL-JSON allows numbers for these; we hold text so "12a" and "12" share a type, and
        # remember which were numbers so that to_csl() gives back exactly what came in.
        numbers: frozenset[str] = _NO_NUMBERS
        strays: dict[str, Any] = {}
        if isinstance(data, dict):
            numbers = frozenset(k for k in _NUMBER_VARIABLES
                                if isinstance(data.get(k), int) and not isinstance(data[k], bool)
                                ) or _NO_NUMBERS  # one empty set, not one per item
            if numbers:
                data = {**data, **{k: str(data[k]) for k in numbers}}
            if info.context and info.context.get("csl"):
                # In CSL-JSON only CSL names count: "url" is an unknown variable, not "URL".
                strays = {k: data[k] for k in data if k in _PYTHON_ONLY_NAMES}
                data = {k: v for k, v in data.items() if k not in strays}
        reference = handler(data)
        reference._numbers = numbers
        if strays:
            if reference.__pydantic_extra__ is None:
                reference.__pydantic_extra__ = {}
            reference.__pydantic_extra__.update(strays)
        return reference

    @classmethod
    def from_csl(cls, item: dict[str, Any]) -> Reference:
        """Build from a CSL-JSON item (a dict as in a CSL-JSON file)."""
        custom = item.get("custom")
        if isinstance(custom, dict) and custom.get("truncated-authors") is True:
            rest = {k: v for k, v in custom.items() if k != "truncated-authors"}
            item = {**item, "truncated-authors": True, "custom": rest}
            if not rest:
                del item["custom"]
        return cls.model_validate(item, context={"csl": True})

    def to_csl(self) -> dict[str, Any]:
        """The CSL-JSON item: CSL names, no empty fields, unknown variables kept, numbers and
        dates written as they were read."""
        item = self.model_dump(by_alias=True, exclude_none=True, mode="json")
        for variable in self._numbers:
            value = item.get(variable)
            if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
                item[variable] = int(value)
        for variable in DATE_VARIABLES:
            date = getattr(self, variable.replace("-", "_"), None)
            if isinstance(date, Date) and date._text_parts and variable in item:
                item[variable] = date.to_csl()
        if item.pop("truncated-authors", None):  # not a CSL variable: kept where CSL keeps extras
            item["custom"] = {**item.get("custom", {}), "truncated-authors": True}
        return item

    @property
    def year(self) -> int | None:
        """The year it was issued, if known."""
        return self.issued.year if self.issued else None

    @property
    def plain_title(self) -> str:
        """The title without markup (case protection, italics)."""
        return plain_text(self.title)

    @property
    def first_author(self) -> Name | None:
        """The first author, if any."""
        return self.author[0] if self.author else None

    def names(self, variable: str) -> list[Name]:
        """The names of a CSL name variable, by its CSL name ("container-author")."""
        value = getattr(self, variable.replace("-", "_"), None)
        return list(value) if isinstance(value, list) else []

    def get(self, variable: str) -> Any:
        """A variable's value by its CSL name (``"container-title"``, ``"DOI"``), extras included."""
        field = _ALIAS_TO_FIELD.get(variable)
        if field is not None:
            return getattr(self, field)
        return (self.model_extra or {}).get(variable)


_ALIAS_TO_FIELD = {
    (info.alias or name): name for name, info in Reference.model_fields.items()
}
_PYTHON_ONLY_NAMES = frozenset(
    name for name, info in Reference.model_fields.items() if info.alias and info.alias != name
)
