"""Chart images for slides and articles: PNG, SVG and PDF in one light publication style, made offline by Kaleido.

Every export is a copy of the on-screen figure restyled for print by ``publication`` (white
background whatever the screen theme, the chart's title, a subtitle naming the
active filters, the source line and "<dashboard> · <date>" at the foot, fonts
that carry Chinese), rendered by one Chromium that is kept running for the life
of the process. Starting a browser per image costs about two seconds; a kept
engine answers in a fraction of that.

Kaleido is not thread-safe and Streamlit serves each session on its own thread,
so every call into the engine goes through one lock (``_ENGINE_LOCK``). The
engine runs with MathJax off and with the browser's network blocked: plotly.js
comes from plotly's own bundle, geo figures get a local (empty) topojson, and
anything that still tries to reach the internet fails at once instead of
stalling an export.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import functools
import html
import io
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import plotly.graph_objects as go

from china_bigscience import FILE_PREFIX
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.charts import Chart
from china_bigscience.publication import PNG_SCALE, TEXT_COLOUR, publication_figure, wrapped_lines

logger = logging.getLogger(__name__)

MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
IMAGE_FORMATS = tuple(MIME_TYPES)

# Names of Chrome-like browsers on the PATH, in the order we prefer them (Debian's package is "chromium").
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

NO_BROWSER_MESSAGE = (
    "**Image downloads (PNG, SVG, PDF) are off on this server:** they need a Chrome or Chromium browser, "
    "and none was found. To turn them on, install Debian's Chromium and the Chinese fonts "
    "(`sudo apt-get install chromium fonts-noto-cjk`), or set the `BROWSER_PATH` environment variable "
    "to the browser's executable, then restart the dashboard. "
    "Meanwhile the camera button in each chart's toolbar still saves a PNG from your own browser."
)

# Seconds: the first start of Chromium can be slow on a cold disk; one render should take well under a second.
ENGINE_START_TIMEOUT = 60
RENDER_TIMEOUT = 30
# Tabs of the kept browser: a page's ZIP draws this many charts at once (the machine's two cores both work).
ENGINE_TABS = 2
# Seconds a caller waits for the engine's lock before "busy" (the CLI and tests; a render holds it for ~1 s).
ENGINE_LOCK_WAIT = 120
# Seconds a reader's download waits for its image (it runs on the export thread, behind any image before
# it) before it gets a "busy, try again" file instead: a hung engine never holds a reader, or one of
# Streamlit's few shared threads, for minutes.
READER_WAIT = 15
READER_WAIT_PER_ZIPPED_CHART = 3
BUSY_MESSAGE = (
    "Image export is busy: the drawing engine is starting, or drawing other images, and did not get to this "
    "one in time. Nothing is wrong with the chart; download it again in a minute. The camera button in the "
    "chart's toolbar saves a PNG from your own browser meanwhile."
)

# Extra Chromium switches: no background requests, and no way out to the internet at all. Every file the
# engine needs is local (file://), so a figure that asks for something online fails at once, never stalls.
OFFLINE_BROWSER_ARGS = (
    "--disable-background-networking",
    "--disable-domain-reliability",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
)

# Plotly's geo subplots read base layers from "<scope>_<resolution>m.json" topojson files, fetched from a
# CDN by default. We ship empty ones: maps in this dashboard draw provinces from our own GeoJSON.
_GEO_SCOPES = ("world", "usa", "europe", "asia", "africa", "north-america", "south-america")
_GEO_RESOLUTIONS = (50, 110)
_TOPOJSON_LAYERS = ("land", "ocean", "lakes", "rivers", "countries", "coastlines", "subunits")


class ExportError(RuntimeError):
    """An image could not be made; the message says why in words a reader can act on."""


class ExportBusy(ExportError):
    """The engine did not get to the image in time (busy or hung); trying again later may work."""


# --- Finding a browser -------------------------------------------------------------------------------

def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """The Chrome/Chromium Kaleido will use: ``BROWSER_PATH`` if set, else the first one on the PATH.

    A ``BROWSER_PATH`` that names no executable counts as "no browser" rather than silently
    falling back, so that a typo in the server's settings shows up as the install hint.
    Looked up once per value of ``BROWSER_PATH`` and ``PATH`` (pages ask for every chart on every rerun).
    """
    return _find_browser(os.environ.get("BROWSER_PATH", "").strip(), os.environ.get("PATH", ""))


@functools.lru_cache(maxsize=8)
def _find_browser(override: str, search_path: str) -> str | None:
    if override:
        return override if _is_executable(override) else None
    for name in BROWSER_NAMES:
        path = shutil.which(name, path=search_path or None)
        if path and _is_executable(path):
            return path
    try:
        # choreographer also knows the usual install places and its own `kaleido_get_chrome` download.
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001  best effort: a broken lookup means "not found", never a crash
        return None
    return path if path and _is_executable(path) else None


# --- The kept engine ---------------------------------------------------------------------------------

def _offline_chromium_class():
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        """Choreographer's Chromium, started with the network switched off."""

        def get_cli(self):  # noqa: D102
            return [*super().get_cli(), *OFFLINE_BROWSER_ARGS]

    return OfflineChromium


