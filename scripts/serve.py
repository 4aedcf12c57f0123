"""Start the dashboard's server (`streamlit run dashboard.py …`) with its libraries already imported.

Streamlit imports what a script needs on the first script run, that is while the first reader waits: pandas,
the chart modules and the package took about a second of a fresh server's first page (profiled). Imported here,
before the server starts listening, they are in memory when the first reader arrives. `make run`, the tests and
the benchmark start the server this way. Options are passed on to `streamlit run dashboard.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

import pandas  # noqa: E402,F401
import plotly.graph_objects  # noqa: E402,F401
import pydeck  # noqa: E402,F401
from streamlit.web import cli  # noqa: E402

import china_bigscience.ui  # noqa: E402,F401
from china_bigscience.__main__ import PAGE_MODULES  # noqa: E402

for module in (*PAGE_MODULES, "china_bigscience.downloads", "china_bigscience.export"):
    __import__(module)


def main(options: list[str]) -> int:
    sys.argv = ["streamlit", "run", str(PROJECT_DIR / "dashboard.py"), *options]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
