"""The links of Art. 3(a) ("by means of", "for the purpose of"), the nationality element's
wording, and actor-by-actor judgment (law/actors.py)."""

from __future__ import annotations

import pytest

from trafficking_course.content.scenarios import load_scenarios
from trafficking_course.errors import FactsError
from trafficking_course.law import ActorCase, Facts, assess, assess_case, explain_change

ADULT = {"acts": ["transportation"], "means": ["deception"], "purposes": ["forced_labour"],
         "age": 30}
SMUGGLED = {"illegal_entry": True, "entry_procured_by_another": True,
            "benefit_to_procurer": True}


@pytest.mark.parametrize("scenario", list(load_scenarios()), ids=lambda s: s.id)
def test_old_fact_sets_keep_their_verdicts_and_an_omitted_link_means_a_stated_one(scenario):
    f = scenario.facts
    assert f.means_used_for_act is None and f.purpose_at_time_of_act is None or \
        scenario.id in LINKED, scenario.id
    assert assess(f).verdict == scenario.expected_verdict
    if scenario.id in LINKED:
        return
    links = {}
    if f.means:
        links["means_used_for_act"] = True
    if f.purposes:
        links["purpose_at_time_of_act"] = True
    assert assess(f.replace(**links)).verdict == scenario.expected_verdict


#: Scenarios whose facts state a link (the others leave both links to the presumption).
#: the scenarios that state a link of Art. 3(a) (a means that did not secure the act, a purpose
#: not held when the act was done); every other scenario leaves both to the default
LINKED = {"a-lie-about-the-sea", "the-travel-agent-who-booked-the-flight"}


def test_a_means_that_did_not_secure_the_act_is_not_the_means_element():
    lie = {**ADULT, **SMUGGLED, "means_used_for_act": False}
    a = assess(lie)
    assert a.verdict == "smuggling"
    means = a.trafficking.element("means")
    assert means.met is False and means.state == "missing"
    assert "not used to secure the act" in means.reason and "\u201cby means of\u201d" in \
        means.reason
    assert means.article == "Trafficking Protocol, Art. 3(a)"
    # the same lie used to secure the act for exploitation is a means
    assert assess({**lie, "means_used_for_act": True}).verdict == "both"
    assert "used to secure the act" in \
        assess({**lie, "means_used_for_act": True}).trafficking.element("means").reason


def test_an_unlinked_lie_is_explained_by_the_missing_purpose_not_called_no_means():
    # a lie that wins agreement to travel secures the act (deception is a means); where the
    # purpose was not held, the reason points at the purpose; danger is Art. 6(3)(a)'s business
    lie = {**ADULT, **SMUGGLED, "means_used_for_act": False, "purpose_at_time_of_act": False}
    a = assess(lie)
    assert a.verdict == "smuggling"
    reason = a.trafficking.element("means").reason
    assert "not a means of trafficking" not in reason
    assert "would have secured the act, and would be a means" in reason
    assert "missing for trafficking in any case is the purpose of exploitation" in reason
    assert "Art. 6(3)(a)" in reason
    # with the purpose held, the means is what is missing: no claim about the purpose
    held = assess({**lie, "purpose_at_time_of_act": True}).trafficking.element("means").reason
    assert "purpose of exploitation" not in held
    # not smuggled for a benefit, or no lie: nothing about aggravating smuggling
    free = {**lie, "benefit_to_procurer": False}
    assert "6(3)" not in assess(free).trafficking.element("means").reason
    threat = assess({**lie, "means": ["threat_of_force"]}).trafficking.element("means").reason
    assert "6(3)" not in threat and "would be a means" not in threat


def test_purpose_must_be_held_at_the_time_of_the_act():
    a = assess({**ADULT, "purpose_at_time_of_act": False})
    assert a.verdict == "neither"
    purpose = a.trafficking.element("purpose")
    assert purpose.met is False and "\u201cfor the purpose of exploitation\u201d" in \
        purpose.reason
    assert "purpose_formed_later" in {n.key for n in a.trafficking.notes}
    assert assess({**ADULT, "purpose_at_time_of_act": True}).verdict == "trafficking"


def test_child_rule_consent_and_an_unlinked_means():
    # a child needs no means, so a means that secured nothing changes nothing
    child = assess({**ADULT, "age": 16, "means_used_for_act": False})
    assert child.verdict == "trafficking"
    assert child.trafficking.element("means").state == "not needed"
    assert "child_rule" in {n.key for n in child.trafficking.notes}
    # an adult who consented, with only an unlinked means: consent is no defence, the means
    # is what is missing (Art. 3(b) sets consent aside only where a means was used)
    adult = assess({**ADULT, "consented": True, "means_used_for_act": False})
    keys = {n.key for n in adult.trafficking.notes}
    assert adult.verdict == "neither"
    assert "consent_not_a_defence" in keys and "consent_irrelevant" not in keys


