"""Pydantic checks the JSON the store writes (records, provenance, the refresh progress file);
this turns its findings into the store's messages.

A dataclass read from an untrusted file is validated by a pydantic ``TypeAdapter`` over it, and
each problem is told as ``<where>.<field>: expected <kind>, got <type>`` (or ``: missing``),
naming the file's field the way docs/store.md describes, never pydantic's own wording.
``Text`` and ``Whole`` are the strict field types: no number passes as text, no text or
true/false as a whole number. Files people write (catalogue, decks) are checked by
``validation`` instead, whose problems carry codes a page translates.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Annotated, Any, TypeVar

from pydantic import Strict, TypeAdapter, ValidationError

Text = Annotated[str, Strict()]
Whole = Annotated[int, Strict()]

T = TypeVar("T")


@functools.cache
def _adapter(cls: type) -> TypeAdapter:
    return TypeAdapter(cls)


def validated(cls: type[T], data: Any, where: str) -> tuple[T | None, list[str]]:
    """``cls`` (a dataclass) built from ``data``, or None and every problem in our words."""
    try:
        return _adapter(cls).validate_python(data), []
    except ValidationError as exc:
        return None, list(dict.fromkeys(_message(error, cls, data, where) for error in exc.errors()))


def _message(error: dict, cls: type, data: Any, where: str) -> str:
    """One pydantic error, told at the field of ``cls`` (or of a dataclass inside it) it is in."""
    if not error["loc"]:
        return f"{where}: expected an object, got {type(data).__name__}"
    path, value, hint = where, data, None
    for key in error["loc"]:
        if key not in _hints(cls):
            break
        hint = _hints(cls)[key]
        path, value = f"{path}.{key}", value.get(key) if isinstance(value, dict) else None
        inner = _dataclass_in(hint)
        if inner is None or not isinstance(value, dict):
            break
        cls = inner
    if error["type"] == "missing":
        return f"{path}: missing"
    expected = "an object" if _dataclass_in(hint) else _describe(hint)
    return f"{path}: expected {expected}, got {type(value).__name__}"


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _dataclass_in(hint: Any) -> type | None:
    """The dataclass a field holds (``D`` or ``D | None``), else None."""
    options = [a for a in typing.get_args(hint) if a is not type(None)] if _is_union(hint) else [hint]
    return options[0] if len(options) == 1 and dataclasses.is_dataclass(options[0]) else None


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _describe(hint: Any) -> str:
    """'text', 'list of objects', 'object of text or null, or null', ... for a field's type."""
    if typing.get_origin(hint) is Annotated:
        return _describe(typing.get_args(hint)[0])
    if _is_union(hint):
        inner = " or ".join(_describe(a) for a in typing.get_args(hint) if a is not type(None))
        return f"{inner}, or null" if " or " in inner else f"{inner} or null"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        return "list of " + ("objects" if _plain(args[0]) is dict else _describe(args[0]))
    if origin is dict:
        return f"object of {_describe(args[1])}"
    return {str: "text", int: "integer", dict: "object"}.get(hint, getattr(hint, "__name__", str(hint)))


def _plain(hint: Any) -> Any:
    return typing.get_origin(hint) or hint
