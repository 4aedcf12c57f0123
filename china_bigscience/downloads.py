"""Tables that readers take away, and the provenance they carry: CSVs safe to open in a spreadsheet, and a ZIP with the matching part of datapackage.json, a README and a CITATION.

Also the pieces of provenance the Sources page and the explorer render from the
same description (field dictionary, confidence marks, citation), so a download
and the page never say different things.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import zipfile

import pandas as pd

from china_bigscience import DASHBOARD_NAME, FILE_PREFIX
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.catalogue import Catalogue
from china_bigscience.completeness import facility_completeness, whole_percent
from china_bigscience.national_list import functional_type_label, national_list_states
from china_bigscience.source_ids import split_ids
from china_bigscience.charts import NOT_KNOWN
from china_bigscience.safe_text import escape_markdown
from china_bigscience.filters import FacilityFilter, filter_facilities, milestones_for

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return are included because some spreadsheets strip them and then see '='.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The tables in the ZIP, in order. provinces.csv travels too because facilities.province
# is a foreign key to it: without it the bundled datapackage.json would not validate.
# value_sources.csv travels with its facilities: it says which values rest only on weak sources.
ZIP_TABLES = ("facilities", "milestones", "value_sources", "sources", "provinces")
# Every column that cites sources.csv: a ZIP carries the sources of all of them.
SOURCE_ID_COLUMNS = ("source_ids", "national_list_source_ids", "other_source_ids")

CORRECTION_STEPS = (
    "Open an issue in the dashboard's repository naming the facility (its id), the column, the value you "
    "believe is right and a source for it.",
    "Or edit the CSV in data/ yourself: change the cell, add the source to sources.csv and its id to the row's "
    "source_ids, set the row's confidence mark, then run `make test` (it validates every file against "
    "datapackage.json) and open a pull request.",
)


# --- Safe CSV -------------------------------------------------------------------------------

def neutralise_cell(value: object) -> object:
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe; leave everything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every formula-like text cell (and column name) neutralised; numbers stay numbers."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object):
            continue
        safe[column] = safe[column].map(neutralise_cell, na_action="ignore")
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of a table, formula-like cells neutralised, gaps left empty (as in data/)."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def csv_file_name(table: str, selection: FacilityFilter) -> str:
    return f"{FILE_PREFIX}_{table}_{selection.slug()}.csv"


def zip_file_name(selection: FacilityFilter) -> str:
    return f"{FILE_PREFIX}_data_{selection.slug()}.zip"


def safe_url(value: object) -> str | None:
    """The address if it is http(s), else None: a link column must never carry ``javascript:`` or similar."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    return text if text.lower().startswith(("https://", "http://")) else None


# --- Provenance read from datapackage.json --------------------------------------------------

def confidence_meanings(descriptor: dict) -> dict[str, str]:
    """{'h': 'seen in a source and not contradicted', ...}, parsed from the ``confidence`` field's description."""
    for resource in descriptor.get("resources", []):
        for column in resource.get("schema", {}).get("fields", []):
            if column["name"] == "confidence" and column.get("description"):
                text = column["description"].split(":", 1)[-1]
                pairs = re.findall(r"\b([a-z])\s*=\s*(.+?)(?=;\s*[a-z]\s*=|\.?\s*$)", text)
                if pairs:
                    return {mark: meaning.strip() for mark, meaning in pairs}
    return {}


QUALITY_CLASSES = ("primary", "reputable", "weak")


