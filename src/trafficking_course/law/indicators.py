"""The ILO Indicators of Forced Labour (2012) as a checklist: indicators point, they do not decide.

Pure Python, no widgets. The eleven indicators are those of the ILO's 2012 list, in its order;
the short descriptions are the project's own words. summarise(present) describes which
indicators a case shows and always says that indicators point to forced labour but do not
establish it: it never returns a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trafficking_course.errors import DataError

SOURCE = "International Labour Organization (ILO), ILO Indicators of Forced Labour (2012)"

CONVENTION_SOURCE = "ILO Convention No. 29 (1930)"

#: The definition of forced labour in ILO Convention No. 29 (1930), quoted verbatim.
FORCED_LABOUR_DEFINITION = (
    "all work or service which is exacted from any person under the menace of any penalty and "
    "for which the said person has not offered himself voluntarily"
)

CAVEAT = "Indicators point to forced labour but do not establish it."

#: How indicators are weighed (ILO 2012, in our words).
WEIGHING = ("In some cases one indicator can be enough to point to forced labour; in others "
            "several together point to it.")


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    description: str


#: The eleven indicators, in the order of the ILO's 2012 list; descriptions in our own words.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("abuse_of_vulnerability", "Abuse of vulnerability",
              "The employer takes advantage of a weak position: no papers, no language, no "
              "money, no one to turn to, or dependence on the employer for housing or work."),
    Indicator("deception", "Deception",
              "The work, the pay, the place or the conditions turn out to be different from "
              "what was promised when the person was recruited."),
    Indicator("restriction_of_movement", "Restriction of movement",
              "The person is locked in, watched or escorted, or is not allowed to leave the "
              "workplace or the living quarters freely."),
    Indicator("isolation", "Isolation",
              "The person is cut off from family, friends and help: a remote site, a phone "
              "taken away, no contact with the outside world."),
    Indicator("physical_and_sexual_violence", "Physical and sexual violence",
              "The person is beaten, sexually abused or otherwise hurt, or forced to take "
              "drugs or alcohol, to make them work or keep working."),
    Indicator("intimidation_and_threats", "Intimidation and threats",
              "The person is threatened: with violence, with the police or immigration "
              "authorities, with harm to their family, or with losing what they are owed."),
    Indicator("retention_of_identity_documents", "Retention of identity documents",
              "The employer or someone else keeps the person's passport or identity card, so "
              "that they cannot leave or prove who they are."),
    Indicator("withholding_of_wages", "Withholding of wages",
              "Pay is held back, delayed or cut to nothing, so that the person cannot afford "
              "to leave or fears losing what they have earned."),
    Indicator("debt_bondage", "Debt bondage",
              "The person must work off a debt (for travel, a job fee, food or housing) that "
              "never seems to shrink, and cannot leave until it is paid."),
    Indicator("abusive_working_and_living_conditions", "Abusive working and living conditions",
              "The work is degrading or dangerous, or the housing is crowded, unsafe or "
              "unsanitary, beyond what the person would ever accept freely."),
    Indicator("excessive_overtime", "Excessive overtime",
              "The person must work far longer hours or days than the law or the contract "
              "allows, with no real choice to refuse."),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}


@dataclass(frozen=True)
class IndicatorSummary:
    present: tuple[str, ...]
    text: str

    @property
    def count(self) -> int:
        return len(self.present)


def summarise(present: Iterable[str]) -> IndicatorSummary:
    """Describe which indicators are present; never a verdict. Unknown keys raise an error."""
    chosen = set(present)
    unknown = sorted(chosen - set(BY_KEY))
    if unknown:
        raise DataError(f"unknown indicator {unknown[0]!r}; known: {', '.join(BY_KEY)}",
                             field="present")
    keys = tuple(i.key for i in INDICATORS if i.key in chosen)
    names = [BY_KEY[k].name.lower() for k in keys]
    n = len(keys)
    if n == 0:
        first = ("No indicator is ticked. That does not rule forced labour out: look again at "
                 "the case, and ask what is not said.")
    elif n == 1:
        first = f"You ticked 1 of the {len(INDICATORS)} indicators: {names[0]}. {WEIGHING}"
    else:
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        first = f"You ticked {n} of the {len(INDICATORS)} indicators: {listed}. {WEIGHING}"
    text = (f"{first} {CAVEAT} Whether this is forced labour depends on the definition: "
            f"\"{FORCED_LABOUR_DEFINITION}\" ({CONVENTION_SOURCE}). Source of the indicators: "
            f"{SOURCE}.")
    return IndicatorSummary(keys, text)
