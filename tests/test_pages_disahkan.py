"""The screens of approved figures and of how far units got: the sidebar toggle "Hanya angka yang disahkan"
(pimpinan and admin) changes the figures on the Beranda and Capaian indikator and says so; the Beranda shows
each unit's last three months with the verification words, and the completeness grid its late and missing
months and evidence files.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.simpan.auth import create_user, list_users
from kinerja.simpan.bukti import simpan_bukti
from kinerja.simpan.db import new_session
from kinerja.simpan.jadwal import simpan_hari_batas
from kinerja.simpan.models import Unit
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.verifikasi import ubah_status
from pages._ui import CATATAN_DISAHKAN
from tests._app import TAHUN, Akun, open_app, pick, row_of, shown

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")
D = Decimal
BERANDA, CAPAIAN, ISI = "pages/beranda.py", "pages/capaian.py", "pages/isi_realisasi.py"
PERENCANAAN = "Sub Bagian Perencanaan dan Kepegawaian"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _langkah(engine: Engine, kode: str, bulan: int, *aksi: str) -> None:
    with new_session(engine) as session:
        unit_id = session.exec(select(Unit.id).where(Unit.kode == kode)).one()
    for a in aksi:
        ubah_status(engine, unit_id=unit_id, tahun=TAHUN, bulan=bulan, aksi=a,
                    catatan="perbaiki" if a == "kembalikan" else "", pengguna=None)


@pytest.fixture
def bertahap(db: Engine, akun: Akun, tmp_path: Path) -> Engine:
    """PERENCANAAN's IK-6.1.4: January 1 (approved), February 2 (verified), April 1 (submitted); sub kegiatan
    6.1.4: January Rp 1.000.000 (approved), April Rp 500.000 (submitted); one evidence file for February."""
    with new_session(db) as session:
        office = get_instansi(session)
        unit_id = session.exec(select(Unit.id).where(Unit.kode == "PERENCANAAN")).one()
    save_realisasi(db, instansi_id=office.id, tahun=TAHUN, entries=[
        EntriRealisasi(kode="IK-6.1.4", bulan=b, nilai=D(v)) for b, v in {1: 1, 2: 2, 4: 1}.items()])
    save_realisasi_anggaran(db, instansi_id=office.id, tahun=TAHUN, entries=[
        EntriAnggaran(kode="6.1.4", bulan=1, realisasi=1_000_000), EntriAnggaran(kode="6.1.4", bulan=4,
                                                                               realisasi=500_000)])
    simpan_bukti(db, folder=tmp_path / "bukti", instansi_id=office.id, tahun=TAHUN, unit_id=unit_id, bulan=2,
                 data=PDF, nama_asli="laporan.pdf")
    _langkah(db, "PERENCANAAN", 1, "ajukan", "verifikasi", "sahkan")
    _langkah(db, "PERENCANAAN", 2, "ajukan", "verifikasi")
    _langkah(db, "PERENCANAAN", 4, "ajukan")
    return db


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_the_toggle_changes_the_beranda_figures_and_says_so(bertahap, akun):
    at = open_app(akun.pimpinan, BERANDA)
    assert at.toggle(key="hanya_disahkan").value is False
    # TW II (the latest month entered is April). Spent s.d. June: 1.000.000 + 500.000 = 1.500.000 of the
    # office's pagu 3.006.467.857 = 0,0499 % -> "0,05 %".
    assert metric(at, "Penyerapan anggaran") == "0,05 %"
    assert CATATAN_DISAHKAN not in shown(at)
    at.toggle(key="hanya_disahkan").set_value(True).run()
    assert not at.exception, at.exception
    # approved only: January's 1.000.000 / 3.006.467.857 = 0,0333 % -> "0,03 %"
    assert metric(at, "Penyerapan anggaran") == "0,03 %"
    assert CATATAN_DISAHKAN in [c.value for c in at.caption]  # under the title


def _realisasi_capaian(at) -> tuple[float, float]:
    df = at.dataframe[0].value
    row = df[df["indikator"] == "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"].iloc[0]
    return row["realisasi_sd_tw"], row["capaian_sd_tw"]


def test_the_choice_holds_on_capaian_indikator(bertahap, akun):
    at = open_app(akun.pimpinan, CAPAIAN)
    # all months s.d. TW II: 1 + 2 + 1 = 4 Laporan of the target s.d. TW II 10 x 2/4 = 5 -> 80 %
    assert _realisasi_capaian(at) == (4.0, 80.0)
    at.toggle(key="hanya_disahkan").set_value(True).run()
    # approved only: January's 1 -> 1 / 5 = 20 %
    assert _realisasi_capaian(at) == (1.0, 20.0)
    at.switch_page(BERANDA).run()
    assert at.toggle(key="hanya_disahkan").value is True  # the choice follows the user to the next screen
    at.switch_page(CAPAIAN).run()
    assert _realisasi_capaian(at) == (1.0, 20.0)


def test_an_operator_gets_no_toggle(bertahap, akun):
    at = open_app(akun.operator, ISI)
    assert "hanya_disahkan" not in {t.key for t in at.toggle}


def test_beranda_shows_how_far_each_unit_got_and_the_late_months(bertahap, akun):
    with new_session(bertahap) as session:
        office_id = get_instansi(session).id
    simpan_hari_batas(bertahap, instansi_id=office_id, hari=10)  # today (after 2025) every month is past it
    at = open_app(akun.pimpinan, BERANDA)
    assert not at.exception, at.exception
    assert "Kemajuan verifikasi" in [s.value for s in at.subheader]
    kemajuan = next(d.value for d in at.dataframe if list(d.value.columns) == ["Apr", "Mei", "Jun"])
    assert list(kemajuan.loc[PERENCANAAN]) == ["Diajukan", "Draf", "Draf"]
    grid = next(d.value for d in at.dataframe if "Feb" in d.value.columns)
    # PERENCANAAN has 14 entries a month (8 indicators, 6 sub kegiatan).
    assert grid.loc[PERENCANAAN, "Jan"] == "14 %"  # 2 of 14; approved
    assert grid.loc[PERENCANAAN, "Feb"] == "7 % · 1 bukti"  # 1 of 14; verified, so not late
    assert grid.loc[PERENCANAAN, "Mar"] == "0 % · belum diisi"  # past 10 April, nothing entered
    assert grid.loc[PERENCANAAN, "Apr"] == "14 %"  # IK-6.1.4 and sub kegiatan 6.1.4: 2 of 14; submitted
    assert grid.loc[PERENCANAAN, "Jun"] == "0 % · belum diisi"
    assert date.today().year > TAHUN  # the marks above rely on every 2025 deadline being past


@pytest.mark.parametrize("page", [BERANDA, CAPAIAN, "pages/unit.py", "pages/anggaran.py", "pages/laporan.py",
                                  "pages/evaluasi.py"])
def test_every_figures_page_renders_with_approved_figures_only(demo_db, page):
    with new_session(demo_db) as session:
        office = get_instansi(session)
    admin = next(u for u in list_users(demo_db, office.id) if u.peran == "admin")
    camat = create_user(demo_db, instansi_id=office.id, username="camat.uji", nama="Camat Uji",
                        password="Uji-Disahkan-2025!", peran="pimpinan", pengguna=admin)
    at = open_app(camat, page)
    at.toggle(key="hanya_disahkan").set_value(True).run()
    assert not at.exception, at.exception
    assert CATATAN_DISAHKAN in [c.value for c in at.main.caption]  # under the title, not only in the sidebar
    assert at.title, page


FIGURE_PAGES = [CAPAIAN, "pages/unit.py", "pages/anggaran.py", "pages/laporan.py", "pages/evaluasi.py"]


def _under_title(at) -> list[str]:
    """The text of the main area's element right below its title ('' when it is not a caption)."""
    nodes = [n for n in at.main if getattr(n, "type", "") in ("title", "caption", "markdown", "dataframe",
                                                               "metric", "subheader", "header", "info")]
    below = [nodes[i + 1] for i, n in enumerate(nodes[:-1]) if n.type == "title"]
    return [n.value if n.type == "caption" else "" for n in below]


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_each_figure_screen_says_under_its_title_that_it_counts_approved_figures(bertahap, akun, page):
    at = open_app(akun.pimpinan, page)
    assert not at.exception, at.exception
    assert CATATAN_DISAHKAN not in [c.value for c in at.main.caption]
    at.toggle(key="hanya_disahkan").set_value(True).run()
    assert not at.exception, at.exception
    assert _under_title(at) == [CATATAN_DISAHKAN], page


