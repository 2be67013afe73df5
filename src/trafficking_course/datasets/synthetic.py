"""A seeded generator of SYNTHETIC case records in the CTDC synthetic-data schema.

SYNTHETIC, MADE UP FOR TEACHING. The records are not real people or cases and are not drawn
from CTDC data (which may not be redistributed with the course). They exist so that the
analysis notebooks run, and can be practised on, without a CTDC download; the same notebooks
then run on a real CTDC file (see trafficking_course.datasets.load_ctdc).

How a record is made (seeded with numpy's default generator, so a seed gives the same file):

1. Sex-and-age group drawn from the UNODC Global Report 2024 shares of detected victims
   (women 39%, girls 22%, men 23%, boys 16%: data/glotip_victims_by_sex_age.csv), plus a
   small made-up share of trans/non-conforming people.
2. Form of exploitation drawn per group from made-up conditional probabilities, chosen so
   that the overall shares land near the Global Report 2020 shares (sexual exploitation
   about 50%, forced labour 38%, other forms the rest). How form and group go together is
   invented; the Global Report press summaries give no such cross-table.
3. Everything else is invented: year of registration, citizenship and country of
   exploitation (a short list of ISO3 codes), duration, means of control, sectors,
   recruiter relation, and a few per cent of unrecorded (empty) values.

Nothing in the file may be quoted as a fact about trafficking.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import numpy as np
import pandas as pd

from trafficking_course.datasets.ctdc import CTDC_COLUMNS, FORM_FLAGS, TRAFFICK_MONTHS
from trafficking_course.errors import DataError

#: Shares of detected victims, UNODC Global Report 2024 (source id unodc-glotip-2024), in %.
GLOTIP_2024_SEX_AGE = {"women": 39, "girls": 22, "men": 23, "boys": 16}
#: Made-up share of trans/non-conforming records (the Global Report gives none).
TRANS_SHARE = 0.005

#: Made-up probabilities of the main form of exploitation per group (sexual exploitation,
#: forced labour, other). Weighted by GLOTIP_2024_SEX_AGE they give about 49/37/14 per cent,
#: near the Global Report 2020 shares (50/38/12 with criminal activity and begging as other).
FORM_BY_GROUP = {
    "women": (0.72, 0.20, 0.08),
    "girls": (0.70, 0.15, 0.15),
    "men": (0.08, 0.78, 0.14),
    "boys": (0.20, 0.50, 0.30),
    "trans": (0.60, 0.25, 0.15),
}
#: Share of records that carry a second form as well (made up).
SECOND_FORM = 0.05

#: Made-up relative numbers of registrations per year (they dip in 2020 and rise after it,
#: echoing the direction the Global Report describes, not its size).
YEAR_WEIGHTS = {2016: 0.8, 2017: 0.9, 2018: 1.0, 2019: 1.0, 2020: 0.85, 2021: 0.95,
                2022: 1.2, 2023: 1.2}

CHILD_BANDS = ("0--8", "09--17")
CHILD_BAND_P = (0.25, 0.75)
ADULT_BANDS = ("18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
ADULT_BAND_P = (0.16, 0.17, 0.16, 0.13, 0.22, 0.11, 0.05)

#: Invented lists of ISO 3166-1 alpha-3 codes; no pattern in them is a finding.
CITIZENSHIPS = ("NGA", "ROU", "PHL", "UKR", "VNM", "IDN", "BGR", "MDA", "KHM", "HND",
                "GHA", "NPL")
COUNTRIES_OF_EXPLOITATION = ("USA", "GBR", "ITA", "NOR", "ESP", "DEU", "THA", "MYS",
                             "ARE", "NLD")
DOMESTIC_SHARE = 0.20  # made up: exploited in their own country

MISSING = {"gender": 0.01, "ageBroad": 0.05, "citizenship": 0.04,
           "CountryOfExploitation": 0.02, "traffickMonths": 0.35}
MONTHS_P = (0.55, 0.25, 0.20)

#: Made-up probabilities of each means-of-control flag by main form.
MEANS_P = {
    "meansDebtBondageEarnings": (0.35, 0.45, 0.25),
    "meansThreats": (0.45, 0.35, 0.30),
    "meansAbusePsyPhySex": (0.50, 0.25, 0.25),
    "meansFalsePromises": (0.40, 0.45, 0.30),
    "meansDrugsAlcohol": (0.15, 0.03, 0.05),
    "meansDenyBasicNeeds": (0.10, 0.20, 0.15),
    "meansExcessiveWorkHours": (0.15, 0.45, 0.20),
    "meansWithholdDocs": (0.25, 0.40, 0.15),
}
LABOUR_SECTORS = ("typeOfLabourAgriculture", "typeOfLabourConstruction",
                  "typeOfLabourDomesticWork", "typeOfLabourHospitality")
LABOUR_SECTOR_P = (0.25, 0.20, 0.25, 0.15)  # the rest: no sector recorded
RECRUITERS = ("recruiterRelationIntimatePartner", "recruiterRelationFriend",
              "recruiterRelationFamily", "recruiterRelationOther")
RECRUITER_P = (0.08, 0.12, 0.10, 0.15)  # the rest: no relation recorded


def _people(rng: np.random.Generator, rows: int) -> dict[str, np.ndarray]:
    """Who each record is: group, year, gender, age band, citizenship, country, duration."""
    groups = np.array(list(GLOTIP_2024_SEX_AGE) + ["trans"])
    base = np.array(list(GLOTIP_2024_SEX_AGE.values()), dtype=float) / 100
    p_group = np.append(base * (1 - TRANS_SHARE), TRANS_SHARE)
    p_group /= p_group.sum()
    group = rng.choice(groups, size=rows, p=p_group)

    years = np.array(list(YEAR_WEIGHTS))
    p_year = np.array(list(YEAR_WEIGHTS.values()))
    year = rng.choice(years, size=rows, p=p_year / p_year.sum())

    gender = np.where(np.isin(group, ["women", "girls"]), "Woman",
                      np.where(np.isin(group, ["men", "boys"]), "Man",
                               "Trans/Transgender/NonConforming"))
    is_child = np.isin(group, ["girls", "boys"])
    age = np.where(is_child, rng.choice(CHILD_BANDS, size=rows, p=CHILD_BAND_P),
                   rng.choice(ADULT_BANDS, size=rows, p=ADULT_BAND_P))

    citizenship = rng.choice(CITIZENSHIPS, size=rows)
    abroad = rng.choice(COUNTRIES_OF_EXPLOITATION, size=rows)
    country = np.where(rng.random(rows) < DOMESTIC_SHARE, citizenship, abroad)
    months = rng.choice(TRAFFICK_MONTHS, size=rows, p=MONTHS_P)
    return {"group": group, "yearOfRegistration": year.astype(str), "gender": gender,
            "ageBroad": age, "citizenship": citizenship, "CountryOfExploitation": country,
            "traffickMonths": months}


def _forms(rng: np.random.Generator, group: np.ndarray, rows: int
           ) -> tuple[np.ndarray, np.ndarray]:
    """Each record's main form of exploitation (0 sexual, 1 labour, 2 other) and its flags."""
    main = np.array([rng.choice(3, p=FORM_BY_GROUP[g]) for g in group])
    forms = np.zeros((rows, 3), dtype=int)
    forms[np.arange(rows), main] = 1
    second = rng.random(rows) < SECOND_FORM
    forms[np.arange(rows)[second], (main[second] + rng.integers(1, 3, second.sum())) % 3] = 1
    return main, forms


