"""Write the files Streamlit serves from static/ (today: the province outlines with their tooltip fields).

A build step, run by `make static` (and so by `make run` and `make provinces`): the running app
only reads these files and never writes into the source tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from china_bigscience import DATA_DIR, maps  # noqa: E402


def main() -> int:
    target = maps.write_static_boundaries(DATA_DIR / "provinces.geojson")
    print(f"{target} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