def test_the_comparison_with_earlier_years_follows_the_toggle(bertahap, akun):
    at = open_app(akun.pimpinan, "pages/unit.py")
    pick(at, "unit_pilih", "PERENCANAAN")
    pick(at, "unit_indikator", "IK-6.1.4")

    def tahun_ini() -> dict:
        table = next(d.value for d in at.dataframe if "Sumber" in d.value.columns)  # N-3 .. N
        return table[table["Tahun"] == str(TAHUN)].iloc[0].to_dict()
    # s.d. TW II, all months: 1 + 2 + 1 = 4 Laporan of the target 5 -> 80 %
    assert (tahun_ini()["Realisasi"], tahun_ini()["Capaian"]) == ("4", "80,00 %")
    at.toggle(key="hanya_disahkan").set_value(True).run()
    # approved only: January's 1 -> 1 / 5 = 20 %
    assert (tahun_ini()["Realisasi"], tahun_ini()["Capaian"]) == ("1", "20,00 %")


def test_the_evaluasi_renja_preview_follows_the_toggle(bertahap, akun):
    at = open_app(akun.pimpinan, "pages/evaluasi.py")

    def laporan() -> list[str]:
        row = row_of(at, "Indikator", "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah")
        return [row[k] for k in ("Realisasi K", "Realisasi Rp", "Capaian % K", "Capaian % Rp")]
    # s.d. TW II, all: 1 + 2 + 1 = 4 Laporan of the year's 10 -> 40 %; Rp 1.500.000 of 7.928.600 -> 18,92 %
    assert laporan() == ["4", "1.500.000", "40,00", "18,92"]
    at.toggle(key="hanya_disahkan").set_value(True).run()
    # approved only: January's 1 -> 10 %; January's Rp 1.000.000 / 7.928.600 = 12,61 %
    assert laporan() == ["1", "1.000.000", "10,00", "12,61"]


def test_the_units_own_view_follows_the_toggle_for_the_admin(bertahap, akun):
    """Kinerja unit saya, opened by the admin for Perencanaan: the note under the title, and figures that change."""
    at = open_app(akun.admin, "pages/kinerja_unit.py")
    pilihan = at.selectbox(key="unitsaya_unit")
    pilihan.select_index(pilihan.options.index(PERENCANAAN)).run()
    semua = next(d.value for d in at.dataframe).to_dict()
    at.toggle(key="hanya_disahkan").set_value(True).run()
    assert not at.exception, at.exception
    assert _under_title(at) == [CATATAN_DISAHKAN]
    assert next(d.value for d in at.dataframe).to_dict() != semua  # February onwards is not approved