@pytest.mark.parametrize(("facts", "field", "fragment"), [
    ({"means_used_for_act": True}, "means_used_for_act", "needs means"),
    ({"purposes": ["slavery"], "purpose_at_time_of_act": "later"}, "purpose_at_time_of_act",
     "true or false"),
])
def test_a_link_without_what_it_links_is_refused(facts, field, fragment):
    with pytest.raises(FactsError) as info:
        assess(facts)
    assert info.value.field == field and fragment in str(info.value)


def test_links_round_trip_and_old_dicts_stay_as_they_were():
    f = Facts.from_dict({**ADULT, "means_used_for_act": False, "purpose_at_time_of_act": True})
    assert Facts.from_dict(f.to_dict()) == f
    assert "means_used_for_act" not in Facts.from_dict(ADULT).to_dict()


# -- nationality follows the facts (issue 24) --------------------------------------------------

def test_recruited_within_own_country_does_not_read_not_a_national_met():
    """Module 1's explorer case: recruited within his own country, no entry anywhere."""
    text = assess({"acts": ["recruitment"], "means": ["deception"],
                   "purposes": ["forced_labour"], "age": 26}).explain()
    assert "Not a national or permanent resident (met)" not in text
    assert "Not a national or permanent resident (not at issue): No entry into another State " \
        "is described" in text


def test_a_stage_before_leaving_home_does_not_speak_of_the_state_entered():
    """Module 9's stage 1: still in Nigeria, a national of it."""
    a = assess({"acts": ["recruitment"], "means": ["deception"], "purposes":
                ["prostitution_of_others"], "age": 22, "destination_national_or_resident": True})
    e = a.smuggling.element("not_national_or_resident")
    assert "State entered" not in e.reason and "own country" in e.reason
    assert e.state == "not at issue" and a.verdict == "trafficking"
    entering = assess({**SMUGGLED, "age": 22, "destination_national_or_resident": True})
    assert "national or permanent resident of the State entered" in \
        entering.smuggling.element("not_national_or_resident").reason


def test_explain_change_names_an_element_that_comes_into_issue():
    before = assess({"acts": ["transportation"], "age": 30})
    after = assess({"acts": ["transportation"], "age": 30, **SMUGGLED})
    line = explain_change(before, after)
    assert line and "\u201cNot a national or permanent resident\u201d is now met" in line


# -- actor by actor ------------------------------------------------------------------------

CASE = {
    "person": {"age": 24, "consented": True, "illegal_entry": True},
    "actors": [
        {"id": "recruiter", "name": "the recruiter",
         "conduct": {"acts": ["recruitment"], "means": ["deception"],
                     "purposes": ["forced_labour"], "means_used_for_act": True,
                     "purpose_at_time_of_act": True}},
        {"id": "driver", "name": "the driver",
         "conduct": {"acts": ["transportation"], "means": ["deception"],
                     "purposes": ["forced_labour"], "means_used_for_act": False,
                     "purpose_at_time_of_act": False, "entry_procured_by_another": True,
                     "benefit_to_procurer": True}},
        {"id": "employer", "name": "the employer",
         "conduct": {"acts": ["harbouring", "receipt"], "means": ["other_coercion"],
                     "purposes": ["forced_labour"], "means_stage": "destination"}},
    ],
}


def test_each_actor_is_judged_on_their_own_conduct():
    judged = assess_case(CASE)
    assert judged.traffickers == ("recruiter", "employer")
    assert {a.actor.id: a.verdict for a in judged.actors} == {
        "recruiter": "trafficking", "driver": "smuggling", "employer": "trafficking"}
    driver = judged.actor("driver")
    assert driver.assessment.trafficking.missing == ("means", "purpose")
    assert driver.summary() == ("The driver: Smuggling of migrants. Not trafficking by this "
                                "person: Means and Purpose of exploitation not shown in their "
                                "own conduct.")
    assert "[Trafficking Protocol, Art. 3(a)]" in driver.explain()
    assert judged.actor("employer").summary().startswith("The employer: Trafficking in persons.")


@pytest.mark.parametrize(("change", "field"), [
    (lambda c: c["person"].update(acts=["recruitment"]), "person.acts"),
    (lambda c: c["actors"][0]["conduct"].update(age=30), "actors.recruiter.conduct.age"),
    (lambda c: c["actors"][1]["conduct"].update(means=["lying"]), "actors.driver.conduct.means"),
    (lambda c: c["actors"].append(dict(c["actors"][0])), "actors"),
])
def test_a_bad_case_names_the_field(change, field):
    import copy
    bad = copy.deepcopy(CASE)
    change(bad)
    with pytest.raises(FactsError) as info:
        ActorCase.from_dict(bad, source="case.yaml", record="three-people")
    assert info.value.field == field and "case.yaml" in str(info.value)
