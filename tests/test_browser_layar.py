"""Browser test: at 1366×768 (a laptop) and 390×844 (a phone) the key columns show without sideways scrolling.

How a column's place is read from the canvas grid: Streamlit's tables are glide-data-grid canvases, and
their accessible <table> (one <th> per column, in the order drawn) has no layout boxes. But the grid
lets users resize columns, so with the mouse on the header row the canvas's cursor turns `col-resize`
exactly over each column border. The test walks the header row from the grid's left edge in 4 px steps
and collects those borders: the k-th border found is the right edge of the k-th column. A key column is
visible without horizontal scrolling when its right border is found at an x inside the viewport, the
grid has not been scrolled sideways (scrollLeft 0), and the <th> order puts it among the first columns.
One server (a demo database) for the module; per size one sign-in per role and one load per screen.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from kinerja.demo import AKUN_DEMO, create_demo
from tests import _browser
from tests._browser import ROOT, heading, settle, shot

pytestmark = pytest.mark.browser
browser, app_url = _browser.browser, _browser.app_url
UKURAN = {"laptop": (1366, 768), "ponsel": (390, 844)}
SANDI = {a.username: a.password for a in AKUN_DEMO}
# Screen -> the columns that must be in view, at each size (the phone keeps the name and the figure that matters).
KUNCI = {
    "capaian": {"laptop": ["Indikator kinerja", "Capaian s.d. TW", "Kategori", "Perlu dicek", "Realisasi s.d. TW",
                           "Target s.d. TW"],
                "ponsel": ["Indikator kinerja", "Capaian s.d. TW", "Kategori"]},
    # The demo year is complete, so the LKjIP is that of triwulan IV: Target and Realisasi, no s.d. columns.
    "laporan": {"laptop": ["Indikator Kinerja", "Capaian (%)", "Kategori", "Target", "Realisasi", "Target Renstra"],
                "ponsel": ["Indikator Kinerja", "Capaian (%)", "Kategori"]},
    "isi": {"laptop": ["Indikator", "Nilai", "Pembilang", "Penyebut", "Keterangan"],
            "ponsel": ["Indikator", "Nilai", "Pembilang"]},
}


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo database (a year of made-up data and one account per role) for the module's server."""
    folder = tmp_path_factory.mktemp("layar-db")
    url = f"sqlite:///{folder / 'demo.db'}"
    create_demo(url, f"sqlite:///{folder / 'asli.db'}", ROOT / "data").dispose()
    return url


@pytest.fixture(params=list(UKURAN))
def ukuran(request: pytest.FixtureRequest) -> str:
    return request.param


@contextmanager
def buka(browser: Browser, app_url: str, ukuran: str, username: str, title: str) -> Iterator[Page]:
    width, height = UKURAN[ukuran]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url)
    heading(page, "Masuk ke Kinerja", timeout=90_000)
    page.get_by_label("Nama pengguna", exact=True).fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(SANDI[username])
    page.get_by_role("button", name="Masuk").click()
    heading(page, title)
    try:
        yield page
    finally:
        context.close()


def ke(page: Page, app_url: str, path: str) -> None:
    """Open a screen by its address (the session cookie keeps the user signed in)."""
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    settle(page)


def grid_with(page: Page, header: str) -> Locator:
    """The first grid on screen whose columns include `header`."""
    grid = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=header)).first
    # Its header row into view, below Streamlit's fixed top bar (a tall grid would be scrolled to its middle).
    grid.evaluate("""e => { e.scrollIntoView({block: 'start'});
        let p = e.parentElement;
        while (p && !(p.scrollHeight > p.clientHeight && /auto|scroll/.test(getComputedStyle(p).overflowY)))
            p = p.parentElement;
        (p || window).scrollBy(0, -150); }""")
    page.wait_for_timeout(300)  # the canvas redraws after a scroll
    return grid


def batas_kolom(page: Page, grid: Locator, n: int) -> list[float]:
    """Return the x of the first `n` column borders inside the viewport (fewer if they are not in view)."""
    canvas = grid.get_by_test_id("data-grid-canvas")
    box = canvas.bounding_box()
    assert box is not None and 60 < box["y"] < page.viewport_size["height"] - 40, box
    right = min(box["x"] + box["width"], page.viewport_size["width"])
    borders: list[float] = []
    hits: list[float] = []
    x = box["x"] + 2
    while x < right and len(borders) < n:
        page.mouse.move(x, box["y"] + 18)  # the middle of the header row
        if canvas.evaluate("e => getComputedStyle(e).cursor") == "col-resize":
            hits.append(x)
        elif hits:
            borders.append(sum(hits) / len(hits))
            hits = []
        x += 4
    if hits and len(borders) < n:
        borders.append(sum(hits) / len(hits))
    page.mouse.move(0, 0)
    return borders


def kolom_terlihat(page: Page, grid: Locator, kunci: list[str]) -> None:
    """Assert the columns `kunci` come first and end inside the viewport, with the grid not scrolled sideways."""
    headers = [h.strip() for h in grid.locator("th").all_text_contents()]
    assert headers[: len(kunci)] == kunci, headers
    assert grid.locator(".dvn-scroller").evaluate("e => e.scrollLeft") == 0
    borders = batas_kolom(page, grid, len(kunci))
    width = page.viewport_size["width"]
    assert len(borders) == len(kunci), f"only {len(borders)} of {kunci} end inside {width} px: {borders}"
    assert all(0 < b <= width for b in borders)


def charts_fit(page: Page) -> None:
    """Every drawn chart lies within the viewport's width, its title inside its own box."""
    charts = page.locator(".js-plotly-plot")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        box, title = chart.bounding_box(), chart.locator(".gtitle").first.bounding_box()
        assert box is not None and title is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1
        assert title["y"] >= box["y"] and title["x"] + title["width"] <= box["x"] + box["width"] + 1


def test_the_camats_screens_show_their_figures_without_sideways_scrolling(
    browser: Browser, app_url: str, ukuran: str
) -> None:
    with buka(browser, app_url, ukuran, "camat.demo", "Kinerja Kecamatan Mangkutana 2025") as page:
        kolom_terlihat(page, grid_with(page, "Indikator kinerja"), KUNCI["capaian"][ukuran][:3])  # the lowest list
        charts_fit(page)
        shot(page, f"layar-{ukuran}-beranda")
        ke(page, app_url, "capaian")
        kolom_terlihat(page, grid_with(page, "Indikator kinerja"), KUNCI["capaian"][ukuran])
        shot(page, f"layar-{ukuran}-capaian")
        ke(page, app_url, "laporan")
        kolom_terlihat(page, grid_with(page, "Indikator Kinerja"), KUNCI["laporan"][ukuran])
        for tabel in ("Pengukuran Kinerja", "Realisasi Anggaran", "Efisiensi: capaian kinerja dan penyerapan anggaran"):
            expect(page.get_by_role("heading", name=tabel)).to_be_visible()  # all three tables, none folded away
        shot(page, f"layar-{ukuran}-laporan")


def test_the_operators_entry_grid_shows_the_cells_to_fill_without_sideways_scrolling(
    browser: Browser, app_url: str, ukuran: str
) -> None:
    perencanaan = "Realisasi Sub Bagian Perencanaan dan Kepegawaian"
    with buka(browser, app_url, ukuran, "operator.demo", perencanaan) as page:
        kolom_terlihat(page, grid_with(page, "Pembilang"), KUNCI["isi"][ukuran])
        shot(page, f"layar-{ukuran}-isi")
