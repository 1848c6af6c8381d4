"""Year-end projections (kinerja.aturan.proyeksi): hand-worked cases, no database.

Each expected figure is worked out in the comment beside it.
"""

from decimal import Decimal

import pytest

from kinerja.aturan.capaian import Bulanan, DataKinerja, IndikatorDef, NodeDef
from kinerja.aturan.proyeksi import (
    ANGGARAN_KAS,
    LINEAR,
    NILAI_TERKINI,
    RENCANA_AKSI,
    TURUNAN,
    Proyeksi,
    proyeksi_belanja,
    proyeksi_input,
    proyeksi_tahun,
    rencana_bulan,
    sejak_bulan,
)

D = Decimal
DEFAULT_ANGGARAN = (D(25), D(50), D(75), D(100))  # the budget's default Rencana Aksi, % of pagu


def months(values: dict[int, object]) -> dict[int, Bulanan]:
    return {b: Bulanan(nilai=D(str(v))) for b, v in values.items()}


def jumlah(target: int, rencana_aksi=(None, None, None, None), polaritas: str = "positif") -> IndikatorDef:
    return IndikatorDef("IK-X", D(target), rencana_aksi=tuple(None if r is None else D(r) for r in rencana_aksi),
                        polaritas=polaritas)


def sejak(ind: IndikatorDef, entries: dict[int, Bulanan], sd_bulan: int) -> int | None:
    return sejak_bulan(lambda m: proyeksi_input(ind, entries, m), sd_bulan)


@pytest.mark.parametrize(("rencana_tw", "bulan", "expected"), [
    ((D(3), D(6), D(9), D(12)), 1, D(1)),  # 0 + (3 − 0) × 1/3
    ((D(3), D(6), D(9), D(12)), 5, D(5)),  # 3 + (6 − 3) × 2/3
    ((D(10), D(20), D(30), D(100)), 10, D("53.33333333333333333333")),  # 30 + 70 × 1/3 (to 20 decimals)
    ((D(10), D(20), D(30), D(100)), 12, D(100)),
])
def test_the_plan_grows_evenly_inside_a_triwulan(rencana_tw, bulan, expected):
    assert rencana_bulan(rencana_tw, bulan) == expected


def test_a_steady_year_meets_its_target_every_month():
    ind, entries = jumlah(12), months({b: 1 for b in range(1, 7)})  # 1 a month, target 12
    p = proyeksi_input(ind, entries, 6)
    # linear: cumulative 6 s.d. June × 12 / 6 = 12 = the target
    assert (p.nilai, p.target, p.bulan, p.metode, p.berisiko, p.kurang) == (D(12), D(12), 6, LINEAR, False, D(0))
    assert sejak(ind, entries, 6) is None


def test_a_back_loaded_year_on_plan_is_not_at_risk_though_a_straight_line_would_say_so():
    # Rencana Aksi 10 / 20 / 30 / 100 (% of 100 units): most of the work lands in triwulan IV.
    ind = jumlah(100, (10, 20, 30, 100))
    entries = months({3: 10, 6: 10, 9: 10})  # exactly on plan: 10 by March, 20 by June, 30 by September
    p = proyeksi_input(ind, entries, 9)
    # against the plan: 30 done / 30 planned by September × 100 = 100
    assert (p.nilai, p.metode, p.berisiko) == (D(100), RENCANA_AKSI, False)
    # the straight line would have said 30 × 12 / 9 = 40: 60 short
    straight = proyeksi_input(jumlah(100), entries, 9)
    assert (straight.nilai, straight.metode, straight.kurang, straight.kurang_persen) == (D(40), LINEAR, D(60), D(60))
    assert straight.berisiko


def test_behind_the_plan_is_at_risk_by_how_much_and_since_when():
    ind = jumlah(12)  # default plan: 3 / 6 / 9 / 12
    entries = months({1: 1, 2: 1, 3: 1, 4: 0, 5: 0, 6: 1})
    # Jan 1×12/1 = 12 ok; Feb 2×12/2 = 12 ok; Mar 3×12/3 = 12 ok; Apr 3×12/4 = 9 short;
    # May 3×12/5 = 7,2 short; Jun 4×12/6 = 8 short -> at risk since April, 4 short (33,33 %).
    p = proyeksi_input(ind, entries, 6)
    assert (p.nilai, p.kurang, p.berisiko) == (D(8), D(4), True)
    assert p.kurang_persen.quantize(D("0.01")) == D("33.33")
    assert sejak(ind, entries, 6) == 4
    # A month back on pace ends the streak: with 4 in June (7 s.d. June × 12 / 6 = 14) nothing is at risk.
    assert sejak(ind, {**entries, 6: Bulanan(nilai=D(4))}, 6) is None


