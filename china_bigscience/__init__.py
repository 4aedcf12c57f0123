"""China Big-Science Dashboard: the Streamlit-free core.

Loads and validates the cited tables in ``data/``, filters them, and turns them
into figures, tables and downloadable bytes. Pages in ``pages/`` only lay these
out; everything here is tested without a server.
"""

import os
from pathlib import Path

__version__ = "0.1.0"

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The data package to load. Tests and benchmarks point CHINA_BIGSCIENCE_DATA_DIR at a fixture
# (a hostile facility name, a 100x synthetic catalogue); everyone else uses data/.
DATA_DIR = Path(os.environ.get("CHINA_BIGSCIENCE_DATA_DIR") or PROJECT_DIR / "data")
DASHBOARD_NAME = "China Big-Science Dashboard"
# Prefix of every exported file name, so a folder of downloads says where they came from.
FILE_PREFIX = "china-bigscience"
