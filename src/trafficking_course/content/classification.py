"""Marking a learner's classification of a scenario: the elements ticked and the verdict.

Pure Python, used by the ScenarioClassifier widget and directly by the tests. The answer key is
the legal engine's assessment of the scenario's facts (legal.assess), so the feedback cites the
same article paragraphs as the engine.

An answer is correct when the verdict is right; the ticked elements get their own feedback,
element by element. An element the engine does not need (a means, for a child) counts as
"not needed", and the smuggling element "not a national or permanent resident" is not at issue
when the facts describe no entry into another State (the engine says so): either answer is
accepted for those. Where the scenario lists its evidence, each element's line names the
items that show it (or tell against it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trafficking_course.content.evidence import evidence_line
from trafficking_course.content.scenarios import Scenario
from trafficking_course.errors import FactsError
from trafficking_course.law.engine import Element
from trafficking_course.law.vocabulary import ELEMENT_NAMES, ELEMENTS, VERDICTS

#: What each element covers, shown beside its checkbox and as its tooltip.
ELEMENT_LABELS: dict[str, str] = {
    "act": "recruitment, transportation, transfer, harbouring or receipt of a person",
    "means": "force, threats, other coercion, abduction, fraud, deception, abuse of power or "
             "of a position of vulnerability, payments to a person in control",
    "purpose": "exploitation: sexual exploitation, forced labour or services, slavery, "
               "servitude, removal of organs ...",
    "procurement": "someone else arranged the person's entry into the State",
    "benefit": "the one who arranged it gained money or another material benefit",
    "illegal_entry": "the border was crossed without meeting the requirements for legal entry",
    "not_national_or_resident": "the person is not a national or permanent resident of the "
                                "State entered",
}

ALL_ELEMENTS: tuple[str, ...] = tuple(k for group in ELEMENTS.values() for k in group)


@dataclass(frozen=True)
class ElementFeedback:
    key: str
    name: str
    ticked: bool
    status: str          # "met" | "missing" | "not needed" | "not at issue"
    agrees: bool         # the tick matches the status
    reason: str
    article: str
    evidence: str = ""   # " Evidence: ..." naming the items that bear on it, or ""

    @property
    def mark(self) -> str:
        """What the checkbox is marked with after Check: a word or two (the icon is the view's),
        short enough to stay on the checkbox's own line beside the longest element name; the
        feedback below says why, element by element."""
        if self.status == "not at issue":
            return "not at issue"
        if self.agrees:
            return "right"
        if self.ticked:
            return "not shown" if self.status == "missing" else "not needed here"
        return "missed"

    @property
    def line(self) -> str:
        """One line of the detail, as a tutor would put it, citing the article."""
        if self.status == "not at issue":
            judged = "not at issue here, so either answer is accepted"
        elif self.agrees:
            judged = "you ticked it, rightly" if self.ticked else "you rightly left it unticked"
        elif self.ticked:
            judged = ("you ticked it, but the facts do not show it" if self.status == "missing"
                      else "you ticked it, but it is not needed here")
        else:
            judged = "you missed it: the facts show it"
        return f"{self.name}: {judged}. {self.reason} [{self.article}]{self.evidence}"


@dataclass(frozen=True)
class ClassificationResult:
    scenario_id: str
    verdict: str | None
    expected_verdict: str
    correct: bool
    elements: tuple[ElementFeedback, ...]
    explanation: str
    notes: tuple[str, ...]

    @property
    def elements_ticked(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements if e.ticked)

    @property
    def elements_right(self) -> int:
        return sum(1 for e in self.elements if e.agrees)


def _status(e: Element) -> str:
    """met, missing, not needed (a child's means) or not at issue, as the engine has it."""
    return "not needed" if e.state == "unknown" else e.state


def grade(scenario: Scenario, elements: Iterable[str], verdict: str | None
          ) -> ClassificationResult:
    """Mark the ticked elements and the verdict against the engine's assessment."""
    ticked = set(elements)
    unknown = ticked - set(ALL_ELEMENTS)
    if unknown:
        raise FactsError(f"unknown element {sorted(unknown)[0]!r}; known: "
                         f"{', '.join(ALL_ELEMENTS)}")
    if verdict is not None and verdict not in VERDICTS:
        raise FactsError(f"unknown verdict {verdict!r}; known: {', '.join(VERDICTS)}")
    a = scenario.assessment
    feedback = []
    for result in (a.trafficking, a.smuggling):
        for e in result.elements:
            status = _status(e)
            is_ticked = e.key in ticked
            reason = e.reason
            if status == "met":
                agrees = is_ticked
            elif status == "not at issue":
                agrees = True
                reason = f"{e.reason} Either answer is accepted."
            else:  # missing, or not needed (no means shown for a child): nothing to tick
                agrees = not is_ticked
            feedback.append(ElementFeedback(e.key, ELEMENT_NAMES[e.key], is_ticked, status,
                                            agrees, reason, e.article,
                                            evidence_line(scenario.evidence, e.key)))
    notes = tuple(f"{n.text} [{n.article}]" for r in (a.trafficking, a.smuggling)
                  for n in r.notes)
    return ClassificationResult(scenario.id, verdict, a.verdict, verdict == a.verdict,
                                tuple(feedback), scenario.explanation, notes)


def headline(result: ClassificationResult) -> str:
    """The result line that leads the feedback."""
    expected = VERDICTS[result.expected_verdict]
    if result.verdict is None:
        return "Choose a verdict first, then press Check answer."
    if result.correct:
        return f"Correct: {expected}."
    return f"Not quite: you chose {VERDICTS[result.verdict]}; the answer is {expected}."


def elements_summary(result: ClassificationResult) -> str:
    """How many elements the learner judged right (a tick where the facts show the element, no
    tick where they do not), and where the others are marked: never a count of ticks."""
    n = len(result.elements)
    wrong = n - result.elements_right
    if not wrong:
        return (f"Your elements: all {n} judged right, ticked or left unticked as the "
                "Protocols would have them.")
    where = ("the one judged wrong is marked \u2718 beside its checkbox" if wrong == 1 else
             f"the {wrong} judged wrong are marked \u2718 beside their checkboxes")
    return f"Your elements: {result.elements_right} of {n} judged right; {where}."


def detail_text(result: ClassificationResult) -> str:
    """The detail below the result line: element by element, explanation, notes."""
    lines = [elements_summary(result)]
    for group, title in (("trafficking", "Trafficking in persons"),
                         ("smuggling", "Smuggling of migrants")):
        lines.append(f"{title}:")
        lines.extend(f"- {e.line}" for e in result.elements if e.key in ELEMENTS[group])
    lines.append(f"Why: {result.explanation}")
    lines.extend(f"Note: {n}" for n in result.notes)
    return "\n".join(lines)


def feedback_text(result: ClassificationResult) -> str:
    """The feedback after "Check answer": the result line, then the detail."""
    if result.verdict is None:
        return headline(result)
    return f"{headline(result)}\n{detail_text(result)}"
