"""Command line: export every chart of the dashboard for one filter, for people who build slides.

    python -m china_bigscience export --province Sichuan --format svg --out charts/
    python -m china_bigscience export --lang zh --field "photon science"      # titles and source lines in Chinese
    python -m china_bigscience export --field "photon science" --status operating --years 2000-2020
    python -m china_bigscience export --national "on the list" --complete 80      # the sidebar's other filters

Charts come from each page module's ``page_charts(catalogue, selection)``, with the
page's default controls; images are the same publication-style files as the
dashboard's download buttons, drawn by one kept browser.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from china_bigscience import DATA_DIR
from china_bigscience.i18n import ENGLISH, LANGUAGES, Translator
from china_bigscience.filters import (
    COMPLETENESS_STEP, FUNCTIONAL_TYPE_CHOICES, YEAR_BASES, FacilityFilter, filter_year_bounds, read_filter_params,
)
from china_bigscience.national_list import NATIONAL_LIST_STATES

# The modules behind the dashboard's pages, in menu order. Imported lazily, and a module that
# is not there (yet) is skipped with a note: the export of the others must not depend on it.
PAGE_MODULES = (
    "china_bigscience.overview",
    "china_bigscience.maps",
    "china_bigscience.timeline",
    "china_bigscience.comparisons",
    "china_bigscience.nature_index",
    "china_bigscience.profiles",
)


def load_catalogue(data_dir: Path):
    """The validated catalogue (a seam for tests)."""
    from china_bigscience.catalogue import load_catalogue as load

    return load(data_dir)


def _values(raw: Sequence[str] | None) -> list[str]:
    """Repeated options and comma-separated lists both work: --province Sichuan --province Anhui, or Sichuan,Anhui."""
    values: list[str] = []
    for item in raw or []:
        values += [part.strip() for part in item.split(",") if part.strip()]
    return values


def build_parser() -> argparse.ArgumentParser:
    from china_bigscience.export import IMAGE_FORMATS

    parser = argparse.ArgumentParser(prog="python -m china_bigscience", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate",
        help="check data/ against datapackage.json and the cross-table rules",
        description="Validate the data package; on failure, print each problem (file, row, column, value) and exit 1.",
    )
    validate.add_argument("--data-dir", type=Path, default=None, help="the data package folder (default: data/)")
    export = commands.add_parser(
        "export",
        help="write every chart for a filter as PNG, SVG or PDF",
        description="Write every chart of the dashboard for one filter, in the publication style.",
    )
    export.add_argument("--province", action="append", metavar="NAME", help="province name (repeat, or separate with commas)")
    export.add_argument("--field", action="append", metavar="FIELD", help="scientific field (repeat, or separate with commas)")
    export.add_argument("--status", action="append", metavar="STATUS", help="lifecycle status (repeat, or separate with commas)")
    export.add_argument("--years", metavar="FROM-TO", help="year range such as 2000-2020 (of construction start, see --basis)")
    export.add_argument("--basis", choices=YEAR_BASES, default="construction", help="which year --years applies to")
    export.add_argument("--search", default="", metavar="TEXT", help="free-text search: name, 中文, acronym, place")
    export.add_argument("--national", action="append", metavar="STATE",
                        help=f"place on China's national list: {', '.join(NATIONAL_LIST_STATES)} (repeat, or commas)")
    export.add_argument("--ftype", action="append", metavar="TYPE",
                        help=f"functional type: {', '.join(FUNCTIONAL_TYPE_CHOICES)} (repeat, or commas)")
    export.add_argument("--complete", type=int, default=0, metavar="PERCENT",
                        help=f"only facilities with at least this share of key facts known (0-100, steps of "
                             f"{COMPLETENESS_STEP})")
    export.add_argument("--format", choices=IMAGE_FORMATS, default="png", help="image format (default png)")
    export.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of titles, axes, notes and source lines (default en; zh for Chinese)")
    export.add_argument("--out", type=Path, default=Path("charts"), help="folder to write into (default charts/)")
    export.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    return parser


def _year_bounds(catalogue) -> tuple[int, int]:
    """The earliest and latest year the data knows (the CLI accepts any range inside it)."""
    return filter_year_bounds(catalogue.facilities)


def selection_from_args(args: argparse.Namespace, catalogue) -> FacilityFilter:
    """The filter the options describe. Unknown names raise ValueError naming them and the allowed values."""
    params = {
        "province": _values(args.province),
        "field": _values(args.field),
        "status": _values(args.status),
        # "--years 2000-2010" on the command line; a link gives the two years as two values.
        "years": [part.strip() for part in args.years.replace("–", "-").split("-")] if args.years else [],
        "basis": [args.basis],
        "national": _values(args.national),
        "ftype": _values(args.ftype),
        "complete": [str(args.complete)] if args.complete else [],
    }
    low, high = _year_bounds(catalogue)
    reading = read_filter_params(
        params,
        provinces=catalogue.province_names,
        fields=catalogue.fields,
        statuses=catalogue.statuses,
        year_bounds=(min(low, 1900), max(high, 2100)),
    )
    if reading.notices:
        allowed = {
            "province": catalogue.province_names,
            "field": catalogue.fields,
            "status": catalogue.statuses,
            "national": NATIONAL_LIST_STATES,
            "ftype": FUNCTIONAL_TYPE_CHOICES,
        }
        hints = [f"{key}: {', '.join(values)}" for key, values in allowed.items() if params[key]]
        raise ValueError("\n".join(["Not applied:", *reading.notices, "Allowed values are", *hints]))
    values = reading.values
    return FacilityFilter(
        provinces=tuple(values.get("province", ())),
        fields=tuple(values.get("field", ())),
        statuses=tuple(values.get("status", ())),
        year_range=tuple(values["years"]) if "years" in values else None,
        year_basis=values.get("basis", "construction"),
        text=args.search.strip(),
        national_list=tuple(values.get("national", ())),
        functional_types=tuple(values.get("ftype", ())),
        min_completeness=values.get("complete", 0),
    )


def collect_charts(catalogue, selection: FacilityFilter, *, modules: Sequence[str] | None = None, log=print,
                   tr: Translator = ENGLISH):
    """Every chart of every page module for ``selection``, and the problems met on the way (module, message)."""
    charts, problems = [], []
    for module_name in PAGE_MODULES if modules is None else modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                log(f"  {module_name}: not written yet, skipped")
                continue
            problems.append((module_name, f"import failed: {error}"))
            continue
        except Exception as error:  # noqa: BLE001  one broken page must not stop the others' export
            problems.append((module_name, f"import failed: {type(error).__name__}: {error}"))
            continue
        page_charts = getattr(module, "page_charts", None)
        if page_charts is None:
            log(f"  {module_name}: has no page_charts(), skipped")
            continue
        try:
            found = list(page_charts(catalogue, selection, tr=tr) if "tr" in inspect.signature(page_charts).parameters
                         else page_charts(catalogue, selection))
        except Exception as error:  # noqa: BLE001
            problems.append((module_name, f"page_charts failed: {type(error).__name__}: {error}"))
            continue
        log(f"  {module_name}: {len(found)} chart(s)")
        charts += found
    return charts, problems


def export_command(args: argparse.Namespace) -> int:
    from china_bigscience import export
    from china_bigscience.catalogue import DataValidationError

    try:
        catalogue = load_catalogue(args.data_dir)
    except DataValidationError as error:
        print(f"The data in {args.data_dir} did not pass validation:\n{error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001  e.g. a datapackage.json the validator cannot read
        print(f"The data in {args.data_dir} could not be loaded: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    try:
        selection = selection_from_args(args, catalogue)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if export.find_browser() is None:
        print(export.NO_BROWSER_MESSAGE.replace("**", ""), file=sys.stderr)
        return 1

    tr = Translator(args.lang).with_provinces(catalogue.provinces)
    print(f"Charts for: {selection.describe()}")
    charts, problems = collect_charts(catalogue, selection, tr=tr)
    args.out.mkdir(parents=True, exist_ok=True)
    subtitle = selection.describe(tr)
    names = export.unique_file_names(charts, args.format, selection.slug())
    started = time.perf_counter()
    written = 0
    try:
        for chart, name in zip(charts, names):
            path = args.out / name
            try:
                path.write_bytes(export.chart_image(chart, args.format, subtitle=subtitle, tr=tr))
            except export.ExportError as error:
                problems.append((chart.slug, str(error)))
                continue
            written += 1
            print(f"  wrote {path}")
    finally:
        export.stop_engine()
    print(f"Wrote {written} of {len(charts)} chart(s) to {args.out} in {time.perf_counter() - started:.1f} s.")
    for where, message in problems:
        print(f"Problem in {where}: {message}", file=sys.stderr)
    return 1 if problems else 0


def validate_command(args: argparse.Namespace) -> int:
    from china_bigscience import DATA_DIR
    from china_bigscience.catalogue import DataValidationError
    from china_bigscience.validation_notes import validate_and_note

    data_dir = args.data_dir or DATA_DIR
    try:
        catalogue = validate_and_note(data_dir)
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(getattr(catalogue, name))} {name.replace('_', ' ')}"
                       for name in ("facilities", "milestones", "peers", "nature_index", "research_spending", "sources"))
    print(f"{data_dir}: valid ({counts})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return validate_command(args)
    if args.command == "export":
        return export_command(args)
    return 2  # unreachable: argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
