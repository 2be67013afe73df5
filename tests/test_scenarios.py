"""The scenario bank: schema-valid, answer key equal to the engine, coverage, clear errors."""

from __future__ import annotations

import textwrap

import pytest

from trafficking_course.errors import ScenarioError
from trafficking_course.scenarios import load_file, load_scenarios

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
