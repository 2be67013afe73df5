"""The widgets driven headless, as a learner would: set .value, call .click(), read .state and
the feedback shown."""

from __future__ import annotations

import re
import textwrap

import ipywidgets as w
import pytest

from trafficking_course.content.scenarios import load_scenarios
from trafficking_course.errors import ScenarioError
from trafficking_course.law import ELEMENTS, VERDICTS, assess
from trafficking_course.law.indicators import CAVEAT
from trafficking_course.paths import data_dir
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets import (
    CategorySorter,
    ElementExplorer,
    IndicatorChecklist,
    Quiz,
    ScenarioClassifier,
)
from trafficking_course.widgets.explorer import reasons_text
from trafficking_course.widgets.indicator_case import IndicatorCaseChecklist
from trafficking_course.widgets.perspectives import PerspectiveViewer

BANK = load_scenarios()


def _text(widget: w.HTML) -> str:
    """The text of an HTML widget, tags removed (what a reader sees)."""
    return " ".join(re.sub(r"<[^>]+>", " ", widget.value).split())


def _result(widget: w.HTML) -> str:
    """The result line that leads a feedback: icon and words."""
    found = re.search(r'<p class="tc-result[^"]*">(.*?)</p>', widget.value)
    assert found, widget.value
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def _all_widgets(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from _all_widgets(child)


def _controls_have_descriptions(root):
    for widget in _all_widgets(root):
        if isinstance(widget, w.RadioButtons):
            # a quiz's options are named by the prompt above them and by their own labels
            assert all(label.strip() for label in widget._options_labels), widget
        elif isinstance(widget, w.Checkbox | w.Dropdown | w.IntText | w.BoundedIntText
                        | w.ToggleButtons):
            assert widget.description, f"{type(widget).__name__} without a description"
        if isinstance(widget, w.Button):
            assert widget.description and widget.tooltip, widget


CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # snake_case: forced_labour, not_national


def _student_text(root) -> str:
    """Everything a student reads in a widget tree: HTML (tags removed), labels, options,
    tooltips. Style sheets and scripts of the page support are not text."""
    parts = []
    for x in _all_widgets(root):
        if isinstance(x, w.HTML):
            parts.append(re.sub(r"<[^>]+>", " ", x.value))
        for attr in ("description", "tooltip", "placeholder"):
            parts.append(str(getattr(x, attr, "") or ""))
        parts.extend(str(label) for label in getattr(x, "_options_labels", ()))
    return " ".join(parts)


def _no_code_names(root) -> None:
    text = _student_text(root)
    assert text.strip()
    found = sorted(set(CODE_NAME.findall(text)))
    assert not found, f"code names shown to a student: {found}"


def test_the_code_name_check_would_catch_a_code():
    leak = w.VBox([w.HTML("<p>- not_national_or_resident (met)</p>")])
    with pytest.raises(AssertionError, match="not_national_or_resident"):
        _no_code_names(leak)


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
    assert _text(c.score_html) == f"{total} scenarios to answer; none answered yet."
    first = c.current
    _answer(c, right=True)
    assert _result(c.result_line) == f"✔ Correct: {VERDICTS[first.expected_verdict]}."
    assert "Protocol, Art. 3(a)" in _text(c.feedback)
    assert _text(c.score_html).startswith("So far 1 of 1 answered right; 1 of ")
    c.next_button.click()
    second = c.current
    assert second.id != first.id
    assert c.feedback.value == "" == c.result_line.value   # a fresh scenario: no feedback
    assert all(m.value == "" for m in c.element_marks.values())
    assert c.verdict.value is None and not any(b.value for b in c.element_boxes.values())
    _answer(c, right=False)
    assert _result(c.result_line).startswith("✘ Not quite: you chose")
    state = c.state
    assert state["score"] == 1 and state["answered"] == 2
    assert state["answers"][first.id]["correct"] is True
    assert state["answers"][second.id]["correct"] is False
    assert state["answers"][second.id]["verdict"] != second.expected_verdict
    assert "So far 1 of 2 answered right" in _text(c.score_html)
    c.previous_button.click()                 # back to the first, with its answer and marks
    assert c.current.id == first.id and _result(c.result_line).startswith("✔ Correct")
    _no_code_names(c)


def test_classifier_marks_each_missed_or_wrong_element_at_its_checkbox():
    c = ScenarioClassifier(topic="definitions", seed=1)
    s = c.current
    met = set(s.assessment.trafficking.met) | set(s.assessment.smuggling.met)
    missed = sorted(met)[0]
    wrong = next(k for k in c.element_boxes if k not in met and k != "not_national_or_resident")
    for key, box in c.element_boxes.items():
        box.value = (key in met and key != missed) or key == wrong
    c.verdict.value = s.expected_verdict
    c.check_button.click()
    marks = {k: _text(m) for k, m in c.element_marks.items()}
    assert marks[missed] == "✘ missed"
    assert marks[wrong] in {"✘ not shown", "✘ not needed here"}
    right = [k for k in c.element_boxes if k not in (missed, wrong)]
    assert all(marks[k].startswith("✔") for k in right), marks
    assert "tc-mark-wrong" in c.element_marks[missed].value
    # the result line leads; the count of marked elements is the first line of the detail
    assert _text(c.result_line).startswith("✔ Correct")
    assert _text(c.feedback).startswith("Your elements: 5 of 7 judged right; the 2 judged "
                                        "wrong are marked \u2718 beside their checkboxes.")
    kids = c.children
    buttons = kids[kids.index(c.verdict) + 1]
    assert c.check_button in buttons.children and c.result_line in buttons.children
    assert kids.index(c.feedback) == kids.index(buttons) + 1      # the detail right below


def test_classifier_without_verdict_records_nothing():
    c = ScenarioClassifier(topic="definitions", n=1, seed=2)
    c.element_boxes["act"].value = True
    c.check_button.click()
    assert _text(c.result_line).startswith("ℹ Choose a verdict first")
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
    assert _text(again.result_line).startswith("✔ Correct")


def test_two_rounds_with_the_same_seed_keep_their_own_answers(tmp_path):
    """Module 2 style: two rounds in one notebook, both seed=2, different ids."""
    ids_a = [s.id for s in BANK.filter(topic="definitions")[:2]]
    ids_b = [s.id for s in BANK.filter(topic="definitions")[2:4]]
    store = ProgressStore(tmp_path / "two.progress.json")
    a = ScenarioClassifier(ids=ids_a, seed=2, progress=store)
    b = ScenarioClassifier(ids=ids_b, seed=2, progress=store)
    assert a.key != b.key
    _answer(a, right=True)
    _answer(b, right=False)
    reopened = ProgressStore(store.path)
    a2 = ScenarioClassifier(ids=ids_a, seed=2, progress=reopened)
    b2 = ScenarioClassifier(ids=ids_b, seed=2, progress=reopened)
    assert a2.state == a.state and a2.state["score"] == 1
    assert b2.state == b.state and b2.state["score"] == 0 and b2.state["answered"] == 1


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
                                        "Neither because \u201cMeans\u201d is now missing")
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
    _no_code_names(e)


