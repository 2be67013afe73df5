"""Sorting activities: every file in data/activities/ validates; bad files name file, item and
field; marking accepts any of an item's categories and points out the overlap."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from trafficking_course.content.activities import check_sorting, load_activity_file, result_text
from trafficking_course.errors import ActivityError
from trafficking_course.paths import data_dir

ACTIVITY_FILES = sorted((data_dir() / "activities").glob("*.yaml"))


@pytest.mark.parametrize("path", ACTIVITY_FILES, ids=lambda p: p.name)
def test_every_activity_file_validates(path):
    activity = load_activity_file(path)
    assert activity.items and activity.discussion


GOOD = textwrap.dedent("""\
    id: sort-x
    title: A sorting test
    instructions: Put each item in its category.
    categories: [{id: structural, label: Structural}, {id: cultural, label: Cultural},
                 {id: individual, label: Individual}]
    items:
      - {id: no-permit, text: No work permit, answer: [structural], feedback: Law sets it.}
      - {id: debt-norms, text: Norms about family debts, answer: [cultural, structural],
         feedback: Both norms and law.}
      - {id: illness, text: An illness, answer: [individual], feedback: Personal.}
    discussion: The levels overlap.
    """)


def _write(tmp_path, text, name="sort-x.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _mutate(edit):
    doc = yaml.safe_load(GOOD)
    edit(doc)
    return yaml.safe_dump(doc, sort_keys=False)


@pytest.mark.parametrize(("edit", "record", "field", "fragment"), [
    (lambda d: d["items"][1].update(answer=["economic"]), "debt-norms", "answer",
     "unknown category 'economic'"),
    (lambda d: d["items"][2].pop("feedback"), "illness", "items.2.feedback",
     "'feedback' is a required property"),
    (lambda d: d["items"][0].update(answer=[]), "no-permit", "items.0.answer",
     "should be non-empty"),
    (lambda d: d.pop("discussion"), "sort-x", "discussion", "'discussion' is a required"),
    (lambda d: d["items"][2].update(id="no-permit"), "no-permit", "id", "duplicate item id"),
    (lambda d: d["categories"][1].update(label=7), "cultural", "categories.1.label",
     "is not of type 'string'"),
])
def test_bad_activity_names_file_item_and_field(tmp_path, edit, record, field, fragment):
    path = _write(tmp_path, _mutate(edit))
    with pytest.raises(ActivityError) as info:
        load_activity_file(path)
    err = info.value
    assert (err.file, err.record, err.field) == (str(path), record, field)
    assert fragment in str(err)


def test_marking_and_feedback(tmp_path):
    activity = load_activity_file(_write(tmp_path, GOOD))
    result = check_sorting(activity, {"no-permit": "structural", "debt-norms": "structural",
                                      "illness": "cultural"})
    assert [r.correct for r in result.items] == [True, True, False]
    assert (result.score, result.total) == (2, 3)
    overlap = result.item("debt-norms").feedback
    assert overlap.startswith("Right: Structural.")
    assert "more than one category (Cultural or Structural)" in overlap
    assert "either is accepted" in overlap
    wrong = result.item("illness").feedback
    assert wrong.startswith("Not quite: you chose Cultural; expected Individual.")
    assert "more than one" not in result.item("no-permit").feedback
    assert result_text(result) == "Score: 2 of 3\nDiscussion: The levels overlap."


def test_unanswered_item_is_marked_wrong_not_dropped(tmp_path):
    activity = load_activity_file(_write(tmp_path, GOOD))
    result = check_sorting(activity, {"no-permit": "structural"})
    assert result.total == 3 and result.score == 1
    unsorted = result.item("illness").feedback
    assert unsorted.startswith("Not sorted yet.")
    # an unsorted item gives its answer away neither by label nor by its explanation
    assert "Individual" not in unsorted and "expected" not in unsorted.lower()
    assert activity.items[2].feedback not in unsorted
    with pytest.raises(ActivityError, match="unknown item 'nope'"):
        check_sorting(activity, {"nope": "structural"})
