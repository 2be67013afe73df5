"""A case judged actor by actor: who did which act, with which means, intending what.

Art. 3(a) of the Trafficking Protocol is about conduct: an act "by means of" one of the means
"for the purpose of exploitation". In a case with several people (a recruiter, a driver, an
employer) each one is judged on their own conduct: the acts they did, the means they used to
secure those acts, and the purpose they held when they did them. The facts about the person
(age, consent, the border crossed) are shared; the conduct is each actor's.

    case = ActorCase.from_dict({"person": {"age": 24, ...},
                                "actors": [{"id": "recruiter", "name": "the recruiter",
                                            "conduct": {"acts": ["recruitment"], ...}}]})
    for judged in assess_case(case).actors:
        print(judged.explain())

Pure Python, no I/O: each actor's facts are the person's facts plus that actor's conduct,
assessed by engine.assess, so every reason cites the article paragraph the engine cites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trafficking_course.errors import FactsError
from trafficking_course.law.engine import FACT_KEYS, Assessment, Facts, assess
from trafficking_course.law.vocabulary import ELEMENT_NAMES, VERDICTS

#: Facts about the person, shared by every actor of a case.
PERSON_KEYS = ("age", "consented", "consented_to", "illegal_entry",
               "destination_national_or_resident", "compelled_offences")
#: Facts about one actor's conduct: what they did, how, and intending what.
CONDUCT_KEYS = tuple(k for k in FACT_KEYS if k not in PERSON_KEYS)


@dataclass(frozen=True)
class Actor:
    """One person in a case and their conduct, in the engine's vocabulary."""

    id: str
    name: str
    conduct: dict[str, Any]


@dataclass(frozen=True)
class ActorCase:
    """The facts about the person and the actors whose conduct is judged."""

    person: dict[str, Any]
    actors: tuple[Actor, ...]

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<case>", record: Any = None) -> ActorCase:
        """Check the case (person and actors) and each actor's facts; FactsError names the
        field (person.<key> or actors.<id>.conduct.<key>)."""
        if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
            raise FactsError("a case is a mapping with `person` and a list of `actors`",
                             file=source, record=record)
        person = data.get("person") or {}
        _only(person, PERSON_KEYS, "person", source, record)
        actors = tuple(_actor(raw, i, source, record) for i, raw in enumerate(data["actors"]))
        ids = [a.id for a in actors]
        if not actors or len(set(ids)) != len(ids):
            raise FactsError("a case needs at least one actor, each with its own id",
                             file=source, record=record, field="actors")
        case = cls(dict(person), actors)
        for actor in actors:   # every actor's facts must be valid facts for the engine
            try:
                case.facts(actor.id)
            except FactsError as exc:
                raise FactsError(exc.detail, file=source, record=record,
                                 field=f"actors.{actor.id}.conduct.{exc.field}") from None
        return case

    def actor(self, actor_id: str) -> Actor:
        try:
            return next(a for a in self.actors if a.id == actor_id)
        except StopIteration:
            raise FactsError(f"no actor {actor_id!r}; actors: "
                             f"{', '.join(a.id for a in self.actors)}") from None

    def facts(self, actor_id: str) -> Facts:
        """One actor's facts: the person's, plus that actor's conduct."""
        return Facts.from_dict({**self.person, **self.actor(actor_id).conduct})


def _only(data: Any, allowed: tuple[str, ...], where: str, source: str, record: Any) -> None:
    if not isinstance(data, dict):
        raise FactsError(f"{where} must be a mapping", file=source, record=record, field=where)
    for key in data:
        if key not in allowed:
            raise FactsError(f"{key!r} is not a fact about the {where}; allowed: "
                             f"{', '.join(allowed)}", file=source, record=record,
                             field=f"{where}.{key}")


def _actor(raw: Any, index: int, source: str, record: Any) -> Actor:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) \
            or not isinstance(raw.get("name"), str):
        raise FactsError("each actor needs an id and a name", file=source, record=record,
                         field=f"actors.{index}")
    conduct = raw.get("conduct") or {}
    _only(conduct, CONDUCT_KEYS, f"actors.{raw['id']}.conduct", source, record)
    return Actor(raw["id"], raw["name"], dict(conduct))


@dataclass(frozen=True)
class ActorAssessment:
    """One actor's verdict: the engine's assessment of that actor's facts."""

    actor: Actor
    assessment: Assessment

    @property
    def verdict(self) -> str:
        return self.assessment.verdict

    @property
    def trafficked(self) -> bool:
        return self.assessment.trafficking.established

    def summary(self) -> str:
        """One sentence: what the actor's conduct amounts to and which element decides it."""
        who = self.actor.name[:1].upper() + self.actor.name[1:]
        t = self.assessment.trafficking
        if t.established:
            return (f"{who}: {VERDICTS[self.verdict]}. Each element of Art. 3(a) is met by "
                    "this person's own conduct.")
        missing = [ELEMENT_NAMES[k] for k in t.missing] or ["the person's age"]
        return (f"{who}: {VERDICTS[self.verdict]}. Not trafficking by this person: "
                f"{_and(missing)} not shown in their own conduct.")

    def explain(self) -> str:
        """The summary, then the engine's reasons, element by element, each citing its article."""
        return f"{self.summary()}\n{self.assessment.explain()}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class CaseAssessment:
    case: ActorCase
    actors: tuple[ActorAssessment, ...]

    def actor(self, actor_id: str) -> ActorAssessment:
        return next(a for a in self.actors if a.actor.id == actor_id)

    @property
    def traffickers(self) -> tuple[str, ...]:
        """The ids of the actors whose own conduct meets the definition of trafficking."""
        return tuple(a.actor.id for a in self.actors if a.trafficked)


def assess_case(case: ActorCase | dict[str, Any]) -> CaseAssessment:
    """Judge each actor of a case on their own conduct."""
    c = case if isinstance(case, ActorCase) else ActorCase.from_dict(case)
    return CaseAssessment(c, tuple(ActorAssessment(a, assess(c.facts(a.id)))
                                   for a in c.actors))
