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

The element verdicts are the Protocols' and nothing else: the engine decides only under the two
Protocols (DECIDES_UNDER). Its notes, one rule per row of TRAFFICKING_NOTES and SMUGGLING_NOTES,
also say where another layer of law changes what a student should conclude (the Convention's
Art. 34(2), refugee law, the Council of Europe Convention, EU directives, domestic law); those
notes carry the layer "beyond" and their text says "Beyond the Protocols".

The facts vocabulary (the keys and values of FACT_KEYS, ACTS, MEANS, PURPOSES, MEANS_STAGES,
CONSENT_SCOPES) is a public contract shared with the scenario bank, the widgets, the exercises
and the command line. The optional facts `consented_to` (what a person who consented agreed to;
"travel_or_work" when omitted) and `compelled_offences` (false when omitted) default so that
every older facts dict means what it meant before.

The links of Art. 3(a) ("by means of", "for the purpose of") are two more optional facts:
`means_used_for_act` (were the means used to secure the act?) and `purpose_at_time_of_act`
(was the purpose of exploitation held, by the one who did the act, when it was done?). Omitted,
they are presumed, as every older facts dict presumed them; stated false, the means or the
purpose element is not met, and the reasons say which link is missing. A case with several
people is judged actor by actor in law/actors.py, one facts dict per actor.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trafficking_course.errors import FactsError
from trafficking_course.law.vocabulary import (
    ACTS,
    CONSENT_SCOPES,
    DECIDES_UNDER,
    ELEMENT_NAMES,
    ELEMENTS,
    LAYERS,
    MEANS,
    MEANS_STAGES,
    OFFENCES,
    PURPOSES,
    VERDICTS,
    offence_state,
)

TP = "Trafficking Protocol"
SP = "Smuggling Protocol"
NOTES = "Interpretative notes (A/55/383/Add.1)"

LIST_KEYS = {"acts": ACTS, "means": MEANS, "purposes": PURPOSES}
BOOL_KEYS = (
    "consented",
    "illegal_entry",
    "destination_national_or_resident",
    "entry_procured_by_another",
    "benefit_to_procurer",
)
#: Optional facts, written out by to_dict() only when set, so older dicts round-trip unchanged.
OPTIONAL_KEYS = ("means_stage", "consented_to", "compelled_offences")
#: The links of Art. 3(a), optional yes/no facts: None (omitted) presumes the link.
LINK_KEYS = ("means_used_for_act", "purpose_at_time_of_act")
FACT_KEYS = ("acts", "means", "purposes", "age", *BOOL_KEYS, *OPTIONAL_KEYS, *LINK_KEYS)
#: What a person who consented agreed to, when the facts do not say: the journey or the job.
DEFAULT_CONSENT_SCOPE = "travel_or_work"

CHILD_AGE = 18  # Art. 3(d): "any person under eighteen years of age"

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
    consented_to: str | None = None
    compelled_offences: bool = False
    means_used_for_act: bool | None = None
    purpose_at_time_of_act: bool | None = None

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
        try:
            return cls(**_checked_values(data))
        except _BadFact as bad:
            raise FactsError(bad.message, file=source, record=record, field=bad.key) from None

    def to_dict(self) -> dict[str, Any]:
        """The facts as a JSON-able dict, lists in the order of the Protocol's text."""
        out: dict[str, Any] = {
            key: [v for v in allowed if v in getattr(self, key)]
            for key, allowed in LIST_KEYS.items()
        }
        out["age"] = self.age
        for key in BOOL_KEYS:
            out[key] = getattr(self, key)
        for key in OPTIONAL_KEYS:
            if getattr(self, key):
                out[key] = getattr(self, key)
        for key in LINK_KEYS:
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
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

    @property
    def effective_means(self) -> frozenset[str]:
        """The means that count under Art. 3(a): those used to secure the act (all of them,
        unless the facts say that they were not)."""
        return frozenset() if self.means_used_for_act is False else self.means

    @property
    def consent_scope(self) -> str | None:
        """What the person agreed to, if they consented: a key of CONSENT_SCOPES, or None."""
        if not self.consented:
            return None
        return self.consented_to or DEFAULT_CONSENT_SCOPE


class _BadFact(Exception):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key, self.message = key, message


