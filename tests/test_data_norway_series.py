"""Notebook 03's KOM series holds every year the course could read from KOM's reports (or the
police's publication of them), each row with its source, and says which years are missing."""

from __future__ import annotations

from trafficking_course import datasets

from .conftest import ROOT

DATA = ROOT / "data"


def _totals():
    kom = datasets.load("norway_possible_victims", root=DATA)
    rows = kom[(kom.measure == "possible_victims") & (kom.category == "all")]
    return rows.set_index("year")


def test_every_year_read_is_in_the_series_with_its_source():
    totals = _totals()
    # possible victims followed up: 2012 and 2016 only
    assert totals["count"].to_dict() == {2012: 349, 2016: 262}
    # 2013-2014 are a different measure (presumed victims who accepted assistance and
    # protection, KOM's estimated scope), coded apart so that no chart joins them silently
    kom = datasets.load("norway_possible_victims", root=DATA)
    est = kom[(kom.measure == "presumed_victims_assisted_estimate") & (kom.category == "all")]
    assert est.set_index("year")["count"].to_dict() == {2013: 300, 2014: 324}
    assert set(est.source_id) == {"no-kom-2014"}  # the count module 9 uses
    assert 2015 not in totals.index and 2015 not in set(est.year)  # no 2015 total read


def test_the_2014_breakdown_module_9_uses_is_in_the_data():
    kom = datasets.load("norway_possible_victims", root=DATA)
    y2014 = kom[kom.year == 2014].set_index(["measure", "category"])["count"]
    assert y2014[("presumed_victims_assisted_estimate", "new_in_year")] == 157
    assert y2014[("police_reports", "all")] == 106
    y2013 = kom[kom.year == 2013].set_index(["measure", "category"])["count"]
    assert y2013[("police_reports", "all")] == 70


def test_the_descriptor_says_which_years_are_missing_and_why():
    desc = datasets.resource("norway_possible_victims", DATA)["description"]
    for phrase in ("2007-2011", "2015", "2017-2021", "approximately 290", "2022",
                   "presumed_victims_assisted_estimate", "Beregnet omfang"):
        assert phrase in desc
    sources = datasets.load("sources", root=DATA).set_index("source_id")
    assert "2014" in sources.loc["no-kom-2014", "title"]
    assert "not read" in sources.loc["no-kom-2014", "note"]
    assert "4.1.2" in sources.loc["no-kom-2014", "note"]


def test_the_tier_rankings_run_to_the_latest_edition_read():
    timeline = datasets.load("norway_timeline", root=DATA)
    tiers = timeline[timeline.event.str.contains("Tier")].set_index("year")["event"]
    assert list(tiers.index) == list(range(2016, 2026))
    assert all("Tier 1" in tiers[y] for y in range(2016, 2021))
    assert all("Tier 2" in tiers[y] for y in range(2021, 2026))
    sources = datasets.load("sources", root=DATA).set_index("source_id")
    assert "2025" in sources.loc["us-tip-reports", "title"]
    assert "No 2025 edition" not in sources.loc["us-tip-reports", "note"]
    assert "downgraded" in tiers[2021] and "pimping" in tiers[2021]
