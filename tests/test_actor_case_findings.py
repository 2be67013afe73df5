"""Step 1 of the actor-by-actor activity: which facts does the evidence establish? The findings
of "Which of these three people trafficked her?", the loader's checks on them, their marking
(right, partly right, wrong, not judged) and what step 2 says about them, and the widget driven
headless (no browser)."""

from __future__ import annotations

import re

import pytest

from trafficking_course.content.actor_cases import (
    finding_notes,
    grade_case_findings,
    load_actor_case_file,
)
from trafficking_course.content.findings import (
    Finding,
    finding_feedback,
    grade_findings,
)
from trafficking_course.errors import FactsError
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets.actor_case import ActorCaseActivity

from .test_actor_cases import CASE, CASE_ID, _broken, assert_refused
from .test_widgets import _controls_have_descriptions, _no_code_names

#: The model answer of step 1: each finding, with the evidence that supports the right answer.
MODEL = {f.id: {"established": f.established, "evidence": list(f.supporting)}
         for f in CASE.findings}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


# -- the findings of the case ---------------------------------------------------------------

def test_the_case_lists_the_facts_to_find_before_the_law():
    assert 5 <= len(CASE.findings) <= 8
    by_id = {f.id: f for f in CASE.findings}
    assert by_id["passport-kept"].proposition == "Mira's passport was kept against her will."
    assert by_id["passport-kept"].established
    assert set(by_id["passport-kept"].shows) == {"mira-statement", "passport-found",
                                                 "recruiter-farmer-chat"}
    # what the driver knew is not established: his denial is not contradicted
    driver = by_id["driver-knew-of-the-debt"]
    assert not driver.established
    assert driver.against == ("driver-statement", "recruiter-farmer-chat")
    assert "nothing contradicts it" in driver.reason
    assert {f.id for f in CASE.findings if not f.established} == {
        "driver-knew-of-the-debt", "mira-agreed-to-a-debt"}


def test_the_findings_support_exactly_the_verdicts_the_case_gives():
    """An established finding carries elements the actor's conduct meets; a finding not
    established carries only elements that are not met (the loader checks it too)."""
    for f in CASE.findings:
        for actor_id, keys in f.elements.items():
            judged = CASE.assessment.actor(actor_id).assessment.trafficking
            assert all(judged.element(k).met is f.established for k in keys), (f.id, actor_id)
    carried = {(a, k) for f in CASE.findings if f.established for a, ks in f.elements.items()
               for k in ks}
    assert {("recruiter", "means"), ("recruiter", "purpose"), ("farmer", "means"),
            ("farmer", "purpose")} <= carried
    assert not any(a == "driver" for a, _ in carried)


def _finding(doc, finding_id):
    return next(f for f in doc["findings"] if f["id"] == finding_id)


def _too_many(doc):
    doc["findings"] += [dict(doc["findings"][0], id=f"extra-{n}") for n in range(3)]


@pytest.mark.parametrize(("change", "record", "field", "fragment"), [
    (lambda d: _finding(d, "passport-kept").update({"for": ["a-letter"]}), "passport-kept",
     "for", "unknown evidence id 'a-letter'"),
    (lambda d: _finding(d, "driver-knew-of-the-debt").update(against=["driver-diary"]),
     "driver-knew-of-the-debt", "against", "unknown evidence id 'driver-diary'"),
    (lambda d: _finding(d, "passport-kept").update(against=["passport-found"]),
     "passport-kept", "against", "listed both for and against"),
    (lambda d: _finding(d, "mira-agreed-to-a-debt").update(established=True),
     "mira-agreed-to-a-debt", "for", "must cite the evidence for it"),
    (lambda d: _finding(d, "driver-knew-of-the-debt").update(established=True,
                                                             **{"for": ["driver-payment"]}),
     "driver-knew-of-the-debt", "elements.driver",
     "Purpose of exploitation is not met by this actor's conduct"),
    (lambda d: _finding(d, "passport-kept").update(elements={"driver": ["means"]}),
     "passport-kept", "elements.driver", "Means is not met"),
    (lambda d: _finding(d, "passport-kept").update(elements={"pilot": ["means"]}),
     "passport-kept", "elements.pilot", "unknown actor 'pilot'"),
    (lambda d: _finding(d, "passport-kept").update(elements={"farmer": ["border"]}),
     "passport-kept", "findings.5.elements.farmer.0", "'border' is not one of"),
    (lambda d: _finding(d, "passport-kept").pop("reason"), "passport-kept",
     "findings.5.reason", "'reason' is a required property"),
    (lambda d: _finding(d, "passport-kept").update(established="yes"), "passport-kept",
     "findings.5.established", "is not of type 'boolean'"),
    (lambda d: _finding(d, "passport-kept").update(id="worked-unpaid"), "worked-unpaid",
     "findings.6.id", "duplicate finding id 'worked-unpaid'"),
    (_too_many, CASE_ID, "findings", "is too long"),
])
def test_a_broken_finding_names_file_record_and_field(tmp_path, change, record, field,
                                                      fragment):
    assert_refused(_broken(tmp_path, change), record, field, fragment)