def _flags(rng: np.random.Generator, rows: int, main: np.ndarray, forms: np.ndarray
           ) -> dict[str, np.ndarray]:
    """The 0/1 columns: means of control, forms, sectors, kinds of sexual exploitation,
    recruiter relations."""
    out: dict[str, np.ndarray] = {}
    for name, p in MEANS_P.items():
        out[name] = rng.random(rows) < np.array(p)[main]
    out["isForcedLabour"] = forms[:, 1] == 1
    out["isSexualExploit"] = forms[:, 0] == 1
    out["isOtherExploit"] = forms[:, 2] == 1
    sector = rng.choice(len(LABOUR_SECTORS) + 1, size=rows,
                        p=(*LABOUR_SECTOR_P, 1 - sum(LABOUR_SECTOR_P)))
    for k, name in enumerate(LABOUR_SECTORS):
        out[name] = out["isForcedLabour"] & (sector == k)
    sex_kind = rng.random(rows)
    out["typeOfSexProstitution"] = out["isSexualExploit"] & (sex_kind < 0.85)
    out["typeOfSexPornography"] = out["isSexualExploit"] & (sex_kind >= 0.80) & (
        sex_kind < 0.92)
    relation = rng.choice(len(RECRUITERS) + 1, size=rows,
                          p=(*RECRUITER_P, 1 - sum(RECRUITER_P)))
    for k, name in enumerate(RECRUITERS):
        out[name] = relation == k
    return out


def generate(rows: int = 3000, seed: int = 2026) -> pd.DataFrame:
    """Make `rows` SYNTHETIC records as text, exactly as the CSV file will hold them."""
    if rows < 1:
        raise DataError(f"the number of rows must be at least 1, got {rows}", field="rows")
    rng = np.random.default_rng(seed)
    out = _people(rng, rows)
    main, forms = _forms(rng, out.pop("group"), rows)
    out.update(_flags(rng, rows, main, forms))
    frame = pd.DataFrame({c: out[c] for c in CTDC_COLUMNS})
    for name, share in MISSING.items():
        frame.loc[rng.random(rows) < share, name] = ""
    for name in CTDC_COLUMNS[6:]:
        frame[name] = np.where(frame[name].astype(bool), "1", "")
    return frame.astype(str)


def write_sample(path: str | Path, *, seed: int = 2026, rows: int = 3000,
                 variant: str = "typeOf") -> Path:
    """Write the SYNTHETIC sample as CSV (flags 1 or empty); variant 'sectorOf' renames the
    typeOf... sector columns as some CTDC releases do."""
    if variant not in ("typeOf", "sectorOf"):
        raise DataError(f"variant must be 'typeOf' or 'sectorOf', got {variant!r}",
                        field="variant")
    frame = generate(rows=rows, seed=seed)
    if variant == "sectorOf":
        frame = frame.rename(columns=lambda c: c.replace("typeOf", "sectorOf", 1))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


