"""The actor-by-actor activity: "Which of these three people trafficked her?" Its data file, the
marking actor by actor and element by element with the evidence named, and the widget driven
headless (no browser)."""

from __future__ import annotations

import copy

import pytest
import yaml

from trafficking_course.content.actor_cases import (
    JUDGED,
    actor_feedback,
    grade_case,
    load_actor_case,
    load_actor_case_file,
)
from trafficking_course.errors import ActorCaseError, FactsError
from trafficking_course.paths import data_dir
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets.actor_case import ActorCaseActivity

from .test_widgets import _no_code_names

CASE_ID = "who-trafficked-her"
CASE = load_actor_case(CASE_ID)
MODEL = {a.actor.id: {"elements": list(a.assessment.trafficking.met), "verdict": a.verdict}
         for a in CASE.assessment.actors}


def test_three_people_three_verdicts_from_their_own_conduct():
    assert [a.id for a in CASE.actors] == ["recruiter", "driver", "farmer"]
    assert {k: v["verdict"] for k, v in MODEL.items()} == {
        "recruiter": "both", "driver": "smuggling", "farmer": "trafficking"}
    assert CASE.assessment.traffickers == ("recruiter", "farmer")
    assert CASE.provenance_line == "Constructed for teaching"


def test_the_drivers_lie_about_the_road_is_not_a_means():
    driver = CASE.assessment.actor("driver").assessment
    assert "deception" in driver.facts.means
    assert driver.trafficking.element("means").met is False
    assert driver.trafficking.element("purpose").met is False


def test_the_model_answer_gets_every_person_right():
    result = grade_case(CASE, MODEL)
    assert result.score == 3 and all(a.correct for a in result.actors)
    for a in result.actors:
        assert actor_feedback(a).split(":")[1].strip().startswith("right")


def test_feedback_names_the_evidence_for_each_element():
    wrong = {**MODEL, "driver": {"elements": ["act", "means", "purpose"],
                                 "verdict": "trafficking"}}
    driver = grade_case(CASE, wrong).actor("driver")
    text = actor_feedback(driver)
    assert text.startswith("The driver: not quite: you chose Trafficking in persons; the answer "
                           "is Smuggling of migrants.")
    lines = {e.key: e.line for e in driver.elements}
    assert lines["means"].startswith("Means: you ticked it, but the facts do not show it.")
    assert "not used to secure the act" in lines["means"]
    assert "Against it: The driver's statement to the police (statement)." in lines["means"]
    assert "Against it: The driver's statement" in lines["purpose"]
    assert "Evidence: A phone payment, 13 March (payment)." in text       # the benefit
    recruiter = actor_feedback(grade_case(CASE, MODEL).actor("recruiter"))
    assert "Evidence: The recruiter's message to Mira, 2 March (message); The hotel's letter " \
        "to the police (document)." in recruiter


def test_a_right_verdict_with_wrong_elements_is_not_full_marks():
    guess = {**MODEL, "farmer": {"elements": ["act"], "verdict": "trafficking"}}
    farmer = grade_case(CASE, guess).actor("farmer")
    assert farmer.verdict_right and not farmer.correct
    assert "the reasoning does not yet hold" in actor_feedback(farmer)
    assert "missed" in {e.mark for e in farmer.elements}


def test_bad_answers_are_refused():
    with pytest.raises(FactsError, match="unknown element 'border'"):
        grade_case(CASE, {"driver": {"elements": ["border"], "verdict": None}})
    with pytest.raises(FactsError, match="unknown actor 'pilot'"):
        grade_case(CASE, {"pilot": {}})


def _broken(tmp_path, change):
    doc = yaml.safe_load((data_dir() / "actor_cases" / f"{CASE_ID}.yaml").read_text())
    doc = copy.deepcopy(doc)
    change(doc)
    path = tmp_path / f"{CASE_ID}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.mark.parametrize(("change", "record", "field", "fragment"), [
    (lambda d: d["actors"][0]["shows"].update(act=["a-letter"]), "recruiter", "shows.act",
     "unknown evidence id 'a-letter'"),
    (lambda d: d["actors"][2]["shows"].pop("means"), "farmer", "shows.means",
     "no evidence is cited"),
    (lambda d: d["actors"][1]["conduct"].update(age=30), CASE_ID,
     "actors.driver.conduct.age", "not a fact about"),
    (lambda d: d["actors"][1]["conduct"].update(means=["lying"]), CASE_ID,
     "actors.driver.conduct.means", "unknown value 'lying'"),
    (lambda d: d["evidence"][0].update(kind="rumour"), "recruiter-message", "evidence.0.kind",
     "is not one of"),
    (lambda d: d["actors"][0]["shows"].update(border=["border-record"]), "recruiter",
     "actors.0.shows", "border"),
])
def test_a_broken_case_file_names_file_record_and_field(tmp_path, change, record, field,
                                                        fragment):
    assert_refused(_broken(tmp_path, change), record, field, fragment)


def assert_refused(path, record, field, fragment):
    """Loading the case file at path fails with one error naming file, record and field."""
    with pytest.raises(ActorCaseError) as info:
        load_actor_case_file(path)
    err = info.value
    assert (err.file, err.record, err.field) == (str(path), record, field), str(err)
    assert fragment in str(err)


# -- the widget, headless -----------------------------------------------------------------

def _answer(widget, answers):
    for actor_id, answer in answers.items():
        panel = widget.panels[actor_id]
        for key in JUDGED:
            panel.boxes[key].value = key in answer["elements"]
        panel.verdict.value = answer["verdict"]


def test_widget_checks_each_person_and_saves_plain_values(tmp_path):
    store = ProgressStore(tmp_path / "m.progress.json")
    activity = ActorCaseActivity.load(CASE_ID, progress=store)
    _no_code_names(activity)
    state = {k: v for k, v in activity.state.items() if k != "facts"}  # step 1: its own tests
    assert state == {"answers": {a: {"elements": [], "verdict": None}
                                 for a in ("recruiter", "driver", "farmer")},
                     "checked": False, "right": {}, "score": 0, "total": 3}
    _answer(activity, {**MODEL, "driver": {"elements": ["act", "means"],
                                           "verdict": "trafficking"}})
    activity.check_button.click()
    state = activity.state
    assert state["right"] == {"recruiter": True, "driver": False, "farmer": True}
    assert state["score"] == 2 and state["checked"]
    driver = activity.panels["driver"].feedback.value
    assert "The driver: not quite" in driver and "The driver&#x27;s statement" not in driver
    assert "The driver's statement to the police (statement)" in driver
    assert "Judged right, verdict and every element: 2 of 3 people." in activity.summary.value
    _no_code_names(activity)
    # restored on the next visit, feedback and all
    again = ActorCaseActivity.load(CASE_ID, progress=store)
    assert again.state == state
    assert again.panels["driver"].feedback.value == driver


def test_widget_says_who_is_still_to_judge():
    activity = ActorCaseActivity(CASE)
    _answer(activity, {"recruiter": MODEL["recruiter"]})
    activity.check_button.click()
    assert "2 still to judge." in activity.summary.value
    assert "Two of the three" not in activity.summary.value   # the discussion waits
    assert "choose what this person" in activity.panels["farmer"].feedback.value
