"""Browser test: two app processes on one database, as deploy/compose.yaml runs them behind a proxy.

A kabupaten runs several `streamlit run dashboard.py` processes on one PostgreSQL database. The proxy
keeps a browser on one process, but that process may die (an update, a crash) and the next request
lands on another. This test starts two processes, A and B, on one database (the throw-away PostgreSQL
database when KINERJA_TEST_POSTGRES_URL is set, else one SQLite file) and shows in Debian's Chromium
what a user relies on:
- the session made by signing in on A is valid on B without signing in again (sessions live in the
  database; the browser's cookie is all B gets, as from a proxy that switched processes);
- a realisasi the operator saves on A shows on the Camat's *Capaian indikator* on B, a screen B keeps
  computed per data version, opened on B before the save; and one saved on B shows on A;
- after A is stopped, the operator goes on working on B, still signed in.
The database is initialised once before the processes start, like the one-shot `init` service of
deploy/compose.yaml, so the two processes never race to migrate it.
"""

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from kinerja.simpan.auth import create_first_admin, create_user
from kinerja.simpan.db import create_db_engine, new_session
from kinerja.simpan.queries import get_instansi, list_units
from kinerja.simpan.seed import init_database
from tests import _browser
from tests._browser import PASSWORD, PERENCANAAN, ROOT, _free_port, _healthy, go_to, heading, settle, type_into_cell
from tests.conftest import BACKENDS, throwaway_pg_database

pytestmark = pytest.mark.browser
browser = _browser.browser
ISI = f"Realisasi {PERENCANAAN}"
OPERATOR = "Operator Dua Proses"
INDIKATOR = "Jumlah dokumen perencanaan perangkat daerah yang disusun"  # IK-6.1.1: 3 Dokumen a year, jumlah
LAMA = 30_000  # ms: how long a screen may take on a busy machine (two app processes, one browser)


@dataclass
class Proses:
    """One `streamlit run dashboard.py` of the app: its address and its OS process."""

    url: str
    server: subprocess.Popen

    def stop(self) -> None:
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()


def _start(database_url: str, log: Path) -> Proses:
    port = _free_port()
    env = os.environ | {"KINERJA_DATABASE_URL": database_url}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    return Proses(f"http://127.0.0.1:{port}", server)


def _wait_healthy(proses: list[Proses], log: Path) -> None:
    deadline = time.monotonic() + 60
    for p in proses:
        while not _healthy(p.url):
            if p.server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log}")
            time.sleep(0.2)  # polling the health endpoint, not waiting on the app


# One run only, to keep the suite short: PostgreSQL (the kabupaten's store) when the suite has it, else SQLite.
@pytest.fixture(scope="module", params=BACKENDS[-1:])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for both processes, initialised once (the compose `init` service): the 2025 PK, three accounts."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('dua-proses') / 'kinerja.db'}"
        yield from _siapkan(url)
    else:
        with throwaway_pg_database("kinerja_dua_proses") as url:
            yield from _siapkan(url)


def _siapkan(url: str) -> Iterator[str]:
    engine = create_db_engine(url)
    try:
        init_database(engine, ROOT / "data")
        with new_session(engine) as session:
            office = get_instansi(session)
            units = {u.kode: u.id for u in list_units(session, office.id)}
        admin = create_first_admin(engine, instansi_id=office.id, username="admin.dua", nama="Admin Dua",
                                   password=PASSWORD)
        create_user(engine, instansi_id=office.id, username="operator.dua", nama=OPERATOR, password=PASSWORD,
                    peran="operator", unit_id=units["PERENCANAAN"], pengguna=admin)
        create_user(engine, instansi_id=office.id, username="camat.dua", nama="Camat Dua", password=PASSWORD,
                    peran="pimpinan", unit_id=units["CAMAT"], pengguna=admin)
    finally:
        engine.dispose()
    yield url


@pytest.fixture
def dua_proses(database: str, tmp_path: Path) -> Iterator[tuple[Proses, Proses]]:
    """Processes A and B of the app on the one database, started together (each on its own free port)."""
    a, b = _start(database, tmp_path / "a.log"), _start(database, tmp_path / "b.log")
    try:
        _wait_healthy([a, b], tmp_path)
        yield a, b
    finally:
        a.stop()
        b.stop()


def _nilai(page: Page, kode: str) -> Locator:
    """The Nilai cell of indicator `kode` in the entry grid on screen (its accessible table)."""
    grid = page.get_by_test_id("stDataFrame").first
    row = grid.locator("tr", has=page.locator("td", has_text=re.compile(rf"^\s*{re.escape(kode)}\s*$")))
    expect(row).to_have_count(1, timeout=LAMA)  # the canvas fills its table after the run has ended
    return row.locator("td").nth(grid.locator("th").all_text_contents().index("Nilai"))


def _capaian(page: Page, url: str, triwulan: str) -> Locator:
    """The row of INDIKATOR on the Camat's *Capaian indikator* (filtered to the operator's unit)."""
    page.goto(f"{url}/capaian")
    heading(page, f"Capaian indikator s.d. Triwulan {triwulan} 2025")
    page.get_by_role("combobox", name="Unit").click()
    page.get_by_role("option", name=PERENCANAAN, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)
    grid = page.get_by_test_id("stDataFrame").first
    row = grid.locator("tr", has=page.locator("td", has_text=re.compile(rf"^\s*{re.escape(INDIKATOR)}\s*$")))
    expect(row).to_have_count(1, timeout=LAMA)
    return row


