"""The scenario bank: schema-valid, answer key equal to the engine, coverage, clear errors."""

from __future__ import annotations

import re
import textwrap

import pytest

from trafficking_course.content.scenarios import load_file, load_scenarios, schema
from trafficking_course.errors import ScenarioError
from trafficking_course.law import ACTS, MEANS, MEANS_STAGES, PURPOSES, VERDICTS

BANK = load_scenarios()


@pytest.mark.parametrize("scenario", list(BANK), ids=lambda s: s.id)
def test_expected_verdict_equals_the_engine(scenario):
    a = scenario.assessment
    assert a.decided, f"{scenario.id}: the engine needs {a.missing_facts}"
    assert a.verdict == scenario.expected_verdict, f"{scenario.file}: {scenario.id}"


def _write(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text))
    return path


GOOD = """\
- id: ok-one
  title: A title
  topic: definitions
  difficulty: introductory
  provenance: {kind: constructed}
  narrative: >-
    %s
  facts: {acts: [recruitment]}
  expected_verdict: neither
  explanation: An explanation that is long enough.
""" % ("word " * 90)


@pytest.mark.parametrize(("old", "new", "field", "fragment"), [
    ("difficulty: introductory", "difficulty: easy", "difficulty", "is not one of"),
    ("expected_verdict: neither", "expected_verdict: maybe", "expected_verdict", "is not one"),
    ("  title: A title\n", "", "title", "'title' is a required property"),
    ("{kind: constructed}", "{kind: adapted}", "provenance.source", "'source' is a required"),
    ("{acts: [recruitment]}", "{acts: [kidnap]}", "facts.acts", "unknown value 'kidnap'"),
    ("{acts: [recruitment]}", "{actz: []}", "facts.actz", "unknown key 'actz'"),
    ("  topic: definitions\n", "  topic: definitions\n  colour: red\n", "colour", "colour"),
])
def test_invalid_scenario_names_file_id_and_field(tmp_path, old, new, field, fragment):
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    err = info.value
    assert err.file == str(path) and err.record == "ok-one" and err.field == field
    assert fragment in str(err)
    assert str(path) in str(err) and "'ok-one'" in str(err)


def test_narrative_length_is_checked(tmp_path):
    path = _write(tmp_path, GOOD.replace("word " * 90, "too short " * 5))
    with pytest.raises(ScenarioError, match="narrative has 10 words"):
        load_file(path)


def test_good_fixture_loads(tmp_path):
    (s,) = load_file(_write(tmp_path, GOOD))
    assert s.id == "ok-one" and s.provenance_line == "Constructed for teaching"


def test_duplicate_ids_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(ScenarioError, match="duplicate id"):
        load_scenarios(tmp_path)