def _checked_list(data: dict[str, Any], key: str, allowed: dict[str, str]) -> frozenset[str]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise _BadFact(key, f"must be a list of strings from: {', '.join(allowed)}")
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        raise _BadFact(key, f"unknown value {unknown[0]!r}; allowed values: {', '.join(allowed)}")
    return frozenset(raw)


def _checked_choice(data: dict[str, Any], key: str, allowed: dict[str, str]) -> str | None:
    value = data.get(key)
    if value is not None and value not in allowed:
        raise _BadFact(key, f"unknown value {value!r}; allowed values: "
                       f"{', '.join(allowed)} (or omit it)")
    return value


def _checked_values(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of Facts from a mapping, each checked against the vocabulary."""
    for key in data:
        if key not in FACT_KEYS:
            raise _BadFact(key, f"unknown key {key!r}; allowed keys: {', '.join(FACT_KEYS)}")
    values: dict[str, Any] = {key: _checked_list(data, key, allowed)
                              for key, allowed in LIST_KEYS.items()}
    age = data.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise _BadFact("age", f"must be a whole number of years (0 or more) or null, got {age!r}")
    values["age"] = age
    for key in (*BOOL_KEYS, "compelled_offences"):
        raw = data.get(key, False)
        if not isinstance(raw, bool):
            raise _BadFact(key, f"must be true or false, got {raw!r}")
        values[key] = raw
    values["means_stage"] = _checked_choice(data, "means_stage", MEANS_STAGES)
    values["consented_to"] = _checked_choice(data, "consented_to", CONSENT_SCOPES)
    if values["consented_to"] is not None and not values["consented"]:
        raise _BadFact("consented_to",
                       "says what the person agreed to, so it needs consented: true")
    for key, needs in (("means_used_for_act", "means"), ("purpose_at_time_of_act", "purposes")):
        raw = data.get(key)
        if raw is not None and not isinstance(raw, bool):
            raise _BadFact(key, f"must be true or false (or omitted), got {raw!r}")
        if raw is not None and not values[needs]:
            raise _BadFact(key, f"says how the {needs} link to the act, so it needs {needs}")
        values[key] = raw
    return values


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
    at_issue: bool = True   # False: the facts raise no question this element answers

    @property
    def state(self) -> str:
        """How the element stands, in a student's words: met, missing, not needed, not at
        issue, or unknown (needed, but the facts do not say)."""
        if not self.at_issue:
            return "not at issue"
        if self.met is None:
            return "unknown" if self.required else "not needed"
        return "met" if self.met else "missing"


@dataclass(frozen=True)
class Note:
    """A note on the assessment. layer "protocols": a rule of the two Protocols; "beyond":
    another layer of law that changes what follows from the Protocols' verdict."""

    key: str
    text: str
    article: str
    layer: str = "protocols"


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
                 "at_issue": e.at_issue, "reason": e.reason, "article": e.article}
                for e in self.elements
            ],
            "notes": [{"note": n.key, "text": n.text, "article": n.article, "layer": n.layer}
                      for n in self.notes],
        }


