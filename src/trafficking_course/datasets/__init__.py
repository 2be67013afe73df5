"""The course's datasets: the registry, Table Schema checks, CTDC loaders and summaries.

    from trafficking_course import datasets
    datasets.load("glotip_victims_by_form")      # a sourced aggregate table, validated
    datasets.load_ctdc(path)                     # CTDC case records (synthetic or real)

Layers: tables.py (the one Table Schema validator) <- registry.py (datapackage.json) and
ctdc.py (CTDC layouts) <- summaries.py; synthetic.py makes the SYNTHETIC teaching sample.
"""

from trafficking_course.datasets.ctdc import (
    CTDC_COLUMNS,
    CTDC_FLAG_COLUMNS,
    CTDC_TEXT_COLUMNS,
    FORM_FLAGS,
    GENDERS,
    SYNTHETIC_SAMPLE,
    TRAFFICK_MONTHS,
    ctdc_schema_of,
    load_ctdc,
)
from trafficking_course.datasets.readable import readable
from trafficking_course.datasets.registry import (
    load,
    package,
    package_path,
    resource,
    resource_names,
    resource_path,
    source_line,
    sources_table,
    validate_all,
)
from trafficking_course.datasets.summaries import (
    SEX_AGE_GROUPS,
    age_band_is_child,
    ctdc_source_line,
    ctdc_title,
    edition_label,
    exploited_in,
    form_shares,
    sex_age_group,
    share_by_group,
    share_table,
)

__all__ = [
    "CTDC_COLUMNS", "CTDC_FLAG_COLUMNS", "CTDC_TEXT_COLUMNS", "FORM_FLAGS", "GENDERS",
    "SEX_AGE_GROUPS", "SYNTHETIC_SAMPLE", "TRAFFICK_MONTHS", "age_band_is_child",
    "ctdc_schema_of", "ctdc_source_line", "ctdc_title", "edition_label", "exploited_in",
    "form_shares", "load", "load_ctdc",
    "package", "package_path", "readable", "resource", "resource_names", "resource_path",
    "sex_age_group",
    "share_by_group", "share_table", "source_line", "sources_table", "validate_all",
]
