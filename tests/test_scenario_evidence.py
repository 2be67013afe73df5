"""Scenarios give evidence, not conclusions (issue 26): the evidence list, its citations in the
feedback, and the scenario findings of issue 21."""

from __future__ import annotations

import re
import textwrap

import pytest

from trafficking_course.content.classification import feedback_text, grade
from trafficking_course.content.scenarios import load_file, load_scenarios
from trafficking_course.errors import ScenarioError
from trafficking_course.law import ELEMENTS

BANK = load_scenarios()
WITH_EVIDENCE = [s for s in BANK if s.evidence]
ALL_ELEMENTS = {k for group in ELEMENTS.values() for k in group}

#: Legal conclusions a narrative must leave to the student (issue 26).
CONCLUSIONS = re.compile(
    r"amounts? to|nothing (he|she|they) (says?|said) is (un)?true|\buntrue\b|is (not )?"
    r"trafficking|was trafficked|is smuggling|forced labour|\bexploit|free to leave|nobody has "
    r"any hold|the (agency|contract)s? (is|are) fake|in reality", re.IGNORECASE)


@pytest.mark.parametrize("scenario", list(BANK), ids=lambda s: s.id)
def test_narratives_give_evidence_not_legal_conclusions(scenario):
    found = CONCLUSIONS.search(scenario.narrative)
    assert not found, f"{scenario.id}: the narrative concludes {found.group(0)!r}"


def test_every_scenario_lists_its_evidence():
    assert [s.id for s in BANK if not s.evidence] == []


@pytest.mark.parametrize("scenario", WITH_EVIDENCE, ids=lambda s: s.id)
def test_each_element_a_scenario_meets_is_shown_by_its_evidence(scenario):
    a = scenario.assessment
    shown = {k for e in scenario.evidence for k in e.shows}
    met = {e.key for r in (a.trafficking, a.smuggling) for e in r.elements if e.met}
    assert met <= shown, f"{scenario.id}: no evidence shows {sorted(met - shown)}"
    # and no item claims to show an element that the facts do not meet
    assert shown <= met, f"{scenario.id}: evidence shows {sorted(shown - met)}, not met"


@pytest.mark.parametrize("scenario", WITH_EVIDENCE, ids=lambda s: s.id)
def test_the_feedback_names_the_evidence_for_each_element(scenario):
    a = scenario.assessment
    r = grade(scenario, [*a.trafficking.met, *a.smuggling.met], scenario.expected_verdict)
    for e in r.elements:
        items = [i.citation for i in scenario.evidence if e.key in i.shows]
        if e.status == "met":
            assert f"Evidence: {'; '.join(items)}." in e.line, (scenario.id, e.key)
    assert "Evidence: " in feedback_text(r)


GOOD = """\
- id: ok-one
  title: A title
  topic: definitions
  difficulty: introductory
  provenance: {kind: constructed}
  narrative: >-
    %s
  facts: {acts: [recruitment]}
  evidence:
    - id: a-letter
      label: A letter
      kind: document
      text: The letter says what it says.
      shows: [act]
  expected_verdict: neither
  explanation: An explanation that is long enough.
""" % ("word " * 90)


@pytest.mark.parametrize(("old", "new", "field", "fragment"), [
    ("kind: document", "kind: rumour", "evidence.0.kind", "is not one of"),
    ("shows: [act]", "shows: [border]", "evidence.0.shows.0", "is not one of"),
    ("      label: A letter\n", "", "evidence.0.label", "'label' is a required property"),
    ("  expected_verdict", "    - {id: a-letter, label: Again, kind: record, text: The same id "
     "twice here.}\n  expected_verdict", "evidence.1.id", "duplicate evidence id 'a-letter'"),
])
def test_bad_evidence_names_file_record_and_field(tmp_path, old, new, field, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(GOOD.replace(old, new)))
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    assert info.value.field == field and info.value.record in ("ok-one", "a-letter")
    assert fragment in str(info.value) and str(path) in str(info.value)


# -- the scenario findings of issue 21 ------------------------------------------------------

def test_a_threat_of_arrest_is_coercion_not_a_threat_of_force():
    s = BANK.get("false-job-offer-restaurant")
    assert "threat_of_force" not in s.facts.means and "other_coercion" in s.facts.means
    assert "police would arrest him" in s.narrative
    assert "other forms of coercion" in s.explanation


def test_the_lender_case_shows_the_abuse_not_only_the_vulnerabilities():
    s = BANK.get("no-other-way-to-pay-the-lender")
    assert s.facts.means == {"abuse_of_vulnerability"}
    assert re.search(r"knows|reminds|uses", s.narrative), "the lender's use of her situation"
    assert "not her vulnerability alone" in s.explanation
    assert any("means" in e.shows and e.kind == "message" for e in s.evidence)


def test_going_home_is_judged_for_her_and_her_friend_is_smuggled_in_the_pair():
    home, friend = BANK.get("going-home-without-a-passport"), \
        BANK.get("her-friend-in-the-same-car")
    assert home.question and "41-year-old" in home.question
    assert home.expected_verdict == "neither" and friend.expected_verdict == "smuggling"
    assert "directly or indirectly" in home.explanation and "smuggl" in home.explanation
    assert friend.facts.benefit_to_procurer and friend.facts.illegal_entry


def test_a_lie_about_the_sea_lacks_the_purpose_not_the_means():
    """The lie got her into the dinghy, so it is a means used for the act; what is missing is a
    purpose of exploitation held when she was moved. The endangerment aggravates the smuggling."""
    s = BANK.get("a-lie-about-the-sea")
    assert "deception" in s.facts.means and s.facts.means_used_for_act is not False
    assert any("means" in e.shows and e.id == "voice-message" for e in s.evidence)
    assert s.facts.purposes and s.facts.purpose_at_time_of_act is False
    assert s.expected_verdict == "smuggling" and s.question
    assert "Art. 6(3)(a)" in s.explanation


def test_the_classifier_shows_the_evidence_and_whose_case_it_is():
    from trafficking_course.widgets import ScenarioClassifier

    c = ScenarioClassifier(ids=["going-home-without-a-passport"])
    shown = c.scenario_html.value
    assert "<b>The evidence, item by item</b>" in shown
    assert "Her expired passport (document)" in shown
    assert "Classify what happened to the 41-year-old woman herself" in shown
    for key, box in c.element_boxes.items():
        box.value = key in {"act", "procurement", "benefit", "illegal_entry"}
    c.verdict.value = "neither"
    c.check_button.click()
    assert "Against it: Her expired passport (document)." in c.feedback.value