def _kolom(page: Page, row: Locator, judul: str) -> Locator:
    headers = page.get_by_test_id("stDataFrame").first.locator("th").all_text_contents()
    return row.locator("td").nth([h.strip() for h in headers].index(judul))


def _simpan(page: Page, kode: str, nilai: str) -> None:
    """Type `nilai` for indicator `kode` this month and save it, as the operator does."""
    page.bring_to_front()  # the canvas grid takes keys only in the tab in front
    bulan = page.get_by_role("combobox", name="Bulan").input_value()
    type_into_cell(page, page.get_by_test_id("stDataFrame").first, kode, "Nilai", nilai)
    settle(page)  # the edit's own rerun first: a click during it can be lost
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text(f"1 isian {bulan} tersimpan.")).to_be_visible(timeout=LAMA)
    settle(page)


def test_a_session_and_saves_made_on_one_process_hold_on_the_other_even_after_it_stops(
    dua_proses: tuple[Proses, Proses], browser: Browser
) -> None:
    a, b = dua_proses
    # One browser: its cookies are per host, not per port, so both processes get the cookie A's page sets,
    # just as both replicas behind one proxy address get it.
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="id-ID")
    context.set_default_timeout(LAMA)
    pimpinan = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="id-ID")
    pimpinan.set_default_timeout(LAMA)
    try:
        di_a, di_b = context.new_page(), context.new_page()
        di_b.goto(b.url)  # B starts its first run (the database engine) while A is signed in
        di_a.goto(a.url)
        heading(di_a, "Masuk ke Kinerja", timeout=60_000)
        di_a.get_by_label("Nama pengguna", exact=True).fill("operator.dua")
        di_a.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
        di_a.get_by_role("button", name="Masuk").click()
        heading(di_a, ISI)
        expect(_nilai(di_a, "IK-6.1.1")).to_have_text("", timeout=LAMA)  # the seed has no realisasi yet
        di_a.wait_for_function("document.cookie.includes('kinerja_sesi=')")  # the page has set the session cookie

        # B never saw this browser sign in; the cookie alone names the session, and B finds it in the database.
        heading(di_b, "Masuk ke Kinerja", timeout=60_000)  # opened before the sign-in on A
        di_b.reload()
        heading(di_b, ISI)
        expect(di_b.get_by_test_id("stSidebar")).to_contain_text(f"{OPERATOR} · Operator")
        expect(di_b.get_by_label("Kata sandi", exact=True)).to_have_count(0)

        # The Camat, signed in on B, has the year computed there before the operator saves on A ...
        camat = pimpinan.new_page()
        camat.goto(b.url)
        heading(camat, "Masuk ke Kinerja")
        camat.get_by_label("Nama pengguna", exact=True).fill("camat.dua")
        camat.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
        camat.get_by_role("button", name="Masuk").click()
        heading(camat, "Kinerja Kecamatan Mangkutana 2025")
        sebelum = _capaian(camat, b.url, "I")  # nothing entered yet: triwulan I, no realisasi
        expect(_kolom(camat, sebelum, "Realisasi s.d. TW")).to_have_text(re.compile(r"^\s*–?\s*$"))
        _simpan(di_a, "IK-6.1.1", "2")  # December
        # ... and B shows it at once: the year up to triwulan IV, realisasi 2 of the target 3, 2 / 3 × 100 = 66,67 %.
        sesudah = _capaian(camat, b.url, "IV")
        expect(_kolom(camat, sesudah, "Realisasi s.d. TW")).to_have_text("2")
        # (the grid's accessible table holds the number itself; the canvas draws it as 66,67)
        expect(_kolom(camat, sesudah, "Capaian s.d. TW")).to_have_text(re.compile(r"^\s*66[.,]66"))
        # The other way round: a save on B is what A shows after a reload.
        di_b.reload()
        heading(di_b, ISI)
        expect(_nilai(di_b, "IK-6.1.1")).to_have_text("2", timeout=LAMA)
        _simpan(di_b, "IK-6.1.2", "1")
        di_a.reload()
        heading(di_a, ISI)
        expect(_nilai(di_a, "IK-6.1.2")).to_have_text("1", timeout=LAMA)
        expect(_nilai(di_a, "IK-6.1.1")).to_have_text("2")

        # A stops (an update, a crash): nothing answers there any more, and B carries on with the same session.
        a.stop()
        assert not _healthy(a.url)
        di_b.reload()  # a new Streamlit session on B: only the cookie and the database know who this is
        heading(di_b, ISI)
        expect(_nilai(di_b, "IK-6.1.2")).to_have_text("1", timeout=LAMA)
        go_to(di_b, "Kinerja unit saya", f"Kinerja {PERENCANAAN} 2025")
        expect(di_b.get_by_test_id("stSidebar")).to_contain_text(f"{OPERATOR} · Operator")
    finally:
        context.close()
        pimpinan.close()