class Explanation(str):
    """Plain text (one statement per line, "  - " and "  * " for list items) that a notebook
    shows as formatted text: as the cell's last expression it is displayed through
    `_repr_markdown_`, so it wraps between words like the course's prose (print() output is
    preformatted, and JupyterLab breaks its long lines in the middle of a word)."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        out: list[str] = []
        for line in self.splitlines():
            stripped = line.strip().replace("*", "\\*")
            if line.startswith("  - "):
                out.append(f"- {stripped[2:]}")
            elif line.startswith("  \\* ") or line.startswith("  * "):
                out.append(f"- *{stripped[3:]}*")
            elif line.startswith("Verdict:") or line.split(":")[0] in OFFENCES.values():
                out.append(f"\n**{stripped}**\n")
            elif stripped:
                out.append(f"\n{stripped}\n")
        return "\n".join(out).strip() + "\n"


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
            "decides_under": DECIDES_UNDER,
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    def explain(self) -> Explanation:
        """A plain-text explanation, element by element, each line citing its article (shown
        formatted when it is a notebook cell's last expression)."""
        lines = [f"Verdict: {VERDICTS[self.verdict]}"]
        if self.missing_facts:
            lines.append(f"Not decided: the facts do not say {', '.join(self.missing_facts)}.")
        for result in (self.trafficking, self.smuggling):
            title = OFFENCES[result.offence]
            state = offence_state(result.established, result.decided)
            lines.append(f"{title}: {state}")
            for e in result.elements:
                lines.append(f"  - {ELEMENT_NAMES[e.key]} ({e.state}): {e.reason} "
                             f"[{e.article}]")
            for n in result.notes:
                lines.append(f"  * {n.text} [{n.article}]")
        lines.append(DECIDES_UNDER)
        return Explanation("\n".join(lines))


# --------------------------------------------------------------------------------------------
# Assessment: element builders, then a table of note rules
# --------------------------------------------------------------------------------------------


def _labels(keys: frozenset[str], vocabulary: dict[str, str]) -> str:
    return ", ".join(vocabulary[k] for k in vocabulary if k in keys)


def _act(f: Facts) -> Element:
    if not f.acts:
        reason = "No recruitment, transportation, transfer, harbouring or receipt of the person."
    elif f.purposes:
        reason = f"The facts show {_labels(f.acts, ACTS)}."
    else:   # moving or landing a person is ordinary conduct until a purpose joins it
        reason = (f"The facts show {_labels(f.acts, ACTS)}. On its own that is ordinary "
                  "conduct: it is part of trafficking only when done for the purpose of "
                  "exploitation (and, for an adult, by one of the means).")
    return Element("act", ELEMENTS["trafficking"]["act"], bool(f.acts), reason,
                   f"{TP}, Art. 3(a)")


def _purpose_labels(f: Facts) -> str:
    """The purposes in the vocabulary's words; for a child, prostitution is named as what it is
    (Luxembourg Terminology Guidelines): the sexual exploitation of a child."""
    text = _labels(f.purposes, PURPOSES)
    if f.age is not None and f.age < CHILD_AGE and "prostitution_of_others" in f.purposes:
        text = text.replace(PURPOSES["prostitution_of_others"],
                            "the sexual exploitation of a child (\u201cthe exploitation of the "
                            "prostitution of others\u201d in Art. 3(a))")
    return text


def _purpose(f: Facts) -> Element:
    label, art = ELEMENTS["trafficking"]["purpose"], f"{TP}, Art. 3(a)"
    if f.purposes and f.purpose_at_time_of_act is False:
        return Element(
            "purpose", label, False,
            f"The facts show {_purpose_labels(f)}, but not as the purpose of the "
            "act: when the act was done, the one who did it neither intended nor knew of it. "
            "Art. 3(a) asks for the act \u201cfor the purpose of exploitation\u201d, held at "
            "the time of the act; exploitation that comes later is not enough.", art)
    held = ", held when the act was done" if f.purpose_at_time_of_act else ""
    return Element(
        "purpose", label, bool(f.purposes),
        f"The purpose was {_purpose_labels(f)}{held}." if f.purposes else
        "No purpose of exploitation of the kinds the Protocol lists.", art,
    )


def _smuggled_for_benefit(f: Facts) -> bool:
    return f.entry_procured_by_another and f.illegal_entry and f.benefit_to_procurer


def _unlinked_means(f: Facts) -> str:
    """Why a means the facts name is not the means element: the facts say it did not secure the
    act. A lie that won the person's agreement to go would have secured it; where the purpose of
    exploitation is missing too, that is what decides."""
    text = (f"The facts show {_labels(f.means, MEANS)}, but say it was not used to secure the "
            "act: Art. 3(a) asks for the act \u201cby means of\u201d it.")
    lie = bool(f.means & {"deception", "fraud"})
    if lie:
        text += (" A lie that won the person's agreement to be recruited or to travel would have "
                 "secured the act, and would be a means.")
    if not f.purposes or f.purpose_at_time_of_act is False:
        text += (" What is missing for trafficking in any case is the purpose of exploitation, "
                 "held when the act was done.")
    if lie and _smuggled_for_benefit(f):
        text += (" A lie that hid a danger on the journey matters under the Smuggling Protocol: "
                 "States must treat circumstances that endanger, or are likely to endanger, the "
                 "lives or safety of the migrants as aggravating the smuggling offence (Smuggling "
                 "Protocol, Art. 6(3)(a)).")
    return text


def _means(f: Facts) -> Element:
    label, child = ELEMENTS["trafficking"]["means"], f.is_child
    if f.effective_means:
        stage = f" ({MEANS_STAGES[f.means_stage]})" if f.means_stage else ""
        linked = ", used to secure the act" if f.means_used_for_act else ""
        return Element("means", label, True,
                       f"The facts show {_labels(f.means, MEANS)}{stage}{linked}.",
                       f"{TP}, Art. 3(a)", required=not child)
    if child:
        return Element("means", label, None,
                       f"No means is needed: the person is {f.age}, a child under eighteen.",
                       f"{TP}, Art. 3(c), (d)", required=False)
    if f.means:
        return Element("means", label, False, _unlinked_means(f), f"{TP}, Art. 3(a)")
    if child is None:
        return Element("means", label, False,
                       "No means is shown, and the person's age is not known: an adult needs a "
                       "means, a child under eighteen does not.", f"{TP}, Art. 3(a), (c)")
    return Element("means", label, False,
                   f"No means is shown, and the person is {f.age}, an adult, so a means "
                   "is required.", f"{TP}, Art. 3(a)")


@dataclass(frozen=True)
class _Case:
    """What the note rules look at: the facts and the trafficking elements as assessed."""

    f: Facts
    act: bool
    purpose: bool
    established: bool

    @property
    def act_and_purpose(self) -> bool:
        return self.act and self.purpose

    @property
    def means(self) -> frozenset[str]:
        """The means that count: used to secure the act (Facts.effective_means)."""
        return self.f.effective_means

    @property
    def adult(self) -> bool:
        return self.f.is_child is False

    @property
    def decided(self) -> bool:
        return not (self.act_and_purpose and not self.means and self.f.is_child is None)


@dataclass(frozen=True)
class NoteRule:
    """One note: when it applies, what it says (text may depend on the facts), the article it
    rests on, and its layer ("protocols", or "beyond" for another layer of law)."""

    key: str
    applies: Callable[[_Case], bool]
    text: Callable[[Facts], str]
    article: str
    layer: str = "protocols"


_STAGE_TEXT = {
    "recruitment": "Forced to start, as a matter of timing: the means were used to get the "
    "person into the situation. In the lecture's fuller sense (no real option but to become "
    "involved) forced to start is closest to the abuse of a position of vulnerability; a lie "
    "hides what the person is choosing rather than taking the choice away.",
    "destination": "Forced to stay on: the means were used to keep the person from leaving; an "
    "act such as harbouring or receipt can meet the act element there.",
    "both": "Forced to start and forced to stay on: means were used at recruitment and at the "
    "destination.",
}

_CONSENT_WITH_MEANS = {
    "travel_or_work": "The person agreed to travel or to a job, not to the exploitation itself, "
    "so there is no consent to the intended exploitation to weigh; and even such consent would "
    "be irrelevant, because one of the means was used.",
    "exploitation": "The person agreed to the exploitation itself, but that consent is "
    "irrelevant, because one of the means was used.",
    # consented, but the facts do not say to what (consented_to omitted)
    "unstated": "The facts say the person agreed, but not to what. Art. 3(b) speaks of consent "
    "\u201cto the intended exploitation\u201d: agreeing to travel or to a job as it was "
    "described is not consent to the exploitation. Whatever the person agreed to, the "
    "agreement is irrelevant here, because one of the means was used.",
}

_CONSENT_WITHOUT_MEANS = {
    "travel_or_work": "The person agreed to travel or to a job, not to the exploitation. What "
    "keeps this outside the definition for an adult is the missing means, not that agreement: "
    "the Protocol has no consent defence.",
    "exploitation": "The person agreed to the exploitation itself and no means was used, so "
    "this is not trafficking of an adult under the Protocol. The reason is the missing means, "
    "not the consent: the Protocol has no consent defence, and Art. 3(b) only sets consent "
    "aside where a means was used.",
    "unstated": "The facts say the person agreed, but not to what. What keeps this outside the "
    "definition for an adult is the missing means, not that agreement: the Protocol has no "
    "consent defence.",
}

#: Added to a consent note where the means include a lie, or the person is a child.
_CONSENT_LIE = (" An agreement won by a false promise (a job that was not what it was said to "
                "be, say) is what the deception or fraud secured: evidence of the means, not a "
                "defence.")
_CONSENT_NO_LIE = (" If the agreement was won by a false promise about the job or the journey, "
                   "that is deception, a means, and the answer changes.")
_CONSENT_CHILD = " For a person under eighteen no means is needed in any case (Art. 3(c))."


def _consent_key(f: Facts) -> str:
    return "unstated" if f.consented_to is None else str(f.consent_scope)


def _consent_with_means(f: Facts) -> str:
    text = _CONSENT_WITH_MEANS[_consent_key(f)]
    if f.consent_scope != "exploitation" and f.effective_means & {"deception", "fraud"}:
        text += _CONSENT_LIE
    return text + (_CONSENT_CHILD if f.is_child else "")


def _consent_without_means(f: Facts) -> str:
    text = _CONSENT_WITHOUT_MEANS[_consent_key(f)]
    return text + (_CONSENT_NO_LIE if f.consent_scope != "exploitation" else "")

#: The notes on trafficking, one rule per row, in the order a student reads them.
TRAFFICKING_NOTES: tuple[NoteRule, ...] = (
    NoteRule("age_unknown",
             lambda c: c.act_and_purpose and not c.means and c.f.is_child is None,
             lambda f: "Whether this is trafficking turns on the person's age, which the facts "
             "do not give: under eighteen it is, without any means; at eighteen or over it is "
             "not, unless a means was used.", f"{TP}, Art. 3(c), (d)"),
    NoteRule("child_rule",
             lambda c: bool(c.f.is_child) and not c.means and c.act_and_purpose,
             lambda f: "Child rule applied: for a person under eighteen the act and the purpose "
             "of exploitation are enough; no means has to be shown.", f"{TP}, Art. 3(c), (d)"),
    # Art. 3(b) speaks of consent "to the intended exploitation": first ask what the person
    # agreed to (Facts.consent_scope), then whether a means was used.
    NoteRule("consent_irrelevant",
             lambda c: c.f.consented and c.act_and_purpose and bool(c.means),
             _consent_with_means, f"{TP}, Art. 3(b)"),
    NoteRule("consent_child",
             lambda c: (c.f.consented and c.act_and_purpose and not c.means
                        and bool(c.f.is_child)),
             lambda f: "A child's agreement, to the journey, the work or the exploitation itself, "
             "does not matter: for a person under eighteen no means is needed, so there is "
             "nothing for an agreement to weigh against.", f"{TP}, Art. 3(c)"),
    NoteRule("consent_not_a_defence",
             lambda c: (c.f.consented and c.act_and_purpose and not c.means and c.adult
                        and not c.established),
             _consent_without_means, f"{TP}, Art. 3(a), (b)"),
    NoteRule("means_stage",
             lambda c: bool(c.f.means_stage and c.means),
             lambda f: _STAGE_TEXT[str(f.means_stage)], f"{TP}, Art. 3(a)"),
    NoteRule("no_border_needed",
             lambda c: c.established and not c.f.illegal_entry,
             lambda f: "No illegal border crossing is needed, nor any crossing at all: the "
             "definition names none, so trafficking can also happen inside one country.",
             f"{TP}, Art. 3(a)"),
    NoteRule("scope_domestic_offence",
             lambda c: c.established and not c.f.illegal_entry,
             lambda f: "The Protocol's scope clause speaks of offences that are transnational and "
             "involve an organised criminal group, but States must make trafficking an offence in "
             "their domestic law regardless of either: a case inside one country, by one person, "
             "is still punishable.", f"{TP}, Art. 4; UN Convention against Transnational "
             "Organized Crime, Art. 34(2)", "beyond"),
    NoteRule("vulnerability_meaning",
             lambda c: "abuse_of_vulnerability" in c.means and c.act_and_purpose,
             lambda f: "Abuse of a position of vulnerability: the interpretative notes speak of a "
             "situation in which the person \"has no real and acceptable alternative but to submit "
             "to the abuse involved\"; the Council of Europe Convention names the same means "
             "in the same words (Art. 4(a)); EU law: \"no real or acceptable alternative\". The "
             "means is the abuse, not the vulnerability alone; Norwegian courts judge it on the "
             "person's life before, the situation she is brought into and her real options "
             "(Rt. 2006 s. 111).",
             f"{NOTES}; Council of Europe Convention, Art. 4(a); Directive 2011/36/EU, Art. 2(2); "
             "Rt. 2006 s. 111"),
    NoteRule("exploitation_without_means",
             lambda c: (bool(c.f.purposes) and not c.established and not c.means
                        and c.adult and c.act),
             lambda f: "Exploitative conditions alone do not make trafficking of an adult: one "
             "of the means must also be shown. Other labour or criminal law may still apply.",
             f"{TP}, Art. 3(a)"),
    NoteRule("prostitution_domestic_law",
             lambda c: ("prostitution_of_others" in c.f.purposes and not c.established
                        and c.decided),
             lambda f: "Not trafficking under the Protocol, which addresses the exploitation of "
             "the prostitution of others only in the context of trafficking and leaves how States "
             "treat prostitution to their domestic law: national offences (procuring, or buying "
             "sex where that is an offence) may still apply.", NOTES, "beyond"),
    NoteRule("purpose_formed_later",
             lambda c: c.act and c.f.purpose_at_time_of_act is False,
             lambda f: "Exploitation that begins after the act does not reach back to make "
             "that act trafficking; but whoever then harbours or receives the person for the "
             "exploitation, by one of the means (or, for a child, without any), does an act of "
             "their own, and is judged on it.", f"{TP}, Art. 3(a), (c)"),
    NoteRule("non_punishment",
             lambda c: c.established and c.f.compelled_offences,
             lambda f: "Non-punishment: the person was compelled to commit offences as a direct "
             "consequence of being trafficked. The Protocol has no rule on this. The Council of "
             "Europe Convention requires States to provide for the possibility of not imposing "
             "penalties for such offences, and EU law requires Member States to ensure that "
             "their authorities are \u201centitled not to prosecute or impose penalties\u201d "
             "for them: a discretion for the prosecutor or court, case by case, not an automatic "
             "bar to prosecution. Where the offences were committed in forced labour, the ILO's "
             "Protocol of 2014 to the Forced Labour Convention (which Norway has ratified) asks "
             "the same of its Parties: that their authorities be able not to prosecute or "
             "punish victims for what they were compelled to do.",
             "Council of Europe Convention on Action against Trafficking in Human Beings, "
             "Art. 26; Directive 2011/36/EU, Art. 8; ILO Protocol of 2014 to the Forced Labour "
             "Convention, 1930, Art. 4(2)", "beyond"),
    NoteRule("non_punishment_needs_trafficking",
             lambda c: c.f.compelled_offences and not c.established and c.decided,
             lambda f: "The person was made to commit offences, but on these facts trafficking "
             "is not shown, so the non-punishment provisions, which protect victims of "
             "trafficking, do not apply as such; find out whether a means or a purpose of "
             "exploitation was missed.",
             "Council of Europe Convention on Action against Trafficking in Human Beings, "
             "Art. 26; Directive 2011/36/EU, Art. 8", "beyond"),
)


def _note_key(rule: NoteRule, f: Facts) -> str:
    return f"means_stage_{f.means_stage}" if rule.key == "means_stage" else rule.key


def _note(rule: NoteRule, f: Facts) -> Note:
    text = rule.text(f)
    if rule.layer == "beyond":
        text = f"{LAYERS['beyond']}: {text}"
    return Note(_note_key(rule, f), text, rule.article, rule.layer)


def _notes(rules: tuple[NoteRule, ...], case: _Case) -> tuple[Note, ...]:
    return tuple(_note(r, case.f) for r in rules if r.applies(case))


def _assess_trafficking(f: Facts) -> tuple[OffenceResult, tuple[str, ...]]:
    act, means, purpose = _act(f), _means(f), _purpose(f)
    established = bool(act.met and purpose.met and (bool(means.met) or bool(f.is_child)))
    decided = not (act.met and purpose.met and not means.met and f.is_child is None)
    notes = _notes(TRAFFICKING_NOTES, _Case(f, bool(act.met), bool(purpose.met), established))
    result = OffenceResult("trafficking", established, (act, means, purpose), notes,
                           decided=decided)
    return result, () if decided else ("age",)


def _smuggling_elements(f: Facts) -> tuple[Element, ...]:
    labels, art = ELEMENTS["smuggling"], f"{SP}, Art. 3(a)"
    procured, benefit = f.entry_procured_by_another, f.benefit_to_procurer
    return (
        Element("procurement", labels["procurement"], procured, _procurement_reason(f), art),
        Element("benefit", labels["benefit"], benefit,
                "The one who arranged it did so in order to obtain a financial or other "
                "material benefit." if benefit else "Nobody arranged the entry in order to "
                "obtain a financial or other material benefit.", art),
        Element("illegal_entry", labels["illegal_entry"], f.illegal_entry,
                "The border was crossed without complying with the requirements for legal "
                "entry." if f.illegal_entry else "There was no illegal entry: no border was "
                "crossed without complying with the requirements for legal entry.",
                f"{SP}, Art. 3(a), (b)"),
        _nationality(f, labels["not_national_or_resident"], art),
    )


def _procurement_reason(f: Facts) -> str:
    """Procurement as the facts record it; where nobody sought a benefit (a family member, a
    crew landing people it rescued), a hedge: whether that help procured an illegal entry at
    all need not be settled, since the benefit element decides."""
    if not f.entry_procured_by_another:
        return "Nobody else procured the person's entry into another State."
    if f.benefit_to_procurer:
        return "Someone else procured (arranged) the person's entry."
    return ("The facts record that someone else brought the person in or arranged the entry. "
            "Not all such help is clearly procurement of an illegal entry: a landing at a place "
            "of safety after a rescue at sea, for example, where the authorities direct or allow "
            "it, is arguably not a crossing \u201cwithout complying with the necessary "
            "requirements\u201d (Art. 3(b)). The verdict does not turn on it here, because no "
            "benefit was sought.")


def _nationality(f: Facts, label: str, art: str) -> Element:
    """Not a national or permanent resident: at issue only where the facts describe an entry
    into a State (an illegal one, or one someone else arranged); the reason follows the facts."""
    foreign = not f.destination_national_or_resident
    if not (f.illegal_entry or f.entry_procured_by_another):
        reason = ("No entry into another State is described: the person is in their own "
                  "country, so this element does not arise." if not foreign else
                  "No entry into another State is described, so whether the person is a "
                  "national or permanent resident of one does not arise.")
        return Element("not_national_or_resident", label, None, reason, art, required=False,
                       at_issue=False)
    return Element("not_national_or_resident", label, foreign,
                   "The person is not a national or permanent resident of the State entered."
                   if foreign else "The person is a national or permanent resident of the "
                   "State entered.", art)


#: The notes on smuggling, one rule per row.
SMUGGLING_NOTES: tuple[NoteRule, ...] = (
    NoteRule("migrant_not_liable", lambda c: c.established,
             lambda f: "The smuggled person is not to be prosecuted under the Protocol for "
             "having been smuggled.", f"{SP}, Art. 5"),
    NoteRule("migrant_other_offences", lambda c: c.established,
             lambda f: "That is no immunity: a State may still take measures against the "
             "migrant for conduct that is an offence under its domestic law, such as using a "
             "forged document.", f"{SP}, Art. 6(4)", "beyond"),
    NoteRule("migrant_protection", lambda c: c.established,
             lambda f: "The State must protect the smuggled person's rights, in particular to "
             "life and not to be tortured or treated inhumanly, protect them against violence "
             "and assist them if their life or safety is endangered.", f"{SP}, Art. 16"),
    NoteRule("no_benefit",
             lambda c: (c.f.entry_procured_by_another and c.f.illegal_entry
                        and not c.f.benefit_to_procurer),
             lambda f: "Helping someone across a border without a financial or other material "
             "benefit is not smuggling of migrants under the Protocol.", f"{SP}, Art. 3(a)"),
    NoteRule("domestic_law_may_punish",
             lambda c: (c.f.entry_procured_by_another and c.f.illegal_entry
                        and not c.f.benefit_to_procurer
                        and not c.f.destination_national_or_resident),
             lambda f: "Not smuggling under the Protocol, but domestic law may still punish "
             "it: the Protocol does not stop a State acting against conduct that is an offence "
             "under its own law, and EU Member States, and Schengen States such as Norway "
             "that apply the same rules, must sanction intentionally helping a person to enter "
             "or transit with no gain required, unless a State uses the option not to sanction "
             "humanitarian assistance. The law of the sea makes rendering assistance to "
             "persons in distress at sea a duty, and a rescue it requires is hard to call "
             "facilitation; whether particular rescuers may still be prosecuted is contested "
             "in practice. And the Court of Justice has held that bringing in children who "
             "are in one's actual care is not facilitation under the Directive, and that "
             "national law may not make it an offence (Kinsa).",
             f"{SP}, Art. 6(4); Directive 2002/90/EC, Art. 1; UNCLOS, Art. 98(1); Court of "
             "Justice, Kinsa, C-460/23", "beyond"),
    NoteRule("legal_entry_for_fee",
             lambda c: (c.f.entry_procured_by_another and c.f.benefit_to_procurer
                        and not c.f.illegal_entry),
             lambda f: "Arranging a legal entry for a fee is not smuggling: the entry must be "
             "illegal.", f"{SP}, Art. 3(a), (b)"),
    NoteRule("national_returning",
             lambda c: c.f.destination_national_or_resident and c.f.illegal_entry,
             lambda f: "A national or permanent resident entering their own State is outside "
             "the definition.", f"{SP}, Art. 3(a)"),
    NoteRule("refugee_protection",
             lambda c: c.f.illegal_entry and not c.f.destination_national_or_resident,
             lambda f: "If the person is a refugee who came directly from a threat, reported to "
             "the authorities without delay and shows good cause, they are not to be penalised "
             "for the illegal entry; and no refugee may be returned to a place where their life "
             "or freedom would be threatened, unless Art. 33(2) applies (a danger to the "
             "security of the country, or a final conviction of a particularly serious crime "
             "and a danger to the community). Human rights law protects everyone, refugee or "
             "not, and admits no such exception: no State party may return a person where there "
             "are substantial grounds for believing they would be in danger of torture (UN "
             "Convention against Torture, Art. 3); the Human Rights Committee reads the ICCPR "
             "(Art. 7) as forbidding return to a danger of torture or cruel, inhuman or "
             "degrading treatment; and in Europe the ECHR (Art. 3) forbids return to a real risk "
             "of torture or inhuman or degrading treatment. Nothing in the Smuggling Protocol "
             "affects these rules.",
             "Refugee Convention (1951), Arts 31(1), 33(1)-(2); Convention against Torture, "
             "Art. 3(1); ICCPR, Art. 7 (Human Rights Committee, General Comment No. 20, para. 9); "
             f"ECHR, Art. 3; {SP}, Art. 19(1)",
             "beyond"),
)


def _assess_smuggling(f: Facts) -> OffenceResult:
    elements = _smuggling_elements(f)
    established = all(e.met for e in elements)  # an element not at issue (None) is not met
    notes = _notes(SMUGGLING_NOTES, _Case(f, False, False, established))
    return OffenceResult("smuggling", established, elements, notes)


_BOTH = Note("smuggling_and_trafficking",
             "Both offences at once: the entry was smuggled, and the person was also recruited "
             "or moved for exploitation.", f"{TP}, Art. 3(a); {SP}, Art. 3(a)")


def assess(facts: Facts | dict[str, Any]) -> Assessment:
    """Assess facts against both Protocols; return the verdict with reasons, article by article."""
    f = Facts.from_dict(facts)
    trafficking, missing_facts = _assess_trafficking(f)
    smuggling = _assess_smuggling(f)
    verdict = {(True, True): "both", (True, False): "trafficking",
               (False, True): "smuggling", (False, False): "neither"}[
        (trafficking.established, smuggling.established)]
    if verdict == "both":
        trafficking = OffenceResult(trafficking.offence, True, trafficking.elements,
                                    trafficking.notes + (_BOTH,))
    return Assessment(f, verdict, trafficking, smuggling, missing_facts)


def explain_change(before: Assessment, after: Assessment) -> Explanation | None:
    """One sentence on why the verdict changed between two assessments, or None if it did not."""
    if before.verdict == after.verdict and before.decided == after.decided:
        return None
    changed = []
    for name in ("trafficking", "smuggling"):
        old, new = before.offence(name), after.offence(name)
        for e_old, e_new in zip(old.elements, new.elements, strict=True):
            if e_old.state != e_new.state:
                changed.append(f"\u201c{ELEMENT_NAMES[e_new.key]}\u201d is now {e_new.state} "
                               f"({e_new.article})")
    what = "; ".join(changed) if changed else "the facts changed"
    if not after.decided:
        return Explanation(f"The verdict can no longer be decided: {what}. The person's age is "
                           "now needed.")
    return Explanation(f"The verdict changed from {VERDICTS[before.verdict]} to "
                       f"{VERDICTS[after.verdict]} because {what}.")

