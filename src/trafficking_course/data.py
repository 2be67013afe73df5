"""The course's datasets: the registry in data/datapackage.json and loaders that validate.

Two kinds of data:

* Aggregate tables typed from sourced figures (UNODC Global Report editions, the Protocols,
  Norway's coordination unit KOM). `load(name)` reads one of them and checks every cell
  against the types and constraints that datapackage.json declares (required, minimum,
  maximum, enum, pattern, unique, primary key, foreign key to the `sources` table).
* Case records in the CTDC schema. `load_ctdc(path)` reads the course's SYNTHETIC teaching
  sample or a real CTDC file that a user downloads under the CTDC terms of use: both header
  variants of the synthetic-data releases (typeOf... and sectorOf...) and the older
  k-anonymised schema (-99 = missing).

A bad file raises one DataError naming the file, the record (the data row, counting from 1
after the header) and the field; nothing is silently turned into NaN. The checks are done
here with pandas rather than frictionless, so that they also run in the browser (JupyterLite),
where frictionless cannot be installed; the tests check the same package with frictionless.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import DataError
from .paths import data_dir

PACKAGE_FILE = "datapackage.json"

#: The synthetic teaching sample shipped with the course (a resource of datapackage.json).
SYNTHETIC_SAMPLE = "ctdc_synthetic_teaching_sample"

_DEFAULT_TRUE = ("true", "True", "TRUE", "1")
_DEFAULT_FALSE = ("false", "False", "FALSE", "0")


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------


def package_path(root: Path | None = None) -> Path:
    """Path of datapackage.json in the given data folder (default: paths.data_dir())."""
    return Path(root or data_dir()) / PACKAGE_FILE


@lru_cache(maxsize=8)
def _read_package(path: str, stamp: tuple[int, int]) -> dict:
    """The parsed descriptor; `stamp` (mtime, size) makes an edited file be read again."""
    p = Path(path)
    try:
        descriptor = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON: {exc}", file=p) from None
    names = [r.get("name") for r in descriptor.get("resources", [])]
    if not names or None in names:
        raise DataError("every resource needs a name", file=p, field="resources")
    return descriptor


def package(root: Path | None = None) -> dict:
    """The data package descriptor (a dict, as in datapackage.json)."""
    path = package_path(root)
    try:
        st = path.stat()
    except OSError:
        raise DataError("the data package descriptor is missing", file=path) from None
    return _read_package(str(path), (st.st_mtime_ns, st.st_size))


def resource_names(root: Path | None = None) -> list[str]:
    """Names of every dataset in the package, in the order of datapackage.json."""
    return [r["name"] for r in package(root)["resources"]]


def resource(name: str, root: Path | None = None) -> dict:
    """The descriptor of one resource: title, description, sources, licences, schema."""
    for r in package(root)["resources"]:
        if r["name"] == name:
            return r
    raise DataError(
        f"no dataset named {name!r}; known: {', '.join(resource_names(root))}",
        file=package_path(root), field="resources",
    )


def resource_path(name: str, root: Path | None = None) -> Path:
    """Where the file of a resource is."""
    return Path(root or data_dir()) / resource(name, root)["path"]


def sources_table(root: Path | None = None) -> pd.DataFrame:
    """The sources resource, indexed by source_id."""
    return load("sources", root=root).set_index("source_id")


def source_line(source_ids, root: Path | None = None) -> str:
    """A figure's source line for the given source id(s) (e.g. the source_id column).

    Titles from one publisher are joined: 'Source: UNODC, Global Report ... 2018; ... 2020'.
    """
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    table = sources_table(root)
    by_publisher: dict[str, list[str]] = {}
    for sid in dict.fromkeys(source_ids):  # keep order, drop repeats
        if sid not in table.index:
            raise DataError(f"unknown source id {sid!r}", file=resource_path("sources", root),
                            field="source_id")
        row = table.loc[sid]
        year = "" if pd.isna(row["year"]) or str(int(row["year"])) in row["title"] else (
            f" ({int(row['year'])})")
        by_publisher.setdefault(row["publisher"], []).append(f"{row['title']}{year}")
    parts = [f"{publisher}, {'; '.join(titles)}" for publisher, titles in by_publisher.items()]
    return "Source: " + ". ".join(parts)


# --------------------------------------------------------------------------------------------
# Loading an aggregate table against its schema
# --------------------------------------------------------------------------------------------


def _read_text_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text, cell by cell (no type guessing, empty cells kept as '')."""
    if not path.is_file():
        raise DataError("file not found", file=path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                           encoding="utf-8-sig")  # -sig: a spreadsheet's byte-order mark
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty", file=path) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"not a readable CSV file: {exc}", file=path) from None


