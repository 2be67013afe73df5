"""Validate a course data file (YAML) against one of the package's JSON Schemas.

Used by the quiz and activity loaders: the first schema error becomes the domain's error type
(QuizError, DataError ...) naming the file, the record (its id) and the field (a dotted path).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import CourseError


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in the package, e.g. "quiz_schema.json"."""
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    return json.loads(text)


def error_field(error: jsonschema.ValidationError, root: str = "(top level)") -> str:
    """The dotted path of the field a schema error is about (the missing one for `required`)."""
    path = [str(p) for p in error.absolute_path]
    if error.validator in ("required", "additionalProperties") and "'" in error.message:
        return ".".join([*path, error.message.split("'")[1]])
    return ".".join(path) or root


def _record(doc: Any, error: jsonschema.ValidationError) -> Any:
    """The id of the innermost record (question, item ...) holding the error, else the file's id."""
    node, record = doc, doc.get("id") if isinstance(doc, dict) else None
    for part in error.absolute_path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            record = node["id"]
    return record


def read_yaml(path: Path, error_cls: type[CourseError]) -> Any:
    path = Path(path)
    if not path.is_file():
        raise error_cls("file not found", file=path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise error_cls(f"not valid YAML: {exc}", file=path) from None


def _order(error: jsonschema.ValidationError) -> list[tuple[int, Any]]:
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in error.absolute_path]


def validate(doc: Any, schema_name: str, error_cls: type[CourseError], *, file: Path | str,
             default_record: Any = None, root: str = "(top level)") -> None:
    """Raise error_cls for the first schema error (in document order), naming record and field.

    The record is the id of the innermost record holding the error, else default_record; root
    names the field when the error is about the document as a whole.
    """
    validator = jsonschema.Draft202012Validator(load_schema(schema_name))
    errors = sorted(validator.iter_errors(doc), key=_order)
    if errors:
        e = errors[0]
        record = _record(doc, e)
        raise error_cls(e.message, file=file,
                        record=default_record if record is None else record,
                        field=error_field(e, root))


def check_id_is_file_name(record_id: str, path: Path, error_cls: type[CourseError]) -> None:
    """A data file named after its record: data/quizzes/<id>.yaml holds the quiz <id>."""
    if record_id != path.stem:
        raise error_cls(f"id {record_id!r} must equal the file name {path.stem!r}", file=path,
                        record=record_id, field="id")