def _write_empty_topojson(directory: Path) -> None:
    empty = {
        "type": "Topology",
        "arcs": [],
        "objects": {layer: {"type": "GeometryCollection", "geometries": []} for layer in _TOPOJSON_LAYERS},
    }
    text = json.dumps(empty)
    for scope in _GEO_SCOPES:
        for resolution in _GEO_RESOLUTIONS:
            (directory / f"{scope}_{resolution}m.json").write_text(text, encoding="utf-8")


class _KaleidoEngine:
    """One Kaleido browser on its own event-loop thread, reused for every image.

    Kaleido's own ``start_sync_server`` does the same, but it waits without a timeout: if the
    browser fails to start or dies, the caller hangs. Here every call has a deadline, and a
    failed engine is stopped and started again.
    """

    def __init__(self) -> None:
        self.browser_path: str | None = None
        self.command_line: list[str] = []
        self.starts = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._topojson_dir: Path | None = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    @property
    def topojson_url(self) -> str | None:
        return self._topojson_dir.as_uri() + "/" if self._topojson_dir else None

    def start(self, browser_path: str) -> None:
        import kaleido

        self._topojson_dir = Path(tempfile.mkdtemp(prefix="china-bigscience-topojson-"))
        _write_empty_topojson(self._topojson_dir)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-engine", daemon=True)
        self._thread.start()

        async def open_browser():
            engine = kaleido.Kaleido(
                n=ENGINE_TABS, timeout=RENDER_TIMEOUT, mathjax=False, path=browser_path,
                browser_cls=_offline_chromium_class(),
            )
            await engine.open()
            return engine

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), self._loop).result(ENGINE_START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        self.browser_path = browser_path
        self.command_line = list(self._kaleido._browser_impl.get_cli())  # noqa: SLF001  recorded for checks
        self.starts += 1

    def render(self, figure: go.Figure, opts: dict) -> bytes:
        assert self._kaleido is not None and self._loop is not None
        job = self._kaleido.calc_fig(figure, opts=opts, topojson=self.topojson_url)
        return asyncio.run_coroutine_threadsafe(job, self._loop).result(RENDER_TIMEOUT + 10)

    def render_all(self, jobs: Sequence[tuple[go.Figure, dict]]) -> list[bytes]:
        """Several images at once, one per free tab (Kaleido queues the rest)."""
        assert self._kaleido is not None and self._loop is not None

        async def all_jobs():
            return await asyncio.gather(*(self._kaleido.calc_fig(figure, opts=opts, topojson=self.topojson_url)
                                          for figure, opts in jobs))

        return asyncio.run_coroutine_threadsafe(all_jobs(), self._loop).result(RENDER_TIMEOUT * len(jobs) + 10)

    @property
    def browser_pid(self) -> int | None:
        process = getattr(self._kaleido, "subprocess", None)
        return process.pid if process is not None else None

    def stop(self) -> None:
        loop, engine = self._loop, self._kaleido
        self._kaleido = None
        if loop is not None:
            if engine is not None:
                try:
                    asyncio.run_coroutine_threadsafe(engine.close(), loop).result(10)
                except BaseException as error:  # noqa: BLE001  a dead browser cannot be closed politely
                    logger.warning("Closing the Kaleido browser failed (%s); killing it.", error)
                    process = getattr(engine, "subprocess", None)
                    if process is not None and process.poll() is None:
                        process.kill()
            try:
                # choreographer leaves a watchdog task behind; end it so the loop closes cleanly.
                asyncio.run_coroutine_threadsafe(_cancel_other_tasks(), loop).result(10)
            except BaseException:  # noqa: BLE001
                pass
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(10)
            if not loop.is_running():
                loop.close()
        self._loop, self._thread = None, None
        if self._topojson_dir is not None:
            shutil.rmtree(self._topojson_dir, ignore_errors=True)
            self._topojson_dir = None


async def _cancel_other_tasks() -> None:
    current = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not current]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


# One engine per process and one lock around it: Streamlit sessions call in from many threads.
_ENGINE = _KaleidoEngine()
_ENGINE_LOCK = threading.Lock()


def _stop_engine_at_exit() -> None:
    # Never wait on a hung render at shutdown: without the lock, kill the browser and go.
    if _ENGINE_LOCK.acquire(timeout=5):
        try:
            _ENGINE.stop()
        finally:
            _ENGINE_LOCK.release()
    else:
        process = getattr(_ENGINE._kaleido, "subprocess", None)  # noqa: SLF001
        if process is not None and process.poll() is None:
            process.kill()


