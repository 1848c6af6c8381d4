"""What every browser test needs: a `streamlit run` of the app on a free port, Debian's Chromium, and the
steps a user takes (sign in, pick, type into the canvas grid). Imported by the tests/test_browser*.py modules.

A module that imports the fixtures gets one server for the whole module (`app_url`, started on the
database `app_db` names: override `app_db` in the module for another database).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "rahasia-123"
PERENCANAAN = "Sub Bagian Perencanaan dan Kepegawaian"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database URL of the module's app server (empty until the app's first run seeds it)."""
    return f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'k.db'}"


def _start_streamlit(folder: Path, app_db: str) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run dashboard.py` on a free loopback port; return the server and its URL.

    The port is free when picked; another worker (pytest -n) may take it before streamlit binds it,
    so a server that exits is started again on another port, and a health answer counts only while
    our own server is alive (it could come from another worker's server on that port).
    """
    env = os.environ | {"KINERJA_DATABASE_URL": app_db}
    for _ in range(3):
        port = _free_port()
        with (folder / "streamlit.log").open("a") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                 "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
                 "false", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < deadline:
            if _healthy(url) and server.poll() is None:
                return server, url
            time.sleep(0.2)  # polling the health endpoint, not waiting on the app
        _stop(server)
    pytest.fail(f"streamlit did not start; see {folder / 'streamlit.log'}")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, app_db: str) -> Iterator[str]:
    """Start `streamlit run dashboard.py` on a free loopback port with its own empty database."""
    server, url = _start_streamlit(tmp_path_factory.mktemp("browser"), app_db)
    try:
        yield url
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is needed at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def settle(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the current run (call after the new run's own content showed)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=timeout)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def heading(page: Page, text: str, timeout: float = 30_000) -> None:
    expect(page.get_by_role("heading", name=text, level=1)).to_be_visible(timeout=timeout)
    settle(page)


def choose(page: Page, label: str, option: str, scope: Page | Locator | None = None) -> None:
    """Pick `option` in the selectbox labelled `label`."""
    (scope or page).get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def go_to(page: Page, menu: str, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=menu, exact=True).click()
    heading(page, title)


def sign_out(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name="Keluar").click()
    heading(page, "Masuk ke Kinerja")


def sign_in(page: Page, username: str, title: str) -> None:
    page.get_by_label("Nama pengguna", exact=True).fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    heading(page, title)


def add_user(page: Page, username: str, nama: str, peran: str, unit: str) -> None:
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Tambah"))
    form.get_by_label("Nama lengkap", exact=True).fill(nama)
    form.get_by_label("Nama pengguna", exact=True).fill(username)
    choose(page, "Peran", peran, form)
    choose(page, "Unit (wajib untuk operator)", unit, form)
    form.get_by_label(re.compile(r"^Kata sandi awal")).fill(PASSWORD)
    form.get_by_role("button", name="Tambah").click()
    expect(page.get_by_text(f"Pengguna {username} dibuat.")).to_be_visible()
    settle(page)


def type_into_cell(page: Page, grid: Locator, row_text: str, column: str, value: str) -> None:
    """Type into the grid cell of the row showing `row_text`, under `column` (the grid is a canvas).

    The canvas keeps an accessible table of its visible cells (ids glide-cell-<col>-<row>): it
    says where a cell is and which one is selected, so the keyboard can walk there.
    """
    settle(page)  # a grid redrawn by a run still in flight would drop what is typed into it
    shows = grid.locator("td", has_text=re.compile(rf"^\s*{re.escape(row_text)}\s*$"))  # in any column
    expect(shows).to_have_count(1)
    col = grid.locator("th").all_text_contents().index(column)
    row = int((shows.get_attribute("id") or "").rsplit("-", 1)[1])
    cell = grid.locator(f"#glide-cell-{col}-{row}")
    for _ in range(5):  # a grid mounted by the run that just ended may drop a click or a key: walk again
        if _walk_to(page, grid, col, row):
            break
    expect(cell).to_have_attribute("aria-selected", "true")
    for _ in range(3):  # an edit overlay opened while the grid redraws can close without committing
        page.keyboard.press("Enter")
        editor = page.locator("#portal textarea, #portal input").first
        expect(editor).to_be_visible()
        editor.fill(value)
        page.keyboard.press("Enter")
        try:
            expect(cell).to_have_text(value, timeout=3_000)
            break
        except AssertionError:
            cell.click()
    expect(cell).to_have_text(value)


def _walk_to(page: Page, grid: Locator, col: int, row: int) -> bool:
    """Click the first cell, then walk with the arrow keys to (col, row), checking every step; False if lost."""
    selected = grid.locator("td[aria-selected='true']")
    box = grid.get_by_test_id("data-grid-canvas").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 20, box["y"] + 52)  # a cell of the first row, below the 35 px header
    try:
        expect(selected).to_have_count(1, timeout=2_000)
    except AssertionError:
        return False
    at_col, at_row = (int(n) for n in (selected.get_attribute("id") or "").removeprefix("glide-cell-").split("-"))
    while (at_col, at_row) != (col, row):
        key, step = (("ArrowRight", (1, 0)) if at_col < col else ("ArrowLeft", (-1, 0)) if at_col > col
                     else ("ArrowDown", (0, 1)) if at_row < row else ("ArrowUp", (0, -1)))
        page.keyboard.press(key)
        at_col, at_row = at_col + step[0], at_row + step[1]
        try:
            expect(grid.locator(f"#glide-cell-{at_col}-{at_row}")).to_have_attribute("aria-selected", "true",
                                                                                     timeout=2_000)
        except AssertionError:
            return False
    return True


def drawn_chart(page: Page, title: str) -> Locator:
    """Return the Plotly chart titled `title`, once its SVG has marks in it."""
    # A long title wraps onto lines (<tspan>s whose text runs together): match its words, not its spaces.
    words = re.compile(r"\s*".join(re.escape(w) for w in title.split()))
    chart = page.locator(".js-plotly-plot").filter(has=page.locator(".gtitle", has_text=words))
    expect(chart).to_have_count(1)
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    return chart
