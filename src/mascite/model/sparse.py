"""A pydantic model that holds only what it has: :class:`Sparse`.

A CSL item has a handful of CSL's 68 variables and a name two of its nine, and pydantic keeps a
slot for every field, a set of the fields given and an empty dict of extras in each object: a
bibliography of 100,000 items held that way costs about 25 bytes per byte of the file. A sparse
model keeps the fields that are not None, shares one frozen set of the given fields among the
objects that gave the same ones, and has no extras dict when it has no extras. Reading a field
it does not hold gives None all the same, and equality ignores the difference.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator

__all__ = ["Sparse", "with_absent"]

_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}  # one of each combination
_NONE_DEFAULT: dict[type, frozenset[str]] = {}  # per class: the fields whose default is None


class Sparse(BaseModel):
    """Fields whose default is None are held only when they are not None."""

    @model_validator(mode="after")
    def _hold_less(self) -> Any:
        object.__setattr__(self, "__dict__", _held(self))  # a new dict: one shrunk keeps its size
        given = frozenset(self.__pydantic_fields_set__)
        object.__setattr__(self, "__pydantic_fields_set__", _FIELD_SETS.setdefault(given, given))
        if not self.__pydantic_extra__:
            object.__setattr__(self, "__pydantic_extra__", None)
        return self

    def __getattr__(self, name: str) -> Any:
        if name in _none_default(type(self)):
            return None
        return super().__getattr__(name)  # type: ignore[misc]  # pydantic's own, not in the stub

    def __setattr__(self, name: str, value: Any) -> None:
        if name in type(self).__pydantic_fields__:
            _thaw(self)  # pydantic adds the name to the set of given fields
        super().__setattr__(name, value)

    def __copy__(self) -> Any:
        copied = super().__copy__()
        _thaw(copied)  # model_copy(update=...) adds to it
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        copied = super().__deepcopy__(memo)
        _thaw(copied)
        return copied

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, Sparse):
            return NotImplemented
        return (_held(self) == _held(other)
                and self.__pydantic_private__ == other.__pydantic_private__
                and (self.__pydantic_extra__ or {}) == (other.__pydantic_extra__ or {}))

    __hash__ = None  # type: ignore[assignment]  # mutable, as every pydantic model


def _none_default(cls: type[BaseModel]) -> frozenset[str]:
    names = _NONE_DEFAULT.get(cls)
    if names is None:
        names = _NONE_DEFAULT[cls] = frozenset(
            name for name, field in cls.__pydantic_fields__.items()
            if field.default is None and field.default_factory is None)
    return names


def _held(model: BaseModel) -> dict[str, Any]:
    droppable = _none_default(type(model))
    return {name: value for name, value in model.__dict__.items()
            if value is not None or name not in droppable}


def _thaw(model: BaseModel) -> None:
    try:
        given = object.__getattribute__(model, "__pydantic_fields_set__")
    except AttributeError:  # not made yet
        return
    if isinstance(given, frozenset):
        object.__setattr__(model, "__pydantic_fields_set__", set(given))


def with_absent(cls: type[BaseModel], dumped: dict[str, Any]) -> dict[str, Any]:
    """``model_dump(by_alias=True)`` of a sparse model as pydantic writes a model that holds
    every field: the absent ones as None, in the fields' order (a JSON contract names them all)."""
    out: dict[str, Any] = {}
    for name, field in cls.__pydantic_fields__.items():
        key = field.serialization_alias or field.alias or name
        if key in dumped:
            out[key] = dumped[key]
        elif not field.exclude and name in _none_default(cls):
            out[key] = None
    out.update((key, value) for key, value in dumped.items() if key not in out)
    return out