def test_a_case_without_findings_loads_and_has_no_step_one(tmp_path):
    record = load_actor_case_file(_broken(tmp_path, lambda d: d.pop("findings")))
    assert record.findings == ()
    activity = ActorCaseActivity(record)
    assert activity.finding_panels == {}
    assert "Step 1" not in _text(" ".join(c.value for c in activity.children
                                          if hasattr(c, "value") and isinstance(c.value, str)))
    assert activity.state["facts"]["total"] == 0


# -- marking the student's findings -----------------------------------------------------------

def test_the_model_findings_are_all_right():
    result = grade_case_findings(CASE, MODEL)
    assert result.score == len(CASE.findings) == result.answered
    for f in result.findings:
        assert finding_feedback(f, CASE.name).startswith("Right: ")


def test_a_wrong_answer_is_marked_wrong_with_the_evidence_and_the_reason():
    answers = {"driver-knew-of-the-debt": {"established": True,
                                           "evidence": ["driver-payment"]}}
    f = grade_case_findings(CASE, answers).finding("driver-knew-of-the-debt")
    assert f.kind == "wrong" and not f.correct
    assert finding_feedback(f, CASE.name).splitlines() == [
        "Not quite: the answer is not established on this evidence.",
        "For it: nothing in the evidence.",
        "Against it: The driver's statement to the police (statement); Messages on the "
        "recruiter's phone, 9 March (message).",
        "Why: " + f.finding.reason,
    ]


def test_the_right_answer_with_the_wrong_evidence_is_partly_right():
    answers = {"passport-kept": {"established": True,
                                 "evidence": ["passport-found", "pay-sheets"]}}
    result = grade_case_findings(CASE, answers)
    f = result.finding("passport-kept")
    assert f.kind == "partly" and result.score == 0
    assert f.missed == ("mira-statement", "recruiter-farmer-chat")
    assert f.extra == ("pay-sheets",)
    lines = finding_feedback(f, CASE.name).splitlines()
    assert lines[0] == ("Right: established, but the evidence you cited is not quite what "
                        "supports it.")
    assert lines[1] == ("You did not cite: Mira's statement to the inspectors (statement); "
                        "Messages on the recruiter's phone, 9 March (message).")
    assert lines[2] == "Does not support that answer: The farmer's pay sheets, March to May " \
        "(document)."


def test_not_established_with_nothing_against_it_needs_no_evidence_cited():
    finding = Finding("met-the-farmer", "The driver had met the farmer before.", False,
                      (), (), "Nothing shows it.", {})
    cited_nothing = grade_findings([finding], {"met-the-farmer": {"established": False}},
                                   {"driver-statement"}).findings[0]
    assert cited_nothing.correct
    cited_one = grade_findings([finding], {"met-the-farmer": {
        "established": False, "evidence": ["driver-statement"]}}, {"driver-statement"})
    assert cited_one.findings[0].kind == "partly"
    assert "For it: nothing in the evidence." in finding_feedback(cited_nothing, str)


def test_a_finding_not_judged_is_not_marked():
    result = grade_case_findings(CASE, {})
    assert result.answered == 0 and result.score == 0
    f = result.finding("worked-unpaid")
    assert f.kind == "info"
    assert finding_feedback(f, CASE.name) == ("Not judged yet: choose whether the evidence "
                                              "establishes this fact.")


@pytest.mark.parametrize(("answers", "message"), [
    ({"aliens-did-it": {"established": True}}, "unknown finding 'aliens-did-it'"),
    ({"passport-kept": {"established": True, "evidence": ["rumour"]}},
     "unknown evidence id 'rumour'"),
    ({"passport-kept": {"established": "yes"}}, "must be true, false or null"),
])
def test_bad_findings_answers_are_refused(answers, message):
    with pytest.raises(FactsError, match=message):
        grade_case_findings(CASE, answers)


