"""Chart image export: the publication template, real PNG/SVG/PDF bytes, the lock, the ZIP, the CLI, no network."""

from __future__ import annotations

import os
import datetime as dt
import io
import re
import struct
import sys
import threading
import time
import types
import zipfile
from pathlib import Path

import plotly.graph_objects as go
import psutil
import pytest

from china_bigscience import DASHBOARD_NAME, export, publication
from china_bigscience.charts import Chart, base_layout
from china_bigscience.filters import FacilityFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from small_catalogue import HOSTILE_NAME, small_catalogue  # noqa: E402

EXPORT_DATE = dt.date(2026, 11, 28)
# Skipped only on a developer machine without Chromium; in CI (CI=true) a missing browser fails the tests.
needs_browser = pytest.mark.skipif(export.find_browser() is None and not os.environ.get("CI"), reason="no Chrome/Chromium for Kaleido")


def depth_chart(title: str = "Underground laboratories by rock overburden", slug: str = "underground-labs-depth") -> Chart:
    """A small chart built here, so the tests do not depend on the real data's contents."""
    figure = go.Figure(go.Bar(
        x=[2400, 1500, 700], y=["锦屏地下实验室 CJPL-I", HOSTILE_NAME, "Daya Bay"], orientation="h", name="depth",
    ))
    base_layout(figure, x_title="Rock overburden (m)", y_title="Laboratory")
    return Chart(
        slug=slug, title=title, figure=figure,
        source_line="Source: Tsinghua University (2023); IHEP (2024). Data: China Big-Science Dashboard.",
        alt_text="Bar chart of 3 laboratories by rock overburden in metres; deepest: CJPL-I, 2,400 m.",
        note="Overburden is rock above the hall.",
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_text(data: bytes) -> str:
    """The visible text of an SVG (tags stripped, entities kept), for 'is the title there' checks."""
    return re.sub(r"<[^>]+>", " ", data.decode("utf-8"))


# --- The publication template (no browser needed) ----------------------------------------------------

def test_publication_figure_is_a_light_deep_copy_with_title_filters_source_and_date():
    chart = depth_chart()
    chart.figure.update_layout(template="plotly_dark", paper_bgcolor="#111418")
    before = chart.figure.to_json()

    figure = publication.publication_figure(chart, subtitle="Province: Sichuan", date=EXPORT_DATE)

    assert chart.figure.to_json() == before, "the on-screen figure must not change"
    layout = figure.layout
    assert (layout.width, layout.height) == (publication.EXPORT_WIDTH, publication.EXPORT_HEIGHT)
    assert layout.paper_bgcolor == "#FFFFFF" and layout.plot_bgcolor == "#FFFFFF"
    assert "Noto Sans CJK SC" in layout.font.family
    assert chart.title in layout.title.text
    assert layout.title.subtitle.text == "Province: Sichuan"
    footer = layout.annotations[-1].text
    assert "Tsinghua University (2023)" in footer
    assert f"{DASHBOARD_NAME} · 2026-11-28" in footer
    assert "Note: Overburden is rock above the hall." in footer
    assert layout.legend.orientation == "v", "the legend moves out of the title's way"


def test_publication_text_from_data_is_escaped():
    chart = depth_chart(title=f"Depth of {HOSTILE_NAME}")
    figure = publication.publication_figure(chart, subtitle=f'Search: "{HOSTILE_NAME}"', date=EXPORT_DATE)
    assert "<img" not in figure.layout.title.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in figure.layout.title.text
    assert "<img" not in figure.layout.title.subtitle.text


def test_tall_figures_keep_their_height_and_long_category_labels_push_the_footer_down():
    tall = depth_chart()
    tall.figure.update_layout(height=1400)
    assert publication.export_size(tall.figure) == (publication.EXPORT_WIDTH, 1600)

    short_labels = go.Figure(go.Bar(x=["A", "B"], y=[1, 2]))
    long_labels = go.Figure(go.Bar(x=[f"A facility with a rather long name {i}" for i in range(30)], y=list(range(30))))
    assert publication._x_axis_allowance(long_labels) > publication._x_axis_allowance(short_labels)


def test_file_names_name_the_chart_and_filter_and_never_collide():
    charts = [depth_chart(), depth_chart(), depth_chart(slug="other")]
    names = export.unique_file_names(charts, "png", FacilityFilter(provinces=("Sichuan",)).slug())
    assert names == [
        "china-bigscience_underground-labs-depth_sichuan.png",
        "china-bigscience_underground-labs-depth_sichuan-2.png",
        "china-bigscience_other_sichuan.png",
    ]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="not one of png, svg, pdf"):
        export.chart_image(depth_chart(), "gif")


