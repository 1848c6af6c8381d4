"""The comparison with earlier years (naik / turun / tetap, selisih) and the progress toward the Renstra.

The rules (kinerja.aturan.perbandingan) are table-driven with the arithmetic worked out by hand; then the
whole path (kinerja.baca.perbandingan.list_perbandingan) on the seeded 2025 PK, on every backend.
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.aturan.capaian import round_shown
from kinerja.aturan.perbandingan import compute_arah, compute_sisa, compute_tingkat_kemajuan
from kinerja.baca.perbandingan import (
    Perbandingan,
    baris_tahun,
    kalimat_arah,
    list_perbandingan,
    ringkasan_renstra,
    tabel_perbandingan,
)
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Versi
from kinerja.simpan.penilaian import save_akip
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.revisi import copy_tahun, publish_versi
from kinerja.simpan.riwayat import (
    EntriRiwayat,
    EntriTargetRenstra,
    simpan_periode_renstra,
    simpan_riwayat,
    simpan_target_renstra,
)

D = Decimal

# --- the rules ------------------------------------------------------------------------------------

ARAH = [
    # (capaian N-1, capaian N, realisasi N-1, realisasi N, polaritas) -> (arah, selisih)
    pytest.param(D("95"), D("100"), D("9.5"), D("10"), "positif", ("naik", D("5.00")), id="capaian up: 100 - 95 = +5"),
    pytest.param(D("100"), D("92.5"), D("12"), D("11.1"), "positif", ("turun", D("-7.50")),
                 id="capaian down: 92,50 - 100 = -7,50"),
    pytest.param(D("99.996"), D("100.004"), None, None, "positif", ("tetap", D("0.00")),
                 id="both show as 100,00: tetap"),
    # Negatif, target 10 Kasus: 2024 realisasi 8 -> (2×10 - 8) / 10 × 100 = 120; 2025 realisasi 6 -> 140.
    # Fewer cases is better: capaian rose 20 points, so it is naik although realisasi fell.
    pytest.param(D("120"), D("140"), D("8"), D("6"), "negatif", ("naik", D("20.00")),
                 id="negatif: fewer cases, capaian 120 -> 140 is naik"),
    # Without capaian in either year, realisasi is compared, oriented by polarity; selisih stays literal.
    pytest.param(None, None, D("10"), D("12"), "positif", ("naik", D("2.00")), id="realisasi only: 12 - 10 = +2"),
    pytest.param(None, D("100"), D("8"), D("6"), "negatif", ("naik", D("-2.00")),
                 id="negatif realisasi 8 -> 6: naik, selisih -2"),
    pytest.param(D("90"), None, D("6"), D("8"), "negatif", ("turun", D("2.00")),
                 id="negatif realisasi 6 -> 8: turun, selisih +2"),
    pytest.param(None, None, D("7"), D("7.001"), "positif", ("tetap", D("0.00")), id="realisasi equal as shown"),
    pytest.param(None, D("100"), None, D("10"), "positif", (None, None), id="no N-1: nothing to compare"),
]


@pytest.mark.parametrize(("c_lalu", "c_kini", "r_lalu", "r_kini", "polaritas", "expected"), ARAH)
def test_arah_compares_capaian_and_falls_back_to_realisasi(
    c_lalu: Decimal | None, c_kini: Decimal | None, r_lalu: Decimal | None, r_kini: Decimal | None, polaritas: str,
    expected: tuple[str | None, Decimal | None],
) -> None:
    assert compute_arah(c_lalu, c_kini, r_lalu, r_kini, polaritas) == expected


KEMAJUAN = [
    # (realisasi N, target Renstra akhir, polaritas) -> (tingkat kemajuan shown, sisa)
    # Nilai AKIP: 70,05 / 71,60 × 100 = 97,835... -> 97,84 %; sisa 71,60 - 70,05 = 1,55.
    pytest.param(D("70.05"), D("71.60"), "positif", (D("97.84"), D("1.55")), id="AKIP 70,05 of 71,60"),
    # A count at triwulan II: 5 of 11 Dokumen = 45,4545... -> 45,45 %; 6 to go.
    pytest.param(D("5"), D("11"), "positif", (D("45.45"), D("6")), id="count 5 of 11"),
    # Beyond the target: 13 / 12 × 100 = 108,33 %; nothing to go.
    pytest.param(D("13"), D("12"), "positif", (D("108.33"), D("0")), id="count 13 of 12: sisa 0"),
    # Negatif, target 5 Kasus: realisasi 6 -> (2×5 - 6) / 5 × 100 = 80 %; 1 case still to cut.
    pytest.param(D("6"), D("5"), "negatif", (D("80.00"), D("1")), id="negatif 6 against 5"),
    # Negatif reached: 4 -> (10 - 4) / 5 × 100 = 120 %; nothing to go.
    pytest.param(D("4"), D("5"), "negatif", (D("120.00"), D("0")), id="negatif 4 against 5"),
    pytest.param(None, D("71.60"), "positif", (None, None), id="no realisasi yet"),
    pytest.param(D("70.05"), None, "positif", (None, None), id="no Renstra target"),
]


@pytest.mark.parametrize(("realisasi", "target", "polaritas", "expected"), KEMAJUAN)
def test_tingkat_kemajuan_and_sisa_toward_the_end_of_renstra_target(
    realisasi: Decimal | None, target: Decimal | None, polaritas: str, expected: tuple[Decimal | None, Decimal | None]
) -> None:
    tingkat = compute_tingkat_kemajuan(realisasi, target, polaritas)
    assert (None if tingkat is None else round_shown(tingkat), compute_sisa(realisasi, target, polaritas)) == expected


# --- the whole path on the seeded PK --------------------------------------------------------------


def _office_id(engine: Engine) -> int:
    with new_session(engine) as session:
        return get_instansi(session).id


def _perbandingan(engine: Engine, tahun: int = 2025, triwulan: int = 4) -> dict[str, Perbandingan]:
    with new_session(engine) as session:
        return list_perbandingan(session, get_instansi(session), tahun, triwulan)


def _akip_2025(engine: Engine, office_id: int) -> None:
    # 22,61 + 20,05 + 10,07 + 17,32 = 70,05: the PK target, so capaian 2025 = 100 %.
    save_akip(engine, instansi_id=office_id, tahun=2025, bulan=12, oleh="uji", komponen={
        "perencanaan": D("22.61"), "pengukuran": D("20.05"), "pelaporan": D("10.07"), "evaluasi": D("17.32")})


def test_akip_against_earlier_lkjips_and_the_renstra(seeded: Engine) -> None:
    office_id = _office_id(seeded)
    _akip_2025(seeded, office_id)
    simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji",
                          entries=[EntriTargetRenstra("IK-AKIP", 2023, "68")])
    simpan_riwayat(seeded, instansi_id=office_id, oleh="uji", entries=[
        EntriRiwayat("IK-AKIP", 2024, "69,50", "101,50", "LKjIP 2024"),  # capaian as published
        EntriRiwayat("IK-AKIP", 2023, "66", None, "LKjIP 2023"),  # capaian from the 2023 Renstra target
        EntriRiwayat("IK-AKIP", 2022, "64", None, "LKjIP 2022"),  # no target known: no capaian
        EntriRiwayat("IK-AKIP", 2021, "60", None, "LKjIP 2021"),  # before N-3: not compared
    ])
    p = _perbandingan(seeded)["IK-AKIP"]
    assert [(n.tahun, n.realisasi, None if n.capaian is None else round_shown(n.capaian), n.sumber)
            for n in p.tahun] == [
        (2022, D("64"), None, "LKjIP 2022"),
        (2023, D("66"), D("97.06"), "LKjIP 2023"),  # 66 / 68 × 100 = 97,0588 -> 97,06
        (2024, D("69.5"), D("101.5"), "LKjIP 2024"),
        (2025, D("70.05"), D("100.00"), "aplikasi"),  # 70,05 / 70,05 (PK target) × 100
    ]
    # Capaian 100,00 - 101,50 = -1,50 points: turun.
    assert (p.arah, p.selisih) == ("turun", D("-1.50"))
    assert kalimat_arah(p) == "Capaian 2025 turun 1,50 poin dibanding 2024."
    # No Renstra period set: the latest year with a Renstra target is 2025, whose target the PK gives (71,60).
    assert (p.tahun_renstra_akhir, p.target_renstra_akhir, p.realisasi_renstra) == (2025, D("71.60"), D("70.05"))
    assert (round_shown(p.tingkat_kemajuan), p.sisa) == (D("97.84"), D("1.55"))  # 70,05 / 71,60 × 100; 71,60 - 70,05
    assert ringkasan_renstra(p) == [("Target Renstra akhir (2025)", "71,6 Nilai"), ("Realisasi 2025", "70,05 Nilai"),
                                    ("Tingkat kemajuan", "97,84 %"), ("Sisa menuju target", "1,55 Nilai")]

    # With the period 2021-2026 the end target is 2026's: 70,05 / 73 × 100 = 95,958... -> 95,96 %; sisa 2,95.
    simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji", periode=(2021, 2026),
                          entries=[EntriTargetRenstra("IK-AKIP", 2026, "73")])
    p = _perbandingan(seeded)["IK-AKIP"]
    assert (p.tahun_renstra_akhir, p.target_renstra_akhir) == (2026, D("73"))
    assert (round_shown(p.tingkat_kemajuan), p.sisa) == (D("95.96"), D("2.95"))
    row = next(r for r in tabel_perbandingan(_perbandingan(seeded), 2025) if r["kode"] == "IK-AKIP")
    assert (row["capaian_2022"], row["capaian_2023"], row["capaian_2025"], row["arah"], row["tingkat_kemajuan"]) == \
        ("", "97,06 %", "100,00 %", "turun", "95,96 %")


def test_a_period_whose_last_year_has_no_target_gives_no_progress(seeded: Engine) -> None:
    office_id = _office_id(seeded)
    _akip_2025(seeded, office_id)
    simpan_periode_renstra(seeded, instansi_id=office_id, awal=2021, akhir=2026, oleh="uji")
    p = _perbandingan(seeded)["IK-AKIP"]
    assert (p.tahun_renstra_akhir, p.target_renstra_akhir, p.tingkat_kemajuan, p.sisa) == (2026, None, None, None)
    assert ringkasan_renstra(p) == []


def test_a_count_mid_year_compares_capaian_sd_triwulan_and_counts_progress_from_the_year_so_far(
    seeded: Engine,
) -> None:
    office_id = _office_id(seeded)
    # IK-1.1.1, 11 Dokumen a year (jumlah): 1 + 1 + 0 + 1 + 1 + 1 = 5 Dokumen by June.
    save_realisasi(seeded, instansi_id=office_id, tahun=2025, oleh="uji", entries=[
        EntriRealisasi(kode="IK-1.1.1", bulan=b, nilai=D(n)) for b, n in zip(range(1, 7), (1, 1, 0, 1, 1, 1),
                                                                            strict=True)])
    simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji", periode=(2021, 2026),
                          entries=[EntriTargetRenstra("IK-1.1.1", 2026, "11")])
    simpan_riwayat(seeded, instansi_id=office_id, oleh="uji",
                   entries=[EntriRiwayat("IK-1.1.1", 2024, "11", "100", "LKjIP 2024")])
    p = _perbandingan(seeded, triwulan=2)["IK-1.1.1"]
    # Target s.d. TW II = 11 × 2/4 = 5,5; capaian 5 / 5,5 × 100 = 90,909... -> 90,91; against 100: -9,09 points.
    assert round_shown(p.nilai(2025).capaian) == D("90.91")
    assert (p.arah, p.selisih) == ("turun", D("-9.09"))
    # Realisasi Renstra is this year's realisasi (a level, not a sum of years): 5 / 11 × 100 = 45,45 %; 6 to go.
    assert (p.realisasi_renstra, round_shown(p.tingkat_kemajuan), p.sisa) == (D("5"), D("45.45"), D("6"))


def test_the_apps_own_year_wins_over_a_typed_row_and_the_typed_one_is_kept_as_a_note(seeded: Engine) -> None:
    office_id = _office_id(seeded)
    # History typed while 2025 was the first PK year in the app ...
    simpan_riwayat(seeded, instansi_id=office_id, oleh="uji",
                   entries=[EntriRiwayat("IK-1.1.1", 2024, "9", "81,82", "LKjIP 2024")])
    # ... then the 2024 PK itself is added to the app and its realisasi entered: 4 + 6 = 10 Dokumen.
    versi = copy_tahun(seeded, instansi_id=office_id, dari=2025, ke=2024, tanggal=date(2024, 1, 2), oleh="uji")
    publish_versi(seeded, versi_id=versi.id, oleh="uji")
    save_realisasi(seeded, instansi_id=office_id, tahun=2024, oleh="uji", entries=[
        EntriRealisasi(kode="IK-1.1.1", bulan=6, nilai=D(4)), EntriRealisasi(kode="IK-1.1.1", bulan=12, nilai=D(6))])
    n2024 = _perbandingan(seeded)["IK-1.1.1"].nilai(2024)
    # The app: 10 / 11 × 100 = 90,909... -> 90,91 %.
    assert (n2024.realisasi, round_shown(n2024.capaian), n2024.sumber) == (D("10"), D("90.91"), "aplikasi")
    assert n2024.catatan == "isian riwayat (LKjIP 2024): realisasi 9, capaian 81,82 %; dipakai angka aplikasi"
    assert baris_tahun(_perbandingan(seeded)["IK-1.1.1"])[0]["Sumber"] == f"aplikasi ({n2024.catatan})"
    # 2024 is an app year now: typing history for it is refused, and nothing changes.
    with pytest.raises(ValidationError, match="tahun 2024 sudah ada di aplikasi"):
        simpan_riwayat(seeded, instansi_id=office_id, oleh="uji",
                       entries=[EntriRiwayat("IK-1.1.1", 2024, "11", None, "LKjIP 2024")])
    with new_session(seeded) as session:
        assert len(session.exec(select(Versi).where(Versi.tahun == 2024)).all()) == 1


def test_an_indicator_without_any_figure_has_no_years_and_no_direction(seeded: Engine) -> None:
    p = _perbandingan(seeded)["IK-1.1.1"]
    assert (p.tahun, p.arah, p.selisih, p.tingkat_kemajuan) == ([], None, None, None)
    assert kalimat_arah(p) == "Belum ada realisasi 2024 dan 2025 untuk dibandingkan."
