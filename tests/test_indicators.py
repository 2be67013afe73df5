"""The ILO 2012 forced-labour indicators: the eleven of the list, and a summary that never
decides."""

from __future__ import annotations

import pytest

from trafficking_course.errors import DataError
from trafficking_course.law.indicators import (
    CAVEAT,
    FORCED_LABOUR_DEFINITION,
    INDICATORS,
    SOURCE,
    summarise,
)


def test_the_eleven_indicators_in_the_ilo_order():
    assert [i.name for i in INDICATORS] == [
        "Abuse of vulnerability", "Deception", "Restriction of movement", "Isolation",
        "Physical and sexual violence", "Intimidation and threats",
        "Retention of identity documents", "Withholding of wages", "Debt bondage",
        "Abusive working and living conditions", "Excessive overtime",
    ]
    assert len({i.key for i in INDICATORS}) == 11
    assert all(len(i.description.split()) >= 8 for i in INDICATORS)
    assert "2012" in SOURCE and "ILO" in SOURCE


def test_convention_29_definition_is_verbatim():
    assert FORCED_LABOUR_DEFINITION == (
        "all work or service which is exacted from any person under the menace of any penalty "
        "and for which the said person has not offered himself voluntarily")


@pytest.mark.parametrize("present", [[], ["deception"],
                                     ["debt_bondage", "isolation", "excessive_overtime"],
                                     [i.key for i in INDICATORS]])
def test_summary_points_but_never_decides(present):
    s = summarise(present)
    assert CAVEAT in s.text
    assert "do not establish it" in s.text
    assert FORCED_LABOUR_DEFINITION in s.text
    assert s.count == len(present)
    for word in ("this is forced labour.", "verdict", "is trafficking"):
        assert word not in s.text.lower()


def test_summary_names_what_is_present_in_list_order():
    s = summarise(["excessive_overtime", "deception"])
    assert s.present == ("deception", "excessive_overtime")
    assert s.text.startswith("You ticked 2 of the 11 indicators: deception and excessive "
                             "overtime.")
    one = summarise(["isolation"]).text
    assert one.startswith("You ticked 1 of the 11 indicators: isolation.")
    assert "one indicator can be enough" in one
    assert summarise([]).text.startswith("No indicator is ticked.")


def test_unknown_indicator_is_refused():
    with pytest.raises(DataError, match="unknown indicator 'curfew'"):
        summarise(["curfew"])
