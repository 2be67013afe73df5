"""The lecturer-editable records: one way to read, validate and load them.

Every record file (a scenario, perspective case, quiz, activity or indicator case) is YAML
checked against a JSON Schema in schemas/ (which share sub-schemas such as provenance.json by
$ref). The first schema error becomes the record kind's error type (QuizError, ScenarioError
...) naming the file, the record (its id) and the field (a dotted path). RecordKind is the one
loader of the one-record-per-file kinds: data/<folder>/<id>.yaml holds the record <id>.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import jsonschema
import yaml
from referencing import Registry, Resource

from trafficking_course.errors import CourseError, FactsError
from trafficking_course.law import Facts
from trafficking_course.paths import data_dir

SCHEMA_BASE = "https://schemas.trafficking-course.invalid/"


def _schema_text(name: str) -> str:
    return resources.files(__package__).joinpath("schemas", f"{name}.json").read_text("utf-8")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in the package, by name: "quiz" is schemas/quiz.json."""
    return json.loads(_schema_text(name))


@cache
def _registry() -> Registry:
    """Every schema of schemas/, so that a $ref such as "provenance.json" resolves offline."""
    folder = resources.files(__package__).joinpath("schemas")
    names = [p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")]
    return Registry().with_resources(
        (SCHEMA_BASE + f"{n}.json", Resource.from_contents(load_schema(n))) for n in names)


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
    validator = jsonschema.Draft202012Validator(load_schema(schema_name), registry=_registry())
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


def facts_from(raw: Any, error_cls: type[CourseError], *, file: Path | str,
               record: Any) -> Facts:
    """A record's `facts` mapping validated by the legal engine; its FactsError becomes the
    record kind's error, naming the field as facts.<key>."""
    try:
        return Facts.from_dict(raw)
    except FactsError as exc:
        raise error_cls(exc.detail, file=file, record=record,
                        field=f"facts.{exc.field}" if exc.field else "facts") from None


def provenance_line(provenance: Mapping[str, str]) -> str:
    """How a case says where it comes from: constructed, or adapted from a cited source."""
    if provenance["kind"] == "adapted":
        return f"Adapted from {provenance['source']}"
    return "Constructed for teaching"


class HasProvenance:
    """Mixin for a record with a `provenance` mapping (schemas/provenance.json)."""

    provenance: Mapping[str, str]

    @property
    def provenance_line(self) -> str:
        return provenance_line(self.provenance)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """A kind of record kept one per file in data/<folder>/<id>.yaml."""

    folder: str
    error: type[CourseError]
    parse: Callable[..., R]  # parse(doc, file=path) -> record, raising `error`

    def folder_path(self) -> Path:
        return data_dir() / self.folder

    def load_file(self, path: str | Path) -> R:
        """Read, validate and build the record in one file; its id must be the file's name."""
        path = Path(path)
        record = self.parse(read_yaml(path, self.error), file=path)
        check_id_is_file_name(record.id, path, self.error)
        return record

    def load(self, record_id: str, folder: str | Path | None = None) -> R:
        """The record <record_id> from data/<folder>/ (or another folder)."""
        base = Path(folder) if folder else self.folder_path()
        return self.load_file(base / f"{record_id}.yaml")
