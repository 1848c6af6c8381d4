"""The screens of issue 12: the operator's own view, the phone form, the Rupiah grid, the demo's accounts."""

from decimal import Decimal

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kinerja.demo import AKUN_DEMO
from kinerja.simpan.auth import masuk
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.verifikasi import ubah_status
from tests._app import (
    PERENCANAAN,
    TAHUN,
    Akun,
    current_key,
    edit_grid,
    errors,
    offered_pages,
    open_app,
    pick,
    realisasi,
    realisasi_anggaran,
    shown,
    titles,
    units,
)

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")
DOKUMEN = "Jumlah dokumen perencanaan perangkat daerah yang disusun"  # IK-6.1.1, 3 Dokumen a year


def test_the_operator_sees_their_units_targets_rencana_aksi_and_capaian(db: Engine, akun: Akun) -> None:
    office_id = units(db)["PERENCANAAN"].instansi_id
    save_realisasi(db, instansi_id=office_id, tahun=TAHUN, pengguna=akun.operator,
                   entries=[EntriRealisasi("IK-6.1.1", 2, nilai=Decimal(1))])
    at = open_app(akun.operator, "pages/kinerja_unit.py")
    assert titles(at) == [f"Kinerja {PERENCANAAN} {TAHUN}"]
    table = at.dataframe[0].value.set_index("indikator")
    # 1 Dokumen s.d. triwulan I against the Rencana Aksi of 3 / 4 = 0,75: 133,33 %.
    assert table.loc[DOKUMEN, "Capaian TW I"] == "133,33 %"
    assert table.loc[DOKUMEN, "Rencana Aksi TW II"] == "1,5"
    year = at.dataframe[1].value.set_index("kode")
    assert list(year.loc["IK-6.1.1", ["Jan", "Feb", "Mar"]]) == ["", "1", ""]
    assert "pages/kinerja_unit.py" in offered_pages(at)
    assert "pages/kinerja_unit.py" not in offered_pages(open_app(akun.pimpinan))


def open_form(user, bulan: int = 3) -> AppTest:
    at = pick(open_app(user, "pages/isi_realisasi.py"), "isi_bulan", bulan)
    at.toggle(key="isi_formulir").set_value(True).run()
    assert not at.data_editor, "the phone form replaces the wide grid"
    return at


def go_to_indicator(at: AppTest, kode: str) -> None:
    for _ in range(12):
        if kode in shown(at):
            return
        at.button(key="isi_formulir_maju").click().run()
    raise AssertionError(f"{kode} not reached")


def field(at: AppTest, kode: str, kolom: str):
    return next(t for t in at.text_input if t.key.endswith(f"_formulir_{kode}_{kolom}"))


def test_the_phone_form_saves_one_month_of_one_indicator(db: Engine, akun: Akun) -> None:
    at = open_form(akun.operator)
    assert any("Indikator 1 dari 8" in m.value for m in at.markdown)
    go_to_indicator(at, "IK-6.1.1")
    assert "Target tahunan 3 Dokumen · target s.d. triwulan ini 0,75 Dokumen" in shown(at)
    assert "Bulan lalu — Februari: belum diisi" in shown(at)
    field(at, "IK-6.1.1", "nilai").set_value("2")
    field(at, "IK-6.1.1", "keterangan").set_value("Renja").run()
    at.button(key="isi_simpan").click().run()
    assert not at.error
    assert [s.value for s in at.success] == ["1 isian Maret tersimpan."]
    saved = realisasi(db)
    assert saved["IK-6.1.1"][3].nilai == Decimal(2) and saved["IK-6.1.1"][3].keterangan == "Renja"
    assert field(at, "IK-6.1.1", "nilai").value == "2"  # the form shows what is stored, on the same indicator