atexit.register(_stop_engine_at_exit)


def _ensure_engine() -> None:
    """Start the engine if needed (called with the lock held); a changed BROWSER_PATH restarts it."""
    browser = find_browser()
    if browser is None:
        _ENGINE.stop()
        raise ExportError(NO_BROWSER_MESSAGE)
    if _ENGINE.running and _ENGINE.browser_path == browser:
        return
    _ENGINE.stop()
    try:
        _ENGINE.start(browser)
    except BaseException as error:
        raise ExportError(
            f"The browser at {browser} could not be started to draw the image ({type(error).__name__}: {error}). "
            "Check that it runs (`chromium --headless --version`), or point BROWSER_PATH at another Chrome/Chromium. "
            "The camera button in the chart's toolbar still saves a PNG."
        ) from error


_WARM_UP_STARTED = threading.Event()


def warm_up_in_background(delay_s: float = 5.0) -> None:
    """Start the kept browser a few seconds after the server's first page, so the first download is a warm one.

    Once per process; does nothing without a browser. Delayed so that it does not compete with the first
    page for the CPU.
    """
    if _WARM_UP_STARTED.is_set():
        return
    _WARM_UP_STARTED.set()

    def warm() -> None:
        time.sleep(delay_s)
        if find_browser() is None or not _ENGINE_LOCK.acquire(timeout=ENGINE_LOCK_WAIT):
            return
        try:
            _ensure_engine()
        except ExportError as error:
            logger.warning("The image export engine did not start ahead of time: %s", error)
        finally:
            _ENGINE_LOCK.release()

    threading.Thread(target=warm, name="image-export-warm-up", daemon=True).start()


def _render(figure: go.Figure, opts: dict) -> bytes:
    """One image from the kept engine; if the browser died or hung, start it again once and retry."""
    if not _ENGINE_LOCK.acquire(timeout=ENGINE_LOCK_WAIT):
        raise ExportBusy(BUSY_MESSAGE)
    try:
        return _render_with_engine(figure, opts)
    finally:
        _ENGINE_LOCK.release()


def _render_with_engine(figure: go.Figure, opts: dict) -> bytes:
    """``_render`` with the lock held."""
    _ensure_engine()
    try:
        return _ENGINE.render(figure, opts)
    except Exception as first_error:  # noqa: BLE001
        logger.warning("Kaleido export failed (%s: %s); restarting the engine once.", type(first_error).__name__, first_error)
        _ENGINE.stop()
        _ensure_engine()
        try:
            return _ENGINE.render(figure, opts)
        except Exception as error:  # noqa: BLE001
            _ENGINE.stop()
            raise ExportError(
                f"The image could not be drawn, even after restarting the browser ({type(error).__name__}: {error})."
            ) from error


def _render_all(jobs: Sequence[tuple[go.Figure, dict]]) -> list[bytes]:
    """``_render`` of several figures, drawn side by side in the engine's tabs; if that fails, one by one
    (with ``_render_with_engine``'s restart)."""
    if not _ENGINE_LOCK.acquire(timeout=ENGINE_LOCK_WAIT):
        raise ExportBusy(BUSY_MESSAGE)
    try:
        _ensure_engine()
        try:
            return _ENGINE.render_all(jobs)
        except Exception as error:  # noqa: BLE001
            logger.warning("Drawing %d images at once failed (%s); drawing them one by one.", len(jobs), error)
            return [_render_with_engine(figure, opts) for figure, opts in jobs]
    finally:
        _ENGINE_LOCK.release()


def _render_options(figure: go.Figure, fmt: str) -> dict:
    """Kaleido's options for a publication figure (which already carries its export width and height)."""
    width, height = int(figure.layout.width), int(figure.layout.height)
    return {"format": fmt, "width": width, "height": height, "scale": PNG_SCALE if fmt == "png" else 1}


def _check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in MIME_TYPES:
        raise ValueError(f"Image format {fmt!r} is not one of {', '.join(IMAGE_FORMATS)}")
    return fmt


def chart_image(chart: Chart, fmt: str, *, subtitle: str = "", date: dt.date | None = None,
                tr: Translator = ENGLISH) -> bytes:
    """The chart as PNG, SVG or PDF bytes in the publication style. Raises ExportError (with advice) on failure."""
    fmt = _check_format(fmt)
    figure = publication_figure(chart, subtitle=subtitle, date=date, tr=tr)
    return _render(figure, _render_options(figure, fmt))


def image_file_name(chart: Chart, fmt: str, name_suffix: str) -> str:
    """'china-bigscience_underground-labs-depth_sichuan.png'."""
    return f"{FILE_PREFIX}_{chart.slug}_{name_suffix}.{fmt}"


