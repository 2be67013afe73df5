"""CTDC case records: the course's SYNTHETIC teaching sample and real CTDC downloads.

`load_ctdc(path)` reads both header variants of the CTDC synthetic-data releases (typeOf... and
sectorOf...) and the older k-anonymised schema (-99 = missing). Each layout is a list of Table
Schema fields checked by the one validator in tables.py, so a bad column, year, code or flag gives
the same kind of error as in any other table of the course: one DataError naming the file, the
record and the field. Nothing is silently turned into NaN.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from trafficking_course.datasets.tables import (
    Field,
    check_columns,
    csv_header,
    parse_column,
    read_text_table,
    typed_column,
)
from trafficking_course.errors import DataError

#: The synthetic teaching sample shipped with the course (a resource of datapackage.json).
SYNTHETIC_SAMPLE = "ctdc_synthetic_teaching_sample"

#: Columns of the CTDC synthetic datasets (v2024/v2025 releases), in order.
CTDC_COLUMNS = (
    "yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex", "meansFalsePromises",
    "meansDrugsAlcohol", "meansDenyBasicNeeds", "meansExcessiveWorkHours", "meansWithholdDocs",
    "isForcedLabour", "isSexualExploit", "isOtherExploit",
    "typeOfLabourAgriculture", "typeOfLabourConstruction", "typeOfLabourDomesticWork",
    "typeOfLabourHospitality", "typeOfSexProstitution", "typeOfSexPornography",
    "recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
    "recruiterRelationOther",
)
CTDC_TEXT_COLUMNS = CTDC_COLUMNS[:6]
CTDC_FLAG_COLUMNS = CTDC_COLUMNS[6:]
GENDERS = ("Woman", "Man", "Trans/Transgender/NonConforming")
TRAFFICK_MONTHS = ("0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)")
FORM_FLAGS = {"isSexualExploit": "sexual exploitation", "isForcedLabour": "forced labour",
              "isOtherExploit": "other exploitation"}

#: Older k-anonymised schema: the columns a file must have, and what else may appear.
K_ANON_REQUIRED = ("yearOfRegistration", "gender", "ageBroad", "citizenship",
                   "isForcedLabour", "isSexualExploit", "isOtherExploit")
K_ANON_GENDERS = {"Female": "Woman", "Male": "Man"}
K_ANON_PREFIXES = ("meansOfControl", "typeOfExploit", "typeOfLabour", "typeOfSex",
                   "recruiterRelation", "majority")
K_ANON_OTHER = ("Datasource", "CountryOfExploitation", "RecruiterRelationship")
K_ANON_MISSING = "-99"

AGE_BAND = re.compile(r"(\d{1,2})--(\d{1,2})|(\d{1,2})\+")
AGE_EXPECTED = "an age band such as '09--17' or '48+'"


def ctdc_schema_of(header: list[str]) -> str:
    """Which CTDC layout a header is: 'synthetic-typeOf', 'synthetic-sectorOf' or
    'k-anonymised'."""
    if any(c.startswith(("meansOfControl", "typeOfExploit")) for c in header):
        return "k-anonymised"
    if any(c.startswith("sectorOf") for c in header):
        return "synthetic-sectorOf"
    return "synthetic-typeOf"


# --- the two layouts as Table Schema fields ----------------------------------------------------

def _year_field(missing: tuple[str, ...], wording: str) -> Field:
    year_max = _dt.date.today().year + 1
    return {"name": "yearOfRegistration", "type": "integer", "missingValues": missing,
            "constraints": {"pattern": r"\d{4}", "minimum": 2002, "maximum": year_max},
            "x_expected": f"a year from 2002 to {year_max} or {wording}"}


def _text_field(name: str, missing: tuple[str, ...], expected: str, **cons: Any) -> Field:
    return {"name": name, "type": "string", "missingValues": missing,
            "constraints": cons, "x_expected": expected}


def synthetic_fields() -> list[Field]:
    """The fields of the CTDC synthetic-data layout (typeOf... names)."""
    iso3 = "a three-letter ISO country code or empty"
    fields = [
        _year_field(("",), "empty"),
        _text_field("gender", ("",), "one of " + ", ".join(map(repr, GENDERS)) + " or empty",
                    enum=list(GENDERS)),
        _text_field("ageBroad", ("",), AGE_EXPECTED, pattern=AGE_BAND.pattern),
        _text_field("citizenship", ("",), iso3, pattern=r"[A-Z]{3}"),
        _text_field("CountryOfExploitation", ("",), iso3, pattern=r"[A-Z]{3}"),
        _text_field("traffickMonths", ("",), "one of " + ", ".join(map(repr, TRAFFICK_MONTHS))
                    + " or empty", enum=list(TRAFFICK_MONTHS)),
    ]
    fields += [{"name": name, "type": "boolean", "missingValues": (), "trueValues": ["1"],
                "falseValues": ["", "0"], "x_expected": "a flag: 1 or empty"}
               for name in CTDC_FLAG_COLUMNS]
    return fields


def _k_anon_field(name: str) -> Field:
    """The field of one column of the k-anonymised layout (-99 and empty are missing)."""
    missing = ("", K_ANON_MISSING)
    iso2 = "a two-letter ISO country code or -99"
    if name == "yearOfRegistration":
        return _year_field(missing, "-99")
    if name == "gender":
        return _text_field(name, missing, "'Female', 'Male' or -99",
                           enum=list(K_ANON_GENDERS))
    if name == "ageBroad":
        return _text_field(name, missing, AGE_EXPECTED, pattern=AGE_BAND.pattern)
    if name in ("citizenship", "CountryOfExploitation"):
        return _text_field(name, missing, iso2, pattern=r"[A-Z]{2}")
    if name in K_ANON_OTHER or name.endswith("Concatenated") or name.startswith("majority"):
        return _text_field(name, missing, "a text")
    return {"name": name, "type": "boolean", "missingValues": missing, "trueValues": ["1"],
            "falseValues": ["0"], "x_expected": "a flag: 0, 1 or -99"}


def _is_k_anon_column(name: str) -> bool:
    return (name in K_ANON_REQUIRED or name in K_ANON_OTHER
            or name.startswith(K_ANON_PREFIXES)
            or re.fullmatch(r"is[A-Z]\w*", name) is not None)


# --- loading -----------------------------------------------------------------------------------

def _check_age_bands(values: list[Any], path: Path) -> None:
    """An age band's lower bound may not exceed its upper bound ('17--9' is wrong)."""
    for i, v in enumerate(values, start=1):
        m = None if v is None else AGE_BAND.fullmatch(v)
        if m and m.group(1) and int(m.group(1)) > int(m.group(2)):
            raise DataError(f"expected {AGE_EXPECTED}, got {v!r}", file=path, record=i,
                            field="ageBroad")


