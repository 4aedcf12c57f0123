"""How long plotly.js takes to draw and redraw the Timeline's Gantt in headless Chromium, without Streamlit.

    .venv/bin/python bench/gantt_redraw.py            # the Gantt as built now
    .venv/bin/python bench/gantt_redraw.py --automargin   # with automargin on its row labels (as before)

Builds the Gantt of the whole catalogue and of one search ('IHEP, CAS'), loads plotly.js from the plotly package
into a blank page, and times `Plotly.newPlot` of the whole and `Plotly.react` from one to the other (what a filter
change asks of the browser), 4 times each. Prints the times in ms. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import plotly  # noqa: E402

from china_bigscience.catalogue import load_catalogue  # noqa: E402
from china_bigscience.filters import FacilityFilter, filter_facilities  # noqa: E402
from china_bigscience.timeline import gantt_chart  # noqa: E402
from tools.browser import launch  # noqa: E402

DRAW_SCRIPT = """async ([whole, part]) => {
  const A = JSON.parse(whole), B = JSON.parse(part); const out = {newPlot: [], react: []};
  for (let i = 0; i < 4; i++) {
    Plotly.purge('g');
    let t = performance.now(); await Plotly.newPlot('g', A.data, A.layout); out.newPlot.push(Math.round(performance.now() - t));
    t = performance.now(); await Plotly.react('g', B.data, B.layout); out.react.push(Math.round(performance.now() - t));
    t = performance.now(); await Plotly.react('g', A.data, A.layout); out.react.push(Math.round(performance.now() - t));
  }
  return out; }"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--automargin", action="store_true", help="let Plotly measure the row labels (as before)")
    args = parser.parse_args(argv)
    catalogue = load_catalogue(validate=False)

    def gantt(facilities):
        figure = gantt_chart(facilities, catalogue.milestones, catalogue.sources, group_by="field",
                             group_order=catalogue.fields, as_of_year=2026, horizon_year=2026).figure
        if args.automargin:
            figure.update_yaxes(automargin=True)
            figure.update_layout(margin_l=10)
        return figure.to_json()

    whole = gantt(catalogue.facilities)
    part = gantt(filter_facilities(catalogue.facilities, FacilityFilter(text="IHEP, CAS")))
    script = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = Path(folder) / "gantt.html"
        page_file.write_text(f"<html><body><div id=g style='width:1100px'></div><script>{script}</script></body></html>",
                             encoding="utf-8")
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(page_file.as_uri())
        print(page.evaluate(DRAW_SCRIPT, [whole, part]))
        browser.close()


if __name__ == "__main__":
    main()
