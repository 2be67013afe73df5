"""Sorting activities: data/activities/<activity-id>.yaml, validated against activity_schema.json.

The learner puts each item into one of the categories. An item may accept more than one
category (the categories overlap); the feedback then says so. A bad file raises ActivityError
naming the file, the item id and the field. check_sorting() and item_feedback() are pure: the
CategorySorter widget only displays them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trafficking_course.content.records import RecordKind, validate
from trafficking_course.errors import ActivityError

SCHEMA = "activity"


@dataclass(frozen=True)
class Category:
    id: str
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    answer: tuple[str, ...]
    feedback: str


@dataclass(frozen=True)
class SortingActivity:
    id: str
    title: str
    instructions: str
    categories: tuple[Category, ...]
    items: tuple[Item, ...]
    discussion: str
    source: str | None = None
    file: str = ""

    def label(self, category_id: str) -> str:
        return next(c.label for c in self.categories if c.id == category_id)


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    chosen: str | None
    accepted: tuple[str, ...]
    correct: bool
    feedback: str


@dataclass(frozen=True)
class SortingResult:
    items: tuple[ItemResult, ...]
    discussion: str

    @property
    def score(self) -> int:
        return sum(1 for r in self.items if r.correct)

    @property
    def total(self) -> int:
        return len(self.items)

    def item(self, item_id: str) -> ItemResult:
        return next(r for r in self.items if r.item_id == item_id)


def parse_activity(doc: Any, *, file: str | Path) -> SortingActivity:
    """Validate an activity document (from YAML) and build it; ActivityError on any problem."""
    validate(doc, SCHEMA, ActivityError, file=file)
    cats: list[Category] = []
    for raw in doc["categories"]:
        if any(c.id == raw["id"] for c in cats):
            raise ActivityError("duplicate category id", file=file, record=raw["id"], field="id")
        cats.append(Category(raw["id"], raw["label"].strip()))
    known = {c.id for c in cats}
    items: list[Item] = []
    for raw in doc["items"]:
        if any(i.id == raw["id"] for i in items):
            raise ActivityError("duplicate item id", file=file, record=raw["id"], field="id")
        unknown = [a for a in raw["answer"] if a not in known]
        if unknown:
            raise ActivityError(f"unknown category {unknown[0]!r}; categories: {', '.join(known)}",
                            file=file, record=raw["id"], field="answer")
        items.append(Item(raw["id"], raw["text"].strip(), tuple(raw["answer"]),
                          raw["feedback"].strip()))
    return SortingActivity(doc["id"], doc["title"], doc["instructions"].strip(), tuple(cats),
                           tuple(items), doc["discussion"].strip(), doc.get("source"),
                           str(file))


#: Sorting activities: data/activities/<activity id>.yaml.
ACTIVITIES: RecordKind[SortingActivity] = RecordKind("activities", ActivityError, parse_activity)
load_activity_file = ACTIVITIES.load_file
load_activity = ACTIVITIES.load
activity_dir = ACTIVITIES.folder_path


def item_feedback(activity: SortingActivity, item: Item, chosen: str | None) -> ItemResult:
    """Mark one item: right when the chosen category is one of its accepted answers."""
    if chosen is not None and chosen not in {c.id for c in activity.categories}:
        raise ActivityError(f"unknown category {chosen!r}", file=activity.file, record=item.id,
                        field="answer")
    accepted = " or ".join(activity.label(a) for a in item.answer)
    overlap = ""
    if len(item.answer) > 1:
        overlap = (f" This item fits more than one category ({accepted}): the categories "
                   "overlap, so either is accepted.")
    if chosen is None:
        # an unsorted item gives nothing away: no expected category, no explanation
        return ItemResult(item.id, None, item.answer, False,
                          "Not sorted yet. Choose a category for this item, then check again.")
    if chosen in item.answer:
        text = f"Right: {activity.label(chosen)}.{overlap} {item.feedback}"
        return ItemResult(item.id, chosen, item.answer, True, text)
    text = (f"Not quite: you chose {activity.label(chosen)}; expected {accepted}.{overlap} "
            f"{item.feedback}")
    return ItemResult(item.id, chosen, item.answer, False, text)


def check_sorting(activity: SortingActivity, choices: Mapping[str, str | None]
                  ) -> SortingResult:
    """Mark every item (choices: item id -> category id or None)."""
    unknown = [k for k in choices if k not in {i.id for i in activity.items}]
    if unknown:
        raise ActivityError(f"unknown item {unknown[0]!r}", file=activity.file, record=unknown[0])
    return SortingResult(
        tuple(item_feedback(activity, i, choices.get(i.id)) for i in activity.items),
        activity.discussion,
    )


def result_text(result: SortingResult) -> str:
    """The summary shown after checking: the score, then the discussion."""
    return f"Score: {result.score} of {result.total}\nDiscussion: {result.discussion}"
