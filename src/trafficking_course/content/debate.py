"""The evidence of a contested question, shared by the modules that teach it: data/debate/<id>.yaml.

Module 6 (gender) and module 8 (policy) both teach the debate on prostitution and sex work. So
that both show the same sources with the same caveats, the evidence is kept in one
lecturer-editable file, validated against schemas/debate_evidence.json. Each item gives a finding
that one position cites, its source, how the course read it, who wrote, commissioned or funded
it, the main objection to it, the reply, and what is left standing. A bad file raises
DebateEvidenceError naming the file, the item id and the field.

    debate = load_debate("prostitution-and-sex-work")
    debate_table_html(debate)                      # the table, as HTML
    show_debate_evidence("prostitution-and-sex-work", only=["sou-2010-49"])  # in a notebook

The table interleaves the positions (first item of the first position, first of the second, and
so on) and every row ends with what is left standing, not with either side's reply.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

from trafficking_course.content.records import RecordKind, validate
from trafficking_course.errors import ContentError

SCHEMA = "debate_evidence"


class DebateEvidenceError(ContentError):
    """A debate-evidence file that breaks its schema or its own references."""


@dataclass(frozen=True)
class Position:
    id: str
    label: str


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    position: str
    finding: str
    source: str
    read: str
    authorship: str
    objection: str
    reply: str
    left_standing: str


@dataclass(frozen=True)
class Debate:
    id: str
    title: str
    question: str
    positions: tuple[Position, ...]
    items: tuple[EvidenceItem, ...]

    def position(self, position_id: str) -> Position:
        for p in self.positions:
            if p.id == position_id:
                return p
        raise KeyError(position_id)

    def items_of(self, position_id: str) -> tuple[EvidenceItem, ...]:
        return tuple(i for i in self.items if i.position == position_id)

    def interleaved(self, only: Iterable[str] | None = None) -> tuple[EvidenceItem, ...]:
        """The items, alternating between positions, optionally only the ids in `only`."""
        wanted = None if only is None else list(only)
        if wanted is not None:
            known = {i.id for i in self.items}
            unknown = [w for w in wanted if w not in known]
            if unknown:
                raise DebateEvidenceError(f"no evidence item {unknown[0]!r}", record=self.id,
                                          field="only")
        columns = [[i for i in self.items_of(p.id) if wanted is None or i.id in wanted]
                   for p in self.positions]
        return tuple(i for row in zip_longest(*columns) for i in row if i is not None)


def _clean(text: str) -> str:
    return " ".join(text.split())


def parse_debate(doc: Any, *, file: str | Path) -> Debate:
    validate(doc, SCHEMA, DebateEvidenceError, file=file)
    positions = tuple(Position(p["id"], p["label"]) for p in doc["positions"])
    position_ids = [p.id for p in positions]
    if len(set(position_ids)) != len(position_ids):
        raise DebateEvidenceError("duplicate position id", file=file, record=doc["id"],
                                  field="positions")
    items: list[EvidenceItem] = []
    seen: set[str] = set()
    for n, raw in enumerate(doc["items"]):
        if raw["id"] in seen:
            raise DebateEvidenceError(f"duplicate item id {raw['id']!r}", file=file,
                                      record=raw["id"], field=f"items.{n}.id")
        seen.add(raw["id"])
        if raw["position"] not in position_ids:
            raise DebateEvidenceError(
                f"position {raw['position']!r} is not one of {position_ids}", file=file,
                record=raw["id"], field=f"items.{n}.position")
        items.append(EvidenceItem(**{k: _clean(v) if isinstance(v, str) else v
                                     for k, v in raw.items()}))
    for p in positions:
        if not any(i.position == p.id for i in items):
            raise DebateEvidenceError(f"position {p.id!r} has no evidence", file=file,
                                      record=doc["id"], field="items")
    return Debate(doc["id"], _clean(doc["title"]), _clean(doc["question"]), positions,
                  tuple(items))


DEBATES: RecordKind[Debate] = RecordKind("debate", DebateEvidenceError, parse_debate)


def load_debate(debate_id: str, folder: str | Path | None = None) -> Debate:
    """The debate <debate_id> from data/debate/ (or another folder)."""
    return DEBATES.load(debate_id, folder)


COLUMNS: tuple[str, ...] = ("Cited by", "Finding", "Source (how the course read it)",
                            "Who wrote, commissioned or funded it", "Main objection", "Reply",
                            "What is left standing")


def debate_rows(debate: Debate, only: Sequence[str] | None = None) -> list[tuple[str, ...]]:
    """One row of plain text per item, in the order of COLUMNS."""
    return [(debate.position(i.position).label, i.finding, f"{i.source} ({i.read})",
             i.authorship, i.objection, i.reply, i.left_standing)
            for i in debate.interleaved(only)]


def debate_table_html(debate: Debate, only: Sequence[str] | None = None) -> str:
    """The evidence as an HTML table; every cell is escaped."""
    e = html.escape
    head = "".join(f"<th style='text-align:left'>{e(c)}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td style='text-align:left;vertical-align:top'>{e(cell)}</td>"
                         for cell in row) + "</tr>"
        for row in debate_rows(debate, only))
    return (f"<p><b>{e(debate.title)}</b><br>{e(debate.question)}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def show_debate_evidence(debate_id: str, only: Sequence[str] | None = None) -> Any:
    """The table for a notebook cell (an IPython HTML object)."""
    from IPython.display import HTML

    return HTML(debate_table_html(load_debate(debate_id), only))
