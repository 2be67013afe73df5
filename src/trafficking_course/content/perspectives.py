"""One case seen through several perspectives: data/perspectives/<id>.yaml.

Module 3 ("Who defines?") asks why a social worker, the police, a researcher, a court and the
person concerned can look at the same situation and reach different answers. A perspective file
holds one case (its narrative and its facts in the legal engine's vocabulary) and, for each
actor, what that actor needs before calling the situation trafficking, the threshold it applies,
what it would probably decide on these facts, which elements of the Protocols its questions come
closest to (none, for an actor who applies no legal definition), and why it differs from the
others.

The file is validated against perspective_schema.json (jsonschema), its facts by
legal.Facts.from_dict, and every focus element against legal.ELEMENTS. A bad file raises
PerspectiveError naming the file, the record (the case id or the perspective id) and the field.

    case = load_perspective_case("salon-job-abroad")
    case.assessment.verdict            # what the Protocol's elements say on the facts
    case.perspective("police").needs   # tuple of strings
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from trafficking_course.content.records import HasProvenance, RecordKind, facts_from, validate
from trafficking_course.errors import PerspectiveError
from trafficking_course.law import ELEMENTS, Assessment, Element, Facts, assess

#: Every element key a perspective may focus on, e.g. "trafficking.means".
ELEMENT_KEYS: tuple[str, ...] = tuple(
    f"{offence}.{key}" for offence, keys in ELEMENTS.items() for key in keys
)


@dataclass(frozen=True)
class Perspective:
    """What one actor needs before calling a situation trafficking, and what it would decide."""

    id: str
    label: str
    needs: tuple[str, ...]
    threshold: str
    decision: str
    focus: tuple[str, ...]
    why_different: str


@dataclass(frozen=True)
class PerspectiveCase(HasProvenance):
    id: str
    title: str
    narrative: str
    facts: Facts
    provenance: dict[str, str]
    perspectives: tuple[Perspective, ...]
    discussion: str
    file: str = field(default="", compare=False)

    @cached_property
    def assessment(self) -> Assessment:
        """What the elements of both Protocols say about the facts as written."""
        return assess(self.facts)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.perspectives)

    def perspective(self, perspective_id: str) -> Perspective:
        for p in self.perspectives:
            if p.id == perspective_id:
                return p
        raise PerspectiveError(f"no perspective {perspective_id!r}; this case has "
                            f"{', '.join(self.ids)}", file=self.file, record=self.id,
                            field="perspectives")

    def focus_elements(self, perspective_id: str) -> list[Element]:
        """The legal elements this actor focuses on, as assessed on the case's facts."""
        out = []
        for key in self.perspective(perspective_id).focus:
            offence, element = key.split(".")
            out.append(self.assessment.offence(offence).element(element))
        return out


def parse_case(raw: Any, *, file: str | Path) -> PerspectiveCase:
    """Validate a raw case (from YAML) and build it; PerspectiveError on any problem."""
    record = raw.get("id", "(case)") if isinstance(raw, dict) else "(case)"
    validate(raw, "perspective", PerspectiveError, file=file, default_record=record,
             root="(case)")
    facts = facts_from(raw["facts"], PerspectiveError, file=file, record=record)
    perspectives = []
    seen: set[str] = set()
    for i, p in enumerate(raw["perspectives"]):
        if p["id"] in seen:
            raise PerspectiveError("duplicate perspective id", file=file, record=p["id"],
                                field=f"perspectives.{i}.id")
        seen.add(p["id"])
        for key in p["focus"]:
            if key not in ELEMENT_KEYS:
                raise PerspectiveError(f"unknown element {key!r}; allowed: "
                                    f"{', '.join(ELEMENT_KEYS)}", file=file, record=p["id"],
                                    field=f"perspectives.{i}.focus")
        perspectives.append(Perspective(
            id=p["id"], label=p["label"], needs=tuple(s.strip() for s in p["needs"]),
            threshold=p["threshold"].strip(), decision=p["decision"].strip(),
            focus=tuple(p["focus"]), why_different=p["why_different"].strip(),
        ))
    return PerspectiveCase(
        id=raw["id"], title=raw["title"], narrative=raw["narrative"].strip(), facts=facts,
        provenance=dict(raw["provenance"]), perspectives=tuple(perspectives),
        discussion=raw["discussion"].strip(), file=str(file),
    )


#: Perspectives cases: data/perspectives/<case id>.yaml.
PERSPECTIVES: RecordKind[PerspectiveCase] = RecordKind("perspectives", PerspectiveError,
                                                       parse_case)


def load_perspective_case(case_id: str, folder: str | Path | None = None) -> PerspectiveCase:
    """The case in data/perspectives/<case_id>.yaml (or folder), validated."""
    return PERSPECTIVES.load(case_id, folder)
