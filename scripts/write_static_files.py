"""Validate data/ and write the files built from it: the province outlines Streamlit serves from static/ (with their tooltip
fields, and drawn as images in static/outlines/) and the search's table of the data's Chinese texts (china_bigscience/search_keys.json).

A build step, run by `make static` (and so by `make run` and `make provinces`): the running app
only reads these files and never writes into the source tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from china_bigscience import DATA_DIR, maps, search_text  # noqa: E402
from china_bigscience.catalogue import DataValidationError, load_catalogue  # noqa: E402
from china_bigscience.validation_notes import validate_unless_noted  # noqa: E402


def main() -> int:
    target = maps.write_static_boundaries(DATA_DIR / "provinces.geojson")
    print(f"{target} is up to date")
    outlines = maps.write_outline_images(DATA_DIR / "provinces.geojson")
    print(f"{outlines} is up to date")
    # Validated here, while `make run` sets up, so that the server's first reader does not wait for it. A problem
    # is printed and the server still starts: the dashboard names the broken file, row and column to its readers.
    # A state of the files that passed before (an earlier `make run`) is not validated again.
    catalogue = None
    try:
        catalogue = validate_unless_noted(DATA_DIR)
        print(f"{DATA_DIR} is valid ({'validated now' if catalogue else 'as noted before'}; the server will not "
              "validate it again)")
    except DataValidationError as error:
        print(f"{DATA_DIR} did not pass validation; the dashboard will say so:\n{error}", file=sys.stderr)
    facilities = (catalogue or load_catalogue(validate=False)).facilities
    keys = search_text.write_search_keys(search_text.data_search_texts(facilities, search_text.data_province_names()))
    print(f"{keys} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
