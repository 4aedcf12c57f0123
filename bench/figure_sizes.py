"""What each page's charts weigh: figure JSON, note and alt-text length, height, build time; on real or synthetic data.

    .venv/bin/python bench/figure_sizes.py                      # data/
    .venv/bin/python bench/figure_sizes.py --factors 10 30      # and synthetic catalogues (bench/synthetic.py)

The server-side view of growth: a page that sends megabytes, or a note of a million characters, shows here
before any browser is started. The browser's view (bytes sent, time to draw) is bench/run_benchmarks.py's.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from china_bigscience import DATA_DIR  # noqa: E402


def measure(data_dir: Path, label: str) -> list[str]:
    from china_bigscience import comparisons, maps, nature_index, profiles, timeline
    from china_bigscience.catalogue import load_catalogue
    from china_bigscience.filters import FacilityFilter

    catalogue = load_catalogue(data_dir, validate=False)
    lines = [f"## {label}: {len(catalogue.facilities):,} facilities", "",
             "| page | chart | figure JSON (kB) | note (chars) | alt text (chars) | height (px) |",
             "|---|---|---:|---:|---:|---:|"]
    for module in (timeline, comparisons, maps, nature_index, profiles):
        page = module.__name__.rsplit(".", 1)[-1]
        started = time.perf_counter()
        charts = module.page_charts(catalogue, FacilityFilter())
        built = time.perf_counter() - started
        for chart in charts:
            lines.append(f"| {page} | {chart.slug} | {len(chart.figure.to_json()) / 1000:,.1f} | {len(chart.note or ''):,} "
                         f"| {len(chart.alt_text or ''):,} | {chart.figure.layout.height or '–'} |")
        lines.append(f"| {page} | (all {len(charts)} built in {built:.2f} s) | | | | |")
    deck = maps.facility_deck(maps.with_shown_status(catalogue.facilities, None), catalogue.boundaries_geojson)
    lines += ["", f"Map deck (pydeck JSON as Streamlit sends it): {len(deck.to_json()) / 1000:,.1f} kB.", ""]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="*", default=[], help="synthetic catalogues this many times larger")
    args = parser.parse_args(argv)
    lines = measure(DATA_DIR, "real data")
    from bench.synthetic import write_synthetic_catalogue

    for factor in args.factors:
        directory = Path(tempfile.mkdtemp(prefix="china-bigscience-synthetic-"))
        try:
            write_synthetic_catalogue(directory, factor=factor)
            lines += measure(directory, f"synthetic {factor}x")
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
