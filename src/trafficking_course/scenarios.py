"""The scenario bank: data/scenarios/*.yaml, validated against a JSON Schema.

Each file holds a list of scenarios (or one). A scenario is a short case in the project's own
words with its facts in the legal engine's vocabulary and the expected verdict; a test keeps
every expected verdict equal to legal.assess(facts), so the answer key cannot drift from the
engine. A bad file raises ScenarioError naming the file, the scenario id and the field.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import FactsError, ScenarioError
from .legal import Assessment, Facts, assess
from .paths import data_dir

DIFFICULTIES = ("introductory", "intermediate", "advanced")


def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("scenario_schema.json").read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Scenario:
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
    file: str = field(default="", compare=False)

    @cached_property
    def assessment(self) -> Assessment:
        return assess(self.facts)

    @property
    def provenance_line(self) -> str:
        if self.provenance["kind"] == "adapted":
            return f"Adapted from {self.provenance['source']}"
        return "Constructed for teaching"


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


def _error_field(error: jsonschema.ValidationError) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return ".".join([*path, missing])
    if error.validator == "additionalProperties" and "'" in error.message:
        return ".".join([*path, error.message.split("'")[1]])
    return ".".join(path) or "(scenario)"


def parse_scenario(raw: Any, *, file: str, index: int) -> Scenario:
    """Validate one raw scenario (from YAML) and build it; ScenarioError on any problem."""
    record = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        raise ScenarioError(e.message, file=file, record=record, field=_error_field(e))
    try:
        facts = Facts.from_dict(raw["facts"])
    except FactsError as exc:
        raise ScenarioError(exc.detail, file=file, record=record,
                            field=f"facts.{exc.field}" if exc.field else "facts") from None
    words = len(raw["narrative"].split())
    if not 80 <= words <= 200:
        raise ScenarioError(f"narrative has {words} words; it must have 80 to 200",
                            file=file, record=record, field="narrative")
    return Scenario(
        id=raw["id"], title=raw["title"], narrative=raw["narrative"].strip(), facts=facts,
        expected_verdict=raw["expected_verdict"], explanation=raw["explanation"].strip(),
        topic=raw["topic"], difficulty=raw["difficulty"], provenance=dict(raw["provenance"]),
        tags=tuple(raw.get("tags", ())), pair=raw.get("pair"), file=file,
    )


def load_file(path: Path) -> list[Scenario]:
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", file=path) from None
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
