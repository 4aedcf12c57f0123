"""Where a filter change's time goes in the browser: a Chrome DevTools trace of reruns on one page, summed by thread and event.

    .venv/bin/python bench/trace_rerun.py --page map                 # the trace of two search changes, summed
    .venv/bin/python bench/trace_rerun.py --page nature_index --keep /tmp/ni-trace.json   # open it in DevTools

Types the search term into the sidebar (as `run_benchmarks.py` does), twice (narrow, then widen), with Chromium's
tracing on (Playwright's `browser.start_tracing`), and prints the events of the trace that took the most time per
rerun, by thread: the renderer's main thread (`CrRendererMain`: JavaScript, style, layout, and any wait on the GPU)
and the GPU process (`CrGpuMain`: WebGL, which headless Chromium runs in software, SwiftShader). Not a test.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_benchmarks import RERUN_WATCH_SCRIPT, search_term, timed_search  # noqa: E402

from tools.app_server import running_app  # noqa: E402
from tools.browser import launch, wait_for_app  # noqa: E402

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink", "gpu", "cc", "toplevel"]


def summarise(trace_path: Path, reruns: int, top: int) -> list[str]:
    """The longest complete events of the trace per rerun, named by thread (nested events are each counted)."""
    trace = json.loads(trace_path.read_text(encoding="utf-8"))
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    totals: collections.Counter = collections.Counter()
    for event in events:
        if event.get("ph") == "X" and "dur" in event:
            totals[(threads.get((event["pid"], event["tid"]), "?"), event["name"])] += event["dur"] / 1000
    return [f"{ms / reruns:9.1f} ms  {thread:26s} {name}" for (thread, name), ms in totals.most_common(top)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="map", help="the page's URL path (map, timeline, nature_index, ...)")
    parser.add_argument("--term", default=None, help="the search typed (default: the benchmark's)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--keep", type=Path, default=None, help="write the trace here (Chrome DevTools can open it)")
    args = parser.parse_args(argv)
    term = args.term or search_term(None)
    trace_path = args.keep or Path(tempfile.mkdtemp(prefix="rerun-trace-")) / "trace.json"
    from playwright.sync_api import sync_playwright

    walls = []
    with running_app("dashboard.py") as (base_url, _process), sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base_url}/{args.page}")
        wait_for_app(page)
        time.sleep(5)  # let the first draw and the background warm-ups finish
        page.evaluate(RERUN_WATCH_SCRIPT)
        search = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input').first
        browser.start_tracing(page=page, path=str(trace_path), categories=CATEGORIES)
        for text in (term, ""):
            walls.append(timed_search(page, search, text, quiet_ms=800))
            wait_for_app(page)
        browser.stop_tracing()
        browser.close()
    print(f"page {args.page}, search {term!r}: reruns took {walls} ms; per rerun, by thread and event:")
    print("\n".join(summarise(trace_path, len(walls), args.top)))
    print(f"trace: {trace_path}")


if __name__ == "__main__":
    main()
