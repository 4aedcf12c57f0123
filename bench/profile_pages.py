"""Where a page's time goes on the server: the script run per page (AppTest) and pyinstrument profiles.

    .venv/bin/python bench/profile_pages.py [--data-dir DIR] [--pages compare map] [--out bench/profiles]

For each page: the wall time of a first run and of a rerun after a search-box change in Streamlit's
AppTest (the server-side part of "first chart" and "filter change redrawn", without the browser), and a
pyinstrument text profile of that rerun written to <out>/<page>.txt. The script thread is profiled by
starting pyinstrument inside it (a tiny wrapper page), since pyinstrument follows one thread.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from china_bigscience.page_list import PAGES as PAGE_LIST  # noqa: E402

PAGES = [page.name for page in PAGE_LIST]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="another data package (e.g. a synthetic one)")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--term", default="IHEP", help="search text for the rerun")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "bench" / "profiles")
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ["CHINA_BIGSCIENCE_DATA_DIR"] = str(args.data_dir)
    os.chdir(PROJECT_DIR)
    sys.path.insert(0, str(PROJECT_DIR))
    from pyinstrument import Profiler
    from streamlit.testing.v1 import AppTest

    args.out.mkdir(parents=True, exist_ok=True)
    timings = {}
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    # AppTest runs the page in its own thread and pyinstrument follows one thread: profile inside it.
    profile_state = {"profiler": None}
    original_thread = LocalScriptRunner._run_script_thread

    def profiled_thread(self):
        if profile_state["profiler"] is None:
            return original_thread(self)
        profile_state["profiler"].start()
        try:
            return original_thread(self)
        finally:
            profile_state["profiler"].stop()

    LocalScriptRunner._run_script_thread = profiled_thread
    at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=600)
    started = time.perf_counter()
    at.run()
    timings["cold_first_run_s"] = round(time.perf_counter() - started, 3)
    for page in args.pages:
        at.switch_page(f"pages/{page}.py")
        if page == "profile":
            at.query_params["facility"] = "juno"
        at.text_input(key="q").set_value("")
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        profiler = Profiler(interval=0.002)
        profile_state["profiler"] = profiler
        at.text_input(key="q").set_value(args.term)
        started = time.perf_counter()
        at.run()
        rerun = time.perf_counter() - started
        profile_state["profiler"] = None
        (args.out / f"{page}.txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False),
                                            encoding="utf-8")
        session = profiler.last_session
        timings[page] = {"first_run_s": round(first, 3), "rerun_s": round(rerun, 3),
                         "rerun_script_wall_s": round(session.duration, 3) if session else None,
                         "rerun_script_cpu_s": round(session.cpu_time, 3) if session else None,
                         "load_average": [round(v, 2) for v in os.getloadavg()],
                         "exception": [str(e.value)[:200] for e in at.exception]}
        print(page, timings[page], flush=True)
    timings["data_dir"] = str(args.data_dir or "data/")
    (args.out / "timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
