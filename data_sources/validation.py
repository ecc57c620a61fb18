"""Problems found in a file people write (catalogue, deck), as codes with parameters.

Files are checked with pydantic against the types their objects declare. The field types below
refuse a wrong value with our own problem code, and ``problems`` turns pydantic's errors into
``Problem``s naming file, entry and field. A ``Problem`` reads in English through ``str()``;
a page translates it from its code and parameters (ui/deck_problems.py).
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, WithJsonSchema
from pydantic_core import PydanticCustomError

# The English wording of each problem code; modules with their own codes add theirs (``define``).
MESSAGES: dict[str, str] = {
    "required": "is required",
    "must_be_text": "must be text, got {got_type}",
    "must_be_one_of": "must be one of {options}; got {got}",
    "must_be_whole_number": "must be a whole number; got {got}",
    "must_be_number": "must be a number; got {got}",
    "must_be_text_list": "must be a list of texts",
    "must_be_flag": "must be true or false",
    "must_be_table": "must be a table",
    "must_be_table_list": "must be a list of tables",
    "must_be_text_table": "must be a table of {shape}",
    "must_be_date": "must be a date such as 2019-05-29; got {got}",
    "unknown_field": "unknown field (a typo?)",
    "unknown_field_near": "unknown field (a typo?); did you mean {near!r}?",
    "string_too_long": "at most {max_length} characters",
    "not_toml": "not valid TOML: {error}",
    "not_toml_nested": "not valid TOML: nested too deeply",
    "invalid": "{error}",  # a pydantic error this module has no code for (its own English)
}


def define(messages: dict[str, str]) -> None:
    """Add a module's problem codes and their English wording."""
    clash = {code for code in messages if MESSAGES.get(code, messages[code]) != messages[code]}
    assert not clash, f"problem codes defined twice: {clash}"
    MESSAGES.update(messages)


@dataclass(frozen=True)
class Problem:
    """One problem: where (file, entry, field), what (a code) and its parameters."""

    file: str
    entry: str
    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)

    def where(self) -> str:
        where = self.file
        if self.entry:
            where += f" [{self.entry}]"
        if self.field:
            where += f" {self.field}"
        return where

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class ProblemsError(Exception):
    """A file (or files) that cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def refuse(code: str, **params) -> PydanticCustomError:
    """A field's problem as pydantic carries it; ``at`` names a field inside the value."""
    return PydanticCustomError(code, MESSAGES[code], params)


# --- field types: the Python type, what a file may hold, and the problem when it does not ---

def check_text(value: Any, required: bool, strip: bool = True) -> str:
    if not isinstance(value, str):
        raise refuse("must_be_text", got_type=type(value).__name__)
    value = value.strip() if strip else value
    if required and not value:
        raise refuse("required")
    return value


def _number(value: Any, whole: bool, optional: bool = False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
        raise refuse("must_be_whole_number" if whole else "must_be_number", got=repr(value))
    return value


def check_text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise refuse("must_be_text_list")
    return tuple(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise refuse("must_be_flag")
    return value


def _date(value: Any) -> date:
    if isinstance(value, datetime):  # TOML's date-time: its day
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, date):
        raise refuse("must_be_date", got=repr(value))
    return value


Text = Annotated[str, BeforeValidator(lambda v: check_text(v, required=True)), Field(min_length=1)]
OptionalText = Annotated[str, BeforeValidator(lambda v: check_text(v, required=False))]
RawText = Annotated[str, BeforeValidator(lambda v: check_text(v, required=False, strip=False))]  # a tab must survive
TextList = Annotated[tuple[str, ...], BeforeValidator(check_text_list)]
Number = Annotated[int | float, BeforeValidator(lambda v: _number(v, whole=False)), WithJsonSchema({"type": "number"})]
OptionalNumber = Annotated[int | float | None, BeforeValidator(lambda v: _number(v, whole=False, optional=True)), WithJsonSchema({"type": "number"})]
WholeNumber = Annotated[int, BeforeValidator(lambda v: _number(v, whole=True))]
OptionalWholeNumber = Annotated[int | None, BeforeValidator(lambda v: _number(v, whole=True, optional=True)), WithJsonSchema({"type": "integer"})]
Flag = Annotated[bool, BeforeValidator(_flag)]
Date = Annotated[date, BeforeValidator(_date)]


def at_most(limit: int):
    """A text's length limit, as an Annotated part: ``Annotated[Text, at_most(500)]``."""
    def check(value: str) -> str:
        if len(value) > limit:
            raise refuse("string_too_long", max_length=limit)
        return value
    return AfterValidator(check)


def one_of(options: tuple[str, ...]):
    """A text that must be one of ``options``."""
    def check(value: Any) -> str:
        if value not in options:
            raise refuse("must_be_one_of", options=", ".join(options), got=repr(value))
        return value
    return Annotated[Literal[options], BeforeValidator(check)]


def text_table(shape: str):
    """A table of texts (``dimension = 'code'``), each stripped."""
    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise refuse("must_be_text_table", shape=shape)
        return {k: v.strip() for k, v in value.items()}
    return Annotated[dict[str, str], BeforeValidator(check)]


# --- pydantic's errors as problems ----------------------------------------------------------

_PYDANTIC_CODES = {  # pydantic's own error types this module words
    "missing": "required",
    "unexpected_keyword_argument": "unknown_field",
    "extra_forbidden": "unknown_field",
    "dataclass_type": "must_be_table",
    "dataclass_args_type": "must_be_table",
    "model_attributes_type": "must_be_table",
    "dict_type": "must_be_table",
    "list_type": "must_be_table_list",
    "tuple_type": "must_be_table_list",
}


def problems(
    error: ValidationError, file: str, entry_name: Callable[[tuple], str], fields: Callable[[tuple], Mapping[str, dict]] = lambda path: {},
) -> list[Problem]:
    """Each of pydantic's errors as a Problem. ``entry_name`` names the entry a location's path
    leads to (e.g. ``('indicator', 0)`` -> ``woningtekort.x``); ``fields`` gives the JSON Schema
    of each field an entry at that path has: a missing choice lists its options, and an
    unknown field suggests the one it was probably meant as."""
    found = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"]) + ((detail["ctx"]["at"],) if "at" in detail.get("ctx", {}) else ())
        path, name = (loc[:-1], loc[-1]) if loc and isinstance(loc[-1], str) else (loc, "")
        code = detail["type"] if detail["type"] in MESSAGES else _PYDANTIC_CODES.get(detail["type"], "invalid")
        params = {k: v for k, v in detail.get("ctx", {}).items() if k != "at"}
        if code == "invalid":
            params = {"error": detail["msg"]}
        elif code == "required" and (options := fields(path).get(name, {}).get("enum")):
            code, params = "must_be_one_of", {"options": ", ".join(options), "got": "None"}
        elif code == "unknown_field" and (near := difflib.get_close_matches(name, [k for k in fields(path) if k != name], n=1)):
            code, params = "unknown_field_near", {"near": near[0]}
        found.append(Problem(file, entry_name(path), name, code, params))
    return found