def _column(frame: pd.DataFrame, field: Field, path: Path, source_name: str) -> Any:
    """One column validated; flags become 0/1 integers (Int8), text <NA> when missing."""
    checked = dict(field, name=source_name)
    values = parse_column(frame[source_name].tolist(), checked, path=path)
    if field["name"] == "ageBroad":
        _check_age_bands(values, path)
    if field["type"] == "boolean":
        return pd.array([None if v is None else int(v) for v in values], dtype="Int8")
    if field["name"] == "gender" and "Female" in field["constraints"].get("enum", ()):
        values = [None if v is None else K_ANON_GENDERS[v] for v in values]
    return typed_column(values, field["type"])


def _load_synthetic_layout(raw: pd.DataFrame, path: Path, *, sector: bool) -> pd.DataFrame:
    def source(name: str) -> str:
        return name.replace("typeOf", "sectorOf", 1) if sector else name

    check_columns(list(raw.columns), [source(c) for c in CTDC_COLUMNS], path=path,
                  context="the CTDC synthetic-data schema")
    return pd.DataFrame({f["name"]: _column(raw, f, path, source(f["name"]))
                         for f in synthetic_fields()})


def _load_k_anonymised(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    header = list(raw.columns)
    check_columns(header, K_ANON_REQUIRED, path=path, allowed=_is_k_anon_column,
                  context="k-anonymised CTDC schema")
    return pd.DataFrame({name: _column(raw, _k_anon_field(name), path, name)
                         for name in header})


def _check_header(header: list[str], path: Path, schema: str) -> None:
    for i, name in enumerate(header):
        if name in header[:i]:
            raise DataError("the column name appears twice", file=path, field=name)
    if schema == "synthetic-sectorOf":
        mixed = [c for c in header if c.startswith("typeOf")]
        if mixed:
            raise DataError("the file mixes typeOf... and sectorOf... sector columns; use "
                            "one header variant", file=path, field=mixed[0])


def load_ctdc(path: str | Path) -> pd.DataFrame:
    """Read CTDC case records (the course's synthetic sample or a downloaded CTDC file).

    Accepts the synthetic-data layout with typeOf... or sectorOf... sector columns (returned
    with typeOf... names) and the older k-anonymised layout (-99 = missing; gender
    Female/Male returned as Woman/Man; ISO2 citizenship kept). Flags become 0/1 integers:
    empty means 0 in the synthetic layout; -99 is <NA> in the k-anonymised one. Text fields
    that are empty (or -99) are <NA>: recorded as unknown, never guessed.

    The layout is in ``frame.attrs["ctdc_schema"]``; ``frame.attrs["synthetic_sample"]`` is
    True for the course's own made-up teaching file. Raises DataError naming the file, the
    record and the field of the first problem: a missing or unknown column, a bad value.
    """
    path = Path(path)
    raw = read_text_table(path)
    header = csv_header(path)
    schema = ctdc_schema_of(header)
    _check_header(header, path, schema)
    if raw.empty:
        raise DataError("the file has a header but no records", file=path)
    if schema == "k-anonymised":
        frame = _load_k_anonymised(raw, path)
    else:
        frame = _load_synthetic_layout(raw, path, sector=(schema == "synthetic-sectorOf"))
    frame.attrs["ctdc_schema"] = schema
    frame.attrs["source_file"] = path.name
    # The course's own made-up file, by its name (a CTDC synthetic release is real-derived).
    frame.attrs["synthetic_sample"] = path.name == f"{SYNTHETIC_SAMPLE}.csv"
    return frame
