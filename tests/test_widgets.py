"""The widgets driven headless, as a learner would: set .value, call .click(), read .state and
the feedback shown."""

from __future__ import annotations

import textwrap

import ipywidgets as w
import pytest

from trafficking_course.content.scenarios import load_scenarios
from trafficking_course.errors import ScenarioError
from trafficking_course.law import ELEMENTS, assess
from trafficking_course.law.indicators import CAVEAT
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets import (
    CategorySorter,
    ElementExplorer,
    IndicatorChecklist,
    Quiz,
    ScenarioClassifier,
)
from trafficking_course.widgets.explorer import reasons_text

BANK = load_scenarios()


def _text(widget: w.HTML) -> str:
    """The text of an HTML widget, tags removed (what a reader sees)."""
    import re
    return re.sub(r"<[^>]+>", " ", widget.value).replace("  ", " ").strip()


def _all_widgets(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from _all_widgets(child)


def _controls_have_descriptions(root):
    for widget in _all_widgets(root):
        if isinstance(widget, w.Checkbox | w.RadioButtons | w.Dropdown | w.IntText
                      | w.BoundedIntText | w.ToggleButtons):
            assert widget.description, f"{type(widget).__name__} without a description"
        if isinstance(widget, w.Button):
            assert widget.description and widget.tooltip, widget


# -- ScenarioClassifier ---------------------------------------------------------------------------
def _answer(c: ScenarioClassifier, right: bool):
    s = c.current
    met = set(s.assessment.trafficking.met) | set(s.assessment.smuggling.met)
    for key, box in c.element_boxes.items():
        box.value = key in met
    c.verdict.value = s.expected_verdict if right else \
        ("neither" if s.expected_verdict != "neither" else "both")
    c.check_button.click()


def test_classifier_dom_contract():
    c = ScenarioClassifier(topic="definitions", seed=3)
    assert list(c.element_boxes) == [*ELEMENTS["trafficking"], *ELEMENTS["smuggling"]]
    assert [label for label, _ in c.verdict.options] == [
        "Trafficking in persons", "Smuggling of migrants", "Both", "Neither"]
    assert [value for _, value in c.verdict.options] == [
        "trafficking", "smuggling", "both", "neither"]
    assert c.verdict.value is None
    assert c.check_button.description == "Check answer"
    assert c.next_button.description == "Next scenario"
    assert "tc-feedback" in c.feedback._dom_classes
    assert c.current.title in c.scenario_html.value
    assert c.current.provenance_line in c.scenario_html.value
    _controls_have_descriptions(c)
    kids = c.children
    assert kids.index(c.verdict) < kids.index(c.feedback)


def test_classifier_marks_answers_and_keeps_score():
    c = ScenarioClassifier(topic="definitions", seed=1)
    total = len(BANK.filter(topic="definitions"))
    assert c.state == {"answers": {}, "score": 0, "answered": 0, "total": total}
    first = c.current
    _answer(c, right=True)
    assert _text(c.feedback).startswith("Correct")
    assert "Protocol, Art. 3(a)" in _text(c.feedback)
    assert "Score: 1 of 1" in c.score_html.value
    c.next_button.click()
    second = c.current
    assert second.id != first.id
    assert c.feedback.value == ""              # a fresh scenario shows no feedback
    assert c.verdict.value is None and not any(b.value for b in c.element_boxes.values())
    _answer(c, right=False)
    assert _text(c.feedback).startswith("Not quite")
    state = c.state
    assert state["score"] == 1 and state["answered"] == 2
    assert state["answers"][first.id]["correct"] is True
    assert state["answers"][second.id]["correct"] is False
    assert state["answers"][second.id]["verdict"] != second.expected_verdict
    assert "Score: 1 of 2" in c.score_html.value


def test_classifier_without_verdict_records_nothing():
    c = ScenarioClassifier(topic="definitions", n=1, seed=2)
    c.element_boxes["act"].value = True
    c.check_button.click()
    assert _text(c.feedback).startswith("Choose a verdict first")
    assert c.state["answered"] == 0


def test_classifier_filters_and_seed():
    a = ScenarioClassifier(seed=5)
    b = ScenarioClassifier(seed=5)
    assert [s.id for s in a.scenarios] == [s.id for s in b.scenarios]
    assert len(ScenarioClassifier(n=1).scenarios) == 1
    one = BANK.scenarios[0]
    assert [s.id for s in ScenarioClassifier(ids=[one.id]).scenarios] == [one.id]
    assert all(s.difficulty == "introductory"
               for s in ScenarioClassifier(difficulty="introductory").scenarios)
    with pytest.raises(ScenarioError, match="no scenario matches"):
        ScenarioClassifier(topic="definitions", tags=["no-such-tag"])


def test_classifier_saves_and_restores_progress(tmp_path):
    store = ProgressStore(tmp_path / "m.progress.json")
    c = ScenarioClassifier(topic="definitions", seed=1, progress=store)
    first = c.current
    _answer(c, right=True)
    again = ScenarioClassifier(topic="definitions", seed=1,
                               progress=ProgressStore(tmp_path / "m.progress.json"))
    assert again.state == c.state and again.state["score"] == 1
    if again.state["total"] > 1:
        assert again.current.id != first.id     # resumes at the first unanswered scenario
    again.show(0)
    assert again.verdict.value == first.expected_verdict
    assert _text(again.feedback).startswith("Correct")


# -- ElementExplorer ------------------------------------------------------------------------------
def test_explorer_live_verdict_and_change_line():
    e = ElementExplorer({"acts": ["recruitment"], "means": ["deception"],
                         "purposes": ["forced_labour"], "age": 30})
    _controls_have_descriptions(e)
    assert e.state["verdict"] == "trafficking" and e.state["change"] is None
    assert "Verdict: Trafficking in persons" in e.verdict_html.value
    e.means_boxes["deception"].value = False
    assert e.state["verdict"] == "neither"
    assert e.state["change"].startswith("The verdict changed from Trafficking in persons to "
                                        "Neither because means is now missing")
    assert "What changed" in e.change_html.value
    assert "Trafficking Protocol, Art. 3(a)" in e.reasons_html.value
    e.age.value = 16
    assert e.state["verdict"] == "trafficking"
    assert "Child rule applied" in e.reasons_html.value
    assert "to Trafficking in persons" in e.state["change"]
    e.age_known.value = False
    assert e.state["facts"]["age"] is None and e.age.disabled
    assert e.state["decided"] is False
    assert "can no longer be decided" in e.state["change"]


def test_explorer_reasons_text_is_a_list_without_the_verdict_line():
    a = assess({"acts": ["recruitment"], "purposes": ["forced_labour"], "age": 16})
    text = reasons_text(a)
    assert not text.startswith("Verdict")
    assert text.splitlines()[0] == "Trafficking in persons: established"
    assert ("- means (not needed): No means is needed: the person is 16, a child under eighteen. "
            "[Trafficking Protocol, Art. 3(c), (d)]") in text.splitlines()
    assert any(line.startswith("- Note: Child rule applied") for line in text.splitlines())
    e = ElementExplorer(a.facts)
    assert "Verdict" not in e.reasons_html.value and "<li>" in e.reasons_html.value


def test_explorer_smuggling_facts():
    e = ElementExplorer()
    assert e.state["verdict"] == "neither"
    for key in ("illegal_entry", "entry_procured_by_another", "benefit_to_procurer"):
        e.flag_boxes[key].value = True
    assert e.state["verdict"] == "smuggling"
    assert "Smuggling Protocol, Art. 3(a)" in e.state["change"]
    e.flag_boxes["destination_national_or_resident"].value = True
    assert e.state["verdict"] == "neither"
    e.means_stage.value = "destination"
    assert e.state["facts"]["means_stage"] == "destination"


# -- IndicatorChecklist ---------------------------------------------------------------------------
def test_indicator_checklist():
    c = IndicatorChecklist("A worker's passport is kept by the employer.")
    _controls_have_descriptions(c)
    assert len(c.boxes) == 11
    assert "passport is kept" in _all_text(c)
    c.boxes["retention_of_identity_documents"].value = True
    c.boxes["isolation"].value = True
    assert c.state["present"] == ["isolation", "retention_of_identity_documents"]
    assert c.state["count"] == 2
    assert CAVEAT in c.state["summary"]
    assert "2 of 11 indicators are present" in _text(c.summary_html)


def _all_text(root) -> str:
    return " ".join(x.value for x in _all_widgets(root) if isinstance(x, w.HTML))


# -- Quiz -----------------------------------------------------------------------------------------
def test_quiz_widget_module_one(tmp_path):
    store = ProgressStore(tmp_path / "q.progress.json")
    quiz = Quiz.load("01-definitions", progress=store)
    _controls_have_descriptions(quiz)
    total = len(quiz.quiz.questions)
    assert quiz.state == {"answers": {}, "score": 0, "answered": 0, "total": total}
    single = next(v for v in quiz.views.values() if v.question.kind == "single")
    right = single.question.correct_indices[0]
    single.radio.value = right
    single.check_button.click()
    assert _text(single.feedback).startswith("Correct")
    multiple = next(v for v in quiz.views.values() if v.question.kind == "multiple")
    multiple.boxes[multiple.question.correct_indices[0]].value = True
    multiple.check_button.click()
    assert _text(multiple.feedback).startswith("Not quite")
    assert quiz.state["score"] == 1 and quiz.state["answered"] == 2
    assert f"Score: 1 of {total}" in quiz.score_html.value
    restored = Quiz.load("01-definitions", progress=ProgressStore(store.path))
    assert restored.state == quiz.state
    assert restored.views[single.question.id].radio.value == right
    assert _text(restored.views[multiple.question.id].feedback).startswith("Not quite")


def test_quiz_unanswered_check_records_nothing():
    quiz = Quiz.load("01-definitions")
    view = next(iter(quiz.views.values()))
    view.check_button.click()
    assert _text(view.feedback).startswith("No answer yet")
    assert quiz.state["answered"] == 0


# -- CategorySorter -------------------------------------------------------------------------------
ACTIVITY = textwrap.dedent("""\
    id: sort-x
    title: A sorting test
    instructions: Put each item in its category.
    categories: [{id: structural, label: Structural}, {id: cultural, label: Cultural}]
    items:
      - {id: no-permit, text: No work permit, answer: [structural], feedback: Law sets it.}
      - {id: debt-norms, text: Norms about family debts, answer: [cultural, structural],
         feedback: Both norms and law.}
      - {id: gossip, text: Fear of gossip at home, answer: [cultural], feedback: Norms.}
    discussion: The levels overlap; talk about why.
    """)


def test_category_sorter(tmp_path):
    path = tmp_path / "sort-x.yaml"
    path.write_text(ACTIVITY)
    store = ProgressStore(tmp_path / "s.progress.json")
    s = CategorySorter.load(str(path), progress=store)
    _controls_have_descriptions(s)
    assert all(dd.value is None for dd in s.dropdowns.values())
    assert s.summary_html.value == ""          # the discussion comes after checking
    s.dropdowns["no-permit"].value = "structural"
    s.dropdowns["debt-norms"].value = "cultural"
    s.dropdowns["gossip"].value = "structural"
    s.check_button.click()
    assert s.state["score"] == 2 and s.state["total"] == 3 and s.state["checked"]
    assert s.state["answers"]["gossip"] == {"category": "structural", "correct": False}
    assert _text(s.feedback["no-permit"]).startswith("Right")
    assert "either is accepted" in _text(s.feedback["debt-norms"])
    assert _text(s.feedback["gossip"]).startswith("Not quite")
    assert "Score: 2 of 3" in _text(s.summary_html)
    assert "The levels overlap; talk about why." in _text(s.summary_html)
    restored = CategorySorter.load(str(path), progress=ProgressStore(store.path))
    assert restored.state == s.state
