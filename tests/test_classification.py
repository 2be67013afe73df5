"""Marking a classification: verdict against the engine, element-by-element feedback citing the
article."""

from __future__ import annotations

import pytest

from trafficking_course.content.classification import ALL_ELEMENTS, feedback_text, grade
from trafficking_course.content.scenarios import Scenario, load_scenarios
from trafficking_course.errors import FactsError
from trafficking_course.law import ELEMENTS, Facts, assess


def _scenario(facts, sid="s-test", explanation="Because of the facts given here."):
    f = Facts.from_dict(facts)
    return Scenario(id=sid, title="T", narrative="N", facts=f,
                    expected_verdict=assess(f).verdict, explanation=explanation,
                    topic="definitions", difficulty="introductory",
                    provenance={"kind": "constructed"})


DOMESTIC = _scenario({"acts": ["recruitment"], "means": ["deception"],
                      "purposes": ["forced_labour"], "age": 30})
SMUGGLED = _scenario({"acts": ["transportation"], "age": 31, "illegal_entry": True,
                      "entry_procured_by_another": True, "benefit_to_procurer": True})
CHILD = _scenario({"acts": ["recruitment"], "purposes": ["forced_labour"], "age": 16})


def test_elements_in_contract_order():
    assert (*ELEMENTS["trafficking"], *ELEMENTS["smuggling"]) == ALL_ELEMENTS


def test_correct_verdict_and_elements():
    r = grade(DOMESTIC, ["act", "means", "purpose"], "trafficking")
    assert r.correct and r.expected_verdict == "trafficking"
    assert r.elements_right == 7   # not_national_or_resident is not at issue: no entry
    text = feedback_text(r)
    assert text.startswith("Correct: Trafficking in persons.")
    assert text.splitlines()[1] == ("Your elements: all 7 judged right, ticked or left "
                                    "unticked as the Protocols would have them.")
    assert ("- Act: you ticked it, rightly. The facts show recruitment. "
            "[Trafficking Protocol, Art. 3(a)]") in text
    assert "- Procurement: you rightly left it unticked." in text
    assert "Not a national or permanent resident: not at issue here" in text
    assert "Why: Because of the facts given here." in text
    assert "Note: No illegal border crossing is needed" in text


def test_wrong_verdict_says_not_quite_and_what_is_missing():
    r = grade(SMUGGLED, ["act", "means"], "trafficking")
    assert not r.correct
    text = feedback_text(r)
    assert text.startswith("Not quite: you chose Trafficking in persons; the answer is "
                           "Smuggling of migrants.")
    # issue 24: "5 marked at their checkboxes" read as "you ticked 5"; the line counts
    # elements judged right and wrong, never ticks (two were ticked here)
    assert text.splitlines()[1] == ("Your elements: 2 of 7 judged right; the 5 judged wrong "
                                    "are marked \u2718 beside their checkboxes.")
    assert "marked at" not in text and "ticked 5" not in text
    assert "- Means: you ticked it, but the facts do not show it." in text
    assert ("- Illegal entry: you missed it: the facts show it. The border was crossed "
            "without complying with the requirements for legal entry. "
            "[Smuggling Protocol, Art. 3(a), (b)]") in text
    assert "[Smuggling Protocol, Art. 5]" in text   # the engine's note is passed on
    assert r.elements_right == 2   # act ticked (met) and purpose unticked (missing)


def test_child_means_not_needed():
    r = grade(CHILD, ["act", "purpose"], "trafficking")
    means = next(e for e in r.elements if e.key == "means")
    assert means.status == "not needed" and means.agrees
    assert "Art. 3(c), (d)" in means.article
    ticked = grade(CHILD, ["act", "means", "purpose"], "trafficking")
    assert not next(e for e in ticked.elements if e.key == "means").agrees
    assert "Child rule applied" in feedback_text(r)


def test_no_verdict_asks_for_one_and_bad_input_is_refused():
    assert feedback_text(grade(CHILD, [], None)).startswith("Choose a verdict first")
    with pytest.raises(FactsError, match="unknown element 'border'"):
        grade(CHILD, ["border"], "both")
    with pytest.raises(FactsError, match="unknown verdict 'maybe'"):
        grade(CHILD, [], "maybe")


def test_element_feedback_reads_like_a_tutor():
    r = grade(CHILD, ["means"], "trafficking")
    lines = {e.key: e.line for e in r.elements}
    marks = {e.key: e.mark for e in r.elements}
    assert marks["act"] == "missed"
    assert lines["act"].startswith("Act: you missed it: the facts show it.")
    assert marks["means"] == "not needed here"
    assert "not_national" not in feedback_text(r) and "_" not in feedback_text(r)


@pytest.mark.parametrize("scenario", list(load_scenarios()), ids=lambda s: s.id)
def test_the_model_answer_of_every_bank_scenario_gets_full_marks(scenario):
    a = scenario.assessment
    model = [*a.trafficking.met, *a.smuggling.met]
    r = grade(scenario, model, scenario.expected_verdict)
    assert r.correct and r.elements_right == len(ALL_ELEMENTS), feedback_text(r)
    assert feedback_text(r).startswith("Correct")
    for e in r.elements:
        assert "Protocol, Art. " in e.article, (scenario.id, e.key)
