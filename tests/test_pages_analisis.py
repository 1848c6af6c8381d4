"""Page tests of Analisis triwulan (operator writes, pimpinan recommends) and the Beranda's at-risk list."""

from decimal import Decimal

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kinerja.baca.peringatan import METODE
from kinerja.simpan.analisis import load_analisis
from kinerja.simpan.anggaran_kas import load_anggaran_kas
from kinerja.simpan.auth import update_user
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.verifikasi import ubah_status
from tests._app import PERENCANAAN, TAHUN, Akun, edit_grid, errors, open_app, shown, units

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")
PAGE = "pages/analisis.py"


def isi(db: Engine, akun: Akun, values: dict[int, int], kode: str = "IK-6.1.4") -> None:
    with new_session(db) as session:
        instansi_id = get_instansi(session).id
    save_realisasi(db, instansi_id=instansi_id, tahun=TAHUN, pengguna=akun.operator,
                   entries=[EntriRealisasi(kode, b, nilai=Decimal(v)) for b, v in values.items()])


def analisis(db: Engine, kode: str, triwulan: int = 1):
    with new_session(db) as session:
        return load_analisis(session, get_instansi(session).id, TAHUN, triwulan).get(kode)


def grid(at: AppTest):
    return next(d for d in at.data_editor if d.key.startswith("grid_analisis_"))


def open_tw(user, triwulan: int = 1) -> AppTest:
    at = open_app(user, PAGE)
    at.selectbox(key="analisis_triwulan").set_value(triwulan).run()
    assert not at.exception, at.exception
    return at


def test_operator_sees_the_figures_marks_what_is_required_and_saves(db: Engine, akun: Akun) -> None:
    # IK-6.1.4: 10 Laporan a year, default Rencana Aksi 2,5 s.d. TW I; 1 entered -> 1 / 2,5 × 100 = 40 % Sangat Rendah
    isi(db, akun, {2: 1})
    at = open_tw(akun.operator)
    assert "Analisis triwulan I 2025" in shown(at) and PERENCANAAN in shown(at)
    table = grid(at).value.set_index("kode")
    row = table.loc["IK-6.1.4"]
    assert (row["target_sd_tw"], row["realisasi_sd_tw"], row["capaian_sd_tw"], row["kategori"], row["wajib"]) == (
        "2,5", "1", "40,00 %", "Sangat Rendah", "wajib diisi")
    assert table.loc["IK-6.1.1", "wajib"] == ""  # nothing entered: no capaian, nothing required
    assert "IK-4.1.1" not in table.index  # another unit's indicator
    edit_grid(at, grid(at).key.rsplit("_v", 1)[0], {"IK-6.1.4": {"faktor_penghambat": "Laporan desa terlambat",
                                                  "rencana_tindak_lanjut": "Jemput bola ke desa",
                                                  "rekomendasi_pimpinan": "bukan hak operator"}})
    at.button(key="analisis_simpan").click().run()
    assert not errors(at), errors(at)
    assert "Analisis 1 indikator tersimpan." in shown(at)
    a = analisis(db, "IK-6.1.4")
    assert (a.faktor_penghambat, a.rencana_tindak_lanjut, a.rekomendasi_pimpinan, a.diisi_oleh) == (
        "Laporan desa terlambat", "Jemput bola ke desa", "", "operator.satu")
    # Filled: March can now be submitted.
    ubah_status(db, unit_id=units(db)["PERENCANAAN"].id, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=akun.operator)


def test_pimpinan_reads_the_units_fields_and_writes_the_recommendation_only(db: Engine, akun: Akun) -> None:
    isi(db, akun, {2: 1})
    at = open_tw(akun.operator)
    edit_grid(at, grid(at).key.rsplit("_v", 1)[0], {"IK-6.1.4": {"faktor_penghambat": "Laporan desa terlambat"}})
    at.button(key="analisis_simpan").click().run()
    # The Sekretaris Camat verifies Perencanaan by default, so she may recommend to it.
    update_user(db, user_id=akun.pimpinan.id, peran="pimpinan", unit_id=units(db)["SEKCAM"].id, aktif=True,
                nama=akun.pimpinan.nama)
    at = open_tw(akun.pimpinan)
    labels = at.selectbox(key="analisis_unit").options
    at.selectbox(key="analisis_unit").select_index(labels.index(PERENCANAAN)).run()
    assert grid(at).value.set_index("kode").loc["IK-6.1.4", "faktor_penghambat"] == "Laporan desa terlambat"
    edit_grid(at, grid(at).key.rsplit("_v", 1)[0], {"IK-6.1.4": {
        "rekomendasi_pimpinan": "Koordinasi dengan kepala desa", "faktor_penghambat": "diubah pimpinan"}})
    at.button(key="analisis_simpan").click().run()
    assert not errors(at), errors(at)
    a = analisis(db, "IK-6.1.4")
    # The pimpinan's grid leaves the unit's fields alone (they are read-only there); only the recommendation is saved.
    assert (a.faktor_penghambat, a.rekomendasi_pimpinan, a.diisi_oleh) == (
        "Laporan desa terlambat", "Koordinasi dengan kepala desa", "darmawati")


