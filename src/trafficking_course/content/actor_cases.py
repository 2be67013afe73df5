"""Cases judged actor by actor: data/actor_cases/<id>.yaml, checked by schemas/actor_case.json.

A case gives the evidence (what people said, did and had) and, for each actor (a recruiter, a
driver, an employer), their conduct in the legal engine's vocabulary and which evidence shows
or tells against each element for that actor. The student judges each actor: the elements of
Art. 3(a) their own conduct shows, and what it amounts to. grade_case() checks that reasoning
actor by actor and element by element against law.assess_case, and its feedback names the
evidence for each element. A bad file raises ActorCaseError naming file, record and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from trafficking_course.content.classification import ElementFeedback
from trafficking_course.content.evidence import Evidence, parse_evidence
from trafficking_course.content.records import HasProvenance, RecordKind, validate
from trafficking_course.errors import ActorCaseError, FactsError
from trafficking_course.law import ELEMENT_NAMES, ELEMENTS, VERDICTS
from trafficking_course.law.actors import ActorAssessment, ActorCase, CaseAssessment, assess_case
from trafficking_course.law.engine import Element

SCHEMA = "actor_case"
#: The elements a student judges for each actor: those of Art. 3(a) of the Trafficking Protocol.
JUDGED = tuple(ELEMENTS["trafficking"])


@dataclass(frozen=True)
class CaseActor:
    id: str
    name: str
    explanation: str
    shows: Mapping[str, tuple[str, ...]]
    against: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class ActorCaseRecord(HasProvenance):
    id: str
    title: str
    question: str
    narrative: str
    provenance: dict[str, str]
    evidence: tuple[Evidence, ...]
    case: ActorCase
    actors: tuple[CaseActor, ...]
    discussion: str
    file: str = ""

    @cached_property
    def assessment(self) -> CaseAssessment:
        return assess_case(self.case)

    def actor(self, actor_id: str) -> CaseActor:
        return next(a for a in self.actors if a.id == actor_id)

    def item(self, evidence_id: str) -> Evidence:
        return next(e for e in self.evidence if e.id == evidence_id)

    def cited(self, actor_id: str, element: str) -> str:
        """' Evidence: ...' and ' Against it: ...' for one actor's element, or ''."""
        actor, out = self.actor(actor_id), ""
        if ids := actor.shows.get(element):
            out += " Evidence: " + "; ".join(self.item(i).citation for i in ids) + "."
        if ids := actor.against.get(element):
            out += " Against it: " + "; ".join(self.item(i).citation for i in ids) + "."
        return out


def _citations(raw: Mapping[str, Any], known: set[str], *, file: str, record: str,
               field: str) -> dict[str, tuple[str, ...]]:
    for element, ids in raw.items():
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ActorCaseError(f"unknown evidence id {unknown[0]!r}; evidence: "
                                 f"{', '.join(sorted(known))}", file=file, record=record,
                                 field=f"{field}.{element}")
    return {k: tuple(v) for k, v in raw.items()}


def parse_actor_case(doc: Any, *, file: str | Path) -> ActorCaseRecord:
    """Validate a case document (from YAML) and build it; ActorCaseError on any problem."""
    file = str(file)
    validate(doc, SCHEMA, ActorCaseError, file=file)
    evidence = parse_evidence(doc["evidence"], ActorCaseError, file=file, record=doc["id"])
    known = {e.id for e in evidence}
    try:
        case = ActorCase.from_dict({"person": doc["person"], "actors": doc["actors"]},
                                   source=file, record=doc["id"])
    except FactsError as exc:
        raise ActorCaseError(exc.detail, file=file, record=doc["id"], field=exc.field) from None
    actors = tuple(
        CaseActor(raw["id"], raw["name"], raw["explanation"].strip(),
                  _citations(raw["shows"], known, file=file, record=raw["id"], field="shows"),
                  _citations(raw.get("against", {}), known, file=file, record=raw["id"],
                             field="against"))
        for raw in doc["actors"])
    record = ActorCaseRecord(doc["id"], doc["title"], doc["question"].strip(),
                             doc["narrative"].strip(), dict(doc["provenance"]), evidence, case,
                             actors, doc["discussion"].strip(), file)
    _check_every_element_is_evidenced(record)
    return record


def _check_every_element_is_evidenced(record: ActorCaseRecord) -> None:
    """Each element an actor's conduct meets must cite the evidence that shows it (the
    smuggling elements only for an actor who procured the entry: they are that actor's)."""
    for judged in record.assessment.actors:
        actor = record.actor(judged.actor.id)
        smuggling = judged.assessment.smuggling
        elements = judged.assessment.trafficking.elements + (
            smuggling.elements if smuggling.element("procurement").met else ())
        for e in elements:
            if e.met and not actor.shows.get(e.key):
                raise ActorCaseError(
                    f"{ELEMENT_NAMES[e.key]} is met by this actor's conduct, but no evidence "
                    "is cited for it", file=record.file, record=actor.id,
                    field=f"shows.{e.key}")


