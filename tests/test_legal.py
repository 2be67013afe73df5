"""legal: the elements of Art. 3 of both Protocols, each rule the course teaches."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from trafficking_course.errors import FactsError
from trafficking_course.law import (
    ACTS,
    ELEMENTS,
    MEANS,
    PURPOSES,
    Facts,
    assess,
    explain_change,
)

ADULT_TRAFFICKING = {"acts": ["recruitment"], "means": ["deception"],
                     "purposes": ["forced_labour"], "age": 30}
SMUGGLED = {"entry_procured_by_another": True, "benefit_to_procurer": True,
            "illegal_entry": True}


def notes(result):
    return {n.key for n in result.notes}


def test_adult_needs_act_means_and_purpose():
    a = assess(ADULT_TRAFFICKING)
    assert a.verdict == "trafficking"
    assert a.trafficking.met == ("act", "means", "purpose")
    assert all(e.article.startswith("Trafficking Protocol, Art. 3(a)")
               for e in a.trafficking.elements)
    for missing in ("acts", "means", "purposes"):
        facts = {**ADULT_TRAFFICKING, missing: []}
        b = assess(facts)
        assert b.verdict == "neither", missing
        assert b.trafficking.missing == ({"acts": "act", "means": "means",
                                          "purposes": "purpose"}[missing],)


@pytest.mark.parametrize("value", list(MEANS))
def test_every_means_counts(value):
    assert assess({**ADULT_TRAFFICKING, "means": [value]}).verdict == "trafficking"


@pytest.mark.parametrize("value", list(ACTS))
def test_every_act_counts(value):
    assert assess({**ADULT_TRAFFICKING, "acts": [value]}).verdict == "trafficking"


@pytest.mark.parametrize("value", list(PURPOSES))
def test_every_purpose_counts(value):
    assert assess({**ADULT_TRAFFICKING, "purposes": [value]}).verdict == "trafficking"


def test_consent_is_irrelevant_when_a_means_was_used():
    a = assess({**ADULT_TRAFFICKING, "consented": True})
    assert a.verdict == "trafficking"
    assert "consent_irrelevant" in notes(a.trafficking)
    assert any(n.article == "Trafficking Protocol, Art. 3(b)" for n in a.trafficking.notes)


def note(result, key):
    return next(n for n in result.notes if n.key == key)


def test_consent_to_a_job_is_not_consent_to_the_exploitation():
    # Old facts (no consented_to) mean what they meant: agreed to go or to work.
    a = assess({**ADULT_TRAFFICKING, "consented": True})
    assert a.facts.consent_scope == "travel_or_work"
    assert "consented_to" not in a.facts.to_dict()
    # ... but the note does not say what the facts do not: it says they are silent on it
    text = note(a.trafficking, "consent_irrelevant").text
    assert text.startswith("The facts say the person agreed, but not to what.")
    assert "not consent to the exploitation" in text and "one of the means" in text
    stated = assess({**ADULT_TRAFFICKING, "consented": True, "consented_to": "travel_or_work"})
    assert "not to the exploitation itself" in note(stated.trafficking, "consent_irrelevant").text


def test_a_job_promised_and_prostitution_found_is_deception_and_consent_is_its_product():
    # an adult promised a job and recruited for prostitution: the lie is the means (3(a)), and
    # the agreement it won is evidence of that means, not a defence
    job = {"acts": ["recruitment"], "means": ["deception"], "age": 24, "consented": True,
           "purposes": ["prostitution_of_others"]}
    a = assess(job)
    assert a.verdict == "trafficking"
    text = note(a.trafficking, "consent_irrelevant").text
    assert "evidence of the means, not a defence" in text and "under eighteen" not in text
    # a child: the note adds that no means is needed at all (3(c))
    child = note(assess({**job, "age": 16}).trafficking, "consent_irrelevant").text
    assert "no means is needed in any case (Art. 3(c))" in child
    # the same adult with no means coded: the note points at the lie that would be a means
    bare = note(assess({**job, "means": []}).trafficking, "consent_not_a_defence").text
    assert "missing means" in bare and "that is deception, a means" in bare


def test_consent_to_the_exploitation_itself_is_irrelevant_once_a_means_was_used():
    a = assess({**ADULT_TRAFFICKING, "consented": True, "consented_to": "exploitation"})
    assert a.verdict == "trafficking"
    n = note(a.trafficking, "consent_irrelevant")
    assert n.text.startswith("The person agreed to the exploitation itself, but that consent is "
                             "irrelevant")
    assert n.article == "Trafficking Protocol, Art. 3(b)" and n.layer == "protocols"
    assert Facts.from_dict(a.facts.to_dict()) == a.facts


@pytest.mark.parametrize("scope", ["travel_or_work", "exploitation"])
def test_adult_without_means_fails_for_the_means_not_because_consent_is_a_defence(scope):
    a = assess({**ADULT_TRAFFICKING, "means": [], "consented": True, "consented_to": scope})
    assert a.verdict == "neither"
    assert {"consent_not_a_defence", "exploitation_without_means"} <= notes(a.trafficking)
    assert "consent_stands" not in notes(a.trafficking)
    text = note(a.trafficking, "consent_not_a_defence").text
    assert "missing means" in text and "no consent defence" in text
    assert ("agreed to the exploitation itself" in text) == (scope == "exploitation")


def test_a_childs_agreement_to_anything_does_not_matter():
    a = assess({**ADULT_TRAFFICKING, "means": [], "age": 16, "consented": True,
                "consented_to": "exploitation"})
    assert a.verdict == "trafficking"
    assert "exploitation itself" in note(a.trafficking, "consent_child").text
    assert "consent_not_a_defence" not in notes(a.trafficking)


@pytest.mark.parametrize(("facts", "fragment"), [
    ({"consented_to": "exploitation"}, "needs consented: true"),
    ({"consented": True, "consented_to": "everything"}, "allowed values: travel_or_work"),
    ({"compelled_offences": "yes"}, "true or false"),
])
def test_bad_consent_scope_or_compelled_offences_name_the_field(facts, fragment):
    field = next(iter(k for k in facts if k != "consented"))
    with pytest.raises(FactsError) as info:
        assess(facts)
    assert info.value.field == field and fragment in str(info.value)


def test_domestic_trafficking_by_one_person_is_still_the_offence_untoc_34_2():
    a = assess(ADULT_TRAFFICKING)
    n = note(a.trafficking, "scope_domestic_offence")
    assert n.layer == "beyond" and n.text.startswith("Beyond the Protocols: ")
    assert "Art. 4" in n.article and "Art. 34(2)" in n.article
    crossed = assess({**ADULT_TRAFFICKING, **SMUGGLED})
    assert "scope_domestic_offence" not in notes(crossed.trafficking)
    assert "scope_domestic_offence" not in notes(assess({**ADULT_TRAFFICKING, "means": []})
                                                 .trafficking)


def test_abuse_of_vulnerability_is_explained_with_both_wordings():
    a = assess({**ADULT_TRAFFICKING, "means": ["abuse_of_vulnerability"]})
    n = note(a.trafficking, "vulnerability_meaning")
    assert "no real and acceptable alternative but to submit" in n.text
    assert "no real or acceptable alternative" in n.text
    assert "A/55/383/Add.1" in n.article and "2011/36/EU, Art. 2(2)" in n.article
    assert "vulnerability_meaning" not in notes(assess(ADULT_TRAFFICKING).trafficking)


def test_prostitution_without_means_is_left_to_domestic_law():
    adult = {"acts": ["recruitment"], "purposes": ["prostitution_of_others"], "age": 30,
             "consented": True, "consented_to": "exploitation"}
    a = assess(adult)
    assert a.verdict == "neither"
    n = note(a.trafficking, "prostitution_domestic_law")
    assert n.layer == "beyond" and "A/55/383/Add.1" in n.article
    assert "prostitution_domestic_law" not in notes(assess({**adult, "age": 17}).trafficking)
    assert "prostitution_domestic_law" not in notes(assess({**adult, "age": None}).trafficking)
    labour = assess({**adult, "purposes": ["forced_labour"]})
    assert "prostitution_domestic_law" not in notes(labour.trafficking)


def test_non_punishment_applies_to_offences_the_person_was_compelled_to_commit():
    cannabis = {**ADULT_TRAFFICKING, "compelled_offences": True}
    a = assess(cannabis)
    assert a.verdict == "trafficking"  # the element verdicts stay the Protocol's
    n = note(a.trafficking, "non_punishment")
    assert "compelled to commit offences" in n.text and n.layer == "beyond"
    # a possibility or an entitlement (Art. 26; Art. 8's words), never an automatic bar
    assert "possibility of not imposing penalties" in n.text
    assert "\u201centitled not to prosecute or impose penalties\u201d" in n.text
    assert "not an automatic bar" in n.text
    assert "2011/36/EU, Art. 8" in n.article
    assert "Art. 26" in n.article and "2011/36/EU, Art. 8" in n.article
    assert a.facts.to_dict()["compelled_offences"] is True
    assert "non_punishment" not in notes(assess(ADULT_TRAFFICKING).trafficking)
    without_means = assess({**cannabis, "means": []})
    assert without_means.verdict == "neither"
    assert "non_punishment_needs_trafficking" in notes(without_means.trafficking)
    assert "non_punishment" not in notes(without_means.trafficking)


def test_a_smuggled_migrant_may_still_face_domestic_law_and_is_protected():
    a = assess(SMUGGLED)
    assert {"migrant_not_liable", "migrant_other_offences", "migrant_protection",
            "refugee_protection"} <= notes(a.smuggling)
    assert note(a.smuggling, "migrant_other_offences").article == "Smuggling Protocol, Art. 6(4)"
    assert note(a.smuggling, "migrant_protection").article == "Smuggling Protocol, Art. 16"
    refugee = note(a.smuggling, "refugee_protection")
    assert "Arts 31(1), 33(1)-(2)" in refugee.article and "Art. 19(1)" in refugee.article
    # non-refoulement with its exceptions (Art. 33(2)); without any under the Convention against
    # Torture, the ICCPR as the Human Rights Committee reads it, and the ECHR, not only in Europe
    assert "unless Art. 33(2) applies" in refugee.text and "ECHR, Art. 3" in refugee.article
    assert "Convention against Torture, Art. 3(1)" in refugee.article
    assert "ICCPR, Art. 7 (Human Rights Committee, General Comment No. 20, para. 9)" in \
        refugee.article
    assert "without exception in Europe" not in refugee.text
    assert "substantial grounds for believing" in refugee.text
    home = assess({**SMUGGLED, "destination_national_or_resident": True})
    assert not {"refugee_protection", "migrant_other_offences"} & notes(home.smuggling)


def test_helping_for_nothing_is_not_smuggling_but_domestic_and_eu_law_may_punish_it():
    a = assess({**SMUGGLED, "benefit_to_procurer": False})
    assert a.verdict == "neither"
    n = note(a.smuggling, "domestic_law_may_punish")
    assert n.text.startswith("Beyond the Protocols: Not smuggling under the Protocol")
    assert "humanitarian" in n.text
    assert n.article == ("Smuggling Protocol, Art. 6(4); Directive 2002/90/EC, Art. 1; "
                         "UNCLOS, Art. 98(1); Court of Justice, Kinsa, C-460/23")
    # the Directive binds Norway too (Schengen); rescue is the law of the sea's duty, and its
    # prosecution contested, not settled either way; children in one's care are not facilitation
    assert "Schengen States such as Norway" in n.text and "law of the sea" in n.text
    assert "contested in practice" in n.text and "not facilitation under the Directive" in n.text
    assert "domestic_law_may_punish" not in notes(assess(SMUGGLED).smuggling)


def test_a_landing_without_benefit_is_recorded_not_called_plain_procurement():
    # a crew landing people it rescued: the facts record transport and landing; the engine
    # hedges on "procurement of illegal entry" (Art. 3(a), (b)) and lets the benefit decide
    landed = assess({"acts": ["transportation"], "age": 27, "illegal_entry": True,
                     "entry_procured_by_another": True})
    assert landed.verdict == "neither"
    procurement = landed.smuggling.element("procurement")
    assert procurement.met is True   # the facts as coded; the verdict does not change
    assert procurement.reason.startswith("The facts record that someone else brought the "
                                         "person in or arranged the entry.")
    assert "arguably not a crossing" in procurement.reason and "no benefit" in \
        procurement.reason
    act = landed.trafficking.element("act").reason
    assert "ordinary conduct" in act and "purpose of exploitation" in act
    # paid smuggling keeps the plain reasons
    paid = assess(SMUGGLED)
    assert paid.smuggling.element("procurement").reason == \
        "Someone else procured (arranged) the person's entry."


CASES = [ADULT_TRAFFICKING, SMUGGLED,
         {**ADULT_TRAFFICKING, **SMUGGLED, "compelled_offences": True},
         {**SMUGGLED, "benefit_to_procurer": False},
         {"acts": ["recruitment"], "purposes": ["prostitution_of_others"], "age": 30},
         {**ADULT_TRAFFICKING, "means": ["abuse_of_vulnerability"], "consented": True}]


@pytest.mark.parametrize("facts", CASES)
def test_the_engine_decides_only_under_the_protocols_and_says_so(facts):
    a = assess(facts)
    for result in (a.trafficking, a.smuggling):
        assert all(e.article.startswith(("Trafficking Protocol", "Smuggling Protocol"))
                   for e in result.elements)
        for n in result.notes:
            assert n.layer in ("protocols", "beyond")
            assert n.text.startswith("Beyond the Protocols: ") == (n.layer == "beyond")
            if n.layer == "protocols":
                assert "Protocol" in n.article or "Interpretative notes" in n.article
    assert a.explain().splitlines()[-1].startswith("The verdict applies the definitions of the "
                                                   "two UN Protocols of 2000 only")
    assert "two UN Protocols" in a.to_dict()["decides_under"]


@pytest.mark.parametrize(("age", "verdict"), [(17, "trafficking"), (18, "neither"),
                                              (0, "trafficking"), (45, "neither")])
def test_child_rule_17_against_18(age, verdict):
    a = assess({**ADULT_TRAFFICKING, "means": [], "age": age})
    assert a.verdict == verdict
    assert ("child_rule" in notes(a.trafficking)) == (age < 18)
    if age < 18:
        means = a.trafficking.element("means")
        assert means.met is None and not means.required
        assert "3(c)" in means.article


def test_unknown_age_without_means_names_the_missing_fact():
    a = assess({**ADULT_TRAFFICKING, "means": [], "age": None})
    assert not a.decided
    assert a.missing_facts == ("age",)
    assert a.to_dict()["missing_facts"] == ["age"]
    assert "age" in a.explain()


def test_unknown_age_with_means_is_decided():
    a = assess({**ADULT_TRAFFICKING, "age": None})
    assert a.decided and a.verdict == "trafficking"


def test_no_border_crossing_needed():
    a = assess(ADULT_TRAFFICKING)
    assert "no_border_needed" in notes(a.trafficking)


def test_smuggling_needs_all_four_elements():
    a = assess(SMUGGLED)
    assert a.verdict == "smuggling"
    assert a.smuggling.met == tuple(ELEMENTS["smuggling"])
    assert "migrant_not_liable" in notes(a.smuggling)
    assert any("Art. 5" in n.article for n in a.smuggling.notes)


def test_smuggling_without_benefit_is_not_smuggling():
    a = assess({**SMUGGLED, "benefit_to_procurer": False})
    assert a.verdict == "neither"
    assert a.smuggling.missing == ("benefit",)
    assert "no_benefit" in notes(a.smuggling)


def test_legal_entry_arranged_for_a_fee_is_not_smuggling():
    a = assess({**SMUGGLED, "illegal_entry": False})
    assert a.verdict == "neither"
    assert "legal_entry_for_fee" in notes(a.smuggling)
    assert "3(a), (b)" in a.smuggling.element("illegal_entry").article


def test_a_national_returning_home_is_not_smuggled():
    a = assess({**SMUGGLED, "destination_national_or_resident": True})
    assert a.verdict == "neither"
    assert a.smuggling.missing == ("not_national_or_resident",)
    assert "national_returning" in notes(a.smuggling)


def test_smuggling_that_turns_into_trafficking_is_both():
    a = assess({**SMUGGLED, **ADULT_TRAFFICKING, "means_stage": "destination"})
    assert a.verdict == "both"
    assert {"means_stage_destination", "smuggling_and_trafficking"} <= notes(a.trafficking)


@pytest.mark.parametrize(("stage", "phrase"), [("recruitment", "Forced to start"),
                                               ("destination", "Forced to stay on"),
                                               ("both", "Forced to start and forced to stay")])
def test_means_stage_is_explained(stage, phrase):
    a = assess({**ADULT_TRAFFICKING, "means_stage": stage})
    assert any(n.text.startswith(phrase) for n in a.trafficking.notes)


def test_explanation_cites_articles_line_by_line():
    text = assess({**SMUGGLED, **ADULT_TRAFFICKING}).explain()
    assert text.startswith("Verdict: Both")
    element_lines = [line for line in text.splitlines() if line.startswith("  - ")]
    assert len(element_lines) == 7
    assert all("[Trafficking Protocol" in line or "[Smuggling Protocol" in line
               for line in element_lines)


def test_explain_change_says_what_flipped():
    before = assess(ADULT_TRAFFICKING)
    after = assess({**ADULT_TRAFFICKING, "means": []})
    text = explain_change(before, after)
    assert "from Trafficking in persons to Neither" in text
    assert "\u201cMeans\u201d is now missing" in text
    assert explain_change(before, before) is None


def test_facts_round_trip_and_replace():
    f = Facts.from_dict({**ADULT_TRAFFICKING, **SMUGGLED, "means_stage": "both"})
    assert Facts.from_dict(f.to_dict()) == f
    g = f.replace(age=12, means=[])
    assert g.age == 12 and g.means == frozenset()


@pytest.mark.parametrize(("facts", "field", "fragment"), [
    ({"actz": []}, "actz", "unknown key 'actz'; allowed keys: acts, means"),
    ({"acts": ["kidnapping"]}, "acts", "allowed values: recruitment, transportation"),
    ({"means": "fraud"}, "means", "must be a list of strings"),
    ({"purposes": ["begging"]}, "purposes", "unknown value 'begging'"),
    ({"age": "17"}, "age", "whole number"),
    ({"age": True}, "age", "whole number"),
    ({"age": -1}, "age", "whole number"),
    ({"consented": "yes"}, "consented", "true or false"),
    ({"means_stage": "later"}, "means_stage", "recruitment, destination, both"),
])
def test_bad_facts_name_the_key_and_allowed_values(facts, field, fragment):
    with pytest.raises(FactsError) as info:
        assess(facts)
    assert info.value.field == field
    assert fragment in str(info.value)


def test_not_an_object():
    with pytest.raises(FactsError, match="must be a JSON object"):
        assess(["acts"])


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "trafficking_course", "assess", *args],
                          input=stdin, capture_output=True, text=True)


def test_cli_reads_stdin_and_prints_one_json_object():
    out = run_cli("-", stdin='{"acts": ["recruitment"]}')
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["verdict"] == "neither"
    assert result["trafficking"]["elements_met"] == ["act"]


def test_cli_reads_a_file(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**SMUGGLED, **ADULT_TRAFFICKING, "compelled_offences": True}))
    out = run_cli(str(path))
    assert out.returncode == 0
    result = json.loads(out.stdout)
    assert result["verdict"] == "both"
    layers = {n["note"]: n["layer"] for n in result["trafficking"]["notes"]}
    assert layers["non_punishment"] == "beyond"
    assert layers["smuggling_and_trafficking"] == "protocols"


@pytest.mark.parametrize(("stdin", "fragment"), [
    ('{"acts": ["kidnap"]}', "field 'acts': unknown value 'kidnap'; allowed values: recruitment"),
    ('{"colour": 1}', "unknown key 'colour'"),
    ('{"age": "ten"}', "field 'age'"),
    ("[1, 2]", "must be a JSON object"),
    ("{not json", "invalid JSON at line 1"),
])
def test_cli_bad_input_exits_2_with_one_line(stdin, fragment):
    out = run_cli("-", stdin=stdin)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and fragment in out.stderr
    assert out.stderr.startswith("error: <stdin>")


def test_cli_missing_file():
    out = run_cli("/nonexistent/case.json")
    assert out.returncode == 2 and out.stdout == ""
    assert "/nonexistent/case.json" in out.stderr


def test_consent_notes_need_an_intended_exploitation():
    # Art. 3(b): consent "to the intended exploitation" - without a purpose there is none
    a = assess({"acts": ["recruitment"], "means": ["deception"], "consented": True, "age": 30})
    assert not {"consent_irrelevant", "consent_not_a_defence"} & notes(a.trafficking)
    child = assess({**SMUGGLED, "acts": ["transportation"], "consented": True, "age": 15})
    assert child.verdict == "smuggling"
    assert "consent_child" not in notes(child.trafficking)


def test_benefit_is_about_intent():
    a = assess(SMUGGLED)
    assert "in order to obtain" in a.smuggling.element("benefit").reason


def test_an_explanation_reads_as_text_and_shows_as_formatted_text():
    """explain() is plain text (tests, the command line); as a notebook cell's last expression
    it is shown as markdown, which wraps between words (print() output breaks mid-word)."""
    a = assess({**SMUGGLED, "benefit_to_procurer": False})
    text = a.explain()
    assert isinstance(text, str) and text.splitlines()[0] == "Verdict: Neither"
    shown = text._repr_markdown_()
    assert shown.startswith("**Verdict: Neither**")
    assert "**Trafficking in persons: not all its elements are present**" in shown
    items = [line for line in shown.splitlines() if line.startswith("- ")]
    assert len(items) == sum(1 for line in text.splitlines() if line.startswith(("  - ", "  * ")))
    # never an indented line, which markdown would show as a code block
    assert not [line for line in shown.splitlines() if line.startswith("    ")]
    changed = explain_change(a, assess(SMUGGLED))
    assert changed is not None and changed._repr_markdown_().startswith("The verdict changed")


def test_a_childs_prostitution_is_named_as_sexual_exploitation_of_a_child():
    """Luxembourg Terminology Guidelines: for a child the reason says what it is."""
    facts = {"acts": ["recruitment"], "purposes": ["prostitution_of_others"]}
    child = assess({**facts, "age": 15}).trafficking.element("purpose").reason
    adult = assess({**facts, "age": 25}).trafficking.element("purpose").reason
    assert "the sexual exploitation of a child" in child
    assert "sexual exploitation of a child" not in adult
    assert "exploitation of the prostitution of others" in adult
