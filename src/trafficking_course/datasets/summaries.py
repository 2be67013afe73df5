"""Summaries the notebooks show: CTDC case records, and the Global Report's shares as tables."""

from __future__ import annotations

import pandas as pd

from trafficking_course.datasets.ctdc import AGE_BAND, AGE_EXPECTED, FORM_FLAGS
from trafficking_course.errors import DataError

SEX_AGE_GROUPS = ("women", "girls", "men", "boys", "trans/non-conforming", "not recorded")


def age_band_is_child(band) -> bool | None:
    """True when an age band lies wholly under 18, False when at or over 18, None unknown."""
    if band is None or pd.isna(band):
        return None
    m = AGE_BAND.fullmatch(str(band))
    if not m:
        raise DataError(f"expected {AGE_EXPECTED}, got {band!r}", field="ageBroad")
    if m.group(3) is not None:
        return False
    low, high = int(m.group(1)), int(m.group(2))
    if high < 18:
        return True
    if low >= 18:
        return False
    return None  # a band across 18 cannot be split


def sex_age_group(frame: pd.DataFrame) -> pd.Series:
    """Each record's group as in the Global Report: women, girls, men, boys; plus
    'trans/non-conforming' and 'not recorded' (gender or age unknown)."""
    groups = []
    for gender, band in zip(frame["gender"], frame["ageBroad"], strict=True):
        if pd.isna(gender):
            groups.append("not recorded")
            continue
        if gender == "Trans/Transgender/NonConforming":
            groups.append("trans/non-conforming")
            continue
        child = age_band_is_child(band)
        if child is None:
            groups.append("not recorded")
        elif gender == "Woman":
            groups.append("girls" if child else "women")
        else:
            groups.append("boys" if child else "men")
    return pd.Series(pd.Categorical(groups, categories=SEX_AGE_GROUPS), index=frame.index,
                     name="group")


def share_by_group(frame: pd.DataFrame) -> pd.Series:
    """Percentage of records in each sex-and-age group (all records = 100)."""
    counts = sex_age_group(frame).value_counts(sort=False)
    return (100 * counts / counts.sum()).rename("share_percent")


def form_shares(frame: pd.DataFrame, by: pd.Series | None = None) -> pd.DataFrame:
    """Percentage of records flagged with each form of exploitation, optionally per group.

    A record can carry more than one flag, so the shares can add up to more than 100;
    records with a missing flag (-99 in the k-anonymised schema) are left out of that share.
    """
    flags = frame[list(FORM_FLAGS)].astype("Float64").rename(columns=FORM_FLAGS)
    if by is None:
        return (100 * flags.mean()).to_frame("share_percent").T.astype(float)
    return (100 * flags.groupby(by, observed=True).mean()).astype(float)


def exploited_in(frame: pd.DataFrame, iso3: str, iso2: str | None = None) -> pd.DataFrame:
    """Records whose country of exploitation is the given country (ISO3 in the synthetic-data
    layouts, ISO2 in the k-anonymised one); a file without that column raises DataError."""
    if "CountryOfExploitation" not in frame.columns:
        raise DataError("this file has no country of exploitation",
                        file=frame.attrs.get("source_file"), field="CountryOfExploitation")
    code = iso2 if frame.attrs.get("ctdc_schema") == "k-anonymised" else iso3
    if code is None:
        raise DataError("the k-anonymised schema uses ISO2 codes: give iso2",
                        file=frame.attrs.get("source_file"), field="CountryOfExploitation")
    subset = frame[frame["CountryOfExploitation"].eq(code).fillna(False).astype(bool)]
    subset.attrs.update(frame.attrs)
    subset.attrs["country"] = code
    return subset


def edition_label(frame: pd.DataFrame) -> pd.Series:
    """Each Global Report row's edition with the year(s) of its data, for a chart's legend:
    '2024 edition (2022 data)'. An edition's year is when it was published, not the year its
    figures describe, so a chart never shows one without the other."""
    for col in ("edition", "data_years"):
        if col not in frame.columns:
            raise DataError(f"a Global Report table needs the column {col!r} to label editions",
                            file=frame.attrs.get("resource"), field=col)
    labels = [f"{edition} edition ({years} data)"
              for edition, years in zip(frame["edition"], frame["data_years"], strict=True)]
    return pd.Series(labels, index=frame.index, name="edition (data year)")


def ctdc_title(frame: pd.DataFrame, title: str, pattern: str = "") -> str:
    """A chart title for CTDC records: the course's synthetic sample says SYNTHETIC in the
    title itself, not only in the source line, because a title is what a reader remembers.

    `pattern` names what the course's generator was told to produce (e.g. 'shares near
    GLOTIP 2024'); on the synthetic sample it becomes a second line saying that the authors
    set it, so that a likeness to real figures is not read as corroboration. Real files
    ignore it."""
    if frame.attrs.get("synthetic_sample"):
        line = f"SYNTHETIC teaching data, not real cases: {title}"
        if pattern:
            line += f"\n{pattern}: set by the course authors, not evidence"
        return line
    return title


def ctdc_source_line(frame: pd.DataFrame) -> str:
    """The source line for a figure drawn from CTDC records loaded by load_ctdc()."""
    name = frame.attrs.get("source_file", "a CTDC file")
    if frame.attrs.get("synthetic_sample"):
        return (f"Source: SYNTHETIC teaching data ({name}), made up by the course; "
                "not real cases")
    return (f"Source: {name}, Counter Trafficking Data Collaborative (CTDC, IOM), "
            "used under the CTDC terms of use")


def share_table(frame: pd.DataFrame, index: str, columns: list[str],
                value: str = "share_percent", approximate: str = "approximate") -> pd.DataFrame:
    """Shares as a table to read: one row per `index` value, one column per `columns` value,
    each cell the share as its source gives it: '59', or 'about 34' where the `approximate`
    column says the source gave it only roughly ("one victim out of three"); a share the
    sources did not give is an empty cell, never a zero. Pass the result to readable()."""
    for col in (index, *columns, value):
        if col not in frame.columns:
            raise DataError(f"a table of shares needs the column {col!r}",
                            file=frame.attrs.get("resource"), field=col)
    rough = (frame[approximate].fillna(False).astype(bool) if approximate in frame.columns
             else pd.Series(False, index=frame.index))
    shown = [("about " if about else "") + f"{share:g}"
             for share, about in zip(frame[value], rough, strict=True)]
    table = frame.assign(**{value: shown}).pivot(index=index, columns=columns, values=value)
    return table.fillna("")