#: Actor-by-actor cases: data/actor_cases/<case id>.yaml.
ACTOR_CASES: RecordKind[ActorCaseRecord] = RecordKind("actor_cases", ActorCaseError,
                                                      parse_actor_case)
load_actor_case = ACTOR_CASES.load
load_actor_case_file = ACTOR_CASES.load_file


# -- marking a student's judgment, actor by actor ---------------------------------------------

@dataclass(frozen=True)
class ActorResult:
    actor_id: str
    name: str
    verdict: str | None
    expected_verdict: str
    elements: tuple[ElementFeedback, ...]
    smuggling: tuple[str, ...]      # the smuggling reasons, where this actor procured an entry
    explanation: str

    @property
    def verdict_right(self) -> bool:
        return self.verdict == self.expected_verdict

    @property
    def elements_right(self) -> int:
        return sum(1 for e in self.elements if e.agrees)

    @property
    def correct(self) -> bool:
        """Right only when the verdict and every element are: the reasoning, not the guess."""
        return self.verdict_right and self.elements_right == len(self.elements)


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    actors: tuple[ActorResult, ...]

    @property
    def score(self) -> int:
        return sum(1 for a in self.actors if a.correct)

    def actor(self, actor_id: str) -> ActorResult:
        return next(a for a in self.actors if a.actor_id == actor_id)


def _element_feedback(record: ActorCaseRecord, actor_id: str, e: Element, ticked: bool
                      ) -> ElementFeedback:
    status = "not needed" if e.state == "unknown" else e.state
    agrees = ticked if status == "met" else not ticked
    return ElementFeedback(e.key, ELEMENT_NAMES[e.key], ticked, status, agrees, e.reason,
                           e.article, record.cited(actor_id, e.key))


def _smuggling_lines(record: ActorCaseRecord, judged: ActorAssessment) -> tuple[str, ...]:
    s = judged.assessment.smuggling
    if not s.element("procurement").met:
        return ()
    return tuple(f"{ELEMENT_NAMES[e.key]} ({e.state}): {e.reason} [{e.article}]"
                 f"{record.cited(judged.actor.id, e.key)}" for e in s.elements)


def grade_actor(record: ActorCaseRecord, actor_id: str, elements: list[str] | tuple[str, ...],
                verdict: str | None) -> ActorResult:
    """Mark one actor: the elements of Art. 3(a) ticked for them, and the verdict chosen."""
    unknown = set(elements) - set(JUDGED)
    if unknown:
        raise FactsError(f"unknown element {sorted(unknown)[0]!r}; judged here: "
                         f"{', '.join(JUDGED)}", record=actor_id)
    if verdict is not None and verdict not in VERDICTS:
        raise FactsError(f"unknown verdict {verdict!r}; known: {', '.join(VERDICTS)}",
                         record=actor_id)
    judged = record.assessment.actor(actor_id)
    feedback = tuple(_element_feedback(record, actor_id, e, e.key in elements)
                     for e in judged.assessment.trafficking.elements)
    return ActorResult(actor_id, judged.actor.name, verdict, judged.verdict, feedback,
                       _smuggling_lines(record, judged), record.actor(actor_id).explanation)


def grade_case(record: ActorCaseRecord, answers: Mapping[str, Mapping[str, Any]]) -> CaseResult:
    """Mark every actor (answers: actor id -> {"elements": [...], "verdict": ...})."""
    unknown = set(answers) - {a.id for a in record.actors}
    if unknown:
        raise FactsError(f"unknown actor {sorted(unknown)[0]!r}", file=record.file)
    return CaseResult(record.id, tuple(
        grade_actor(record, a.id, tuple(answers.get(a.id, {}).get("elements", ())),
                    answers.get(a.id, {}).get("verdict"))
        for a in record.actors))


def actor_headline(result: ActorResult) -> str:
    """The result line for one actor: the verdict, then whether the reasoning holds."""
    who = result.name[:1].upper() + result.name[1:]
    expected = VERDICTS[result.expected_verdict]
    if result.verdict is None:
        return f"{who}: choose what this person's conduct amounts to first."
    wrong = len(result.elements) - result.elements_right
    if result.correct:
        return f"{who}: right, {expected}, and every element judged right."
    if result.verdict_right:
        return (f"{who}: right verdict ({expected}), but {wrong} of the elements of Art. 3(a) "
                "judged wrong: the reasoning does not yet hold.")
    return f"{who}: not quite: you chose {VERDICTS[result.verdict]}; the answer is {expected}."


def actor_feedback(result: ActorResult) -> str:
    """The feedback for one actor: result line, each element with its evidence, explanation."""
    lines = [actor_headline(result)]
    if result.verdict is None:
        return lines[0]
    lines.extend(f"- {e.line}" for e in result.elements)
    if result.smuggling:
        lines.append("Smuggling of migrants, by this person's conduct:")
        lines.extend(f"- {line}" for line in result.smuggling)
    lines.append(f"Why: {result.explanation}")
    return "\n".join(lines)