def test_explorer_verdict_and_change_come_before_the_controls():
    e = ElementExplorer()
    panel, columns = e.children[1], e.children[2]
    assert e.verdict_html in panel.children and e.change_html in panel.children
    assert e.children.index(panel) < e.children.index(columns)
    assert columns.layout.flex_flow == "row wrap" and len(columns.children) == 4


def test_explorer_hides_when_the_means_were_used_without_a_means():
    e = ElementExplorer({"acts": ["recruitment"], "means": ["fraud"], "means_stage": "both"})
    assert e.means_stage.layout.display is None
    e.means_boxes["fraud"].value = False
    assert e.means_stage.layout.display == "none"
    assert "means_stage" not in e.state["facts"] or not e.state["facts"]["means_stage"]
    e.means_boxes["deception"].value = True
    assert e.means_stage.layout.display is None
    assert e.state["facts"]["means_stage"] == "both"
    assert e.consented_to.layout.display == "none"     # the same for what was agreed to
    e.flag_boxes["consented"].value = True
    assert e.consented_to.layout.display is None


def test_explorer_reasons_text_is_a_list_without_the_verdict_line():
    a = assess({"acts": ["recruitment"], "purposes": ["forced_labour"], "age": 16})
    text = reasons_text(a)
    assert not text.startswith("Verdict")
    assert text.splitlines()[0] == "Trafficking in persons: its elements are present on these facts"
    assert ("- Means (not needed): No means is needed: the person is 16, a child under eighteen. "
            "[Trafficking Protocol, Art. 3(c), (d)]") in text.splitlines()
    assert any(line.startswith("- Note: Child rule applied") for line in text.splitlines())
    assert not CODE_NAME.search(text)
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
    _no_code_names(e)


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
    assert "You ticked 2 of the 11 indicators" in _text(c.summary_html)
    assert _student_text(c).count(CAVEAT) == 1      # the caveat once
    _no_code_names(c)


