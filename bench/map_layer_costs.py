"""What each layer of the Map page's deck costs a filter change in headless Chromium (software WebGL).

    .venv/bin/python bench/map_layer_costs.py                       # as served (outline images), vector outlines, none, no text
    .venv/bin/python bench/map_layer_costs.py --variants "" outline=vector "outline=vector&simplify=0.1" --runs 8

Serves `bench/map_deck_app.py` (the deck alone; each variant is its query string, e.g. `drop=outline`), changes the search as
`run_benchmarks.py` does, and prints each variant's rerun times (ms, Enter to the last DOM change). Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_benchmarks import RERUN_WATCH_SCRIPT, median, search_term, timed_search  # noqa: E402

from tools.app_server import running_app  # noqa: E402
from tools.browser import launch, wait_for_app  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="*", default=["", "outline=vector", "drop=outline", "drop=TextLayer"],
                        help="query strings of bench/map_deck_app.py ('' = the whole deck)")
    parser.add_argument("--runs", type=int, default=6, help="search changes per variant")
    args = parser.parse_args(argv)
    term = search_term(None)
    from playwright.sync_api import sync_playwright

    with running_app(Path(__file__).with_name("map_deck_app.py")) as (base_url, _process), sync_playwright() as playwright:
        browser = launch(playwright)
        for variant in args.variants:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base_url}/?{variant}")
            wait_for_app(page)
            time.sleep(4)
            page.evaluate(RERUN_WATCH_SCRIPT)
            search = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input').first
            times = []
            for run in range(args.runs):
                times.append(timed_search(page, search, term if run % 2 == 0 else ""))
            print(f"{variant or '(the whole deck)':32s} median {median(times)} ms  {times}", flush=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
