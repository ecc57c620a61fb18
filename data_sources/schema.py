"""Type checks for the JSON the store writes (records and provenance).

The store reader and the snapshot import both check every record with these, so a file with
a wrong type (a list where text belongs, a provenance that is a string) is refused with a
message naming the field instead of breaking a page later."""
from __future__ import annotations

from typing import Any

TEXT = "text"
OPTIONAL_TEXT = "text or null"
INTEGER = "integer"
OPTIONAL_INTEGER = "integer or null"
TEXT_LIST = "list of text"
TEXT_MAP = "object of text"
OBJECT_LIST = "list of objects"
OPTIONAL_TITLE_MAP = "object of text or null, or null"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


CHECKS = {
    TEXT: lambda v: isinstance(v, str),
    OPTIONAL_TEXT: lambda v: v is None or isinstance(v, str),
    INTEGER: _is_int,
    OPTIONAL_INTEGER: lambda v: v is None or _is_int(v),
    TEXT_LIST: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    TEXT_MAP: lambda v: isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()),
    OBJECT_LIST: lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    OPTIONAL_TITLE_MAP: lambda v: v is None or (isinstance(v, dict) and all(isinstance(k, str) and (x is None or isinstance(x, str)) for k, x in v.items())),
}


def type_problems(data: Any, schema: dict[str, str], where: str) -> list[str]:
    """Every field of ``data`` that is present but not of the type ``schema`` names."""
    if not isinstance(data, dict):
        return [f"{where}: expected an object, got {type(data).__name__}"]
    return [
        f"{where}.{name}: expected {kind}, got {type(data[name]).__name__}"
        for name, kind in schema.items()
        if name in data and not CHECKS[kind](data[name])
    ]