def unique_file_names(charts: Sequence[Chart], fmt: str, name_suffix: str) -> list[str]:
    """One file name per chart; a repeated slug gets '-2', '-3' so no image overwrites another."""
    names, seen = [], {}
    for chart in charts:
        name = image_file_name(chart, fmt, name_suffix)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            stem, extension = name.rsplit(".", 1)
            name = f"{stem}-{seen[name]}.{extension}"
        names.append(name)
    return names


def charts_zip(
    charts: Sequence[Chart], fmt: str, *, subtitle: str = "", name_suffix: str = "all", date: dt.date | None = None,
    tr: Translator = ENGLISH,
) -> bytes:
    """A ZIP holding one image per chart, named after the chart and the filter."""
    fmt = _check_format(fmt)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        figures = [publication_figure(chart, subtitle=subtitle, date=date, tr=tr) for chart in charts]
        images = _render_all([(figure, _render_options(figure, fmt)) for figure in figures])
        for name, image in zip(unique_file_names(charts, fmt, name_suffix), images):
            archive.writestr(name, image)
    return buffer.getvalue()


def stop_engine() -> None:
    """Close the kept browser (tests, and the CLI when it is done)."""
    with _ENGINE_LOCK:
        _ENGINE.stop()


# --- What a reader's download button gets --------------------------------------------------------------
#
# Streamlit runs a download button's callable on its shared thread pool (a handful of threads) and
# replaces any exception with "Failed to generate file for download". So the reader's path renders on
# one thread of its own, waits a bounded time, and never raises: a failure is a small file in the
# asked-for format that says what went wrong and what to do.

_READER_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="image-export")


def for_reader(job: Callable[[], bytes], fallback: Callable[[str], bytes], *, wait: float) -> bytes:
    """``job()`` run on the export thread, or after ``wait`` seconds (or on an error) ``fallback(message)``."""
    future = _READER_EXECUTOR.submit(job)
    try:
        return future.result(timeout=wait)
    except FutureTimeout:
        future.cancel()  # if it has not started, it never will: the queue does not grow behind a hung engine
        logger.warning("Image export busy: no result after %.0f s.", wait)
        return fallback(BUSY_MESSAGE)
    except ExportError as error:
        return fallback(str(error))
    except Exception as error:  # noqa: BLE001  a reader gets words, the log gets the traceback
        logger.exception("Image export failed")
        return fallback(f"The image could not be made ({type(error).__name__}). Please try again; if it keeps "
                        "failing, the camera button in the chart's toolbar saves a PNG from your own browser.")


def reader_chart_image(chart: Chart, fmt: str, *, subtitle: str = "", tr: Translator = ENGLISH) -> bytes:
    """``chart_image`` for a download button: the image, or a file in the same format saying why there is none."""
    fmt = _check_format(fmt)
    return for_reader(lambda: chart_image(chart, fmt, subtitle=subtitle, tr=tr),
                      lambda message: error_file(fmt, message), wait=READER_WAIT)


def reader_charts_zip(charts: Sequence[Chart], fmt: str, *, subtitle: str = "", name_suffix: str = "all",
                      tr: Translator = ENGLISH) -> bytes:
    """``charts_zip`` for a download button: the ZIP, or a ZIP holding EXPORT-FAILED.txt that says why."""
    fmt = _check_format(fmt)
    return for_reader(lambda: charts_zip(charts, fmt, subtitle=subtitle, name_suffix=name_suffix, tr=tr),
                      _error_zip, wait=READER_WAIT + READER_WAIT_PER_ZIPPED_CHART * len(charts))


def _plain_message(message: str) -> str:
    """The message without its Markdown marks (the install hint is written for the page)."""
    return message.replace("**", "").replace("`", "")


def error_file(fmt: str, message: str) -> bytes:
    """A small PNG, SVG or PDF that shows ``message`` (drawn without the browser, which may be what failed)."""
    lines = ["The chart image could not be made.", ""] + wrapped_lines(_plain_message(message), 70)
    if fmt == "svg":
        texts = "".join(
            f'<text x="24" y="{40 + 26 * n}" font-family="sans-serif" font-size="18" fill="{TEXT_COLOUR}">'
            f"{html.escape(line)}</text>" for n, line in enumerate(lines)
        )
        height = 60 + 26 * len(lines)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="{height}" viewBox="0 0 900 {height}">'
                f'<rect width="100%" height="100%" fill="white"/>{texts}</svg>').encode()
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=20)
    image = Image.new("RGB", (900, 60 + 28 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((24, 24 + 28 * n), line, fill=TEXT_COLOUR, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF" if fmt == "pdf" else "PNG")
    return buffer.getvalue()


def _error_zip(message: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("EXPORT-FAILED.txt", "The chart images could not be made.\n\n" + _plain_message(message) + "\n")
    return buffer.getvalue()
