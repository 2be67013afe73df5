"""The law the course teaches: the Palermo Protocols' elements and assess(facts).

    from trafficking_course.law import assess
    assess({"acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]})

Modules: engine.py (Facts, assess, explain_change: pure, no I/O), vocabulary.py (the one set of
labels students read), treaties.py (verbatim treaty texts), indicators.py (the ILO indicators).
actors.py judges a case with several people actor by actor (assess_case). Marking a student's
classification of a scenario is content.classification.
"""

from trafficking_course.law.actors import (
    Actor,
    ActorAssessment,
    ActorCase,
    CaseAssessment,
    assess_case,
)
from trafficking_course.law.engine import (
    BOOL_KEYS,
    CHILD_AGE,
    FACT_KEYS,
    LINK_KEYS,
    LIST_KEYS,
    SMUGGLING_NOTES,
    TRAFFICKING_NOTES,
    Assessment,
    Element,
    Facts,
    Note,
    NoteRule,
    OffenceResult,
    assess,
    explain_change,
)
from trafficking_course.law.vocabulary import (
    ACTS,
    ELEMENT_NAMES,
    ELEMENT_STATES,
    ELEMENTS,
    MEANS,
    MEANS_STAGES,
    OFFENCES,
    PURPOSES,
    VERDICTS,
    label,
)

__all__ = [
    "ACTS", "BOOL_KEYS", "CHILD_AGE", "ELEMENT_NAMES", "ELEMENTS", "ELEMENT_STATES", "FACT_KEYS",
    "LINK_KEYS", "LIST_KEYS", "Actor", "ActorAssessment", "ActorCase", "CaseAssessment",
    "assess_case", "MEANS", "MEANS_STAGES", "OFFENCES", "PURPOSES", "SMUGGLING_NOTES",
    "TRAFFICKING_NOTES", "VERDICTS", "Assessment", "Element", "Facts", "Note", "NoteRule",
    "OffenceResult", "assess", "explain_change", "label",
]
