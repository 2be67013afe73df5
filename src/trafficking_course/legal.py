"""The elements of the two Palermo Protocol offences, and assess(facts) -> a reasoned verdict.

Pure Python: no widgets, no I/O. Every element and note cites the article paragraph it rests on.

Trafficking in persons (Trafficking Protocol, Art. 3):
    act + means + purpose (3(a)); consent irrelevant once a means was used (3(b)); for a child,
    act + purpose suffice (3(c)); a child is anyone under eighteen (3(d)). No border crossing is
    part of the definition.
Smuggling of migrants (Smuggling Protocol, Art. 3):
    procurement, for a financial or other material benefit, of the illegal entry of a person into
    a State of which the person is not a national or permanent resident (3(a)); illegal entry is
    crossing borders without complying with the requirements for legal entry (3(b)).

The facts vocabulary (the keys and values of FACT_KEYS, ACTS, MEANS, PURPOSES, MEANS_STAGES) is
a public contract shared with the scenario bank, the widgets, the exercises and the command line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .errors import FactsError

TP = "Trafficking Protocol"
SP = "Smuggling Protocol"

#: The acts of Art. 3(a), in the order of the text, with labels for students.
ACTS: dict[str, str] = {
    "recruitment": "recruitment",
    "transportation": "transportation",
    "transfer": "transfer",
    "harbouring": "harbouring",
    "receipt": "receipt of persons",
}

#: The means of Art. 3(a).
MEANS: dict[str, str] = {
    "threat_of_force": "threat of force",
    "use_of_force": "use of force",
    "other_coercion": "other forms of coercion",
    "abduction": "abduction",
    "fraud": "fraud",
    "deception": "deception",
    "abuse_of_power": "abuse of power",
    "abuse_of_vulnerability": "abuse of a position of vulnerability",
    "payments_to_person_in_control": (
        "giving or receiving of payments or benefits to achieve the consent of a person "
        "having control over another person"
    ),
}

#: The forms of exploitation that Art. 3(a) lists "at a minimum".
PURPOSES: dict[str, str] = {
    "prostitution_of_others": "exploitation of the prostitution of others",
    "other_sexual_exploitation": "other forms of sexual exploitation",
    "forced_labour": "forced labour",
    "forced_services": "forced services",
    "slavery": "slavery",
    "practices_similar_to_slavery": "practices similar to slavery",
    "servitude": "servitude",
    "removal_of_organs": "the removal of organs",
}

#: When the means were used: to make someone start, or to keep them from leaving.
MEANS_STAGES: dict[str, str] = {
    "recruitment": "forced to start",
    "destination": "forced to stay on",
    "both": "forced to start and forced to stay on",
}

LIST_KEYS = {"acts": ACTS, "means": MEANS, "purposes": PURPOSES}
BOOL_KEYS = (
    "consented",
    "illegal_entry",
    "destination_national_or_resident",
    "entry_procured_by_another",
    "benefit_to_procurer",
)
FACT_KEYS = ("acts", "means", "purposes", "age", *BOOL_KEYS, "means_stage")

CHILD_AGE = 18  # Art. 3(d): "any person under eighteen years of age"

#: The elements a student ticks, in teaching order, per offence, with their labels.
ELEMENTS: dict[str, dict[str, str]] = {
    "trafficking": {
        "act": "an act (recruitment, transportation, transfer, harbouring or receipt)",
        "means": "a means (force, coercion, abduction, fraud, deception, abuse of power or "
        "vulnerability, payments to a person in control)",
        "purpose": "a purpose of exploitation",
    },
    "smuggling": {
        "procurement": "someone procured (arranged) the entry",
        "benefit": "for a financial or other material benefit",
        "illegal_entry": "the entry was illegal",
        "not_national_or_resident": "the person is not a national or permanent resident there",
    },
}

#: Short, readable names of the elements, for students (ELEMENTS order).
ELEMENT_NAMES: dict[str, str] = {
    "act": "Act",
    "means": "Means",
    "purpose": "Purpose of exploitation",
    "procurement": "Procurement",
    "benefit": "Financial or other material benefit",
    "illegal_entry": "Illegal entry",
    "not_national_or_resident": "Not a national or permanent resident",
}

VERDICTS: dict[str, str] = {
    "trafficking": "Trafficking in persons",
    "smuggling": "Smuggling of migrants",
    "both": "Both",
    "neither": "Neither",
}


# --------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """The facts of a case in the published vocabulary. Build with Facts.from_dict()."""

    acts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    age: int | None = None
    consented: bool = False
    illegal_entry: bool = False
    destination_national_or_resident: bool = False
    entry_procured_by_another: bool = False
    benefit_to_procurer: bool = False
    means_stage: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<facts>", record: Any = None) -> Facts:
        """Validate a mapping against the vocabulary; raise FactsError naming key and values."""
        if isinstance(data, Facts):
            return data
        if not isinstance(data, dict):
            raise FactsError(
                f"facts must be a JSON object (a mapping of keys to values), "
                f"got {type(data).__name__}",
                file=source, record=record,
            )

        def fail(key, message):
            raise FactsError(message, file=source, record=record, field=key)

        for key in data:
            if key not in FACT_KEYS:
                fail(key, f"unknown key {key!r}; allowed keys: {', '.join(FACT_KEYS)}")
        values: dict[str, Any] = {}
        for key, allowed in LIST_KEYS.items():
            raw = data.get(key, [])
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                fail(key, f"must be a list of strings from: {', '.join(allowed)}")
            unknown = [v for v in raw if v not in allowed]
            if unknown:
                fail(key, f"unknown value {unknown[0]!r}; allowed values: {', '.join(allowed)}")
            values[key] = frozenset(raw)
        age = data.get("age")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
            fail("age", f"must be a whole number of years (0 or more) or null, got {age!r}")
        values["age"] = age
        for key in BOOL_KEYS:
            raw = data.get(key, False)
            if not isinstance(raw, bool):
                fail(key, f"must be true or false, got {raw!r}")
            values[key] = raw
        stage = data.get("means_stage")
        if stage is not None and stage not in MEANS_STAGES:
            fail("means_stage", f"unknown value {stage!r}; allowed values: "
                 f"{', '.join(MEANS_STAGES)} (or omit it)")
        values["means_stage"] = stage
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The facts as a JSON-able dict, lists in the order of the Protocol's text."""
        out: dict[str, Any] = {
            key: [v for v in allowed if v in getattr(self, key)]
            for key, allowed in LIST_KEYS.items()
        }
        out["age"] = self.age
        for key in BOOL_KEYS:
            out[key] = getattr(self, key)
        if self.means_stage is not None:
            out["means_stage"] = self.means_stage
        return out

    def replace(self, **changes: Any) -> Facts:
        """A copy with some facts changed, validated again."""
        data = self.to_dict()
        data.update({k: sorted(v) if isinstance(v, set | frozenset) else v
                     for k, v in changes.items()})
        return Facts.from_dict(data)

    @property
    def is_child(self) -> bool | None:
        return None if self.age is None else self.age < CHILD_AGE


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """One element of an offence: met (True), not met (False) or unknown/not needed (None)."""

    key: str
    label: str
    met: bool | None
    reason: str
    article: str
    required: bool = True