def test_the_phone_form_refuses_what_the_grid_refuses(db: Engine, akun: Akun) -> None:
    at = open_form(akun.operator)
    go_to_indicator(at, "IK-6.1.1")
    field(at, "IK-6.1.1", "nilai").set_value("dua").run()
    at.button(key="isi_simpan").click().run()
    assert "'dua' bukan angka" in errors(at) and realisasi(db) == {}
    # A value beyond the soft limit is listed and saved only after "Ya, angka ini benar".
    field(at, "IK-6.1.1", "nilai").set_value("40").run()
    at.button(key="isi_simpan").click().run()
    assert "nilai satu bulan melebihi target setahun (3 Dokumen)" in "\n".join(w.value for w in at.warning)
    assert realisasi(db) == {}
    at.button(key="isi_yakin").click().run()
    assert realisasi(db)["IK-6.1.1"][3].nilai == Decimal(40)


def test_the_phone_form_of_a_submitted_month_cannot_be_saved(db: Engine, akun: Akun) -> None:
    office_id = units(db)["PERENCANAAN"].instansi_id
    save_realisasi(db, instansi_id=office_id, tahun=TAHUN, pengguna=akun.operator,
                   entries=[EntriRealisasi("IK-6.1.1", 3, nilai=Decimal(1))])
    ubah_status(db, unit_id=akun.operator.unit_id, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=akun.operator)
    at = open_form(akun.operator)
    go_to_indicator(at, "IK-6.1.1")
    assert field(at, "IK-6.1.1", "nilai").disabled
    assert not any(b.key == "isi_simpan" for b in at.button)


def test_the_budget_grid_shows_and_reads_rupiah_the_indonesian_way(db: Engine, akun: Akun) -> None:
    at = pick(open_app(akun.operator, "pages/isi_anggaran.py"), "ang_bulan", 3)
    base = f"grid_anggaran_{akun.operator.unit_id}_{TAHUN}_3"
    edit_grid(at, base, {"6.1.1": {"realisasi": "Rp 10.745.500"}})
    at.button(key="ang_simpan").click().run()
    assert not at.error
    assert realisasi_anggaran(db)["6.1.1"] == {3: 10_745_500}
    grid = at.data_editor(key=current_key(at, base)).value.set_index("kode")
    assert grid.loc["6.1.1", "realisasi"] == "Rp 10.745.500"  # as typed, and as the pagu beside it
    assert grid.loc["6.1.1", "pagu"] == "Rp 15.409.900"
    # Editing only the Keterangan of that row keeps the amount: the shown "Rp 10.745.500" reads back the same.
    edit_grid(at, base, {"6.1.1": {"keterangan": "SPJ lengkap"}})
    at.button(key="ang_simpan").click().run()
    assert not at.error and realisasi_anggaran(db)["6.1.1"] == {3: 10_745_500}


def test_the_demo_sign_in_screen_lists_its_accounts_and_they_work(demo_db: Engine) -> None:
    at = open_app()
    accounts = at.dataframe[0].value
    assert list(accounts["Nama pengguna"]) == ["admin.demo", "camat.demo", "operator.demo"]
    assert list(accounts["Peran"]) == ["Admin", "Pimpinan", "Operator"]
    for a in AKUN_DEMO:
        assert masuk(demo_db, username=a.username, password=a.password, alamat="uji").pengguna is not None


def test_a_real_sign_in_screen_lists_no_accounts(db: Engine, akun: Akun) -> None:
    at = open_app()
    assert titles(at) == ["Masuk ke Kinerja"]
    assert not at.dataframe and "demo" not in shown(at).lower()


@pytest.mark.parametrize("page", ["pages/beranda.py", "pages/capaian.py", "pages/unit.py", "pages/anggaran.py",
                                  "pages/laporan.py"])
def test_the_pimpinans_pages_render_on_the_demo_year(demo_db: Engine, page: str) -> None:
    from tests._app import add_users

    at = open_app(add_users(demo_db).pimpinan, page)
    assert not at.exception and not at.error