def test_since_when_counts_only_the_unbroken_streak_up_to_now():
    ind = jumlah(12)
    entries = months({1: 0, 2: 4, 3: 0, 4: 0})
    # Jan 0 short; Feb 4×12/2 = 24 ok; Mar 4×12/3 = 16 ok; Apr 4×12/4 = 12 ok -> not at risk now.
    assert sejak(ind, entries, 4) is None
    # May 0: 4×12/5 = 9,6 short -> at risk since May, not since January.
    assert sejak(ind, {**entries, 5: Bulanan(nilai=D(0))}, 5) == 5


def test_an_indicator_with_no_data_yet_is_not_projected():
    assert proyeksi_input(jumlah(12), {}, 6) is None
    assert proyeksi_input(jumlah(12), months({7: 3}), 6) is None  # July is after the months so far
    ratio = IndikatorDef("IK-R", D(100), agregasi="terakhir", jenis="rasio")
    assert proyeksi_input(ratio, {3: Bulanan(pembilang=D(5))}, 6) is None  # one component is not a value
    assert proyeksi_input(ratio, {3: Bulanan(pembilang=D(0), penyebut=D(0))}, 6) is None  # penyebut 0: no realisasi
    assert sejak_bulan(lambda m: proyeksi_input(jumlah(12), {}, m), 6) is None


@pytest.mark.parametrize(("agregasi", "values", "target", "expected", "berisiko"), [
    ("rata_rata", {1: 20, 2: 30}, 25, D(25), False),  # (20 + 30) / 2 = 25 = target
    ("rata_rata", {1: 20, 2: 30, 4: 16}, 25, D(22), True),  # (20 + 30 + 16) / 3 = 22: 3 short
    ("terakhir", {1: 90, 5: 80}, 87.5, D(80), True),  # the latest value, May's 80: 7,5 short
    ("terakhir", {1: 80, 5: 90}, 87.5, D(90), False),
])
def test_averages_and_latest_values_keep_their_value_so_far(agregasi, values, target, expected, berisiko):
    ind = IndikatorDef("IK-Y", D(str(target)), agregasi=agregasi)
    p = proyeksi_input(ind, months(values), 6)
    assert (p.nilai, p.metode, p.berisiko) == (expected, NILAI_TERKINI, berisiko)


def test_a_ratio_projects_its_running_ratio():
    ind = IndikatorDef("IK-R", D(100), agregasi="jumlah", jenis="rasio")
    entries = {1: Bulanan(pembilang=D(9), penyebut=D(10)), 2: Bulanan(pembilang=D(10), penyebut=D(10))}
    p = proyeksi_input(ind, entries, 2)
    # (9 + 10) / (10 + 10) × 100 = 95 %: 5 short of 100 % (a percentage does not grow through the year)
    assert (p.nilai, p.kurang, p.metode) == (D(95), D(5), NILAI_TERKINI)


@pytest.mark.parametrize(("values", "expected", "berisiko", "kurang"), [
    ({1: 1, 2: 1, 3: 1}, D(12), False, D(0)),  # 3 × 12 / 3 = 12: exactly the ceiling
    ({1: 1, 2: 2, 3: 1}, D(16), True, D(4)),  # 4 × 12 / 3 = 16: 4 over a ceiling of 12
    ({1: 0, 2: 1, 3: 0}, D(4), False, D(0)),  # 1 × 12 / 3 = 4: lower is better, well within
])
def test_negative_polarity_is_at_risk_when_projected_above_the_target(values, expected, berisiko, kurang):
    p = proyeksi_input(jumlah(12, polaritas="negatif"), months(values), 3)
    assert (p.nilai, p.berisiko, p.kurang) == (expected, berisiko, kurang)


def test_negative_polarity_latest_value():
    ind = IndikatorDef("IK-N", D(5), agregasi="terakhir", polaritas="negatif")  # e.g. days to serve, at most 5
    assert proyeksi_input(ind, months({4: 7}), 4).kurang == D(2)  # 7 − 5 = 2 days too slow
    assert not proyeksi_input(ind, months({4: 4}), 4).berisiko


PAGU = 12_000_000


def test_budget_on_the_default_plan_is_linear():
    spent = {b: 1_000_000 for b in range(1, 4)}  # Rp 1 juta a month
    p = proyeksi_belanja(spent, PAGU, DEFAULT_ANGGARAN, 3)
    # planned s.d. March = 25 % × 12 juta = 3 juta; 3 / 3 × 12 juta = 12 juta
    assert (p.nilai, p.berisiko, p.metode) == (D(PAGU), False, RENCANA_AKSI)


def test_budget_spent_all_in_december_without_anggaran_kas_is_at_risk_until_december():
    spent = {b: 0 for b in range(1, 12)}  # nothing spent January to November, entered as 0
    p = proyeksi_belanja(spent, PAGU, DEFAULT_ANGGARAN, 11)
    # planned s.d. November = 12 juta × (75 + 25 × 2/3) % = 11 juta; 0 / 11 juta × 12 juta = 0: all of it short
    assert (p.nilai, p.kurang, p.kurang_persen) == (D(0), D(PAGU), D(100))
    assert sejak_bulan(lambda m: proyeksi_belanja(spent, PAGU, DEFAULT_ANGGARAN, m), 11) == 1
    december = {**spent, 12: PAGU}
    p = proyeksi_belanja(december, PAGU, DEFAULT_ANGGARAN, 12)
    assert (p.nilai, p.berisiko) == (D(PAGU), False)  # 12 juta / 12 juta planned × 12 juta


