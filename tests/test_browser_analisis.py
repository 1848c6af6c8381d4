"""Browser test of the quarterly analysis: the operator explains a weak indicator, the Camat recommends, and the
Evaluasi Renja downloaded from the app carries both.

IK-6.1.4 (Perencanaan, Laporan) has 1 Laporan in February against its Rencana Aksi s.d. TW I, so its capaian
s.d. TW I is below 76 % (Sedang or lower): the analysis asks for the penghambat and the tindak lanjut.
"""

import io
from collections.abc import Iterator
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from kinerja.simpan.auth import create_first_admin, create_user
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.queries import get_instansi, list_units
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.seed import init_database
from tests import _browser
from tests._browser import PERENCANAAN, choose, go_to, heading, settle, shot, sign_out, type_into_cell
from tests.conftest import DATA

app_url, browser, page = _browser.app_url, _browser.browser, _browser.page
pytestmark = pytest.mark.browser
SANDI = "Uji-Analisis-2025!"
PENGHAMBAT = "Laporan desa terlambat masuk"
TINDAK_LANJUT = "Jemput laporan ke desa tiap tanggal 5"
REKOMENDASI = "Koordinasikan jadwal dengan kepala desa"


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The 2025 PK, an operator of Perencanaan, the Camat, and 1 Laporan of IK-6.1.4 in February."""
    url = f"sqlite:///{tmp_path_factory.mktemp('analisis-db') / 'k.db'}"
    engine = get_engine(url)
    init_database(engine, DATA)
    with new_session(engine) as session:
        office = get_instansi(session)
        unit_id = {u.kode: u.id for u in list_units(session, office.id)}
    admin = create_first_admin(engine, instansi_id=office.id, username="admin.analisis", nama="Admin", password=SANDI)
    for username, nama, peran, unit in (("op.analisis", "Andi Perencanaan", "operator", "PERENCANAAN"),
                                        ("camat.analisis", "Darmawati, SE", "pimpinan", "CAMAT")):
        create_user(engine, instansi_id=office.id, username=username, nama=nama, password=SANDI, peran=peran,
                    unit_id=unit_id[unit], pengguna=admin)
    save_realisasi(engine, instansi_id=office.id, tahun=2025, oleh="uji",
                   entries=[EntriRealisasi("IK-6.1.4", 2, nilai=Decimal(1))])
    engine.dispose()
    yield url


def masuk(page: Page, username: str, title: str) -> None:
    page.get_by_label("Nama pengguna", exact=True).fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(SANDI)
    page.get_by_role("button", name="Masuk").click()
    heading(page, title)


def test_the_operators_analysis_and_the_camats_recommendation_reach_the_evaluasi_renja(
    app_url: str, page: Page
) -> None:
    page.set_viewport_size({"width": 2300, "height": 1100})  # every column of the analysis grid in view
    page.goto(app_url)
    heading(page, "Masuk ke Kinerja", timeout=90_000)

    masuk(page, "op.analisis", f"Realisasi {PERENCANAAN}")
    go_to(page, "Analisis triwulan", "Analisis triwulan I 2025")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("td", has_text="wajib diisi")).not_to_have_count(0)  # IK-6.1.4 is below Tinggi
    for column, text in (("Faktor penghambat", PENGHAMBAT), ("Rencana tindak lanjut", TINDAK_LANJUT)):
        type_into_cell(page, page.get_by_test_id("stDataFrame").first, "IK-6.1.4", column, text)
        page.get_by_role("button", name="Simpan analisis").click()  # one cell per save, as a user often does
        expect(page.get_by_text("Analisis 1 indikator tersimpan.")).to_be_visible()
        settle(page)
    shot(page, "20-analisis-operator")
    settle(page)
    sign_out(page)

    masuk(page, "camat.analisis", "Kinerja Kecamatan Mangkutana 2025")
    go_to(page, "Analisis triwulan", "Analisis triwulan I 2025")
    choose(page, "Unit", PERENCANAAN)
    settle(page)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("td", has_text=PENGHAMBAT)).to_have_count(1)  # the Camat reads the unit's analysis
    type_into_cell(page, grid, "IK-6.1.4", "Rekomendasi pimpinan", REKOMENDASI)
    page.get_by_role("button", name="Simpan analisis").click()
    expect(page.get_by_text("Analisis 1 indikator tersimpan.")).to_be_visible()
    shot(page, "21-analisis-camat")
    settle(page)

    go_to(page, "Evaluasi triwulan", "Evaluasi Renja Triwulan I 2025")
    with page.expect_download() as unduhan:
        page.get_by_role("button", name="Evaluasi Renja (.xlsx)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(unduhan.value.path().read_bytes()))
    cells = [str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    # the footer rows: penghambat, tindak lanjut for the next triwulan, tindak lanjut for the next Renja
    assert any(PENGHAMBAT in c for c in cells)
    assert any(TINDAK_LANJUT in c for c in cells)
    assert any(REKOMENDASI in c for c in cells)