def quality_meanings(descriptor: dict) -> dict[str, str]:
    """{'primary': "the publisher's or institution's own page, …", …}, from sources.quality's description."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") != "sources":
            continue
        for column in resource.get("schema", {}).get("fields", []):
            if column["name"] == "quality" and column.get("description"):
                text = column["description"].split(":", 1)[-1]
                names = "|".join(QUALITY_CLASSES)
                pairs = re.findall(rf"\b({names}) = (.+?)(?=; (?:{names}) =|\.\s|\.?$)", text)
                return {name: meaning.strip() for name, meaning in pairs}
    return {}


def field_dictionary(descriptor: dict, resources: list[str] | None = None) -> pd.DataFrame:
    """Every column of every table (or of the named ones): type, unit, whether required, allowed values, meaning."""
    records = []
    for resource in descriptor.get("resources", []):
        if resources is not None and resource["name"] not in resources:
            continue
        for column in resource.get("schema", {}).get("fields", []):
            constraints = column.get("constraints", {})
            records.append(
                {
                    "Table": resource.get("path", resource["name"]),
                    "Column": column["name"],
                    "Type": column.get("type", ""),
                    "Unit": column.get("unit", ""),
                    "Required": "yes" if constraints.get("required") else "",
                    "Allowed values": "; ".join(str(v) for v in constraints.get("enum", [])),
                    "Meaning": column.get("description", ""),
                }
            )
    return pd.DataFrame(records, columns=["Table", "Column", "Type", "Unit", "Required", "Allowed values", "Meaning"])


def resource_summaries(descriptor: dict, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """One row per file of the data package: its title, what it holds, its row count and licence."""
    records = []
    for resource in descriptor.get("resources", []):
        rows = None
        if catalogue is not None and resource.get("profile") == "tabular-data-resource":
            table = getattr(catalogue, resource["name"], None)
            rows = len(table) if isinstance(table, pd.DataFrame) else None
        licences = resource.get("licenses") or descriptor.get("licenses", [])
        records.append(
            {
                "File": resource.get("path", resource["name"]),
                "Title": resource.get("title", resource["name"]),
                "Description": resource.get("description", ""),
                "Rows": rows,
                "Licence": ", ".join(lic.get("name", "") for lic in licences),
            }
        )
    return pd.DataFrame(records, columns=["File", "Title", "Description", "Rows", "Licence"])


def confidence_counts(catalogue: Catalogue) -> pd.DataFrame:
    """How many rows of each table carry each confidence mark (columns in the schema's mark order)."""
    marks = list(confidence_meanings(catalogue.descriptor)) or ["h", "m", "l"]
    records = []
    for name in ("facilities", "milestones", "peers", "nature_index", "research_spending"):
        table = getattr(catalogue, name)
        counts = table["confidence"].value_counts()
        records.append({"Table": f"{name}.csv", **{mark: int(counts.get(mark, 0)) for mark in marks},
                        "Rows": len(table)})
    return pd.DataFrame(records, columns=["Table", *marks, "Rows"])


def nature_index_scopes(nature_index: pd.DataFrame) -> pd.DataFrame:
    """Each journal scope with the data years and editions it covers: where the series breaks."""
    if nature_index.empty:
        return pd.DataFrame(columns=["Scope", "First data year", "Last data year", "Rows", "Editions"])
    grouped = nature_index.groupby("scope", sort=False)
    table = pd.DataFrame(
        {
            "Scope": list(grouped.groups),
            "First data year": [int(g["data_year"].min()) for _, g in grouped],
            "Last data year": [int(g["data_year"].max()) for _, g in grouped],
            "Rows": [len(g) for _, g in grouped],
            "Editions": ["; ".join(sorted(g["edition"].dropna().unique())) for _, g in grouped],
        }
    )
    return table.sort_values(["First data year", "Scope"]).reset_index(drop=True)


def citation_text(descriptor: dict, *, accessed: dt.date | None = None, address: str | None = None,
                  tr: Translator = ENGLISH) -> str:
    """How to cite the dashboard and its data, with the version, licence and the date the reader used it."""
    accessed = accessed or dt.date.today()
    name = tr("app.name")
    authors = "; ".join(c.get("title", "") for c in descriptor.get("contributors", [])) or tr("downloads.contributors",
                                                                                                name=name)
    year = str(descriptor.get("created", ""))[:4] or str(accessed.year)
    version = descriptor.get("version", "")
    licence = ", ".join(lic.get("name", "") for lic in descriptor.get("licenses", []))
    where = f" {address}." if address else ""
    seed = next((s["title"] for s in descriptor.get("sources", []) if "path" not in s), "")
    lines = [
        tr("downloads.cite_dashboard"),
        tr("downloads.cite_dashboard_line", authors=authors, year=year, name=name, version=version, where=where,
           accessed=accessed.isoformat()),
        "",
        tr("downloads.cite_data"),
        tr("downloads.cite_data_line", authors=authors, year=year,
           title=tr.described("package.title", descriptor.get("title", "")), package=descriptor.get("name", ""),
           version=version, licence=licence, where=where, accessed=accessed.isoformat()),
        "",
        tr("downloads.cite_sources_1"),
        tr("downloads.cite_sources_2"),
    ]
    if seed:
        lines += ["", tr("downloads.cite_seed", seed=tr.described("package.seed", seed))]
    return "\n".join(lines) + "\n"


def view_citation(descriptor: dict, *, page_title: str, selection: str, address: str,
                  accessed: dt.date | None = None, tr: Translator = ENGLISH) -> str:
    """One view cited: the page and its selection, its link, the data version and the date."""
    accessed = accessed or dt.date.today()
    name = tr("app.name")
    authors = "; ".join(c.get("title", "") for c in descriptor.get("contributors", [])) or tr("downloads.contributors",
                                                                                                name=name)
    year = str(descriptor.get("created", ""))[:4] or str(accessed.year)
    return tr("downloads.view_citation", authors=authors, year=year, name=name, page=page_title, selection=selection,
              package=descriptor.get("name", ""), version=descriptor.get("version", ""), address=address,
              accessed=accessed.isoformat()) + "\n"


# --- The filtered tables and the ZIP --------------------------------------------------------

def cited_sources(sources: pd.DataFrame, *tables: pd.DataFrame) -> pd.DataFrame:
    """The rows of sources.csv cited by any cell of ``SOURCE_ID_COLUMNS`` of the given tables, in sources.csv order."""
    cited: set[str] = set()
    for table in tables:
        for column in SOURCE_ID_COLUMNS:
            if column in table.columns:
                for cell in table[column]:
                    cited.update(split_ids(cell))
    return sources[sources["id"].isin(cited)]


def filtered_tables(catalogue: Catalogue, selection: FacilityFilter) -> dict[str, pd.DataFrame]:
    """The data package cut to a selection: its facilities, their milestones and per-value sources, the sources they
    cite, the province list."""
    facilities = filter_facilities(catalogue.facilities, selection)
    milestones = milestones_for(catalogue.milestones, facilities)
    value_sources = catalogue.value_sources[catalogue.value_sources["facility_id"].isin(facilities["id"])]
    return {
        "facilities": facilities,
        "milestones": milestones,
        "value_sources": value_sources,
        "sources": cited_sources(catalogue.sources, facilities, milestones, value_sources),
        "provinces": catalogue.provinces,
    }


def descriptor_subset(descriptor: dict, tables: dict[str, pd.DataFrame], selection: FacilityFilter) -> dict:
    """datapackage.json describing only the bundled tables, saying which selection they are."""
    subset = copy.deepcopy({k: v for k, v in descriptor.items() if k != "resources"})
    subset["resources"] = [copy.deepcopy(r) for r in descriptor.get("resources", []) if r["name"] in tables]
    # The Frictionless standard wants 'created' as a date-time; a bare date makes validators reject the package.
    created = str(subset.get("created", ""))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", created):
        subset["created"] = f"{created}T00:00:00Z"
    subset["description"] = (
        f"{descriptor.get('description', '')} This copy holds the selection '{selection.describe()}' "
        f"made in the {DASHBOARD_NAME}: "
        + ", ".join(f"{len(frame)} rows of {name}" for name, frame in tables.items())
        + ". Cells that a spreadsheet would run as a formula start with an apostrophe."
    ).strip()
    return subset


def readme_text(
    descriptor: dict, tables: dict[str, pd.DataFrame], selection: FacilityFilter, *, accessed: dt.date | None = None,
    tr: Translator = ENGLISH,
) -> str:
    """What the ZIP holds, what every column means, what the confidence marks mean, the licence and how to cite."""
    accessed = accessed or dt.date.today()
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    title = tr("downloads.readme_title", name=tr("app.name"))
    lines = [
        title,
        "=" * (len(title) if not tr.is_chinese else len(title) * 2),
        "",
        tr.described("package.description", descriptor.get("description", "")),
        "",
        tr("downloads.readme_selection", selection=selection.describe(tr)),
        tr("downloads.readme_downloaded", date=accessed.isoformat(), version=descriptor.get("version", "")),
        "",
        tr("downloads.readme_files"),
        "-----",
    ]
    for name, frame in tables.items():
        resource = resources.get(name, {})
        lines.append(tr("downloads.readme_file", path=resource.get("path", name + ".csv"), count=len(frame),
                        description=tr.resource_description(name, resource.get("description", ""))))
    lines += [
        tr("downloads.readme_datapackage"),
        tr("downloads.readme_citation"),
        "",
        tr("downloads.readme_empty_1"),
        tr("downloads.readme_empty_2"),
        "",
        tr("downloads.readme_confidence"),
        "--------------------------------------",
    ]
    for mark, meaning in confidence_meanings(descriptor).items():
        lines.append(tr("common.mark_meaning", mark=mark, meaning=tr.confidence_meaning(mark, meaning)))
    lines += ["", *quality_readme_lines(descriptor, tables.get("sources"), tr), "", tr("downloads.readme_columns"),
              "-------"]
    dictionary = field_dictionary(descriptor, list(tables))
    for table, columns in dictionary.groupby("Table", sort=False):
        lines.append(f"{table}:")
        for _, column in columns.iterrows():
            unit = f" [{column['Unit']}]" if column["Unit"] else ""
            allowed = tr("downloads.readme_allowed", values=column["Allowed values"]) if column["Allowed values"] else ""
            meaning = tr.column_description(table, column["Column"], column["Meaning"])
            lines.append(tr("downloads.readme_column", column=column["Column"], type=column["Type"], unit=unit,
                            meaning=meaning, allowed=allowed))
        lines.append("")
    licences = ", ".join(f"{lic.get('name', '')} ({lic.get('path', '')})" for lic in descriptor.get("licenses", []))
    lines += [tr("downloads.readme_licence"), "-------", tr("downloads.readme_data_licence", licences=licences), ""]
    boundaries = resources.get("province_boundaries")
    if boundaries:
        lines += [tr("downloads.readme_boundaries",
                     description=tr.resource_description("province_boundaries", boundaries.get("description", ""))), ""]
    corrections = CORRECTION_STEPS if not tr.is_chinese else [tr("downloads.correction_1"), tr("downloads.correction_2")]
    lines += [tr("downloads.readme_corrections"), "-----------", *corrections, ""]
    return "\n".join(lines)


def quality_readme_lines(descriptor: dict, sources: pd.DataFrame | None, tr: Translator = ENGLISH) -> list[str]:
    """The README's section on the sources' quality classes, with how many of the bundled sources are in each."""
    lines = [tr("downloads.readme_quality"), "-" * 40]
    counts = sources["quality"].value_counts() if sources is not None and "quality" in sources else pd.Series(dtype=int)
    for name, meaning in quality_meanings(descriptor).items():
        lines.append(tr("downloads.readme_quality_class", name=tr.value("quality", name), count=int(counts.get(name, 0)),
                        meaning=tr(f"downloads.quality_meaning.{name}") if tr.is_chinese else meaning))
    lines.append(tr("downloads.readme_weakly_sourced"))
    return lines


def data_zip(catalogue: Catalogue, selection: FacilityFilter, *, accessed: dt.date | None = None,
             tr: Translator = ENGLISH) -> bytes:
    """A ZIP of the filtered CSVs with datapackage.json (their part), README.txt and CITATION.txt."""
    tables = filtered_tables(catalogue, selection)
    resources = {r["name"]: r for r in catalogue.descriptor["resources"]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            archive.writestr(resources[name]["path"], csv_bytes(frame))
        archive.writestr(
            "datapackage.json",
            json.dumps(descriptor_subset(catalogue.descriptor, tables, selection), ensure_ascii=False, indent=2) + "\n",
        )
        archive.writestr("README.txt", readme_text(catalogue.descriptor, tables, selection, accessed=accessed, tr=tr))
        archive.writestr("CITATION.txt", citation_text(catalogue.descriptor, accessed=accessed, tr=tr))
    return buffer.getvalue()


# --- Tables for the explorer ----------------------------------------------------------------

def explorer_facilities(facilities: pd.DataFrame, sources: pd.DataFrame, provinces: pd.DataFrame,
                        value_sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The filtered facilities as the explorer shows them: names side by side, numbers kept numeric for sorting.

    Text gaps read 'not known'; number gaps stay empty (None) so the columns still sort as
    numbers; the page shows them as 'not known' with st.dataframe's placeholder.
    """
    first_link = {}
    indexed = sources.set_index("id")
    for facility_id, cell in zip(facilities["id"], facilities["source_ids"]):
        first_link[facility_id] = None
        for source_id in split_ids(cell):
            if source_id in indexed.index:
                url = safe_url(indexed.loc[source_id, "url"])
                if url:
                    first_link[facility_id] = url
                    break
    province_zh = dict(zip(provinces["name_en"], provinces["name_zh"]))

    def text(column: str) -> list:
        return [v if isinstance(v, str) and v else NOT_KNOWN for v in facilities[column].tolist()]

    def number(column: str) -> list:
        return [None if pd.isna(v) else float(v) for v in facilities[column].tolist()]

    cost_currency = [c if isinstance(c, str) else "" for c in facilities["cost_currency"].tolist()]
    scores = facility_completeness(facilities, sources, value_sources)
    # Whole percent, as the profile says them (a grid would show 88.89 %).
    known = [whole_percent(k, n) for k, n in zip(scores["facts_known"], scores["facts_applicable"])]
    well_sourced = [None if not total else whole_percent(primary + reputable, total)
                    for total, primary, reputable in zip(scores["sources"], scores["primary"], scores["reputable"])]
    return pd.DataFrame(
        {
            "Facility": facilities["name_en"].tolist(),
            "中文名": text("name_zh"),
            "Acronym": [v if isinstance(v, str) and v else "" for v in facilities["acronym"].tolist()],
            "Profile": [f"profile?facility={fid}" for fid in facilities["id"]],
            "Key facts known": known,
            "Primary or reputable sources": well_sourced,
            "Field": facilities["field"].tolist(),
            "National list": national_list_states(facilities).tolist(),
            "Province": [
                f"{p} ({province_zh[p]})" if isinstance(p, str) and p in province_zh else NOT_KNOWN
                for p in facilities["province"].tolist()
            ],
            "Status": facilities["status"].tolist(),
            "Status as of": facilities["status_as_of"].tolist(),
            "Functional type": [functional_type_label(v) for v in facilities["functional_type"].tolist()],
            "Weakly sourced facts": [v or "" for v in scores["weakly_sourced_facts"].tolist()],
            "Construction start": number("construction_start"),
            "First operation": number("first_operation"),
            "Depth (m)": number("depth_m"),
            "Altitude (m)": number("altitude_m"),
            "Cost (million)": number("cost_value"),
            "Cost currency": [c or NOT_KNOWN for c in cost_currency],
            "Operator": text("operator"),
            "Funding": text("funding"),
            "Confidence": facilities["confidence"].tolist(),
            "Main source": [first_link[fid] for fid in facilities["id"]],
            "Source ids": facilities["source_ids"].tolist(),
        }
    )


def explorer_facilities_shown(table: pd.DataFrame, facilities: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """``explorer_facilities``' table as the grid shows it to a reader: the data's values in their language (the
    download keeps them as in the data), repeated texts as categories."""
    if tr.is_chinese:
        table = table.assign(**{column: table[column].map(lambda v, kind=kind: tr.value(kind, v) if isinstance(v, str) else v)
                                for column, kind in (("Field", "field"), ("Status", "status"), ("Funding", "funding"))
                                if column in table.columns})
        table = table.assign(**{
            "National list": table["National list"].map(lambda v: tr.value("national_list", v)),
            "Functional type": [tr.value("functional_type", v) if isinstance(v, str) and v.strip() else tr("common.not_known")
                                for v in facilities["functional_type"].tolist()],
            "Weakly sourced facts": table["Weakly sourced facts"].map(
                lambda v: tr.join(tr.value("key_fact", f) for f in v.split("; ")) if v else ""),
        })
    return with_repeated_texts_as_categories(table)


# A text column with at most this share of distinct values is sent to the grid as categories.
REPEATED_TEXT_SHARE = 0.5


def with_repeated_texts_as_categories(table: pd.DataFrame) -> pd.DataFrame:
    """The table for a grid, its repeated texts (field, province, status...) made pandas categories.

    Streamlit sends a table as Arrow; a category column goes as a dictionary, each distinct text once,
    instead of once a row. Measured as Arrow IPC: the real facilities table 52 to 45 kB; the synthetic 30x one
    1.42 to 0.45 MB (its copies repeat names and sources, more than a real catalogue would).
    The values, their order and the CSV downloads are unchanged.
    """
    repeated = {}
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_string_dtype(values) and len(values) > 1 \
                and values.nunique() <= REPEATED_TEXT_SHARE * len(values):
            repeated[column] = values.astype("category")
    return table.assign(**repeated) if repeated else table


def explorer_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """sources.csv with only http(s) addresses in the link column."""
    table = sources.copy()
    table["url"] = [safe_url(u) for u in table["url"].tolist()]
    table["doi"] = [f"https://doi.org/{d}" if isinstance(d, str) and d else None for d in table["doi"].tolist()]
    return table


def column_specs(descriptor: dict, table: str, tr: Translator = ENGLISH) -> dict[str, dict]:
    """For each column of a data-package table: a readable label with its unit, its meaning, and how to show it.

    ``kind`` is 'year' (a plain integer, no thousands separator), 'number', 'link' (an http(s) address)
    or 'text'. The explorer turns these into Streamlit column configs.
    """
    specs = {}
    for resource in descriptor.get("resources", []):
        if resource["name"] != table:
            continue
        for column in resource.get("schema", {}).get("fields", []):
            name, unit = column["name"], column.get("unit", "")
            if column.get("type") == "year":
                kind = "year"
            elif column.get("type") in ("number", "integer"):
                kind = "number"
            elif name in ("url", "doi"):
                kind = "link"
            else:
                kind = "text"
            label = name if not unit or kind == "year" else f"{name} ({unit})"
            # "help" is a Streamlit tooltip, which renders Markdown: escaped so the description shows as written.
            meaning = tr.column_description(table, name, column.get("description", ""))
            specs[name] = {"label": label, "help": escape_markdown(meaning), "kind": kind}
    return specs


def explorer_milestones(milestones: pd.DataFrame, facilities: pd.DataFrame) -> pd.DataFrame:
    """Milestones of the given facilities with the facility's name and a profile link in front, in date order."""
    names = dict(zip(facilities["id"], facilities["name_en"]))
    table = milestones[milestones["facility_id"].isin(names)].sort_values(["date", "facility_id"], kind="stable")
    table = table.copy()
    table.insert(0, "facility", [names[f] for f in table["facility_id"]])
    table.insert(1, "profile", [f"profile?facility={f}" for f in table["facility_id"]])
    return table.reset_index(drop=True)


def source_usage(catalogue: Catalogue) -> pd.DataFrame:
    """sources.csv with, for each source, how many rows of each table cite it (for the Sources page)."""
    tables = ("facilities", "milestones", "peers", "nature_index", "research_spending")
    counts = {name: {} for name in tables}
    for name in tables:
        for cell in getattr(catalogue, name)["source_ids"]:
            for source_id in split_ids(cell):
                counts[name][source_id] = counts[name].get(source_id, 0) + 1
    usage = explorer_sources(catalogue.sources)
    # Quality beside the title, where a reader looks first.
    front = ["id", "quality", "publisher", "title", "date", "quality_note"]
    usage = usage[front + [c for c in usage.columns if c not in front]]
    for name in tables:
        usage[f"cited by {name}"] = [counts[name].get(s, 0) for s in usage["id"]]
    return usage


def quality_counts(sources: pd.DataFrame) -> pd.DataFrame:
    """How many sources are in each quality class, and their share, in the schema's order."""
    counts = sources["quality"].value_counts()
    total = len(sources)
    return pd.DataFrame(
        {"Quality": list(QUALITY_CLASSES),
         "Sources": [int(counts.get(q, 0)) for q in QUALITY_CLASSES],
         "Share": [(int(counts.get(q, 0)) / total if total else 0.0) for q in QUALITY_CLASSES]}
    )


def facilities_by_national_list(facilities: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """How many facilities of each field (schema order) are on China's national list, not on it, or not known."""
    from china_bigscience.national_list import NATIONAL_LIST_STATES

    table = pd.crosstab(facilities["field"], national_list_states(facilities))
    table = table.reindex(index=[f for f in fields if f in table.index],
                          columns=list(NATIONAL_LIST_STATES), fill_value=0)
    table["all"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().rename(columns={"field": "Field"})


def facilities_by_field(facilities: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """How many facilities of each field (in the schema's order) and of each status, for the methods text."""
    table = pd.crosstab(facilities["field"], facilities["status"])
    table = table.reindex([f for f in fields if f in table.index])
    table["all statuses"] = table.sum(axis=1)
    return table.reset_index().rename(columns={"field": "Field"})


def page_charts(catalogue: Catalogue, selection: FacilityFilter) -> list:
    """The explorer and the Sources page show tables only: they have no Plotly charts to export."""
    return []
