"""Fact-finding before the law: which propositions of fact does the evidence establish?

A case judged actor by actor (data/actor_cases/) may list `findings`: the propositions of fact a
court would have to decide before applying Art. 3(a) ("The recruiter knew there was no job in a
hotel laundry"), each with whether the evidence establishes it, the evidence that bears on it
(for it and against it) and the reason in plain words. The student decides each finding and
cites the evidence that supports their view; grade_findings() marks that, finding by finding,
and finding_feedback() gives the text. The checks that tie a finding to the case (its evidence
ids, its actors and their elements) are in content/actor_cases.py, which owns the case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trafficking_course.errors import FactsError

#: The two answers a student gives for a finding, as the student reads them.
CHOICES: dict[bool, str] = {True: "Established",
                            False: "Not established on this evidence"}


@dataclass(frozen=True)
class Finding:
    id: str
    proposition: str
    established: bool
    shows: tuple[str, ...]                    # the evidence for it (YAML: `for`)
    against: tuple[str, ...]                  # the evidence against it
    reason: str
    elements: Mapping[str, tuple[str, ...]]   # actor id -> elements that rest on this finding

    @property
    def supporting(self) -> tuple[str, ...]:
        """The evidence that supports the right answer: for it if established, else against."""
        return self.shows if self.established else self.against


def parse_findings(raw: Any) -> tuple[Finding, ...]:
    """Findings from a case already checked by its schema (the `findings` list, maybe absent)."""
    return tuple(Finding(f["id"], f["proposition"].strip(), f["established"],
                         tuple(f.get("for", ())), tuple(f.get("against", ())),
                         " ".join(f["reason"].split()),
                         {a: tuple(keys) for a, keys in f.get("elements", {}).items()})
                 for f in raw or ())


# -- marking a student's findings ---------------------------------------------------------------

@dataclass(frozen=True)
class FindingResult:
    finding: Finding
    chosen: bool | None          # True: established, False: not established, None: not judged
    cited: tuple[str, ...]       # the evidence ids the student cited for their view

    @property
    def right_choice(self) -> bool:
        return self.chosen is self.finding.established

    @property
    def missed(self) -> tuple[str, ...]:
        """Evidence that supports the right answer and was not cited."""
        return tuple(i for i in self.finding.supporting if i not in self.cited)

    @property
    def extra(self) -> tuple[str, ...]:
        """Evidence cited that does not support the right answer."""
        return tuple(i for i in self.cited if i not in self.finding.supporting)

    @property
    def kind(self) -> str:
        """'info' (not judged), 'wrong', 'partly' (right answer, evidence not quite) or
        'correct' (the result line's kinds in widgets/_common.py)."""
        if self.chosen is None:
            return "info"
        if not self.right_choice:
            return "wrong"
        return "partly" if self.missed or self.extra else "correct"

    @property
    def correct(self) -> bool:
        return self.kind == "correct"


@dataclass(frozen=True)
class FindingsResult:
    findings: tuple[FindingResult, ...]

    @property
    def score(self) -> int:
        return sum(1 for f in self.findings if f.correct)

    @property
    def answered(self) -> int:
        return sum(1 for f in self.findings if f.chosen is not None)

    def finding(self, finding_id: str) -> FindingResult:
        return next(f for f in self.findings if f.finding.id == finding_id)


def _answer(finding: Finding, answer: Mapping[str, Any], known: set[str]
            ) -> tuple[bool | None, tuple[str, ...]]:
    chosen = answer.get("established")
    if chosen is not None and not isinstance(chosen, bool):
        raise FactsError(f"'established' must be true, false or null, not {chosen!r}",
                         record=finding.id, field="established")
    cited = tuple(answer.get("evidence", ()))
    unknown = [i for i in cited if i not in known]
    if unknown:
        raise FactsError(f"unknown evidence id {unknown[0]!r}", record=finding.id,
                         field="evidence")
    return chosen, cited


def grade_findings(findings: Sequence[Finding], answers: Mapping[str, Mapping[str, Any]],
                   evidence_ids: set[str] | frozenset[str]) -> FindingsResult:
    """Mark the student's findings (answers: finding id -> {"established": True, False or None,
    "evidence": [evidence ids cited for that view]}); a finding not answered is not judged."""
    unknown = set(answers) - {f.id for f in findings}
    if unknown:
        raise FactsError(f"unknown finding {sorted(unknown)[0]!r}")
    results = []
    for f in findings:
        chosen, cited = _answer(f, answers.get(f.id, {}), set(evidence_ids))
        results.append(FindingResult(f, chosen, cited))
    return FindingsResult(tuple(results))


def finding_headline(result: FindingResult) -> str:
    """The result line for one finding: the answer, then whether the evidence cited holds."""
    right = CHOICES[result.finding.established].lower()
    if result.chosen is None:
        return "Not judged yet: choose whether the evidence establishes this fact."
    if not result.right_choice:
        return f"Not quite: the answer is {right}."
    if result.correct:
        return f"Right: {right}, and the evidence you cited is what supports it."
    return f"Right: {right}, but the evidence you cited is not quite what supports it."


def finding_feedback(result: FindingResult, name: Callable[[str], str]) -> str:
    """The feedback for one finding (name: evidence id -> how the feedback names it): the
    result line, what the student's citation missed or added, the evidence, the reason."""
    f = result.finding
    lines = [finding_headline(result)]
    if result.chosen is None:
        return lines[0]
    if result.right_choice and result.missed:
        lines.append("You did not cite: " + "; ".join(map(name, result.missed)) + ".")
    if result.right_choice and result.extra:
        lines.append("Does not support that answer: " + "; ".join(map(name, result.extra))
                     + ".")
    lines.append("For it: " + ("; ".join(map(name, f.shows)) if f.shows else
                               "nothing in the evidence") + ".")
    if f.against:
        lines.append("Against it: " + "; ".join(map(name, f.against)) + ".")
    lines.append(f"Why: {f.reason}")
    return "\n".join(lines)