def test_budget_spent_all_in_december_with_an_anggaran_kas_saying_so_is_never_at_risk():
    kas = {b: 0 for b in range(1, 12)} | {12: PAGU}
    spent = {b: 0 for b in range(1, 12)}
    for m in range(1, 12):
        p = proyeksi_belanja(spent, PAGU, DEFAULT_ANGGARAN, m, kas)
        # planned s.d. any month before December = 0: nothing is behind, so on plan = the pagu
        assert (p.nilai, p.berisiko, p.metode) == (D(PAGU), False, ANGGARAN_KAS)
    assert proyeksi_belanja({**spent, 12: PAGU}, PAGU, DEFAULT_ANGGARAN, 12, kas).nilai == D(PAGU)
    # Half spent in December against a December plan: 6 / 12 × 12 juta = 6 juta, at risk since December only.
    half = {**spent, 12: PAGU // 2}
    assert proyeksi_belanja(half, PAGU, DEFAULT_ANGGARAN, 12, kas).kurang == D(6_000_000)
    assert sejak_bulan(lambda m: proyeksi_belanja(half, PAGU, DEFAULT_ANGGARAN, m, kas), 12) == 12


def test_budget_against_the_anggaran_kas_not_the_straight_line():
    kas = {1: 500_000, 2: 500_000, 3: 2_000_000}  # 3 juta planned by March
    spent = {1: 500_000, 2: 500_000, 3: 500_000}  # 1,5 juta spent
    p = proyeksi_belanja(spent, PAGU, DEFAULT_ANGGARAN, 3, kas)
    # 1,5 / 3 × 12 juta = 6 juta: 6 juta short (50 %)
    assert (p.nilai, p.kurang, p.kurang_persen) == (D(6_000_000), D(6_000_000), D(50))
    assert proyeksi_belanja({}, PAGU, DEFAULT_ANGGARAN, 3, kas) is None  # nothing spent entered: not projected


def test_a_whole_year_derived_indicator_and_budget_absorption():
    data = DataKinerja(
        indikator=[
            IndikatorDef("IK-1", D(100), agregasi="terakhir", sumber="turunan", anggaran_kode="1"),
            IndikatorDef("IK-1.1", D(12), anggaran_kode="1.1"),
            IndikatorDef("IK-1.2", D(4), anggaran_kode="1.2"),
            IndikatorDef("IK-1.3", D(4), anggaran_kode="1.3"),  # nothing entered
            IndikatorDef("IK-S", D(100), agregasi="terakhir", sumber="anggaran", anggaran_kode="1"),
        ],
        anggaran=[NodeDef("1", None, 24_000_000), NodeDef("1.1", "1", 12_000_000), NodeDef("1.2", "1", 12_000_000),
                  NodeDef("1.3", "1", 0)],
        realisasi={"IK-1.1": months({1: 1, 2: 1, 3: 1}), "IK-1.2": months({3: 2})},
        realisasi_anggaran={"1.1": {1: 1_000_000, 2: 1_000_000, 3: 1_000_000}, "1.2": {3: 1_500_000}},
    )
    found = proyeksi_tahun(data, 3, DEFAULT_ANGGARAN)
    p = found.indikator
    assert p["IK-1.1"].nilai == D(12)  # 3 × 12 / 3
    assert p["IK-1.2"].nilai == D(8)  # 2 × 12 / 3 = 8, capaian 8 / 4 = 200 %
    assert p["IK-1.3"] is None
    # derived: mean of the children's projected capaian, each capped at 100: (100 + 100) / 2 = 100
    assert (p["IK-1"].nilai, p["IK-1"].metode, p["IK-1"].berisiko) == (D(100), TURUNAN, False)
    # lines: 1.1 on plan -> 12 juta; 1.2 1,5 of 3 juta planned -> 6 juta; 1.3 nothing -> not projected
    assert found.anggaran["1.1"].nilai == D(12_000_000) and found.anggaran["1.2"].nilai == D(6_000_000)
    assert found.anggaran["1.3"] is None
    # absorption of program 1: (12 + 6) / 24 juta × 100 = 75 %: 25 points short of 100 %
    assert (p["IK-S"].nilai, p["IK-S"].kurang) == (D(75), D(25))


def test_shortfall_is_compared_as_shown():
    # 11,999 shows as 12,00: not at risk; 11,99 is.
    assert not Proyeksi(D("11.999"), D(12), 3, LINEAR).berisiko
    assert Proyeksi(D("11.99"), D(12), 3, LINEAR).kurang == D("0.01")
