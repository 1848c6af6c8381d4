"""The Renstra & riwayat page and the comparison on the per-indicator screen, driven through their widgets."""

from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi, RiwayatRealisasi, TargetRenstra
from kinerja.simpan.penilaian import save_akip
from kinerja.simpan.riwayat import EntriRiwayat, simpan_riwayat
from tests._app import Akun, add_users, edit_grid, errors, open_app, pick, shown

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")
PAGE = "pages/renstra.py"


def _targets(engine: Engine) -> list[tuple]:
    with new_session(engine) as session:
        return sorted((r.kode, r.tahun, r.target) for r in session.exec(select(TargetRenstra)))


def test_the_admin_sets_the_period_and_types_a_renstra_target(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, PAGE)
    assert "Atur dulu periode Renstra" in shown(at)
    at.number_input(key="renstra_awal").set_value(2021)
    at.number_input(key="renstra_akhir").set_value(2026)
    at.button(key="renstra_periode_simpan").click().run()
    with new_session(db) as session:
        office = session.get(Instansi, akun.admin.instansi_id)
        assert (office.renstra_awal, office.renstra_akhir) == (2021, 2026)
    grid = at.data_editor(key="grid_renstra_target_v0").value
    assert list(grid.columns) == ["kode", "indikator", "satuan", "2021", "2022", "2023", "2024", "2025", "2026"]
    # The 2025 Renstra target of the AKIP comes from the PK itself until one is typed.
    assert grid.set_index("kode").loc["IK-AKIP", "2025"] == "71,6"

    edit_grid(at, "grid_renstra_target", {"IK-AKIP": {"2026": "73,5"}, "IK-1.1.1": {"2026": "12"}})
    at.button(key="renstra_target_simpan").click().run()
    assert not errors(at)
    assert "2 target Renstra disimpan." in shown(at)
    assert _targets(db) == [("IK-1.1.1", 2026, Decimal("12")), ("IK-AKIP", 2026, Decimal("73.5"))]


def test_a_target_that_is_not_a_number_is_named_and_nothing_is_saved(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, PAGE)
    at.number_input(key="renstra_awal").set_value(2021)
    at.number_input(key="renstra_akhir").set_value(2026)
    at.button(key="renstra_periode_simpan").click().run()
    edit_grid(at, "grid_renstra_target", {"IK-AKIP": {"2026": "73,5"}, "IK-1.1.1": {"2024": "dua belas"}})
    at.button(key="renstra_target_simpan").click().run()
    assert "IK-1.1.1 Jumlah Dokumen Non Perizinan Usaha yang Dilaksanakan, tahun 2024: target 'dua belas' bukan " \
           "angka" in errors(at)
    assert _targets(db) == []


def test_the_admin_types_an_earlier_year_from_an_lkjip(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, PAGE)
    pick(at, "riwayat_tahun", 2024)
    edit_grid(at, "grid_riwayat_2024", {"IK-AKIP": {"realisasi": "69,50", "capaian": "101,5", "sumber": "LKjIP 2024"}})
    at.button(key="renstra_riwayat_simpan").click().run()
    assert not errors(at)
    assert "1 baris riwayat 2024 disimpan." in shown(at)
    with new_session(db) as session:
        rows = [(r.kode, r.tahun, r.realisasi, r.capaian, r.sumber, r.diisi_oleh)
                for r in session.exec(select(RiwayatRealisasi))]
    assert rows == [("IK-AKIP", 2024, Decimal("69.5"), Decimal("101.5"), "LKjIP 2024", "meri")]
    # The comparison tab shows it: capaian 2025 is empty (no AKIP yet), 2024 is 101,50 %.
    table = next(d.value for d in at.dataframe if "arah" in d.value.columns).set_index("kode")
    assert table.loc["IK-AKIP", "capaian_2024"] == "101,50 %"


def test_the_per_indicator_screen_shows_the_comparison_and_the_progress_toward_the_renstra(
    db: Engine, akun: Akun
) -> None:
    office_id = akun.admin.instansi_id
    # 22,61 + 20,05 + 10,07 + 17,32 = 70,05 = the PK target: capaian 2025 = 100 %.
    save_akip(db, instansi_id=office_id, tahun=2025, bulan=12, oleh="uji", komponen={
        "perencanaan": Decimal("22.61"), "pengukuran": Decimal("20.05"), "pelaporan": Decimal("10.07"),
        "evaluasi": Decimal("17.32")})
    simpan_riwayat(db, instansi_id=office_id, oleh="uji",
                   entries=[EntriRiwayat("IK-AKIP", 2024, "69,50", "98", "LKjIP 2024")])
    at = open_app(akun.pimpinan, "pages/unit.py")
    pick(at, "unit_tw", 4)
    pick(at, "unit_pilih", "CAMAT")
    pick(at, "unit_indikator", "IK-AKIP")
    assert not at.exception
    # Capaian 100,00 - 98,00 = +2,00 points.
    assert "Capaian 2025 naik 2,00 poin dibanding 2024." in shown(at)
    tahun = next(d.value for d in at.dataframe if "Tahun" in d.value.columns)
    assert tahun.to_dict("records") == [
        {"Tahun": "2024", "Realisasi": "69,5", "Capaian": "98,00 %", "Sumber": "LKjIP 2024"},
        {"Tahun": "2025", "Realisasi": "70,05", "Capaian": "100,00 %", "Sumber": "aplikasi"},
    ]
    # No Renstra period: the end target is the latest known, 2025's 71,60 from the PK.
    # 70,05 / 71,60 × 100 = 97,835... -> 97,84 %; sisa 71,60 - 70,05 = 1,55.
    assert {m.label: m.value for m in at.metric}.items() >= {
        "Target Renstra akhir (2025)": "71,6 Nilai", "Realisasi 2025": "70,05 Nilai", "Tingkat kemajuan": "97,84 %",
        "Sisa menuju target": "1,55 Nilai"}.items()


def test_the_demo_has_a_renstra_and_earlier_years_to_compare(demo_db: Engine) -> None:
    at = open_app(add_users(demo_db).admin, PAGE)
    row = next(d.value for d in at.dataframe if "arah" in d.value.columns).set_index("kode").loc["IK-AKIP"]
    # Demo AKIP: 2024 realisasi 70,02 (sumber "contoh") against the 2024 Renstra target 70: 100,03 %;
    # 2025 = 22,61 + 20,05 + 10,40 + 17,32 = 70,38 against the PK's 70,05: 100,471... -> 100,47 %, +0,44 points.
    # End of the Renstra 2021-2026: 73, so 70,38 / 73 × 100 = 96,41 %, sisa 2,62.
    assert (row["capaian_2024"], row["capaian_2025"], row["arah"], row["selisih"]) == \
        ("100,03 %", "100,47 %", "naik", "0,44")
    assert (row["target_renstra_akhir"], row["tingkat_kemajuan"], row["sisa"]) == ("73", "96,41 %", "2,62")
    with new_session(demo_db) as session:
        sumber = {r.sumber for r in session.exec(select(RiwayatRealisasi))}
        years = sorted({r.tahun for r in session.exec(select(RiwayatRealisasi))})
    assert (sumber, years) == ({"contoh"}, [2021, 2022, 2023, 2024])