@dataclass(frozen=True)
class Note:
    key: str
    text: str
    article: str


@dataclass(frozen=True)
class OffenceResult:
    offence: str
    established: bool
    elements: tuple[Element, ...]
    notes: tuple[Note, ...] = ()
    decided: bool = True

    @property
    def met(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements if e.met)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(e.key for e in self.elements if e.required and e.met is False)

    def element(self, key: str) -> Element:
        return next(e for e in self.elements if e.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "established": self.established,
            "decided": self.decided,
            "elements_met": list(self.met),
            "elements_missing": list(self.missing),
            "elements": [
                {"element": e.key, "label": e.label, "met": e.met, "required": e.required,
                 "reason": e.reason, "article": e.article}
                for e in self.elements
            ],
            "notes": [{"note": n.key, "text": n.text, "article": n.article} for n in self.notes],
        }


@dataclass(frozen=True)
class Assessment:
    facts: Facts
    verdict: str
    trafficking: OffenceResult
    smuggling: OffenceResult
    missing_facts: tuple[str, ...] = field(default=())

    @property
    def decided(self) -> bool:
        return not self.missing_facts

    def offence(self, name: str) -> OffenceResult:
        return {"trafficking": self.trafficking, "smuggling": self.smuggling}[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "verdict_label": VERDICTS[self.verdict],
            "decided": self.decided,
            "missing_facts": list(self.missing_facts),
            "trafficking": self.trafficking.to_dict(),
            "smuggling": self.smuggling.to_dict(),
            "facts": self.facts.to_dict(),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    def explain(self) -> str:
        """A plain-text explanation, element by element, each line citing its article."""
        lines = [f"Verdict: {VERDICTS[self.verdict]}"]
        if self.missing_facts:
            lines.append(f"Not decided: the facts do not say {', '.join(self.missing_facts)}.")
        for result in (self.trafficking, self.smuggling):
            title = "Trafficking in persons" if result.offence == "trafficking" else \
                "Smuggling of migrants"
            state = ("established" if result.established
                     else "cannot be decided" if not result.decided else "not established")
            lines.append(f"{title}: {state}")
            for e in result.elements:
                mark = {True: "met", False: "missing", None: "not needed" if not e.required
                        else "unknown"}[e.met]
                lines.append(f"  - {ELEMENT_NAMES[e.key]} ({mark}): {e.reason} [{e.article}]")
            for n in result.notes:
                lines.append(f"  * {n.text} [{n.article}]")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------


def _labels(keys: frozenset[str], vocabulary: dict[str, str]) -> str:
    return ", ".join(vocabulary[k] for k in vocabulary if k in keys)


def _assess_trafficking(f: Facts) -> tuple[OffenceResult, tuple[str, ...]]:
    labels = ELEMENTS["trafficking"]
    act = Element(
        "act", labels["act"], bool(f.acts),
        f"The facts show {_labels(f.acts, ACTS)}." if f.acts else
        "No recruitment, transportation, transfer, harbouring or receipt of the person.",
        f"{TP}, Art. 3(a)",
    )
    purpose = Element(
        "purpose", labels["purpose"], bool(f.purposes),
        f"The purpose was {_labels(f.purposes, PURPOSES)}." if f.purposes else
        "No purpose of exploitation of the kinds the Protocol lists.",
        f"{TP}, Art. 3(a)",
    )
    notes: list[Note] = []
    missing_facts: tuple[str, ...] = ()
    child = f.is_child
    if f.means:
        stage = f" ({MEANS_STAGES[f.means_stage]})" if f.means_stage else ""
        means = Element("means", labels["means"], True,
                        f"The facts show {_labels(f.means, MEANS)}{stage}.", f"{TP}, Art. 3(a)",
                        required=not child)
    elif child:
        means = Element("means", labels["means"], None,
                        f"No means is needed: the person is {f.age}, a child under eighteen.",
                        f"{TP}, Art. 3(c), (d)", required=False)
    elif child is None:
        means = Element("means", labels["means"], False,
                        "No means is shown, and the person's age is not known: an adult needs a "
                        "means, a child under eighteen does not.", f"{TP}, Art. 3(a), (c)")
    else:
        means = Element("means", labels["means"], False,
                        f"No means is shown, and the person is {f.age}, an adult, so a means "
                        "is required.", f"{TP}, Art. 3(a)")

    established = act.met and purpose.met and (bool(f.means) or bool(child))
    decided = True
    if act.met and purpose.met and not f.means and child is None:
        decided = False
        missing_facts = ("age",)
        notes.append(Note("age_unknown",
                          "Whether this is trafficking turns on the person's age, which the "
                          "facts do not give: under eighteen it is, without any means; at "
                          "eighteen or over it is not, unless a means was used.",
                          f"{TP}, Art. 3(c), (d)"))

    if child and not f.means and act.met and purpose.met:
        notes.append(Note("child_rule",
                          "Child rule applied: for a person under eighteen the act and the "
                          "purpose of exploitation are enough; no means has to be shown.",
                          f"{TP}, Art. 3(c), (d)"))
    if f.consented and act.met and purpose.met:
        # Art. 3(b) speaks of consent "to the intended exploitation": only then is there
        # a consent for the rule to set aside.
        if f.means:
            notes.append(Note("consent_irrelevant",
                              "The person's consent is irrelevant, because one of the means "
                              "was used.", f"{TP}, Art. 3(b)"))
        elif child:
            notes.append(Note("consent_child",
                              "A child's consent does not matter: no means is needed for a "
                              "person under eighteen.", f"{TP}, Art. 3(c)"))
        elif established is False and act.met and purpose.met:
            notes.append(Note("consent_stands",
                              "Without any of the means, an adult's consent is not set aside; "
                              "Art. 3(b) applies only where a means was used.", f"{TP}, Art. 3(b)"))
    if f.means_stage and f.means:
        text = {
            "recruitment": "Forced to start: the means were used to get the person into the "
            "situation.",
            "destination": "Forced to stay on: the means were used to keep the person from "
            "leaving; an act such as harbouring or receipt can meet the act element there.",
            "both": "Forced to start and forced to stay on: means were used at recruitment "
            "and at the destination.",
        }[f.means_stage]
        notes.append(Note(f"means_stage_{f.means_stage}", text, f"{TP}, Art. 3(a)"))
    if established and not f.illegal_entry:
        notes.append(Note("no_border_needed",
                          "No illegal border crossing is needed, nor any crossing at all: "
                          "the definition names none, so trafficking can also happen inside "
                          "one country.", f"{TP}, Art. 3(a)"))
    if f.purposes and not established and not f.means and child is False and act.met:
        notes.append(Note("exploitation_without_means",
                          "Exploitative conditions alone do not make trafficking of an adult: "
                          "one of the means must also be shown. Other labour or criminal law "
                          "may still apply.", f"{TP}, Art. 3(a)"))
    result = OffenceResult("trafficking", bool(established), (act, means, purpose), tuple(notes),
                           decided=decided)
    return result, missing_facts


def _assess_smuggling(f: Facts) -> OffenceResult:
    labels = ELEMENTS["smuggling"]
    art = f"{SP}, Art. 3(a)"
    procurement = Element(
        "procurement", labels["procurement"], f.entry_procured_by_another,
        "Someone else procured (arranged) the person's entry." if f.entry_procured_by_another
        else "Nobody else procured the person's entry into another State.", art)
    benefit = Element(
        "benefit", labels["benefit"], f.benefit_to_procurer,
        "The one who arranged it did so in order to obtain a financial or other material "
        "benefit." if f.benefit_to_procurer else
        "Nobody arranged the entry in order to obtain a financial or other material benefit.",
        art)
    illegal = Element(
        "illegal_entry", labels["illegal_entry"], f.illegal_entry,
        "The border was crossed without complying with the requirements for legal entry."
        if f.illegal_entry else
        "There was no illegal entry: no border was crossed without complying with the "
        "requirements for legal entry.",
        f"{SP}, Art. 3(a), (b)")
    foreign = Element(
        "not_national_or_resident", labels["not_national_or_resident"],
        not f.destination_national_or_resident,
        "The person is not a national or permanent resident of the State entered."
        if not f.destination_national_or_resident else
        "The person is a national or permanent resident of the State entered.", art)
    elements = (procurement, benefit, illegal, foreign)
    established = all(e.met for e in elements)
    notes: list[Note] = []
    if established:
        notes.append(Note("migrant_not_liable",
                          "The smuggled person is not to be prosecuted under the Protocol for "
                          "having been smuggled.", f"{SP}, Art. 5"))
    if f.entry_procured_by_another and f.illegal_entry and not f.benefit_to_procurer:
        notes.append(Note("no_benefit",
                          "Helping someone across a border without a financial or other "
                          "material benefit is not smuggling of migrants under the Protocol.",
                          f"{SP}, Art. 3(a)"))
    if f.entry_procured_by_another and f.benefit_to_procurer and not f.illegal_entry:
        notes.append(Note("legal_entry_for_fee",
                          "Arranging a legal entry for a fee is not smuggling: the entry must "
                          "be illegal.", f"{SP}, Art. 3(a), (b)"))
    if f.destination_national_or_resident and f.illegal_entry:
        notes.append(Note("national_returning",
                          "A national or permanent resident entering their own State is outside "
                          "the definition.", f"{SP}, Art. 3(a)"))
    return OffenceResult("smuggling", established, elements, tuple(notes))


def assess(facts: Facts | dict[str, Any]) -> Assessment:
    """Assess facts against both Protocols; return the verdict with reasons, article by article."""
    f = Facts.from_dict(facts)
    trafficking, missing_facts = _assess_trafficking(f)
    smuggling = _assess_smuggling(f)
    if trafficking.established and smuggling.established:
        verdict = "both"
    elif trafficking.established:
        verdict = "trafficking"
    elif smuggling.established:
        verdict = "smuggling"
    else:
        verdict = "neither"
    if trafficking.established and smuggling.established:
        trafficking = OffenceResult(
            trafficking.offence, True, trafficking.elements,
            trafficking.notes + (Note("smuggling_and_trafficking",
                                      "Both offences at once: the entry was smuggled, and the "
                                      "person was also recruited or moved for exploitation.",
                                      f"{TP}, Art. 3(a); {SP}, Art. 3(a)"),),
        )
    return Assessment(f, verdict, trafficking, smuggling, missing_facts)


def explain_change(before: Assessment, after: Assessment) -> str | None:
    """One sentence on why the verdict changed between two assessments, or None if it did not."""
    if before.verdict == after.verdict and before.decided == after.decided:
        return None
    changed = []
    for name in ("trafficking", "smuggling"):
        old, new = before.offence(name), after.offence(name)
        for e_old, e_new in zip(old.elements, new.elements, strict=True):
            if e_old.met != e_new.met or e_old.required != e_new.required:
                changed.append(f"\u201c{ELEMENT_NAMES[e_new.key]}\u201d is now {_state(e_new)} "
                               f"({e_new.article})")
    what = "; ".join(changed) if changed else "the facts changed"
    if not after.decided:
        return (f"The verdict can no longer be decided: {what}. The person's age is now "
                "needed.")
    return (f"The verdict changed from {VERDICTS[before.verdict]} to {VERDICTS[after.verdict]} "
            f"because {what}.")


def _state(e: Element) -> str:
    if e.met is None:
        return "not needed"
    return "met" if e.met else "missing"