def test_step_two_says_when_an_element_draws_on_a_fact_the_student_rejected():
    answers = {"passport-kept": {"established": False},
               "driver-knew-of-the-debt": {"established": True},
               "worked-unpaid": {"established": True}}      # right: no note
    assert finding_notes(CASE, "farmer", answers) == (
        "You judged “Mira's passport was kept against her will” not established, but it is "
        "part of what shows the element Means for the farmer, and the evidence establishes it.",)
    assert finding_notes(CASE, "driver", answers) == (
        "You judged “When he drove her, the driver knew that Mira would owe the farmer a debt "
        "and lose her passport” established, but the evidence does not establish it, so it "
        "cannot carry the element Purpose of exploitation for the driver.",)
    assert finding_notes(CASE, "recruiter", answers) == ()
    assert finding_notes(CASE, "farmer", {}) == ()
    both = finding_notes(CASE, "farmer", {"worked-unpaid": {"established": False}})
    assert "the elements Means and Purpose of exploitation for the farmer" in both[0]


# -- the widget, headless ----------------------------------------------------------------------

def _find(activity, answers):
    for finding_id, answer in answers.items():
        panel = activity.finding_panels[finding_id]
        panel.choice.value = answer["established"]
        for evidence_id, box in panel.boxes.items():
            box.value = evidence_id in answer.get("evidence", ())


def test_widget_shows_step_one_before_the_people(tmp_path):
    activity = ActorCaseActivity.load(CASE_ID)
    _no_code_names(activity)
    _controls_have_descriptions(activity)
    headings = [c.value for c in activity.children if "<h4>" in str(getattr(c, "value", ""))]
    assert headings == ["<h4>Step 1: which facts does the evidence establish?</h4>",
                        "<h4>Step 2: what does each person's conduct amount to?</h4>"]
    kids = list(activity.children)
    assert kids.index(activity.finding_panels["recruiter-knew-no-job"]) \
        < kids.index(activity.facts_button) < kids.index(activity.panels["recruiter"])
    panel = activity.finding_panels["passport-kept"]
    assert panel.choice.description == "Fact 6: does the evidence establish it?"
    assert [label for label, _ in panel.choice.options] == [
        "Established", "Not established on this evidence"]
    assert len(panel.boxes) == len(CASE.evidence)
    assert panel.boxes["hotel-letter"].description == "The hotel's letter to the police"
    assert activity.facts_button.description == "Check the facts"


def test_widget_checks_the_facts_and_saves_them(tmp_path):
    store = ProgressStore(tmp_path / "m.progress.json")
    activity = ActorCaseActivity.load(CASE_ID, progress=store)
    assert activity.state["facts"] == {
        "answers": {f.id: {"established": None, "evidence": []} for f in CASE.findings},
        "checked": False, "right": {}, "score": 0, "total": 8}
    _find(activity, {**MODEL, "passport-kept": {"established": False,
                                                "evidence": ["mira-statement"]}})
    activity.facts_button.click()
    facts = activity.state["facts"]
    assert facts["checked"] and facts["score"] == 7
    assert facts["right"]["passport-kept"] is False and facts["right"]["worked-unpaid"]
    wrong = _text(activity.finding_panels["passport-kept"].feedback.value)
    assert wrong.startswith("✘ Not quite: the answer is established.")
    assert "For it: Mira's statement to the inspectors (statement); What the inspectors " \
        "found; Messages on the recruiter's phone, 9 March (message)." in wrong
    assert "Why: Her account that the farmer took it" in wrong
    right = _text(activity.finding_panels["driver-knew-of-the-debt"].feedback.value)
    assert right.startswith("✔ Right: not established on this evidence, and the evidence you "
                            "cited is what supports it.")
    assert _text(activity.facts_summary.value).startswith(
        "◐ Score: 7 of 8 right; all 8 facts answered.")
    _no_code_names(activity)
    # restored on the next visit, feedback and all
    again = ActorCaseActivity.load(CASE_ID, progress=store)
    assert again.state == activity.state
    assert again.finding_panels["passport-kept"].feedback.value == \
        activity.finding_panels["passport-kept"].feedback.value


def test_widget_step_two_can_come_first_and_notes_a_rejected_fact():
    activity = ActorCaseActivity(CASE)
    farmer = activity.panels["farmer"]
    for box in farmer.boxes.values():
        box.value = True
    farmer.verdict.value = "trafficking"
    activity.check_button.click()                       # step 1 not done: no note
    assert "Your findings of fact" not in _text(farmer.feedback.value)
    assert activity.state["facts"]["checked"] is False
    _find(activity, {"container-locked": {"established": False}})
    activity.check_button.click()
    text = _text(farmer.feedback.value)
    assert text.startswith("✔ The farmer: right, Trafficking in persons")
    assert ("Your findings of fact in step 1: You judged “On several nights the farmer had the "
            "workers' container padlocked from the outside” not established, but it is part of "
            "what shows the element Means for the farmer") in text