def _csv_header(path: Path) -> list[str]:
    """The header row of a CSV file as written (pandas would rename repeated names)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f), [])


def _parse_cell(text: str, field: dict, *, path: Path, record: int):
    """One cell's text to its typed value (None when missing), or a DataError."""
    name, ftype = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})

    def bad(message):
        return DataError(message, file=path, record=record, field=name)

    if text == "":
        if cons.get("required"):
            raise bad("a value is required, the cell is empty")
        return None
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise bad(f"expected an integer, got {text!r}")
        value = int(text)
    elif ftype == "number":
        try:
            value = float(text)
        except ValueError:
            raise bad(f"expected a number, got {text!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise bad(f"expected a finite number, got {text!r}")
    elif ftype == "boolean":
        if text in field.get("trueValues", _DEFAULT_TRUE):
            value = True
        elif text in field.get("falseValues", _DEFAULT_FALSE):
            value = False
        else:
            raise bad(f"expected true or false, got {text!r}")
    elif ftype == "date":
        try:
            value = _dt.date.fromisoformat(text)
        except ValueError:
            raise bad(f"expected a date YYYY-MM-DD, got {text!r}") from None
    elif ftype == "string":
        value = text
    else:  # pragma: no cover - a descriptor error, caught by the package tests
        raise bad(f"field type {ftype!r} is not supported by the course loader")
    if "minimum" in cons and value < cons["minimum"]:
        raise bad(f"{text} is below the minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        raise bad(f"{text} is above the maximum {cons['maximum']}")
    if "enum" in cons and value not in cons["enum"]:
        allowed = ", ".join(repr(v) for v in cons["enum"])
        raise bad(f"{text!r} is not one of {allowed}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        raise bad(f"{text!r} does not match the pattern {cons['pattern']!r}")
    return value


def _column(values: list, ftype: str) -> pd.Series:
    """A typed pandas column; missing values become <NA> in a nullable dtype (never NaN)."""
    if ftype == "integer":
        return pd.array(values, dtype="Int64")
    if ftype == "number":
        return pd.array(values, dtype="Float64")
    if ftype == "boolean":
        return pd.array(values, dtype="boolean")
    if ftype == "date":
        return pd.to_datetime(pd.Series(values, dtype=object))
    return pd.array(values, dtype="string")


def validate_table(frame: pd.DataFrame, schema: dict, *, path: Path) -> pd.DataFrame:
    """Check a text table against a Table Schema and return it typed."""
    fields = schema["fields"]
    expected = [f["name"] for f in fields]
    header = list(frame.columns)
    for name in expected:
        if name not in header:
            raise DataError("the column is missing", file=path, field=name)
    for name in header:
        if name not in expected:
            raise DataError("unknown column (not in the schema)", file=path, field=name)
    if header != expected:
        raise DataError(f"columns are out of order; expected {', '.join(expected)}", file=path)

    typed = {}
    for field in fields:
        name = field["name"]
        values = [
            _parse_cell(text, field, path=path, record=i)
            for i, text in enumerate(frame[name].tolist(), start=1)
        ]
        if field.get("constraints", {}).get("unique"):
            seen = {}
            for i, v in enumerate(values, start=1):
                if v is not None and v in seen:
                    raise DataError(f"{v!r} repeats record {seen[v]} (values must be unique)",
                                    file=path, record=i, field=name)
                seen.setdefault(v, i)
        typed[name] = _column(values, field.get("type", "string"))
    out = pd.DataFrame(typed)

    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else list(key)
        dup = out.duplicated(subset=key, keep="first")
        if dup.any():
            record = int(dup.to_numpy().nonzero()[0][0]) + 1
            raise DataError(f"repeats the primary key ({', '.join(key)}) of an earlier row",
                            file=path, record=record, field=key[0])
    return out


def load(name: str, *, root: Path | None = None) -> pd.DataFrame:
    """Load one dataset of the package, validated against its declared schema.

    >>> load("glotip_victims_by_form").columns[:3].tolist()
    ['edition', 'data_years', 'countries']
    """
    if name == SYNTHETIC_SAMPLE:
        return load_ctdc(resource_path(name, root))
    res = resource(name, root)
    path = resource_path(name, root)
    frame = validate_table(_read_text_table(path), res["schema"], path=path)
    for fk in res["schema"].get("foreignKeys", []):
        column = fk["fields"]
        target = fk["reference"]["resource"]
        known = set(load(target, root=root)[fk["reference"]["fields"]].dropna())
        for i, v in enumerate(frame[column].tolist(), start=1):
            if not pd.isna(v) and v not in known:
                raise DataError(f"{v!r} is not a {fk['reference']['fields']} of {target}",
                                file=path, record=i, field=column)
    frame.attrs["resource"] = name
    frame.attrs["title"] = res.get("title", name)
    return frame


def validate_all(root: Path | None = None) -> dict[str, int]:
    """Load every dataset of the package; return the number of rows of each."""
    return {name: len(load(name, root=root)) for name in resource_names(root)}


# --------------------------------------------------------------------------------------------
# CTDC case records
# --------------------------------------------------------------------------------------------

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

_AGE_BAND = re.compile(r"(\d{1,2})--(\d{1,2})|(\d{1,2})\+")


def ctdc_schema_of(header: list[str]) -> str:
    """Which CTDC layout a header is: 'synthetic-typeOf', 'synthetic-sectorOf' or
    'k-anonymised'."""
    if any(c.startswith(("meansOfControl", "typeOfExploit")) for c in header):
        return "k-anonymised"
    if any(c.startswith("sectorOf") for c in header):
        return "synthetic-sectorOf"
    return "synthetic-typeOf"


def _is_k_anon_column(name: str) -> bool:
    return (name in K_ANON_REQUIRED or name in K_ANON_OTHER
            or name.startswith(K_ANON_PREFIXES)
            or re.fullmatch(r"is[A-Z]\w*", name) is not None)


def _k_anon_is_text(name: str) -> bool:
    return (name in K_ANON_OTHER or name.endswith("Concatenated")
            or name.startswith("majority"))


def _check_age(value: str, *, path, record) -> None:
    m = _AGE_BAND.fullmatch(value)
    if not m or (m.group(1) and int(m.group(1)) > int(m.group(2))):
        raise DataError(f"expected an age band such as '09--17' or '48+', got {value!r}",
                        file=path, record=record, field="ageBroad")


def load_ctdc(path) -> pd.DataFrame:
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
    raw = _read_text_table(path)
    header = _csv_header(path)
    for i, name in enumerate(header):
        if name in header[:i]:
            raise DataError("the column name appears twice", file=path, field=name)
    if raw.empty:
        raise DataError("the file has a header but no records", file=path)
    schema = ctdc_schema_of(header)
    if schema == "synthetic-sectorOf":
        mixed = [c for c in header if c.startswith("typeOf")]
        if mixed:
            raise DataError("the file mixes typeOf... and sectorOf... sector columns; use "
                            "one header variant", file=path, field=mixed[0])
    if schema == "k-anonymised":
        frame = _load_k_anonymised(raw, path)
    else:
        frame = _load_synthetic_layout(raw, path, sector=(schema == "synthetic-sectorOf"))
    frame.attrs["ctdc_schema"] = schema
    frame.attrs["source_file"] = path.name
    # The course's own made-up file, by its name (a CTDC synthetic release is real-derived).
    frame.attrs["synthetic_sample"] = path.name == f"{SYNTHETIC_SAMPLE}.csv"
    return frame


def _load_synthetic_layout(raw: pd.DataFrame, path: Path, *, sector: bool) -> pd.DataFrame:
    rename = {}
    if sector:
        rename = {c.replace("typeOf", "sectorOf", 1): c for c in CTDC_COLUMNS
                  if c.startswith("typeOf")}
    expected = [next((k for k, v in rename.items() if v == c), c) for c in CTDC_COLUMNS]
    for name in expected:
        if name not in raw.columns:
            raise DataError("the column is missing", file=path, field=name)
    for name in raw.columns:
        if name not in expected:
            raise DataError("unknown column for the CTDC synthetic-data schema",
                            file=path, field=name)
    frame = raw.rename(columns=rename)[list(CTDC_COLUMNS)]
    out = {}
    year_max = _dt.date.today().year + 1
    years = []
    for i, text in enumerate(frame["yearOfRegistration"].tolist(), start=1):
        if text == "":
            years.append(None)  # not recorded
            continue
        if not re.fullmatch(r"\d{4}", text) or not 2002 <= int(text) <= year_max:
            raise DataError(f"expected a year from 2002 to {year_max} or empty, got {text!r}",
                            file=path, record=i, field="yearOfRegistration")
        years.append(int(text))
    out["yearOfRegistration"] = pd.array(years, dtype="Int64")
    checks = {
        "gender": lambda v: v in GENDERS,
        "traffickMonths": lambda v: v in TRAFFICK_MONTHS,
        "citizenship": lambda v: re.fullmatch(r"[A-Z]{3}", v) is not None,
        "CountryOfExploitation": lambda v: re.fullmatch(r"[A-Z]{3}", v) is not None,
    }
    expect = {"gender": "one of " + ", ".join(map(repr, GENDERS)),
              "traffickMonths": "one of " + ", ".join(map(repr, TRAFFICK_MONTHS)),
              "citizenship": "a three-letter ISO country code",
              "CountryOfExploitation": "a three-letter ISO country code"}
    for name in CTDC_TEXT_COLUMNS[1:]:
        values = frame[name].tolist()
        for i, v in enumerate(values, start=1):
            if v == "":
                continue
            if name == "ageBroad":
                _check_age(v, path=path, record=i)
            elif not checks[name](v):
                raise DataError(f"expected {expect[name]} or empty, got {v!r}",
                                file=path, record=i, field=name)
        out[name] = pd.array([v if v != "" else None for v in values], dtype="string")
    for name in CTDC_FLAG_COLUMNS:
        source_name = next((k for k, v in rename.items() if v == name), name)
        flags = []
        for i, v in enumerate(frame[name].tolist(), start=1):
            if v in ("", "0"):
                flags.append(0)
            elif v == "1":
                flags.append(1)
            else:
                raise DataError(f"a flag must be 1 or empty, got {v!r}",
                                file=path, record=i, field=source_name)
        out[name] = pd.array(flags, dtype="Int8")
    return pd.DataFrame(out)


def _load_k_anonymised(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    for name in K_ANON_REQUIRED:
        if name not in raw.columns:
            raise DataError("the column is missing (k-anonymised CTDC schema)",
                            file=path, field=name)
    for name in raw.columns:
        if not _is_k_anon_column(name):
            raise DataError("unknown column for the k-anonymised CTDC schema",
                            file=path, field=name)
    out = {}
    year_max = _dt.date.today().year + 1
    for name in raw.columns:
        values = raw[name].tolist()
        missing = [v in ("", K_ANON_MISSING) for v in values]
        if name == "yearOfRegistration":
            years = []
            for i, (v, m) in enumerate(zip(values, missing, strict=True), start=1):
                if m:
                    years.append(None)
                elif re.fullmatch(r"\d{4}", v) and 2002 <= int(v) <= year_max:
                    years.append(int(v))
                else:
                    raise DataError(f"expected a year from 2002 to {year_max} or -99, got "
                                    f"{v!r}", file=path, record=i, field=name)
            out[name] = pd.array(years, dtype="Int64")
        elif name == "gender":
            genders = []
            for i, (v, m) in enumerate(zip(values, missing, strict=True), start=1):
                if not m and v not in K_ANON_GENDERS:
                    raise DataError(f"expected 'Female', 'Male' or -99, got {v!r}",
                                    file=path, record=i, field=name)
                genders.append(None if m else K_ANON_GENDERS[v])
            out[name] = pd.array(genders, dtype="string")
        elif name == "ageBroad":
            for i, (v, m) in enumerate(zip(values, missing, strict=True), start=1):
                if not m:
                    _check_age(v, path=path, record=i)
            out[name] = pd.array([None if m else v for v, m in zip(values, missing,
                                  strict=True)], dtype="string")
        elif name in ("citizenship", "CountryOfExploitation"):
            for i, (v, m) in enumerate(zip(values, missing, strict=True), start=1):
                if not m and not re.fullmatch(r"[A-Z]{2}", v):
                    raise DataError(f"expected a two-letter ISO country code or -99, got "
                                    f"{v!r}", file=path, record=i, field=name)
            out[name] = pd.array([None if m else v for v, m in zip(values, missing,
                                  strict=True)], dtype="string")
        elif _k_anon_is_text(name):
            out[name] = pd.array([None if m else v for v, m in zip(values, missing,
                                  strict=True)], dtype="string")
        else:  # a 0/1 flag
            flags = []
            for i, (v, m) in enumerate(zip(values, missing, strict=True), start=1):
                if m:
                    flags.append(None)
                elif v in ("0", "1"):
                    flags.append(int(v))
                else:
                    raise DataError(f"a flag must be 0, 1 or -99, got {v!r}",
                                    file=path, record=i, field=name)
            out[name] = pd.array(flags, dtype="Int8")
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------------
# Summaries of CTDC records used by the notebooks
# --------------------------------------------------------------------------------------------

SEX_AGE_GROUPS = ("women", "girls", "men", "boys", "trans/non-conforming", "not recorded")


def age_band_is_child(band) -> bool | None:
    """True when an age band lies wholly under 18, False when at or over 18, None unknown."""
    if band is None or pd.isna(band):
        return None
    m = _AGE_BAND.fullmatch(str(band))
    if not m:
        raise DataError(f"expected an age band such as '09--17' or '48+', got {band!r}",
                        field="ageBroad")
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


def ctdc_source_line(frame: pd.DataFrame) -> str:
    """The source line for a figure drawn from CTDC records loaded by load_ctdc()."""
    name = frame.attrs.get("source_file", "a CTDC file")
    if frame.attrs.get("synthetic_sample"):
        return (f"Source: SYNTHETIC teaching data ({name}), made up by the course; "
                "not real cases")
    return (f"Source: {name}, Counter Trafficking Data Collaborative (CTDC, IOM), "
            "used under the CTDC terms of use")


# --------------------------------------------------------------------------------------------
# Command line: python -m trafficking_course data ...
# --------------------------------------------------------------------------------------------


def add_commands(sub) -> None:
    p = sub.add_parser("data", help="the course's datasets: list, validate, make synthetic data")
    data_sub = p.add_subparsers(dest="data_command", metavar="ACTION")
    p.set_defaults(func=lambda args: p.print_help() or 0)

    q = data_sub.add_parser("list", help="every dataset with its title and licence")
    q.set_defaults(func=cmd_list)

    q = data_sub.add_parser("validate", help="check every dataset (or CTDC files) against "
                            "its schema")
    q.add_argument("ctdc_files", nargs="*", help="CTDC files to check with load_ctdc")
    q.set_defaults(func=cmd_validate)

    q = data_sub.add_parser("synth", help="write a SYNTHETIC CTDC-schema teaching sample")
    q.add_argument("--seed", type=int, default=2026)
    q.add_argument("--rows", type=int, default=3000)
    q.add_argument("--variant", choices=("typeOf", "sectorOf"), default="typeOf")
    q.add_argument("--out", required=True, help="CSV file to write")
    q.set_defaults(func=cmd_synth)


def cmd_list(args) -> int:
    for name in resource_names():
        res = resource(name)
        licences = ", ".join(lic["name"] for lic in res.get("licenses", []))
        print(f"{name}: {res.get('title', '')} [{licences}]")
    return 0


def cmd_validate(args) -> int:
    if args.ctdc_files:
        for f in args.ctdc_files:
            frame = load_ctdc(f)
            print(f"{f}: {len(frame)} records, {frame.attrs['ctdc_schema']} layout, valid")
        return 0
    for name, rows in validate_all().items():
        print(f"{name}: {rows} rows, valid")
    try:  # a second, independent check where the frictionless library is installed
        import frictionless
    except ImportError:
        print("frictionless is not installed: skipped its check")
        return 0
    report = frictionless.validate(str(package_path()))
    if not report.valid:
        problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
        problems += [e.message for e in report.errors]
        raise DataError("frictionless finds the package invalid: " + "; ".join(problems[:5]),
                        file=package_path())
    print("frictionless: the data package is valid")
    return 0


def cmd_synth(args) -> int:
    from .synthetic import write_sample

    path = write_sample(args.out, seed=args.seed, rows=args.rows, variant=args.variant)
    print(f"wrote {args.rows} SYNTHETIC records (seed {args.seed}) to {path}")
    return 0

