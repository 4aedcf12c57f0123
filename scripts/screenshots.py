"""Save a PNG of every page of the running dashboard (for the README and for looking at what we built).

    python scripts/screenshots.py --out docs/screenshots [--width 1400] [--phone] [--lang zh] [--theme dark] [--query province=Tibet] [--facility protein_shanghai]

Starts `streamlit run dashboard.py` on a free loopback port, opens each page in
headless Chromium, waits for the script to finish and the charts to draw, and
saves `<page>.png` (and `<page>-phone.png` with --phone, at 390 px wide). With --theme dark the
browser prefers a dark colour scheme, which Streamlit follows; --query adds link parameters to every page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from china_bigscience.page_list import PAGES as PAGE_LIST  # noqa: E402
from tools.app_server import running_app  # noqa: E402
from tools.browser import launch, wait_for_app  # noqa: E402

# name -> path in the URL (the profile shows JUNO)
PAGES = {page.name: page.url_path + ("?facility=juno" if page.name == "profile" else "") for page in PAGE_LIST}


def page_url(base_url: str, name: str, lang: str, facility: str = "juno") -> str:
    """The page's address, in the given language (English needs no parameter); the profile shows ``facility``."""
    path = PAGES[name].replace("facility=juno", f"facility={facility}")
    if lang == "en":
        return f"{base_url}/{path}"
    return f"{base_url}/{path}{'&' if '?' in path else '?'}lang={lang}"


def take(out: Path, width: int, height: int, phone: bool, pages: list[str], lang: str = "en", theme: str = "light",
         query: str = "", facility: str = "juno") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with running_app() as (base_url, _process), sync_playwright() as playwright:
        browser = launch(playwright)
        viewports = [("", {"width": width, "height": height})]
        if phone:
            viewports.append(("-phone", {"width": 390, "height": 1600}))
        for suffix, viewport in viewports:
            context = browser.new_context(viewport=viewport, device_scale_factor=1, color_scheme=theme)
            page = context.new_page()
            for name in pages:
                url = page_url(base_url, name, lang, facility)
                page.goto(url + (("&" if "?" in url else "?") + query if query else ""))
                wait_for_app(page)
                page.wait_for_timeout(1500)  # let Plotly and deck.gl finish drawing
                shot = out / f"{name}{'-' + theme if theme != 'light' else ''}{suffix}.png"
                page.screenshot(path=str(shot), full_page=True)
                written.append(shot)
                print(shot)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1400)
    # Streamlit scrolls inside its own container, so a "full page" shot is only the viewport: make it tall.
    parser.add_argument("--height", type=int, default=1800)
    parser.add_argument("--phone", action="store_true", help="also take 390-px-wide phone screenshots")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--lang", choices=["en", "zh"], default="en", help="the dashboard's language (default en)")
    parser.add_argument("--theme", choices=["light", "dark"], default="light", help="the browser's colour scheme")
    parser.add_argument("--query", default="", help="link parameters for every page, e.g. province=Tibet")
    parser.add_argument("--facility", default="juno", help="the facility id the profile screenshot shows")
    args = parser.parse_args()
    take(args.out, args.width, args.height, args.phone, args.pages, args.lang, theme=args.theme, query=args.query,
         facility=args.facility)


if __name__ == "__main__":
    main()
