"""The scenario bank: data/scenarios/*.yaml, validated against a JSON Schema.

Each file holds a list of scenarios (or one). A scenario is a short case in the project's own
words with its facts in the legal engine's vocabulary and the expected verdict; a test keeps
every expected verdict equal to legal.assess(facts), so the answer key cannot drift from the
engine. A scenario may list its evidence (what people said, did and had; content/evidence.py),
each item naming the elements it bears on, and a question saying whose case is classified. A
bad file raises ScenarioError naming the file, the scenario id and the field.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from trafficking_course.content.evidence import Evidence, parse_evidence
from trafficking_course.content.records import (
    HasProvenance,
    facts_from,
    load_schema,
    read_yaml,
    validate,
)
from trafficking_course.errors import ScenarioError
from trafficking_course.law import Assessment, Facts, assess
from trafficking_course.paths import data_dir

DIFFICULTIES = ("introductory", "intermediate", "advanced")


def schema() -> dict[str, Any]:
    """The scenario JSON Schema (its enums list the topics and difficulties)."""
    return load_schema("scenario")


@dataclass(frozen=True)
class Scenario(HasProvenance):
    id: str
    title: str
    narrative: str
    facts: Facts
    expected_verdict: str
    explanation: str
    topic: str
    difficulty: str
    provenance: dict[str, str]
    tags: tuple[str, ...] = ()
    pair: str | None = None
    evidence: tuple[Evidence, ...] = ()
    question: str | None = None
    file: str = field(default="", compare=False)

    @cached_property
    def assessment(self) -> Assessment:
        return assess(self.facts)


class ScenarioBank:
    """An ordered collection of scenarios with lookup and filters."""

    def __init__(self, scenarios: list[Scenario]):
        self.scenarios = list(scenarios)
        self._by_id = {s.id: s for s in self.scenarios}

    def __len__(self) -> int:
        return len(self.scenarios)

    def __iter__(self):
        return iter(self.scenarios)

    def get(self, scenario_id: str) -> Scenario:
        try:
            return self._by_id[scenario_id]
        except KeyError:
            raise ScenarioError(f"no scenario with id {scenario_id!r}",
                                record=scenario_id) from None

    def filter(self, *, topic: str | None = None, difficulty: str | None = None,
               tags: list[str] | tuple[str, ...] = (), ids: list[str] | None = None,
               ) -> list[Scenario]:
        found = [self.get(i) for i in ids] if ids else list(self.scenarios)
        return [s for s in found
                if (topic is None or s.topic == topic)
                and (difficulty is None or s.difficulty == difficulty)
                and all(t in s.tags for t in tags)]

    def sample(self, n: int | None = None, *, seed: int | None = None, **filters: Any
               ) -> list[Scenario]:
        """Up to n scenarios matching filters, in a random order fixed by seed."""
        chosen = self.filter(**filters)
        random.Random(seed).shuffle(chosen)
        return chosen if n is None else chosen[:n]


def parse_scenario(raw: Any, *, file: str, index: int) -> Scenario:
    """Validate one raw scenario (from YAML) and build it; ScenarioError on any problem."""
    record = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
    validate(raw, "scenario", ScenarioError, file=file, default_record=record,
             root="(scenario)")
    facts = facts_from(raw["facts"], ScenarioError, file=file, record=record)
    words = len(raw["narrative"].split())
    if not 80 <= words <= 200:
        raise ScenarioError(f"narrative has {words} words; it must have 80 to 200",
                            file=file, record=record, field="narrative")
    return Scenario(
        id=raw["id"], title=raw["title"], narrative=raw["narrative"].strip(), facts=facts,
        expected_verdict=raw["expected_verdict"], explanation=raw["explanation"].strip(),
        topic=raw["topic"], difficulty=raw["difficulty"], provenance=dict(raw["provenance"]),
        tags=tuple(raw.get("tags", ())), pair=raw.get("pair"),
        evidence=parse_evidence(raw.get("evidence"), ScenarioError, file=file, record=record),
        question=raw.get("question"), file=file,
    )


def load_file(path: Path) -> list[Scenario]:
    path = Path(path)
    doc = read_yaml(path, ScenarioError)
    if isinstance(doc, dict):
        doc = [doc]
    if not isinstance(doc, list) or not doc:
        raise ScenarioError("must hold a scenario or a non-empty list of scenarios", file=path)
    return [parse_scenario(raw, file=str(path), index=i) for i, raw in enumerate(doc)]


def load_scenarios(folder: Path | None = None) -> ScenarioBank:
    """Every scenario in data/scenarios/*.yaml (or folder), validated; ids must be unique."""
    folder = Path(folder) if folder else data_dir() / "scenarios"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ScenarioError("no scenario files (*.yaml) found", file=folder)
    seen: dict[str, str] = {}
    scenarios: list[Scenario] = []
    for path in files:
        for s in load_file(path):
            if s.id in seen:
                raise ScenarioError(f"duplicate id, first used in {seen[s.id]}", file=path,
                                    record=s.id, field="id")
            seen[s.id] = str(path)
            scenarios.append(s)
    for s in scenarios:
        if s.pair is not None and s.pair not in seen:
            raise ScenarioError(f"pair names unknown scenario {s.pair!r}", file=s.file,
                                record=s.id, field="pair")
    return ScenarioBank(scenarios)