def test_indicator_case_counts_agree_and_caveat_once():
    case = IndicatorCaseChecklist.load("07-live-in-carer")
    first, second = list(case.case.found)[:2]
    case.checklist.boxes[first].value = True
    case.checklist.boxes[second].value = True
    case.compare_button.click()
    total = len(case.case.found)
    assert _result(case.feedback).endswith(f"You found 2 of the {total} indicators the case "
                                           "shows.")
    assert "You ticked 2 of the 11 indicators" in _text(case.checklist.summary_html)
    assert _student_text(case).count(CAVEAT) == 1
    assert case.compare_button.layout.width == "auto"   # its label is not cut off
    _no_code_names(case)


def _all_text(root) -> str:
    return " ".join(x.value for x in _all_widgets(root) if isinstance(x, w.HTML))


# -- Quiz -----------------------------------------------------------------------------------------
def _right_texts(view) -> list[str]:
    return [o.text for o in view.question.options if o.correct]


def test_quiz_widget_module_one(tmp_path):
    store = ProgressStore(tmp_path / "q.progress.json")
    quiz = Quiz.load("01-definitions", progress=store, seed=7)
    _controls_have_descriptions(quiz)
    total = len(quiz.quiz.questions)
    assert quiz.state["answers"] == {} and quiz.state["answered"] == 0
    assert _text(quiz.score_html) == f"{total} questions to answer; none answered yet."
    single = next(v for v in quiz.views.values() if v.question.kind == "single")
    right = single.question.correct_indices[0]
    single.radio.value = right
    single.check_button.click()
    assert _result(single.feedback) == "✔ Correct."
    multiple = next(v for v in quiz.views.values() if v.question.kind == "multiple")
    multiple.boxes[multiple.question.correct_indices[0]].value = True
    multiple.check_button.click()
    assert _result(multiple.feedback).startswith("◐ Not quite")
    assert "You missed \u201c" in _text(multiple.feedback)
    assert quiz.state["score"] == 1 and quiz.state["answered"] == 2
    assert quiz.state["answers"][single.question.id] == {
        "selected": _right_texts(single), "correct": True}   # saved by option, not position
    assert f"2 of {total} questions answered" in _text(quiz.score_html)
    restored = Quiz.load("01-definitions", progress=ProgressStore(store.path), seed=7)
    assert restored.state == quiz.state
    assert restored.views[single.question.id].radio.value == right
    assert _result(restored.views[multiple.question.id].feedback).startswith("◐ Not quite")
    _no_code_names(quiz)


def test_quiz_state_lists_options_in_display_order_with_the_choice():
    quiz = Quiz.load("01-definitions", seed=3)
    view = next(v for v in quiz.views.values() if v.question.kind == "single")
    view.radio.value = 1
    shown = quiz.state["questions"][view.question.id]
    assert [o["option"] for o in shown] == [label for label, _ in view.radio.options]
    assert [o["chosen"] for o in shown] == [i == 1 for i in range(len(shown))]


def test_quiz_answers_survive_a_different_order(tmp_path):
    store = ProgressStore(tmp_path / "q.progress.json")
    first = Quiz.load("01-definitions", progress=store, seed=1)
    for view in first.views.values():
        view.select([view.question.correct_indices[0]])
        view.check_button.click()
    other = Quiz.load("01-definitions", progress=ProgressStore(store.path), seed=2)
    orders = [[o.text for o in v.question.options] for v in first.views.values()]
    assert orders != [[o.text for o in v.question.options] for v in other.views.values()]
    assert other.state["answers"] == first.state["answers"]
    for qid, view in other.views.items():
        assert view.chosen_texts() == first.views[qid].chosen_texts()