# --- Charts of the sample: synthetic in the chart itself, and parts that add up -----------------

#: Watermark drawn across every chart of the SYNTHETIC sample.
WATERMARK = "SYNTHETIC"
#: Prefix of the title of every chart of the SYNTHETIC sample.
TITLE_PREFIX = "SYNTHETIC teaching data, not real cases: "
#: What the sample's made-up country codes are shown as in a chart or table ('made-up A' ...).
MADE_UP = "made-up"


def is_sample(records: pd.DataFrame) -> bool:
    """Whether the records are the course's SYNTHETIC sample (as load_ctdc marks it)."""
    return bool(records.attrs.get("synthetic_sample"))


#: How the country chosen in the SYNTHETIC sample is named: its countries are invented too.
MADE_UP_COUNTRY = "made-up country X"


def place_name(records: pd.DataFrame, real_name: str) -> str:
    """The name to print for the country the records were selected by: 'made-up country X'
    for the SYNTHETIC sample (a real name there would be remembered as a fact about that
    country), the real name for a real file."""
    return MADE_UP_COUNTRY if is_sample(records) else real_name


def labelled_table(records: pd.DataFrame, table: pd.DataFrame, what: str):
    """A table to show, captioned with what it is: for the SYNTHETIC sample the caption starts
    with the same SYNTHETIC prefix as the charts' titles, so that a share read off the table
    cannot be quoted as a finding. Float columns (shares) are shown to one decimal, as they
    are computed, not with a display's six."""
    caption = (TITLE_PREFIX + what) if is_sample(records) else what
    floats: list[Hashable] = [c for c in table.columns
                              if pd.api.types.is_float_dtype(table[c])]
    return (table.style.set_caption(caption).hide(axis="index")
            .format("{:.1f}", subset=floats))


def chart_labels(records: pd.DataFrame, title: str) -> dict[str, str]:
    """The title and watermark for a chart of these records: for the SYNTHETIC sample the
    title starts with SYNTHETIC and the chart carries a watermark; for a real file, neither."""
    if is_sample(records):
        return {"title": TITLE_PREFIX + title, "watermark": WATERMARK}
    return {"title": title, "watermark": ""}


def _shares(counts: pd.Series) -> pd.Series:
    """Percentages to one decimal that add up to exactly 100 (largest remainders)."""
    total = int(counts.sum())
    if total == 0:
        return counts.astype(float)
    tenths = 1000 * counts / total
    floor = tenths.apply(int)
    rest = (tenths - floor).sort_values(ascending=False, kind="stable")
    floor[rest.index[: 1000 - int(floor.sum())]] += 1
    return floor / 10


def citizenship_counts(records: pd.DataFrame, top: int = 6) -> pd.DataFrame:
    """Records by citizenship: the `top` most common, then 'all others' and 'not recorded',
    so that the rows add up to every record and the shares (one decimal) to exactly 100.

    In the course's SYNTHETIC sample the ISO codes are shown as 'made-up A', 'made-up B', ...
    (A the most common): the codes were drawn from an invented list, and a chart of them would
    otherwise be remembered as a fact about real countries.
    """
    if "citizenship" not in records.columns:
        raise DataError("these records have no citizenship column",
                        file=records.attrs.get("source_file"), field="citizenship")
    if top < 1:
        raise DataError(f"top must be at least 1, got {top}", field="top")
    values = records["citizenship"].astype("string")
    counts = values.dropna().value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    shown = counts.iloc[:top]
    if is_sample(records):
        names = [f"{MADE_UP} {chr(ord('A') + k)}" for k in range(len(shown))]
    else:
        names = [str(code) for code in shown.index]
    others = "all others"
    rows = list(zip(names, shown.tolist(), strict=True))
    if len(counts) > top:
        rows.append((others, int(counts.iloc[top:].sum())))
    rows.append(("not recorded", int(values.isna().sum())))
    table = pd.DataFrame(rows, columns=["citizenship", "records"])
    table["share_percent"] = _shares(table["records"]).to_numpy()
    return table


def form_combinations(records: pd.DataFrame) -> pd.DataFrame:
    """Records by the combination of forms of exploitation flagged: one form only (each),
    more than one form, or none recorded. Every record is in exactly one row, so the rows add
    up to every record and the shares (one decimal) to exactly 100, unlike per-form shares,
    which count a record with two forms twice."""
    flags = records[list(FORM_FLAGS)].astype("Float64").fillna(0).astype(bool)
    flagged = flags.sum(axis=1)
    rows = [(f"{name} only", int(((flagged == 1) & flags[column]).sum()))
            for column, name in FORM_FLAGS.items()]
    rows += [("more than one form", int((flagged > 1).sum())),
             ("none recorded", int((flagged == 0).sum()))]
    table = pd.DataFrame(rows, columns=["form", "records"])
    table["share_percent"] = _shares(table["records"]).to_numpy()
    return table
