"""The evidence of a case: what people said, did and had, and which element each item bears on.

A scenario (data/scenarios/) or an actor-by-actor case (data/actor_cases/) may list its
evidence: a message, a payment, a document, a statement, what a witness saw, a record or what
was found. Each item names the elements of the Protocols it `shows` (supports) and those it
tells `against`, so that the feedback can say which piece of evidence supports each element.
The items are checked by the record's JSON Schema (schemas/evidence.json, by $ref).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trafficking_course.errors import CourseError

#: What kind of evidence an item is, as a student reads it.
EVIDENCE_KINDS: dict[str, str] = {
    "message": "message",
    "payment": "payment",
    "document": "document",
    "statement": "statement",
    "witness": "what a witness saw",
    "record": "record",
    "observation": "what was found",
}


@dataclass(frozen=True)
class Evidence:
    id: str
    label: str
    kind: str
    text: str
    shows: tuple[str, ...] = ()
    against: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        """How the feedback names the item: its label and its kind (unless the label already
        says it, as "What a neighbour saw" does)."""
        if self.label.startswith("What "):
            return self.label
        return f"{self.label} ({EVIDENCE_KINDS[self.kind]})"


def parse_evidence(raw: Any, error_cls: type[CourseError], *, file: str, record: Any,
                   field: str = "evidence") -> tuple[Evidence, ...]:
    """Evidence items from a record already checked by its schema; ids must be unique."""
    items = tuple(Evidence(e["id"], e["label"], e["kind"], e["text"].strip(),
                           tuple(e.get("shows", ())), tuple(e.get("against", ())))
                  for e in raw or ())
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise error_cls(f"duplicate evidence id {item.id!r}", file=file, record=record,
                            field=f"{field}.{i}.id")
        seen.add(item.id)
    return items


def cited(items: Iterable[Evidence], element: str, *, against: bool = False) -> str:
    """The items that bear on an element, as the feedback names them ('' if none)."""
    found = [e.citation for e in items
             if element in (e.against if against else e.shows)]
    return "; ".join(found)


def evidence_line(items: Iterable[Evidence], element: str) -> str:
    """' Evidence: ...' and ' Against it: ...' for one element, or ''."""
    items = tuple(items)
    out = ""
    if found := cited(items, element):
        out += f" Evidence: {found}."
    if found := cited(items, element, against=True):
        out += f" Against it: {found}."
    return out


def evidence_text(items: Iterable[Evidence]) -> str:
    """The evidence as a student reads it: one line per item."""
    return "\n".join(f"- {e.citation}: {e.text}" for e in items)
