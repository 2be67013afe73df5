"""Cases for the ILO indicator checklist, with an answer key: data/indicator_cases/<id>.yaml.

A case is a short text (constructed for teaching or adapted from a cited source) and a key: for
each ILO indicator (2012) the text shows, the words that show it (`found`), and for indicators it
does not show, a note (`not_shown`). compare() sets a learner's ticks against the key and says,
per indicator, what was found, missed or ticked without support in the text. Like
indicators.summarise(), it never returns a verdict: indicators point, they do not decide.

A bad file raises IndicatorCaseError naming the file, the case id and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trafficking_course.content.records import HasProvenance, RecordKind, validate
from trafficking_course.errors import IndicatorCaseError
from trafficking_course.law.indicators import BY_KEY, CAVEAT, INDICATORS, SOURCE

SCHEMA = "indicator_case"


@dataclass(frozen=True)
class IndicatorCase(HasProvenance):
    id: str
    title: str
    text: str
    provenance: Mapping[str, str]
    found: Mapping[str, str]          # indicator key -> the words of the case that show it
    not_shown: Mapping[str, str]      # indicator key -> why the text does not show it
    questions: tuple[str, ...] = ()
    file: str = ""


@dataclass(frozen=True)
class CaseComparison:
    matched: tuple[str, ...]   # ticked and in the key
    missed: tuple[str, ...]    # in the key, not ticked
    extra: tuple[str, ...]     # ticked, not in the key
    text: str

    @property
    def score(self) -> int:
        return len(self.matched)


def parse_case(doc: Any, *, file: str | Path) -> IndicatorCase:
    """Validate a case document (from YAML) and build it; IndicatorCaseError on any problem."""
    validate(doc, SCHEMA, IndicatorCaseError, file=file)
    record = doc["id"]
    for fld in ("found", "not_shown"):
        for key in doc.get(fld, {}) or {}:
            if key not in BY_KEY:
                raise IndicatorCaseError(f"unknown indicator {key!r}; known: {', '.join(BY_KEY)}",
                                file=file, record=record, field=f"{fld}.{key}")
    both = sorted(set(doc["found"]) & set(doc.get("not_shown") or {}))
    if both:
        raise IndicatorCaseError(f"indicator {both[0]!r} is both found and not shown", file=file,
                        record=record, field=f"not_shown.{both[0]}")
    return IndicatorCase(
        id=record, title=doc["title"].strip(), text=doc["text"].strip(),
        provenance=dict(doc["provenance"]),
        found={k: v.strip() for k, v in doc["found"].items()},
        not_shown={k: v.strip() for k, v in (doc.get("not_shown") or {}).items()},
        questions=tuple(q.strip() for q in doc.get("questions", ())), file=str(file),
    )


#: Indicator cases: data/indicator_cases/<case id>.yaml.
INDICATOR_CASES: RecordKind[IndicatorCase] = RecordKind("indicator_cases", IndicatorCaseError,
                                                        parse_case)
load_case_file = INDICATOR_CASES.load_file
load_case = INDICATOR_CASES.load
case_dir = INDICATOR_CASES.folder_path


def compare(case: IndicatorCase, present: Iterable[str]) -> CaseComparison:
    """Set the ticked indicators against the case's key; feedback per indicator, no verdict."""
    chosen = set(present)
    unknown = sorted(chosen - set(BY_KEY))
    if unknown:
        raise IndicatorCaseError(f"unknown indicator {unknown[0]!r}; known: {', '.join(BY_KEY)}",
                        record=case.id, field="present")
    order = [i.key for i in INDICATORS]
    matched = tuple(k for k in order if k in chosen and k in case.found)
    missed = tuple(k for k in order if k not in chosen and k in case.found)
    extra = tuple(k for k in order if k in chosen and k not in case.found)
    lines = [f"You found {len(matched)} of the {len(case.found)} indicators the case shows."]
    for key in matched:
        lines.append(f"- Found: {BY_KEY[key].name}. {case.found[key]}")
    for key in missed:
        lines.append(f"- Missed: {BY_KEY[key].name}. {case.found[key]}")
    for key in extra:
        note = case.not_shown.get(key, "The text does not show this; what made you tick it?")
        lines.append(f"- Not in the text: {BY_KEY[key].name}. {note}")
    if case.questions:
        lines.append("Questions to ask before drawing any conclusion:")
        lines.extend(f"- {q}" for q in case.questions)
    lines.append(f"{CAVEAT} Source of the indicators: {SOURCE}.")
    return CaseComparison(matched, missed, extra, "\n".join(lines))