# --- Finding the browser -----------------------------------------------------------------------------

def test_browser_path_overrides_and_a_wrong_one_means_no_browser(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert export.find_browser() == str(fake)
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert export.find_browser() is None


def test_without_a_browser_export_explains_how_to_install_one(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    with pytest.raises(export.ExportError) as raised:
        export.chart_image(depth_chart(), "png")
    assert "apt-get install chromium" in str(raised.value) and "BROWSER_PATH" in str(raised.value)


def test_without_a_browser_the_cli_says_how_to_install_one_and_writes_nothing(monkeypatch, tmp_path, capsys):
    from china_bigscience import __main__ as cli

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    monkeypatch.setattr(cli, "load_catalogue", lambda data_dir: small_catalogue())
    out = tmp_path / "charts"
    assert cli.main(["export", "--format", "svg", "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "apt-get install chromium" in error and "BROWSER_PATH" in error and "**" not in error
    assert not out.exists()


# --- Real images (need Chromium) ---------------------------------------------------------------------

@needs_browser
def test_png_is_a_real_image_at_twice_the_export_size():
    data = export.chart_image(depth_chart(), "png", subtitle="Province: Sichuan", date=EXPORT_DATE)
    assert png_size(data) == (publication.EXPORT_WIDTH * 2, publication.EXPORT_HEIGHT * 2)


@needs_browser
def test_svg_carries_title_filters_source_date_and_chinese_text():
    data = export.chart_image(depth_chart(), "svg", subtitle="Province: Sichuan", date=EXPORT_DATE)
    assert data.lstrip().startswith(b"<svg")
    assert f'width="{publication.EXPORT_WIDTH}"'.encode() in data and f'height="{publication.EXPORT_HEIGHT}"'.encode() in data
    text = svg_text(data)
    for expected in ("Underground laboratories by rock overburden", "Province: Sichuan",
                     "Source: Tsinghua University (2023); IHEP (2024).", f"{DASHBOARD_NAME} · 2026-11-28",
                     "锦屏地下实验室", "Rock overburden (m)"):
        assert expected in text, expected
    # The hostile facility name is drawn as text, never as an element.
    assert "<img" not in data.decode("utf-8")


@needs_browser
def test_pdf_is_a_pdf_page_of_the_export_size():
    data = export.chart_image(depth_chart(), "pdf", date=EXPORT_DATE)
    assert data.startswith(b"%PDF")
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box, "no page size in the PDF"
    width_pt, height_pt = float(box.group(1)), float(box.group(2))
    # CSS pixels print at 0.75 pt; allow Chrome's rounding.
    assert abs(width_pt - publication.EXPORT_WIDTH * 0.75) < 3
    assert abs(height_pt - publication.EXPORT_HEIGHT * 0.75) < 3


@needs_browser
def test_concurrent_exports_from_several_threads_each_get_their_own_chart():
    titles = [f"Concurrent chart number {n}" for n in range(4)]
    results: dict[int, list[bytes]] = {n: [] for n in range(4)}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(3):
                results[n].append(export.chart_image(depth_chart(title=titles[n], slug=f"c{n}"), "svg"))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not errors
    for n, images in results.items():
        assert len(images) == 3
        for image in images:
            text = svg_text(image)
            assert titles[n] in text
            assert all(title not in text for m, title in enumerate(titles) if m != n)


@needs_browser
def test_zip_holds_one_image_per_chart_named_after_chart_and_filter():
    charts = [depth_chart(title=f"Chart {n}", slug=f"chart-{n}") for n in range(3)]
    data = export.charts_zip(charts, "png", subtitle="Province: Sichuan", name_suffix="sichuan")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == [f"china-bigscience_chart-{n}_sichuan.png" for n in range(3)]
        for name in names:
            assert png_size(archive.read(name)) == (publication.EXPORT_WIDTH * 2, publication.EXPORT_HEIGHT * 2)


@needs_browser
def test_engine_is_kept_warm_and_restarts_once_when_the_browser_dies():
    export.chart_image(depth_chart(), "svg")
    starts = export._ENGINE.starts
    started = time.perf_counter()
    export.chart_image(depth_chart(), "svg")
    assert export._ENGINE.starts == starts, "a second image must reuse the running browser"
    assert time.perf_counter() - started < 10

    pid = export._ENGINE.browser_pid
    export._ENGINE._kaleido.subprocess.kill()
    export._ENGINE._kaleido.subprocess.wait(10)
    data = export.chart_image(depth_chart(title="After the crash"), "svg")
    assert "After the crash" in svg_text(data)
    assert export._ENGINE.starts == starts + 1
    assert export._ENGINE.browser_pid != pid


@needs_browser
def test_no_network_the_browser_is_cut_off_and_online_assets_fail_fast():
    export.chart_image(depth_chart(), "svg")  # make sure the engine runs
    # The switches are read from the browser process that is running, not from the list we built.
    command = psutil.Process(export._ENGINE.browser_pid).cmdline()
    for switch in export.OFFLINE_BROWSER_ARGS:
        assert switch in command, (switch, command)
    assert export._ENGINE.topojson_url.startswith("file://")

    # A figure that asks for an online image and a geo map (topojson from a CDN by default).
    chart = depth_chart(title="Offline check")
    chart.figure.add_layout_image(source="https://example.com/logo.png", x=0, y=1, xref="paper", yref="paper",
                                  sizex=0.1, sizey=0.1)
    geo = go.Figure(go.Scattergeo(lon=[101.7], lat=[28.2], text=["CJPL"], mode="markers"))
    geo.update_geos(showcountries=True, scope="asia")
    geo_chart = Chart(slug="geo", title="Geo offline check", figure=geo, source_line="Source: test (2024).", alt_text="")
    started = time.perf_counter()
    assert "Offline check" in svg_text(export.chart_image(chart, "svg"))
    assert "Geo offline check" in svg_text(export.chart_image(geo_chart, "svg"))
    assert time.perf_counter() - started < 8, "an export must not wait on the network"


# --- The command line --------------------------------------------------------------------------------

def fake_page_module(name: str, charts: list[Chart]) -> types.ModuleType:
    module = types.ModuleType(name)
    module.page_charts = lambda catalogue, selection: [c for c in charts if selection.provinces != ("Nowhere",)]
    return module


def test_cli_selection_reads_repeated_and_comma_separated_values():
    from china_bigscience import __main__ as cli

    catalogue = small_catalogue()
    args = cli.build_parser().parse_args(
        ["export", "--province", "Sichuan,Guangdong", "--status", "operating", "--years", "2000-2020", "--search", "test"]
    )
    selection = cli.selection_from_args(args, catalogue)
    assert selection == FacilityFilter(provinces=("Sichuan", "Guangdong"), statuses=("operating",),
                                       year_range=(2000, 2020), text="test")


def test_cli_selection_has_the_sidebars_national_list_type_and_completeness_filters(monkeypatch, tmp_path, capsys):
    from china_bigscience import __main__ as cli

    catalogue = small_catalogue()
    args = cli.build_parser().parse_args(["export", "--national", "on the list,not known", "--ftype",
                                          "dedicated facility", "--complete", "80"])
    assert cli.selection_from_args(args, catalogue) == FacilityFilter(
        national_list=("on the list", "not known"), functional_types=("dedicated facility",), min_completeness=80)
    monkeypatch.setattr(cli, "load_catalogue", lambda data_dir: catalogue)
    assert cli.main(["export", "--national", "maybe", "--complete", "85", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "'maybe'" in error and "on the list" in error and "'85'" in error
    assert not list(tmp_path.iterdir())


def test_cli_unknown_names_stop_with_the_allowed_values(monkeypatch, tmp_path, capsys):
    from china_bigscience import __main__ as cli

    monkeypatch.setattr(cli, "load_catalogue", lambda data_dir: small_catalogue())
    code = cli.main(["export", "--province", "Atlantis", "--out", str(tmp_path)])
    assert code == 2
    error = capsys.readouterr().err
    assert "'Atlantis'" in error and "Sichuan" in error
    assert not list(tmp_path.iterdir())


def test_cli_collects_charts_and_skips_modules_not_written_yet(monkeypatch):
    from china_bigscience import __main__ as cli

    monkeypatch.setitem(sys.modules, "fake_pages_a", fake_page_module("fake_pages_a", [depth_chart()]))
    broken = types.ModuleType("fake_pages_broken")
    broken.page_charts = lambda catalogue, selection: 1 / 0
    monkeypatch.setitem(sys.modules, "fake_pages_broken", broken)
    lines: list[str] = []
    charts, problems = cli.collect_charts(
        small_catalogue(), FacilityFilter(),
        modules=("fake_pages_a", "china_bigscience.not_written_yet", "fake_pages_broken"), log=lines.append,
    )
    assert [c.slug for c in charts] == ["underground-labs-depth"]
    assert any("not_written_yet: not written yet" in line for line in lines)
    assert problems and problems[0][0] == "fake_pages_broken" and "ZeroDivisionError" in problems[0][1]


@needs_browser
def test_cli_writes_one_file_per_chart(monkeypatch, tmp_path, capsys):
    from china_bigscience import __main__ as cli

    charts = [depth_chart(title="First", slug="first"), depth_chart(title="Second", slug="second")]
    monkeypatch.setitem(sys.modules, "fake_pages_cli", fake_page_module("fake_pages_cli", charts))
    monkeypatch.setattr(cli, "PAGE_MODULES", ("fake_pages_cli", "china_bigscience.not_written_yet"))
    monkeypatch.setattr(cli, "load_catalogue", lambda data_dir: small_catalogue())
    out = tmp_path / "charts"

    code = cli.main(["export", "--province", "Sichuan", "--format", "svg", "--out", str(out)])

    assert code == 0, capsys.readouterr().err
    written = sorted(p.name for p in out.iterdir())
    assert written == ["china-bigscience_first_sichuan.svg", "china-bigscience_second_sichuan.svg"]
    assert "Province: Sichuan" in svg_text((out / written[0]).read_bytes())


@needs_browser
def test_cli_exports_the_real_page_modules_on_a_small_catalogue(monkeypatch, tmp_path, capsys):
    """Every page module that exists today exports something readable (their contents are tested elsewhere)."""
    from china_bigscience import __main__ as cli

    monkeypatch.setattr(cli, "load_catalogue", lambda data_dir: small_catalogue())
    out = tmp_path / "charts"
    code = cli.main(["export", "--format", "svg", "--out", str(out)])
    assert code == 0, capsys.readouterr()
    # One file for every chart the page modules make of this catalogue, and no other.
    charts, problems = cli.collect_charts(small_catalogue(), FacilityFilter(), log=lambda line: None)
    assert not problems and charts
    written = sorted(out.glob("*.svg"))
    assert sorted(p.name for p in written) == sorted(export.unique_file_names(charts, "svg", "all"))
    for path in written:
        assert path.name.startswith("china-bigscience_") and path.name.endswith("_all.svg")
        assert DASHBOARD_NAME in svg_text(path.read_bytes())


def test_cli_help_runs_as_a_module():
    import subprocess

    result = subprocess.run([sys.executable, "-m", "china_bigscience", "export", "--help"], capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert result.returncode == 0
    assert "--province" in result.stdout and "--format" in result.stdout


def test_cli_with_the_real_catalogue_selects_real_provinces(catalogue):
    from china_bigscience import __main__ as cli

    province = catalogue.province_names[0]
    args = cli.build_parser().parse_args(["export", "--province", province])
    assert cli.selection_from_args(args, catalogue).provinces == (province,)


# --- Under load: bounded waits and readable failures (no browser needed: the engine is faked) ---------

@pytest.fixture
def hung_engine(monkeypatch):
    """An engine whose render never returns until the test lets it go."""
    release = threading.Event()
    started = threading.Event()

    def hang(figure, opts):
        started.set()
        release.wait(30)
        return b"late"

    monkeypatch.setattr(export, "_ensure_engine", lambda: None)
    monkeypatch.setattr(export._ENGINE, "render", hang)
    yield started
    release.set()


def test_a_reader_gets_a_busy_image_within_the_bounded_wait_when_the_engine_hangs(hung_engine, monkeypatch):
    monkeypatch.setattr(export, "READER_WAIT", 1.0)
    first = threading.Thread(target=export.reader_chart_image, args=(depth_chart(), "png"))
    first.start()
    assert hung_engine.wait(10)  # the first reader's render is stuck in the engine
    began = time.monotonic()
    image = export.reader_chart_image(depth_chart(), "png")
    waited = time.monotonic() - began
    assert 0.9 <= waited < 2.5, waited
    assert image.startswith(b"\x89PNG")  # a real PNG that says "busy", not Streamlit's "Failed to generate file"
    from PIL import Image

    assert Image.open(io.BytesIO(image)).size[0] == 900
    first.join(10)


def test_exports_do_not_run_on_the_callers_thread(monkeypatch):
    monkeypatch.setattr(export, "_ensure_engine", lambda: None)
    callers = []
    monkeypatch.setattr(export._ENGINE, "render", lambda figure, opts: callers.append(threading.current_thread().name) or b"img")
    assert export.reader_chart_image(depth_chart(), "svg") == b"img"
    assert callers and callers[0].startswith("image-export")


def test_the_engine_lock_wait_is_bounded(monkeypatch):
    monkeypatch.setattr(export, "ENGINE_LOCK_WAIT", 0.3)
    monkeypatch.setattr(export, "_ensure_engine", lambda: None)
    assert export._ENGINE_LOCK.acquire(timeout=5)
    try:
        began = time.monotonic()
        with pytest.raises(export.ExportBusy, match="busy"):
            export.chart_image(depth_chart(), "png")
        assert time.monotonic() - began < 2
    finally:
        export._ENGINE_LOCK.release()


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<svg"), ("pdf", b"%PDF")])
def test_a_failed_export_is_a_readable_file_in_the_asked_format(monkeypatch, fmt, magic):
    def fail(*args, **kwargs):
        raise export.ExportError("The browser at /x could not be started <b>now</b>.")

    monkeypatch.setattr(export, "chart_image", fail)
    data = export.reader_chart_image(depth_chart(), fmt)
    assert data.startswith(magic)
    if fmt == "svg":
        assert "could not be started &lt;b&gt;now&lt;/b&gt;" in data.decode()


def test_a_failed_zip_holds_a_text_that_says_why(monkeypatch):
    monkeypatch.setattr(export, "charts_zip", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with zipfile.ZipFile(io.BytesIO(export.reader_charts_zip([depth_chart()], "png"))) as archive:
        assert archive.namelist() == ["EXPORT-FAILED.txt"]
        assert "could not be made (RuntimeError)" in archive.read("EXPORT-FAILED.txt").decode()


def test_the_browser_is_looked_up_once_not_per_chart(monkeypatch):
    lookups = []
    real_which = export.shutil.which
    monkeypatch.setattr(export.shutil, "which", lambda name, path=None: lookups.append(name) or real_which(name, path=path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    export._find_browser.cache_clear()
    try:
        found = [export.find_browser() for _ in range(12)]  # the charts of one Compare rerun
        assert len(set(found)) == 1
        assert 1 <= len(lookups) <= len(export.BROWSER_NAMES)
    finally:
        export._find_browser.cache_clear()
