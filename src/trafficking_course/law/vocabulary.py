"""The one vocabulary of labels students read: every code of the legal engine has its label here.

The facts vocabulary (the keys of ACTS, MEANS, PURPOSES, MEANS_STAGES) is a public contract
shared with the scenario bank, the widgets, the exercises and the command line; the values are
what a student sees. Widgets, feedback and tables take their labels from here (or through
`label()`), never from a code.
"""

from __future__ import annotations

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

#: What a person who "consented" agreed to (Trafficking Protocol, Art. 3(b) speaks of consent
#: "to the intended exploitation"): a journey or a job as described, or the exploitation itself.
CONSENT_SCOPES: dict[str, str] = {
    "travel_or_work": "agreed to travel or to a job, as it was described to them",
    "exploitation": "agreed to the exploitation itself, knowing its terms",
}

#: The other yes/no facts beyond the Protocols' elements, as a learner would say them.
OTHER_FACTS: dict[str, str] = {
    "compelled_offences": "the person was made to commit offences (for example growing cannabis "
    "or using false papers) as part of the exploitation",
}

#: Where a note's rule comes from: the two Protocols, whose elements decide the verdict, or
#: another layer of law (the UN Convention, refugee law, Council of Europe, EU or national law)
#: that changes what a student should conclude from that verdict.
LAYERS: dict[str, str] = {
    "protocols": "Under the Protocols",
    "beyond": "Beyond the Protocols",
}

#: What the engine decides under, said with every explanation.
DECIDES_UNDER = (
    "The verdict applies the definitions of the two UN Protocols of 2000 only (Trafficking "
    "Protocol, Art. 3; Smuggling Protocol, Art. 3): it says whether their elements are present "
    "on these facts. Whether a person is guilty of an offence is a further question, for a court "
    "applying national law, which also needs that person's intent (the conduct is to be an "
    "offence \"when committed intentionally\": Trafficking Protocol, Art. 5(1); Smuggling "
    "Protocol, Art. 6(1)). Notes marked \"Beyond the Protocols\" say where another layer of law "
    "changes what follows from it."
)


def offence_state(established: bool, decided: bool) -> str:
    """How an offence's definition stands on the facts, as students read it."""
    if established:
        return "its elements are present on these facts"
    return "cannot be decided on these facts" if not decided else "not all its elements are present"

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

#: Short, readable names of the elements, for checkboxes, reasons and feedback (ELEMENTS order).
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

#: The two offences, as students read them.
OFFENCES: dict[str, str] = {
    "trafficking": "Trafficking in persons",
    "smuggling": "Smuggling of migrants",
}

#: An element's state in an assessment.
ELEMENT_STATES: dict[bool | None, str] = {True: "met", False: "missing", None: "not needed"}


def label(code: str) -> str:
    """The label of any code of the vocabulary (an act, means, purpose, stage, element or
    verdict); a KeyError names a code that has none, so no code reaches a student unlabelled."""
    for table in (ACTS, MEANS, PURPOSES, MEANS_STAGES, VERDICTS, OFFENCES, CONSENT_SCOPES,
                  OTHER_FACTS, LAYERS,
                  ELEMENTS["trafficking"], ELEMENTS["smuggling"]):
        if code in table:
            return table[code]
    raise KeyError(f"no label for {code!r} in the course vocabulary")