def test_not_yaml(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- id: [unclosed")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_file(path)


def test_filters_and_seeded_sample():
    assert all(s.topic == "definitions" for s in BANK.filter(topic="definitions"))
    a = [s.id for s in BANK.sample(seed=1)]
    b = [s.id for s in BANK.sample(seed=1)]
    assert a == b and sorted(a) == sorted(s.id for s in BANK)


# --------------------------------------------------------------------------------------------
# Coverage of the bank: what a lecturer needs from it (issue 3)
# --------------------------------------------------------------------------------------------

TOPICS = schema()["properties"]["topic"]["enum"]


def _tagged(tag):
    return [s for s in BANK if tag in s.tags]


def test_bank_has_at_least_forty_scenarios():
    assert len(BANK) >= 40


@pytest.mark.parametrize(("key", "value"), [
    *(("acts", v) for v in ACTS), *(("means", v) for v in MEANS),
    *(("purposes", v) for v in PURPOSES),
])
def test_every_element_value_is_used(key, value):
    assert any(value in getattr(s.facts, key) for s in BANK), f"no scenario uses {key}={value}"


@pytest.mark.parametrize("stage", list(MEANS_STAGES))
def test_every_means_stage_is_used(stage):
    assert any(s.facts.means_stage == stage for s in BANK)


def _trafficked(s):
    return s.assessment.trafficking.established


def _smuggled(s):
    return s.assessment.smuggling.established


#: Each tricky rule of issue 3, as a tag, and what the facts of a scenario carrying the tag must
#: show, so that a tag cannot drift from the facts it claims to illustrate.
RULES = {
    "consent-with-means": lambda s: s.facts.consented and bool(s.facts.means) and _trafficked(s),
    "child-without-means": lambda s: s.facts.age < 18 and not s.facts.means and _trafficked(s),
    "age-17": lambda s: s.facts.age == 17 and _trafficked(s),
    "age-18": lambda s: s.facts.age == 18 and not _trafficked(s),
    "smuggling-without-benefit": lambda s: (s.facts.entry_procured_by_another
                                            and s.facts.illegal_entry
                                            and not s.facts.benefit_to_procurer
                                            and not _smuggled(s)),
    "legal-entry-for-fee": lambda s: (s.facts.entry_procured_by_another
                                      and s.facts.benefit_to_procurer
                                      and not s.facts.illegal_entry and not _smuggled(s)),
    "national-returning": lambda s: (s.facts.destination_national_or_resident
                                     and s.facts.illegal_entry and not _smuggled(s)),
    "forced-to-start": lambda s: s.facts.means_stage in ("recruitment", "both")
    and _trafficked(s),
    "forced-to-stay-on": lambda s: s.facts.means_stage in ("destination", "both")
    and _trafficked(s),
    "smuggling-to-trafficking": lambda s: s.expected_verdict == "both",
    "labour-abuse-without-means": lambda s: (not s.facts.means and s.facts.age >= 18
                                             and not _trafficked(s)),
    "organ-removal": lambda s: "removal_of_organs" in s.facts.purposes and _trafficked(s),
    "debt-bondage": lambda s: _trafficked(s),
    "domestic-servitude": lambda s: "servitude" in s.facts.purposes and _trafficked(s),
    "forced-criminality": lambda s: bool(s.facts.purposes & {"forced_labour", "forced_services"})
    and _trafficked(s) and s.facts.compelled_offences,
    "consent-to-exploitation": lambda s: s.facts.consent_scope == "exploitation",
    "nigeria-italy-norway": lambda s: s.topic == "case-nigeria-norway",
}


@pytest.mark.parametrize("tag", list(RULES))
def test_every_tricky_rule_is_taught_and_its_tag_matches_the_facts(tag):
    tagged = _tagged(tag)
    assert tagged, f"no scenario is tagged {tag!r}"
    wrong = [s.id for s in tagged if not RULES[tag](s)]
    assert not wrong, f"tagged {tag!r} but the facts do not show it: {wrong}"


def _notes(s):
    return {n.key for n in s.assessment.trafficking.notes + s.assessment.smuggling.notes}


def test_helping_without_gain_explains_that_domestic_and_eu_law_may_still_punish():
    # The brother who drives his sister and the fishing crew that rescues: not smuggling under
    # the Protocol, but Art. 6(4) and the Facilitation Directive change what follows.
    tagged = _tagged("smuggling-without-benefit")
    assert {"brother-drives-sister-for-free", "landed-by-a-fishing-crew"} <= {s.id for s in tagged}
    for s in tagged:
        assert "domestic_law_may_punish" in _notes(s), s.id
        assert "Art. 6(4)" in s.explanation and "2002/90/EC" in s.explanation, s.id


def test_forced_criminality_applies_non_punishment():
    for s in _tagged("forced-criminality"):
        assert "non_punishment" in _notes(s), s.id
        assert "Art. 26" in s.explanation and "2011/36/EU, Art. 8" in s.explanation, s.id


def test_no_explanation_treats_agreement_to_a_job_as_consent_to_exploitation():
    # Art. 3(b) is about consent "to the intended exploitation": an explanation may call
    # the person's agreement "consent ... irrelevant" only where the facts say they agreed to
    # the exploitation itself, or say what they agreed to instead.
    loose = re.compile(r"(his|her|their) (earlier )?consent( to the (job|crossing))? is "
                       r"irrelevant", re.IGNORECASE)
    wrong = [s.id for s in BANK if loose.search(s.explanation)
             and s.facts.consent_scope != "exploitation"]
    assert not wrong, wrong


def test_forced_to_start_and_forced_to_stay_on_each_appear_alone():
    stages = {s.facts.means_stage for s in BANK if _trafficked(s)}
    assert {"recruitment", "destination"} <= stages


def test_seventeen_and_eighteen_are_a_linked_pair():
    (s17,) = [s for s in _tagged("age-17") if s.topic == "definitions"]
    assert s17.pair and BANK.get(s17.pair).facts.age == 18
    assert BANK.get(s17.pair).facts.replace(age=17) == s17.facts


def test_the_nigeria_norway_case_runs_the_whole_route():
    case = BANK.filter(topic="case-nigeria-norway")
    assert len(case) >= 5 and all("nigeria-italy-norway" in s.tags for s in case)
    assert {s.expected_verdict for s in case} >= {"trafficking", "smuggling", "both"}


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_scenarios(topic):
    assert BANK.filter(topic=topic), f"no scenario for topic {topic!r}"


@pytest.mark.parametrize("verdict", list(VERDICTS))
def test_every_verdict_is_well_represented(verdict):
    assert sum(s.expected_verdict == verdict for s in BANK) >= 5


def test_every_difficulty_is_used():
    assert {s.difficulty for s in BANK} == {"introductory", "intermediate", "advanced"}


def test_definitions_support_a_ten_scenario_round_over_all_verdicts():
    definitions = BANK.filter(topic="definitions")
    assert len(definitions) >= 10
    assert {s.expected_verdict for s in definitions} == set(VERDICTS)
    assert BANK.filter(topic="definitions", difficulty="introductory")


def test_hard_pairs_differ_in_verdict_and_link_both_ways():
    hard = _tagged("hard-pair")
    assert len(hard) >= 8, "at least four contrasting pairs"
    for s in hard:
        assert s.pair, f"{s.id}: a hard-pair scenario must name its pair"
        other = BANK.get(s.pair)
        assert "hard-pair" in other.tags and other.pair == s.id, f"{s.id} <-> {other.id}"
        assert other.expected_verdict != s.expected_verdict, f"{s.id} and {other.id}"


def test_every_pair_link_is_mutual():
    for s in BANK:
        if s.pair:
            assert BANK.get(s.pair).pair == s.id, f"{s.id} names {s.pair}, which does not"


def test_adapted_scenarios_cite_a_dated_source():
    adapted = [s for s in BANK if s.provenance["kind"] == "adapted"]
    for s in adapted:
        assert re.search(r"\(?(19|20)\d\d\)?", s.provenance["source"]), s.id
        assert s.provenance_line.startswith("Adapted from ")
    for s in BANK:
        if s.provenance["kind"] == "constructed":
            assert s.provenance_line == "Constructed for teaching"


def test_titles_are_unique():
    titles = [s.title.casefold() for s in BANK]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("scenario", list(BANK), ids=lambda s: s.id)
def test_explanation_cites_the_articles_and_has_a_teachable_length(scenario):
    words = len(scenario.explanation.split())
    assert 40 <= words <= 120, f"{scenario.id}: explanation has {words} words"
    assert "Art. 3(" in scenario.explanation, f"{scenario.id}: cite the article paragraphs"


@pytest.mark.parametrize("scenario", list(BANK), ids=lambda s: s.id)
def test_age_is_given_in_facts_and_narrative(scenario):
    age = scenario.facts.age
    assert age is not None, f"{scenario.id}: give an age so the engine can decide"
    assert re.search(rf"\b{age}-year-old\b", scenario.narrative), f"{scenario.id}: age {age}"


@pytest.mark.parametrize("scenario", list(BANK), ids=lambda s: s.id)
def test_facts_are_coherent(scenario):
    f = scenario.facts
    assert f.means_stage is None or f.means, f"{scenario.id}: means_stage without a means"
    if f.benefit_to_procurer:
        assert f.entry_procured_by_another, f"{scenario.id}: a benefit for procuring nothing"


DEHUMANISING = re.compile(
    r"\b(prostitutes?|illegals|illegal (im)?migrants?|an illegal(?! (entry|stay|crossing)))\b",
    re.IGNORECASE)


def test_language_is_person_centred():
    for s in BANK:
        for name in ("title", "narrative", "explanation"):
            found = DEHUMANISING.search(getattr(s, name))
            assert not found, f"{s.id}.{name}: {found.group(0)!r}"
