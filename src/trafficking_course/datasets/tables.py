"""Table Schema checks: one validator for every table the course reads.

A field is a Table Schema field descriptor (name, type, constraints, trueValues, falseValues),
with two extensions the CTDC layouts need: ``missingValues`` on the field (the texts that mean
"not recorded"; default: the empty cell) and ``x_expected``, a phrase that replaces the default
"expected ..." wording of an error (e.g. "a three-letter ISO country code").

The checks run with pandas rather than frictionless so that they also work in the browser
(JupyterLite), where frictionless cannot be installed; the tests check the same data package
with frictionless. A bad cell raises one DataError naming the file, the record (data row,
counting from 1 after the header) and the field.
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from trafficking_course.errors import DataError

Field = dict[str, Any]

_DEFAULT_TRUE = ("true", "True", "TRUE", "1")
_DEFAULT_FALSE = ("false", "False", "FALSE", "0")
_DEFAULT_EXPECTED = {
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date YYYY-MM-DD",
}


def read_text_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text, cell by cell (no type guessing, empty cells kept as '')."""
    if not path.is_file():
        raise DataError("file not found", file=path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                           encoding="utf-8-sig")  # -sig: a spreadsheet's byte-order mark
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty", file=path) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable CSV file: {exc}", file=path) from None


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file as written (pandas would rename repeated names)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f), [])


def check_columns(header: Sequence[str], required: Iterable[str], *, path: Path,
                  allowed: Any = None, context: str = "") -> None:
    """Every required column present; every column known (in `required`, or `allowed(name)`)."""
    required = list(required)
    suffix = f" ({context})" if context else ""
    for name in required:
        if name not in header:
            raise DataError(f"the column is missing{suffix}", file=path, field=name)
    for name in header:
        if name not in required and not (allowed and allowed(name)):
            detail = f" for {context}" if context else " (not in the schema)"
            raise DataError(f"unknown column{detail}", file=path, field=name)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return None if value != value or value in (float("inf"), float("-inf")) else value


def _boolean(text: str, field: Field) -> bool | None:
    if text in field.get("trueValues", _DEFAULT_TRUE):
        return True
    if text in field.get("falseValues", _DEFAULT_FALSE):
        return False
    return None


def _date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


#: Each type's converter: the value, or None when the text is not of that type.
_CONVERTERS: dict[str, Callable[[str, Field], Any]] = {
    "integer": lambda text, field: int(text) if re.fullmatch(r"[+-]?\d+", text) else None,
    "number": lambda text, field: _number(text),
    "boolean": _boolean,
    "date": lambda text, field: _date(text),
    "string": lambda text, field: text,
}


def _typed(text: str, field: Field, fail: Callable[[], NoReturn]) -> Any:
    """The text converted to the field's type, or fail() with the default wording."""
    ftype = field.get("type", "string")
    if ftype not in _CONVERTERS:  # pragma: no cover - a descriptor error, caught by the tests
        raise DataError(f"field type {ftype!r} is not supported by the course loader",
                        field=field["name"])
    value = _CONVERTERS[ftype](text, field)
    if value is None:
        fail()
    return value


def _check_constraints(value: Any, text: str, cons: dict[str, Any], bad: Any,
                       expected: str | None) -> None:
    if "minimum" in cons and value < cons["minimum"]:
        raise bad(f"{text} is below the minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        raise bad(f"{text} is above the maximum {cons['maximum']}")
    if "enum" in cons and value not in cons["enum"]:
        allowed = ", ".join(repr(v) for v in cons["enum"])
        raise bad(f"expected {expected}, got {text!r}" if expected
                  else f"{text!r} is not one of {allowed}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        raise bad(f"expected {expected}, got {text!r}" if expected
                  else f"{text!r} does not match the pattern {cons['pattern']!r}")


def parse_cell(text: str, field: Field, *, path: Path, record: int) -> Any:
    """One cell's text to its typed value (None when missing), or a DataError."""
    cons = field.get("constraints", {})
    expected = field.get("x_expected")

    def bad(message: str) -> DataError:
        return DataError(message, file=path, record=record, field=field["name"])

    if text in field.get("missingValues", ("",)):
        if cons.get("required"):
            raise bad("a value is required, the cell is empty")
        return None

    def fail() -> NoReturn:
        default = _DEFAULT_EXPECTED.get(field.get("type", "string"), "a text")
        raise bad(f"expected {expected or default}, got {text!r}")

    value = _typed(text, field, fail)
    _check_constraints(value, text, cons, bad, expected)
    return value


def parse_column(texts: Sequence[str], field: Field, *, path: Path) -> list[Any]:
    """Every cell of one column parsed and checked, including a `unique` constraint."""
    values = [parse_cell(text, field, path=path, record=i) for i, text in enumerate(texts, 1)]
    if field.get("constraints", {}).get("unique"):
        seen: dict[Any, int] = {}
        for i, v in enumerate(values, start=1):
            if v is not None and v in seen:
                raise DataError(f"{v!r} repeats record {seen[v]} (values must be unique)",
                                file=path, record=i, field=field["name"])
            seen.setdefault(v, i)
    return values


def typed_column(values: list[Any], ftype: str) -> Any:
    """A typed pandas column; missing values become <NA> in a nullable dtype (never NaN)."""
    if ftype == "integer":
        return pd.array(values, dtype="Int64")
    if ftype == "number":
        return pd.array(values, dtype="Float64")
    if ftype == "boolean":
        return pd.array(values, dtype="boolean")
    if ftype == "date":
        return pd.to_datetime(pd.Series(values, dtype=object))
    return pd.array(values, dtype="string")


def _check_primary_key(out: pd.DataFrame, schema: dict[str, Any], path: Path) -> None:
    key = schema.get("primaryKey")
    if not key:
        return
    key = [key] if isinstance(key, str) else list(key)
    dup = out.duplicated(subset=key, keep="first")
    if dup.any():
        record = int(dup.to_numpy().nonzero()[0][0]) + 1
        raise DataError(f"repeats the primary key ({', '.join(key)}) of an earlier row",
                        file=path, record=record, field=key[0])


def validate_table(frame: pd.DataFrame, schema: dict[str, Any], *,
                   path: Path) -> pd.DataFrame:
    """Check a text table against a Table Schema and return it typed."""
    fields = schema["fields"]
    expected = [f["name"] for f in fields]
    header = list(frame.columns)
    check_columns(header, expected, path=path)
    if header != expected:
        raise DataError(f"columns are out of order; expected {', '.join(expected)}", file=path)
    out = pd.DataFrame({
        f["name"]: typed_column(parse_column(frame[f["name"]].tolist(), f, path=path),
                                f.get("type", "string"))
        for f in fields
    })
    _check_primary_key(out, schema, path)
    return out