def test_quiz_without_seed_keeps_the_learners_own_order(tmp_path):
    store = ProgressStore(tmp_path / "q.progress.json")
    quiz = Quiz.load("01-definitions", progress=store)
    reopened = Quiz.load("01-definitions", progress=ProgressStore(store.path))
    assert reopened.seed == quiz.seed
    assert reopened.state["questions"] == quiz.state["questions"]
    others = {Quiz.load("01-definitions", progress=ProgressStore(tmp_path / f"{n}.json")).seed
              for n in range(5)}
    assert len(others) > 1          # learners draw their own seeds


def test_quiz_labels_are_not_repeated():
    quiz = Quiz.load("01-definitions", seed=1)
    text = _student_text(quiz)
    assert not re.search(r"\bAnswer \d", text)
    for view in quiz.views.values():
        assert _student_text(view).lower().count("all that apply") <= 1


def test_quiz_unanswered_check_records_nothing():
    quiz = Quiz.load("01-definitions", seed=1)
    view = next(iter(quiz.views.values()))
    view.check_button.click()
    assert _text(view.feedback).startswith("ℹ No answer yet")
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
    assert _result(s.feedback["no-permit"]) == "✔ Right: Structural."
    assert "either is accepted" in _text(s.feedback["debt-norms"])
    assert _result(s.feedback["gossip"]).startswith("✘ Not quite")
    assert _result(s.summary_html) == "◐ Score: 2 of 3 right; all 3 items answered."
    labels = [dd.description for dd in s.dropdowns.values()]
    assert labels == ["1. No work permit", "2. Norms about family debts",
                      "3. Fear of gossip at home"]   # the item's text labels its menu
    _no_code_names(s)
    assert "The levels overlap; talk about why." in _text(s.summary_html)
    restored = CategorySorter.load(str(path), progress=ProgressStore(store.path))
    assert restored.state == s.state


def test_category_sorter_checked_early_gives_nothing_away(tmp_path):
    """Check pressed after sorting one item: the unsorted items show no expected category."""
    path = tmp_path / "sort-x.yaml"
    path.write_text(ACTIVITY)
    s = CategorySorter.load(str(path))
    s.dropdowns["no-permit"].value = "structural"
    s.check_button.click()
    for item_id in ("debt-norms", "gossip"):
        shown = _text(s.feedback[item_id])
        assert "Not sorted yet" in shown
        assert "Cultural" not in shown and "Norms" not in shown
    summary = _text(s.summary_html)
    assert "talk about why" not in summary and "Sort the other 2 item(s)" in summary


# -- every activity of the course, headless: no code name anywhere a student reads -------------
def _files(kind: str) -> list[str]:
    return sorted(p.stem for p in (data_dir() / kind).glob("*.yaml"))


@pytest.mark.parametrize("topic", sorted({s.topic for s in BANK}))
def test_every_scenario_round_reads_without_code_names(topic):
    c = ScenarioClassifier(topic=topic, seed=1)
    for _ in c.scenarios:
        _answer(c, right=False)           # every element marked, every reason shown
        _no_code_names(c)
        c.next_button.click()


@pytest.mark.parametrize("activity", _files("activities"))
def test_every_sorting_activity_reads_without_code_names(activity):
    s = CategorySorter.load(activity)
    s.check_button.click()
    _no_code_names(s)


@pytest.mark.parametrize("case", _files("indicator_cases"))
def test_every_indicator_case_reads_without_code_names(case):
    c = IndicatorCaseChecklist.load(case)
    for box in list(c.checklist.boxes.values())[::2]:
        box.value = True
    c.compare_button.click()
    _no_code_names(c)


@pytest.mark.parametrize("case", _files("perspectives"))
def test_every_perspective_case_reads_without_code_names(case):
    viewer = PerspectiveViewer.load(case)
    for option in viewer.case.ids:
        viewer.select(option)
        _no_code_names(viewer)


@pytest.mark.parametrize("quiz", _files("quizzes"))
def test_every_quiz_reads_without_code_names(quiz):
    q = Quiz.load(quiz, seed=1)
    for view in q.views.values():
        view.select([0])
        view.check_button.click()
    _no_code_names(q)