def test_after_submission_the_operator_is_told_the_fields_are_locked(db: Engine, akun: Akun) -> None:
    ubah_status(db, unit_id=units(db)["PERENCANAAN"].id, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=akun.operator)
    at = open_tw(akun.operator)
    assert "Isian unit terkunci" in shown(at)
    assert not [b for b in at.button if b.key == "analisis_simpan"]  # nothing to save for the operator


def test_beranda_lists_what_is_at_risk_with_the_method(db: Engine, akun: Akun) -> None:
    # IK-6.1.4 (10 Laporan a year): 0 in January, 0 in February, 1 in March.
    # Jan 0 × 12 / 1 = 0; Feb 0; Mar 1 × 12 / 3 = 4 -> 6 Laporan short (60 %), at risk since Januari.
    isi(db, akun, {1: 0, 2: 0, 3: 1})
    at = open_app(akun.pimpinan, "pages/beranda.py")
    assert "Berisiko tidak tercapai" in shown(at) and METODE in shown(at)
    table = next(d.value for d in at.dataframe if "Proyeksi akhir tahun" in d.value.columns)
    row = table[table["Kode"] == "IK-6.1.4"].iloc[0]
    assert (row["Proyeksi akhir tahun"], row["Target tahunan"], row["Meleset dari target"], row["Meleset (% target)"],
            row["Berisiko sejak"], row["Unit penanggung jawab"]) == (
        "4 Laporan", "10 Laporan", "6 Laporan", "60,00 %", "Januari", PERENCANAAN)
    assert list(table["Kode"]) == ["IK-6.1.4"]  # nothing else has data yet


def test_admin_enters_the_anggaran_kas_on_the_pagu_page_within_the_pagu(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/pagu.py")
    assert "Anggaran kas 2025" in shown(at)
    key = next(d.key for d in at.data_editor if d.key.startswith("grid_kas_")).rsplit("_v", 1)[0]
    # 6.1.2 has a pagu of Rp 6.155.700: 7.000.000 in one month is over it, 1.250.000 is not.
    edit_grid(at, key, {"6.1.2": {"Jan": "7.000.000"}})
    at.button(key="kas_simpan").click().run()
    assert "Rp 7.000.000 melebihi pagu Rp 6.155.700" in errors(at)
    edit_grid(at, key, {"6.1.2": {"Jan": "1.250.000", "Des": "500000"}})
    at.button(key="kas_simpan").click().run()
    assert not errors(at), errors(at)
    assert "2 bulan anggaran kas tersimpan." in shown(at)
    with new_session(db) as session:
        assert load_anggaran_kas(session, get_instansi(session).id, TAHUN) == {"6.1.2": {1: 1_250_000, 12: 500_000}}


def test_submitting_march_names_the_indicator_whose_analysis_is_missing(db: Engine, akun: Akun) -> None:
    isi(db, akun, {3: 1})  # IK-6.1.4: 1 / 2,5 × 100 = 40 % s.d. triwulan I (Sangat Rendah)
    at = open_app(akun.operator, "pages/isi_realisasi.py")
    at.selectbox(key="isi_bulan").set_value(3).run()
    at.button(key="isi_ajukan").click().run()
    assert "Tidak diajukan:" in errors(at) and "IK-6.1.4" in errors(at) and "40,00 % (Sangat Rendah)" in errors(at)
    at = open_tw(akun.operator)
    edit_grid(at, grid(at).key.rsplit("_v", 1)[0], {"IK-6.1.4": {"faktor_penghambat": "Desa terlambat",
                                                                 "rencana_tindak_lanjut": "Jemput bola"}})
    at.button(key="analisis_simpan").click().run()
    at = open_app(akun.operator, "pages/isi_realisasi.py")
    at.selectbox(key="isi_bulan").set_value(3).run()
    at.button(key="isi_ajukan").click().run()
    assert "Maret 2025 diajukan untuk diverifikasi." in shown(at) and "Tidak diajukan" not in errors(at)


def test_a_pimpinan_who_neither_verifies_nor_approves_the_unit_cannot_recommend(db: Engine, akun: Akun) -> None:
    isi(db, akun, {2: 1})
    update_user(db, user_id=akun.pimpinan.id, peran="pimpinan", unit_id=units(db)["PMD"].id, aktif=True,
                nama=akun.pimpinan.nama)
    at = open_tw(akun.pimpinan)
    labels = at.selectbox(key="analisis_unit").options
    at.selectbox(key="analisis_unit").select_index(labels.index(PERENCANAAN)).run()
    edit_grid(at, grid(at).key.rsplit("_v", 1)[0], {"IK-6.1.4": {"rekomendasi_pimpinan": "Percepat"}})
    at.button(key="analisis_simpan").click().run()
    assert "hanya dapat diberikan oleh pimpinan yang memverifikasi atau mengesahkan" in errors(at)
    assert analisis(db, "IK-6.1.4") is None
