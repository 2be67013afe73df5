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
from trafficking_course.content.findings import (
    CHOICES,
    Finding,
    FindingsResult,
    grade_findings,
    parse_findings,
)
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
    findings: tuple[Finding, ...] = ()

    @cached_property
    def assessment(self) -> CaseAssessment:
        return assess_case(self.case)

    def actor(self, actor_id: str) -> CaseActor:
        return next(a for a in self.actors if a.id == actor_id)

    def item(self, evidence_id: str) -> Evidence:
        return next(e for e in self.evidence if e.id == evidence_id)

    def name(self, evidence_id: str) -> str:
        """How the feedback names an evidence item."""
        return self.item(evidence_id).citation

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
                             actors, doc["discussion"].strip(), file,
                             findings=parse_findings(doc.get("findings")))
    _check_every_element_is_evidenced(record)
    _check_findings(record)
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


def _check_finding_evidence(record: ActorCaseRecord, finding: Finding) -> None:
    """A finding's evidence ids are the case's; none is both for and against it; a finding
    the evidence establishes cites the evidence for it."""
    known = {e.id for e in record.evidence}
    for field, ids in (("for", finding.shows), ("against", finding.against)):
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ActorCaseError(f"unknown evidence id {unknown[0]!r}; evidence: "
                                 f"{', '.join(sorted(known))}", file=record.file,
                                 record=finding.id, field=field)
    both = [i for i in finding.shows if i in finding.against]
    if both:
        raise ActorCaseError(f"evidence {both[0]!r} is listed both for and against this "
                             "finding", file=record.file, record=finding.id, field="against")
    if finding.established and not finding.shows:
        raise ActorCaseError("an established finding must cite the evidence for it",
                             file=record.file, record=finding.id, field="for")


def _check_finding_elements(record: ActorCaseRecord, finding: Finding) -> None:
    """The elements a finding carries agree with the engine's verdict on that actor: met if the
    finding is established (the analysis rests on it), not met if it is not (the element fails
    for want of it). So the findings support exactly the verdicts the case gives."""
    actors = {a.id for a in record.actors}
    for actor_id, keys in finding.elements.items():
        field = f"elements.{actor_id}"
        if actor_id not in actors:
            raise ActorCaseError(f"unknown actor {actor_id!r}; actors: "
                                 f"{', '.join(sorted(actors))}", file=record.file,
                                 record=finding.id, field=field)
        judged = record.assessment.actor(actor_id).assessment.trafficking
        for key in keys:
            if judged.element(key).met is not finding.established:
                state = "met" if judged.element(key).met else "not met"
                raise ActorCaseError(
                    f"{ELEMENT_NAMES[key]} is {state} by this actor's conduct, so a finding "
                    f"{CHOICES[finding.established].lower()} cannot carry it",
                    file=record.file, record=finding.id, field=field)


def _check_findings(record: ActorCaseRecord) -> None:
    seen: set[str] = set()
    for i, finding in enumerate(record.findings):
        if finding.id in seen:
            raise ActorCaseError(f"duplicate finding id {finding.id!r}", file=record.file,
                                 record=finding.id, field=f"findings.{i}.id")
        seen.add(finding.id)
        _check_finding_evidence(record, finding)
        _check_finding_elements(record, finding)


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


def actor_feedback(result: ActorResult, notes: tuple[str, ...] = ()) -> str:
    """The feedback for one actor: result line, each element with its evidence, explanation,
    then the notes on the student's own findings of fact (finding_notes) if any."""
    lines = [actor_headline(result)]
    if result.verdict is None:
        return lines[0]
    lines.extend(f"- {e.line}" for e in result.elements)
    if result.smuggling:
        lines.append("Smuggling of migrants, by this person's conduct:")
        lines.extend(f"- {line}" for line in result.smuggling)
    lines.append(f"Why: {result.explanation}")
    if notes:
        lines.append("Your findings of fact in step 1:")
        lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines)


# -- the fact-finding step: the student's findings, and what they do to step 2 ------------------

def grade_case_findings(record: ActorCaseRecord, answers: Mapping[str, Mapping[str, Any]]
                        ) -> FindingsResult:
    """Mark the student's findings of fact (answers: finding id -> {"established": ...,
    "evidence": [...]}) against the case's (see content/findings.py)."""
    return grade_findings(record.findings, answers, frozenset(e.id for e in record.evidence))


def finding_notes(record: ActorCaseRecord, actor_id: str,
                  answers: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """For step 2: each finding the student judged wrongly in step 1 that an element of this
    actor's analysis draws on (established, but rejected) or fails for want of (not
    established, but accepted). Findings not yet judged say nothing."""
    notes = []
    name = record.actor(actor_id).name
    for f in record.findings:
        chosen = answers.get(f.id, {}).get("established")
        keys = f.elements.get(actor_id, ())
        if not keys or chosen is None or chosen is f.established:
            continue
        elements = ("the element " if len(keys) == 1 else "the elements ") + " and ".join(
            ELEMENT_NAMES[k] for k in keys) + f" for {name}"
        fact = f.proposition.rstrip(".")
        if f.established:
            notes.append(f"You judged “{fact}” not established, but it is part of what shows "
                         f"{elements}, and the evidence establishes it.")
        else:
            notes.append(f"You judged “{fact}” established, but the evidence does not "
                         f"establish it, so it cannot carry {elements}.")
    return tuple(notes)
