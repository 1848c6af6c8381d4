"""The capaian engine (kinerja/aturan/capaian.py) against the rules of DOMAIN.md, on hand-built data.

Every expected value below is worked out by hand from DOMAIN.md ("Capaian", "Periods and
roll-up", "Project rules for roll-ups"); the comment next to a case shows the sum.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.aturan.capaian import (
    KATEGORI_URUT,
    Bulanan,
    DataKinerja,
    Hasil,
    IndikatorDef,
    NodeDef,
    aggregate,
    bulan_akhir,
    compute_capaian,
    compute_penyerapan,
    compute_periode,
    default_rencana_aksi,
    is_kumulatif,
    kategori_capaian,
    mean_capaian,
    persen_serapan,
    round_residu,
    round_shown,
    target_sd_triwulan,
)

D = Decimal


def close(value: Decimal | None, expected: Fraction | int | str) -> bool:
    """Tell whether a Decimal equals an exact value up to Decimal's rounding of repeating digits."""
    assert value is not None
    return abs(Fraction(value) - Fraction(expected)) < Fraction(1, 10**20)


def nilai(**months: int | str | None) -> dict[int, Bulanan]:
    """Monthly values of a tunggal indicator: nilai(b1=2, b3=5)."""
    return {int(k[1:]): Bulanan(nilai=None if v is None else D(str(v))) for k, v in months.items()}


def rasio(**months: tuple[int | None, int | None]) -> dict[int, Bulanan]:
    """Monthly pembilang/penyebut of a rasio indicator: rasio(b1=(1, 2))."""
    return {
        int(k[1:]): Bulanan(
            pembilang=None if p is None else D(p), penyebut=None if q is None else D(q)
        )
        for k, (p, q) in months.items()
    }


def hitung(ind: IndikatorDef, entries: dict[int, Bulanan] | None = None, triwulan: int = 4) -> Hasil:
    """Compute one stand-alone indicator s.d. a triwulan."""
    data = DataKinerja(indikator=[ind], realisasi={ind.kode: entries or {}})
    return compute_periode(data, triwulan)[ind.kode]


# --- capaian -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realisasi", "target", "expected"),
    [
        (50, 100, 50),
        (100, 100, 100),
        (110, 100, 110),  # shown uncapped: 110 % is 110 %
        (0, 100, 0),
        (12, 12, 100),
        ("87.5", "87.5", 100),
        (1, "0.75", Fraction(400, 3)),  # 1 / 0,75 × 100 = 133,33...
        (2, 3, Fraction(200, 3)),
        (273, 300, 91),
    ],
)
def test_capaian_positive_polarity_is_realisasi_over_target(realisasi, target, expected):
    result = compute_capaian(D(str(realisasi)), D(str(target)), "positif")
    assert close(result, expected)


@pytest.mark.parametrize(
    ("realisasi", "target", "expected"),
    [
        (8, 10, 120),  # (2×10 − 8) / 10 × 100: below target is better
        (10, 10, 100),
        (15, 10, 50),
        (20, 10, 0),
        (25, 10, 0),  # (20 − 25) / 10 × 100 = −50, floored at 0
        (1000, 10, 0),
        (0, 10, 200),  # R = 0: the best possible, (1 + (1 − 0/10)) × 100
        (109, 100, 91),
        (3, 4, 125),
    ],
)
def test_capaian_negative_polarity_is_two_targets_minus_realisasi_floored_at_zero(realisasi, target, expected):
    assert compute_capaian(D(realisasi), D(target), "negatif") == expected


@pytest.mark.parametrize("polaritas", ["positif", "negatif"])
@pytest.mark.parametrize(("realisasi", "target"), [(None, D(10)), (D(5), D(0)), (D(5), None), (D(0), D(0))])
def test_no_capaian_without_realisasi_or_with_target_zero(realisasi, target, polaritas):
    assert compute_capaian(realisasi, target, polaritas) is None


# --- kategori ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capaian", "kategori"),
    [
        ("150", "Sangat Tinggi"),
        ("100.01", "Sangat Tinggi"),
        ("100", "Sangat Tinggi"),
        ("91", "Sangat Tinggi"),
        ("91.00", "Sangat Tinggi"),
        ("90.99", "Tinggi"),
        ("90.9999999", "Tinggi"),
        ("76", "Tinggi"),
        ("75.99", "Sedang"),
        ("66", "Sedang"),
        ("65.99", "Rendah"),
        ("51", "Rendah"),
        ("50.99", "Sangat Rendah"),
        ("0", "Sangat Rendah"),
        (None, None),
    ],
)
def test_kategori_at_every_boundary(capaian, kategori):
    assert kategori_capaian(None if capaian is None else D(capaian)) == kategori


@given(
    a=st.decimals(min_value=0, max_value=300, places=2, allow_nan=False),
    b=st.decimals(min_value=0, max_value=300, places=2, allow_nan=False),
)
def test_a_higher_capaian_never_gets_a_lower_kategori(a, b):
    low, high = sorted([a, b])
    assert KATEGORI_URUT.index(kategori_capaian(high)) <= KATEGORI_URUT.index(kategori_capaian(low))


# --- exactness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ind", "entries", "triwulan"),
    [
        # 100 + 100 + 73 = 273 of 300 Dokumen = exactly 91 %
        (IndikatorDef("X", D(300)), nilai(b1=100, b2=100, b3=73), 4),
        # Rencana Aksi of 300 at TW II; 200 in January + 73 in April = 273
        (IndikatorDef("X", D(1200), rencana_aksi=(None, D(300), None, None)), nilai(b1=200, b4=73), 2),
        # rasio 91 / 100
        (IndikatorDef("X", D(100), jenis="rasio"), rasio(b2=(91, 100)), 4),
        # rasio summed over months: (50 + 41) / (60 + 40) = 91 %
        (IndikatorDef("X", D(100), jenis="rasio"), rasio(b1=(50, 60), b2=(41, 40)), 4),
        # rata_rata of 90, 91, 92 = 91 of a target of 100
        (IndikatorDef("X", D(100), agregasi="rata_rata"), nilai(b1=90, b2=91, b3=92), 1),
        # negative polarity: (2 × 100 − 109) / 100 × 100 = 91
        (IndikatorDef("X", D(100), agregasi="terakhir", polaritas="negatif"), nilai(b3=109), 1),
    ],
)
def test_capaian_of_exactly_91_is_sangat_tinggi(ind, entries, triwulan):
    h = hitung(ind, entries, triwulan)
    assert h.capaian_sd_tw == 91
    assert h.kategori == "Sangat Tinggi"


# --- roll-up of a tunggal indicator ---------------------------------------------------------


@pytest.mark.parametrize(
    ("agregasi", "entries", "triwulan", "expected"),
    [
        ("jumlah", nilai(b1=2, b2=3, b3=1), 1, 6),
        ("jumlah", nilai(b1=2, b4=5), 1, 2),  # April is after TW I
        ("jumlah", nilai(b1=2, b4=5), 2, 7),
        ("jumlah", nilai(b1=2, b12=5), 3, 2),
        ("jumlah", nilai(b1=2, b12=5), 4, 7),
        ("jumlah", nilai(b2=0), 1, 0),  # an entered zero is a value
        ("jumlah", nilai(), 4, None),
        ("jumlah", nilai(b1=None), 4, None),
        ("jumlah", nilai(b4=3), 1, None),  # only months after the period
        ("rata_rata", nilai(b1=25, b2=25, b3=22), 1, 24),  # (25 + 25 + 22) / 3
        ("rata_rata", nilai(b1=24, b3=26), 1, 25),  # February not entered: mean of two months, not / 3
        ("rata_rata", nilai(b1=20, b2=30, b4=100), 1, 25),
        ("rata_rata", nilai(b1=20, b2=30, b4=100), 2, 50),  # (20 + 30 + 100) / 3
        ("rata_rata", nilai(b1=25, b2=0), 1, "12.5"),  # a zero month counts in the mean
        ("rata_rata", nilai(), 2, None),
        ("terakhir", nilai(b1=60, b2=80, b3=70), 1, 70),  # the latest month, not the largest
        ("terakhir", nilai(b3=70, b5=90), 1, 70),
        ("terakhir", nilai(b3=70, b5=90), 2, 90),
        ("terakhir", nilai(b3=70, b5=90), 4, 90),
        ("terakhir", nilai(b1=50, b2=0), 1, 0),
        ("terakhir", nilai(b12="70.05"), 3, None),
        ("terakhir", nilai(b12="70.05"), 4, "70.05"),
    ],
)
def test_tunggal_rolls_up_by_its_agregasi(agregasi, entries, triwulan, expected):
    h = hitung(IndikatorDef("X", D(100), agregasi=agregasi), entries, triwulan)
    assert h.realisasi == (None if expected is None else D(str(expected)))


@given(
    months=st.dictionaries(
        st.integers(min_value=1, max_value=12),
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
        max_size=12,
    ),
    triwulan=st.sampled_from([1, 2, 3, 4]),
)
def test_jumlah_is_the_sum_and_terakhir_the_latest_of_the_months_up_to_the_period(months, triwulan):
    sd = triwulan * 3
    inside = {b: v for b, v in months.items() if b <= sd}
    jumlah = aggregate(months, "jumlah", sd)
    terakhir = aggregate(months, "terakhir", sd)
    rata = aggregate(months, "rata_rata", sd)
    if not inside:
        assert jumlah is None and terakhir is None and rata is None
        return
    assert jumlah == sum(inside.values())
    assert terakhir == inside[max(inside)]
    assert min(inside.values()) <= rata <= max(inside.values())


# --- roll-up of a rasio indicator -----------------------------------------------------------


@pytest.mark.parametrize(
    ("agregasi", "entries", "triwulan", "realisasi", "pembilang", "penyebut"),
    [
        ("jumlah", rasio(b1=(1, 2), b2=(2, 2)), 1, 75, 3, 4),  # (1 + 2) / (2 + 2), not mean of 50 % and 100 %
        ("jumlah", rasio(b1=(1, 2), b4=(2, 2)), 1, 50, 1, 2),  # April is after TW I
        ("jumlah", rasio(b1=(1, 2), b4=(2, 2)), 2, 75, 3, 4),
        ("jumlah", rasio(b1=(0, 4)), 1, 0, 0, 4),  # entered zero: 0 %, not "no value"
        ("jumlah", rasio(b1=(0, 0), b2=(0, 0)), 1, None, 0, 0),  # aggregated penyebut 0: no realisasi
        ("jumlah", rasio(), 4, None, None, None),
        ("rata_rata", rasio(b1=(1, 2), b3=(3, 4)), 1, Fraction(200, 3), 2, 3),  # mean 2 / mean 3
        ("terakhir", rasio(b1=(40, 50), b3=(45, 50)), 1, 90, 45, 50),
        ("terakhir", rasio(b1=(40, 50), b2=(45, 60), b3=(30, 50)), 1, 60, 30, 50),
        ("terakhir", rasio(b1=(40, 50), b3=(45, None)), 1, 80, 40, 50),  # March lacks its penyebut
        ("terakhir", rasio(b1=(40, 50), b3=(None, 60)), 1, 80, 40, 50),  # March lacks its pembilang
        ("terakhir", rasio(b1=(40, 50), b4=(50, 50)), 1, 80, 40, 50),  # April is after TW I
        ("terakhir", rasio(b1=(40, 50), b4=(50, 50)), 2, 100, 50, 50),
        ("terakhir", rasio(b1=(40, 50), b3=(0, 0)), 1, None, 0, 0),  # the latest month's penyebut is 0
    ],
)
def test_rasio_is_aggregated_pembilang_over_aggregated_penyebut(
    agregasi, entries, triwulan, realisasi, pembilang, penyebut
):
    h = hitung(IndikatorDef("X", D(100), agregasi=agregasi, jenis="rasio"), entries, triwulan)
    if realisasi is None:
        assert h.realisasi is None
        assert h.capaian_sd_tw is None
    else:
        assert close(h.realisasi, realisasi)
    assert h.pembilang == (None if pembilang is None else D(pembilang))
    assert h.penyebut == (None if penyebut is None else D(penyebut))


# --- None is not zero ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ind", "entered", "not_entered"),
    [
        (IndikatorDef("X", D(12)), nilai(b1=0), nilai()),
        (IndikatorDef("X", D("87.5"), agregasi="terakhir"), nilai(b2=0), nilai(b2=None)),
        (IndikatorDef("X", D(25), agregasi="rata_rata"), nilai(b1=0, b2=0), nilai()),
        (IndikatorDef("X", D(100), jenis="rasio"), rasio(b1=(0, 5)), rasio()),
    ],
)
def test_entered_zero_gives_capaian_zero_and_nothing_entered_gives_no_capaian(ind, entered, not_entered):
    zero = hitung(ind, entered, 1)
    assert zero.realisasi == 0
    assert zero.capaian_sd_tw == 0
    assert zero.capaian_tahunan == 0
    assert zero.kategori == "Sangat Rendah"

    empty = hitung(ind, not_entered, 1)
    assert empty.realisasi is None
    assert empty.capaian_sd_tw is None
    assert empty.capaian_tahunan is None
    assert empty.kategori is None


def test_negative_polarity_applies_to_the_annual_capaian_too():
    # 3 incidents a year allowed, 1 by TW I against 0,75: (1,5 − 1) / 0,75 = 66,67; annual (6 − 1) / 3 = 166,67
    h = hitung(IndikatorDef("X", D(3), polaritas="negatif"), nilai(b2=1), 1)
    assert close(h.capaian_sd_tw, Fraction(200, 3))
    assert close(h.capaian_tahunan, Fraction(500, 3))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: bulan_akhir(5), "triwulan harus 1-4, bukan 5"),
    (lambda: aggregate({1: D(1)}, "median", 12), "agregasi tidak dikenal: median"),
])
def test_an_unknown_period_or_roll_up_is_named_in_the_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- target s.d. triwulan -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ind", "expected"),
    [
        # counts (tunggal + jumlah): a quarter of the year per triwulan
        (IndikatorDef("X", D(12)), ("3", "6", "9", "12")),
        (IndikatorDef("X", D(3)), ("0.75", "1.5", "2.25", "3")),
        (IndikatorDef("X", D(22)), ("5.5", "11", "16.5", "22")),
        # budget absorption, whatever its agregasi
        (
            IndikatorDef("X", D(100), agregasi="terakhir", sumber="anggaran", anggaran_kode="K"),
            ("25", "50", "75", "100"),
        ),
        # everything else: the annual target in every triwulan
        (IndikatorDef("X", D(25), agregasi="rata_rata"), ("25",) * 4),
        (IndikatorDef("X", D("87.5"), agregasi="terakhir"), ("87.5",) * 4),
        (IndikatorDef("X", D("70.05"), agregasi="terakhir"), ("70.05",) * 4),
        (IndikatorDef("X", D(100), jenis="rasio"), ("100",) * 4),  # a rasio under jumlah is a percentage
        (IndikatorDef("X", D(100), agregasi="terakhir", jenis="rasio"), ("100",) * 4),
        (IndikatorDef("X", D(100), agregasi="terakhir", sumber="turunan", anggaran_kode="K"), ("100",) * 4),
        # an explicit Rencana Aksi wins; a triwulan left empty keeps its default
        (IndikatorDef("X", D(3), rencana_aksi=(D(1), D(1), D(2), None)), ("1", "1", "2", "3")),
        (
            IndikatorDef("X", D(25), agregasi="rata_rata", rencana_aksi=(D(20), None, None, None)),
            ("20", "25", "25", "25"),
        ),
        (
            IndikatorDef("X", D(100), agregasi="terakhir", sumber="anggaran", anggaran_kode="K",
                         rencana_aksi=(D(10), D(40), None, D(95))),
            ("10", "40", "75", "95"),
        ),
    ],
)
def test_target_sd_triwulan_defaults_and_rencana_aksi(ind, expected):
    assert tuple(target_sd_triwulan(ind, q) for q in (1, 2, 3, 4)) == tuple(D(e) for e in expected)
    data = DataKinerja(indikator=[ind], anggaran=[NodeDef("K", None, 1000)])
    assert tuple(compute_periode(data, q)["X"].target_sd_tw for q in (1, 2, 3, 4)) == tuple(D(e) for e in expected)


def test_capaian_sd_triwulan_uses_the_cumulative_target_and_capaian_tahunan_the_annual_one():
    # Jumlah dokumen perencanaan: 3 Dokumen a year, 1 made in February
    ind = IndikatorDef("IK-6.1.1", D(3))
    tw1 = hitung(ind, nilai(b2=1), 1)
    assert tw1.target_sd_tw == D("0.75")
    assert tw1.realisasi == 1
    assert close(tw1.capaian_sd_tw, Fraction(400, 3))  # 1 / 0,75
    assert close(tw1.capaian_tahunan, Fraction(100, 3))  # 1 / 3
    assert tw1.kategori == "Sangat Tinggi"  # above 100 is Sangat Tinggi
    tw2 = hitung(ind, nilai(b2=1), 2)
    assert close(tw2.capaian_sd_tw, Fraction(200, 3))  # 1 / 1,5
    assert tw2.kategori == "Sedang"
    tw4 = hitung(ind, nilai(b2=1, b11=2), 4)
    assert tw4.capaian_sd_tw == tw4.capaian_tahunan == 100


def test_explicit_rencana_aksi_changes_the_capaian():
    ind = IndikatorDef("X", D(3), rencana_aksi=(D(1), None, None, None))
    h = hitung(ind, nilai(b2=1), 1)
    assert h.target_sd_tw == 1
    assert h.capaian_sd_tw == 100
    assert close(h.capaian_tahunan, Fraction(100, 3))


@pytest.mark.parametrize(
    ("ind", "entries", "triwulan"),
    [
        (IndikatorDef("X", D(0)), nilai(b1=5), 1),
        (IndikatorDef("X", D(0), agregasi="terakhir"), nilai(b1=0), 4),
        (IndikatorDef("X", D(0), jenis="rasio"), rasio(b1=(1, 2)), 4),
    ],
)
def test_target_zero_gives_no_capaian_not_zero_nor_infinity(ind, entries, triwulan):
    h = hitung(ind, entries, triwulan)
    assert h.realisasi is not None
    assert h.capaian_sd_tw is None
    assert h.capaian_tahunan is None
    assert h.kategori is None


def test_rencana_aksi_zero_gives_no_capaian_for_that_triwulan_only():
    ind = IndikatorDef("X", D(4), rencana_aksi=(D(0), None, None, None))
    tw1 = hitung(ind, nilai(b1=1), 1)
    assert tw1.capaian_sd_tw is None
    assert tw1.kategori is None
    assert tw1.capaian_tahunan == 25  # 1 of 4 in the year
    assert hitung(ind, nilai(b1=1), 2).capaian_sd_tw == 50  # 1 / (4 × 2/4)


# --- derived (turunan) indicators ------------------------------------------------------------


def pohon(children: list[tuple[str, IndikatorDef | None]], parent: IndikatorDef) -> DataKinerja:
    """A node P carrying `parent`, with one child node per entry carrying its indicator."""
    nodes = [NodeDef("P", None, 0)] + [NodeDef(kode, "P", 0) for kode, _ in children]
    inds = [parent] + [i for _, i in children if i is not None]
    return DataKinerja(indikator=inds, anggaran=nodes)


def turunan(kode: str, node: str, target: str = "100") -> IndikatorDef:
    return IndikatorDef(kode, D(target), agregasi="terakhir", sumber="turunan", anggaran_kode=node)


def anak(kode: str, node: str, target: str) -> IndikatorDef:
    """A count indicator whose capaian at TW IV is realisasi / target."""
    return IndikatorDef(kode, D(target), anggaran_kode=node)


@pytest.mark.parametrize(
    ("children", "entries", "expected"),
    [
        # capaian 80 and 60: mean 70
        ([("A", "10"), ("B", "10")], {"A": 8, "B": 6}, 70),
        # a child at 150 % counts as 100: (100 + 50) / 2 = 75, not (150 + 50) / 2 = 100
        ([("A", "10"), ("B", "10")], {"A": 15, "B": 5}, 75),
        # children without capaian are skipped: (80 + 60) / 2, not / 3
        ([("A", "10"), ("B", "10"), ("C", "10")], {"A": 8, "C": 6}, 70),
        # a child with target 0 has no capaian and is skipped
        ([("A", "10"), ("B", "0")], {"A": 8, "B": 3}, 80),
        # a child that entered zero has capaian 0 and counts: (100 + 0) / 2
        ([("A", "10"), ("B", "10")], {"A": 10, "B": 0}, 50),
        # no child with a capaian: no realisasi
        ([("A", "10"), ("B", "10")], {}, None),
        ([("A", "10"), ("B", "0")], {"B": 3}, None),
        # exactness at the kategori boundaries: 82 and 100 average exactly 91
        ([("A", "100"), ("B", "10")], {"A": 82, "B": 10}, 91),
    ],
)
def test_derived_realisasi_is_mean_of_children_capaian_each_capped_at_100(children, entries, expected):
    parent = turunan("P-IND", "P")
    data = pohon([(f"N{k}", anak(k, f"N{k}", t)) for k, t in children], parent)
    data.realisasi = {k: nilai(b6=v) for k, v in entries.items()}
    h = compute_periode(data, 4)["P-IND"]
    if expected is None:
        assert h.realisasi is None
        assert h.capaian_sd_tw is None
        assert h.kategori is None
    else:
        assert h.realisasi == expected
        assert h.capaian_sd_tw == expected  # target 100 %
        assert h.capaian_tahunan == expected


@pytest.mark.parametrize(
    ("capaian_anak", "expected", "kategori"),
    [
        # children at 77 %, 33⅓ %, 33⅓ %, 33⅓ %, 78 %: (77 + 100 + 78) / 5 = 51 exactly
        ([("77", "100"), ("1", "3"), ("1", "3"), ("1", "3"), ("78", "100")], 51, "Rendah"),
        # 98 %, 99 %, 33⅓ % × 3, 99 %: (98 + 99 + 100 + 99) / 6 = 66 exactly
        ([("98", "100"), ("99", "100"), ("1", "3"), ("1", "3"), ("1", "3"), ("99", "100")], 66, "Sedang"),
        # 66⅔ %, 66⅔ %, 83⅓ %, 83⅓ %: (200/3 + 200/3 + 250/3 + 250/3) / 4 = 75 exactly
        ([("2", "3"), ("2", "3"), ("5", "6"), ("5", "6")], 75, "Sedang"),
    ],
)
def test_derived_mean_of_repeating_decimals_is_exact_and_lands_in_the_right_kategori(capaian_anak, expected, kategori):
    children = [(f"N{i}", anak(f"C{i}", f"N{i}", t)) for i, (_, t) in enumerate(capaian_anak)]
    data = pohon(children, turunan("P-IND", "P"))
    data.realisasi = {f"C{i}": nilai(b12=r) for i, (r, _) in enumerate(capaian_anak)}
    h = compute_periode(data, 4)["P-IND"]
    assert h.realisasi == expected
    assert h.kategori == kategori
    assert mean_capaian(compute_periode(data, 4)[f"C{i}"].capaian_sd_tw for i in range(len(capaian_anak))) == expected


def test_derived_of_derived_cascades_over_two_levels():
    # program P <- kegiatan K1 (turunan) <- sub-kegiatan S1 (150 %), S2 (50 %)
    #           <- kegiatan K2 (input, 90 %)
    nodes = [
        NodeDef("P", None, 0), NodeDef("K1", "P", 0), NodeDef("S1", "K1", 0), NodeDef("S2", "K1", 0),
        NodeDef("K2", "P", 0), NodeDef("S3", "K2", 0),
    ]
    inds = [
        turunan("IK-P", "P"),
        turunan("IK-K1", "K1"),
        anak("IK-S1", "S1", "2"),
        anak("IK-S2", "S2", "4"),
        IndikatorDef("IK-K2", D(100), jenis="rasio", anggaran_kode="K2"),
        anak("IK-S3", "S3", "1"),  # under K2, which has its own indicator: not a child of IK-P
    ]
    data = DataKinerja(
        indikator=inds, anggaran=nodes,
        realisasi={"IK-S1": nilai(b1=3), "IK-S2": nilai(b2=2), "IK-K2": rasio(b3=(9, 10)), "IK-S3": nilai(b1=0)},
    )
    hasil = compute_periode(data, 4)
    assert hasil["IK-K1"].realisasi == 75  # (min(150, 100) + 50) / 2
    assert hasil["IK-P"].realisasi == D("82.5")  # (75 + 90) / 2; IK-S3's 0 % is K2's business
    assert hasil["IK-P"].kategori == "Tinggi"


def test_derived_descends_through_a_child_node_without_indicators():
    # P (turunan) <- K (no indicator) <- S1 (80 %), S2 (100 %)
    nodes = [NodeDef("P", None, 0), NodeDef("K", "P", 0), NodeDef("S1", "K", 0), NodeDef("S2", "K", 0)]
    inds = [turunan("IK-P", "P"), anak("IK-S1", "S1", "10"), anak("IK-S2", "S2", "5")]
    data = DataKinerja(indikator=inds, anggaran=nodes, realisasi={"IK-S1": nilai(b1=8), "IK-S2": nilai(b1=5)})
    assert compute_periode(data, 4)["IK-P"].realisasi == 90


def test_a_budget_tree_that_loops_is_refused_with_the_indicator_named():
    # A's parent is B and B's parent is A (a typing error in the budget): each derived indicator
    # would wait for the other for ever
    nodes = [NodeDef("A", "B", 0), NodeDef("B", "A", 0)]
    data = DataKinerja(indikator=[turunan("IK-A", "A"), turunan("IK-B", "B")], anggaran=nodes)
    with pytest.raises(ValueError, match="indikator turunan IK-A bergantung pada dirinya sendiri"):
        compute_periode(data, 4)


def test_derived_uses_the_childrens_capaian_of_the_same_triwulan():
    # child: 12 Laporan a year; 3 in Q1, 6 more in April. TW I: 3 / 3 = 100 %; TW II: 9 / 6 = 150 % -> 100
    # other child: 4 a year, 1 in Q1 only. TW I: 1 / 1 = 100 %; TW II: 1 / 2 = 50 %
    data = pohon([("A", anak("A1", "A", "12")), ("B", anak("B1", "B", "4"))], turunan("IK-P", "P"))
    data.realisasi = {"A1": nilai(b1=3, b4=6), "B1": nilai(b2=1)}
    assert compute_periode(data, 1)["IK-P"].realisasi == 100
    assert compute_periode(data, 2)["IK-P"].realisasi == 75  # (100 + 50) / 2


def test_mean_capaian_caps_each_value_and_skips_empty_ones():
    assert mean_capaian([D(150), D(50), None]) == 75
    assert mean_capaian([None, None]) is None
    assert mean_capaian([]) is None


# --- budget absorption ------------------------------------------------------------------------

NODES = [
    NodeDef("P", None, 2000),
    NodeDef("K", "P", 1000),
    NodeDef("S1", "K", 600),
    NodeDef("S2", "K", 400),
    NodeDef("K2", "P", 1000),
    NodeDef("S3", "K2", 1000),
]


def serapan(node: str) -> IndikatorDef:
    return IndikatorDef(f"IK-{node}", D(100), agregasi="terakhir", sumber="anggaran", anggaran_kode=node)


@pytest.mark.parametrize(
    ("node", "rupiah", "triwulan", "expected"),
    [
        ("K", {"S1": {1: 100, 2: 50}, "S2": {3: 100}}, 1, 25),  # 250 / 1000
        ("K", {"S1": {1: 100, 4: 500}}, 1, 10),  # April is after TW I
        ("K", {"S1": {1: 100, 4: 500}}, 2, 60),
        ("K", {"S1": {12: 600}, "S2": {12: 400}}, 4, 100),
        ("K", {"S3": {1: 1000}}, 4, None),  # another kegiatan's spending is not K's
        ("K", {}, 4, None),  # nothing entered yet: no realisasi, not 0 %
        ("K", {"S1": {1: 0}}, 1, 0),  # an entered zero is 0 %
        ("S2", {"S1": {1: 600}, "S2": {2: 100}}, 1, 25),  # a sub-kegiatan: its own spending only
        ("P", {"S1": {1: 100}, "S2": {2: 100}, "S3": {3: 300}}, 1, 25),  # program: whole subtree, 500 / 2000
    ],
)
def test_budget_absorption_is_subtree_spending_up_to_period_over_pagu(node, rupiah, triwulan, expected):
    assert compute_penyerapan(NODES, rupiah, node, triwulan * 3) == (None if expected is None else D(expected))
    ind = serapan(node)
    h = compute_periode(DataKinerja(indikator=[ind], anggaran=NODES, realisasi_anggaran=rupiah), triwulan)[ind.kode]
    if expected is None:
        assert h.realisasi is None
        assert h.capaian_sd_tw is None
    else:
        assert h.realisasi == expected
        assert h.capaian_sd_tw == D(expected) * 100 / (D(100) * triwulan / 4)


def test_budget_absorption_capaian_against_the_quarterly_target():
    # 250 of 1000 spent in TW I against a TW I target of 25 %: capaian 100, annual capaian 25
    ind = serapan("K")
    h = compute_periode(
        DataKinerja(indikator=[ind], anggaran=NODES, realisasi_anggaran={"S1": {1: 250}}), 1
    )[ind.kode]
    assert h.target_sd_tw == 25
    assert h.capaian_sd_tw == 100
    assert h.capaian_tahunan == 25


def test_budget_absorption_of_an_unknown_node_has_no_realisasi():
    assert compute_penyerapan(NODES, {"S1": {1: 100}}, "X", 12) is None


def test_budget_absorption_of_a_node_with_zero_pagu_has_no_realisasi():
    nodes = [NodeDef("K", None, 0), NodeDef("S", "K", 0)]
    assert compute_penyerapan(nodes, {"S": {1: 10}}, "K", 12) is None


@pytest.mark.parametrize(
    ("spent", "pagu", "expected"),
    [
        (250, 1000, "25"),
        (0, 1000, "0"),  # an entered zero is 0 %
        (1000, 1000, "100"),
        (1, 3, "33.33333333333333333333"),  # 1 / 3 × 100, cut at 20 decimals
        (2, 3, "66.66666666666666666667"),  # rounded, not cut: ...6667
        (1, 7, "14.28571428571428571429"),  # 100 / 7 = 14,285714 285714 285714 28|5714... rounds up
        (None, 1000, None),  # nothing entered yet: no absorption, not 0 %
        (10, 0, None),  # no pagu: no absorption, not ∞
        (10, None, None),
    ],
)
def test_persen_serapan_is_realisasi_over_pagu_times_100(spent, pagu, expected):
    assert persen_serapan(spent, pagu) == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("agregasi", "jenis", "sumber", "expected"),
    [
        ("jumlah", "tunggal", "input", True),  # counts grow through the year
        ("terakhir", "tunggal", "anggaran", True),  # budget absorption, whatever its agregasi
        ("jumlah", "rasio", "anggaran", True),
        ("jumlah", "rasio", "input", False),  # a percentage keeps its 100 %
        ("rata_rata", "tunggal", "input", False),
        ("terakhir", "tunggal", "input", False),
        ("terakhir", "tunggal", "turunan", False),
        ("jumlah", "tunggal", "turunan", True),
    ],
)
def test_is_kumulatif_for_counts_and_budget_absorption(agregasi, jenis, sumber, expected):
    assert is_kumulatif(agregasi, jenis, sumber) is expected
    expected_targets = (D(2), D(4), D(6), D(8)) if expected else (D(8),) * 4
    assert default_rencana_aksi(D(8), agregasi, jenis, sumber) == expected_targets


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85.45436964224019655857187577", "85.45436964224019655857"),
        ("50.999999999999999999995", "51.00000000000000000000"),  # half even at the 21st decimal
        ("50.999999999999999999985", "50.99999999999999999998"),
        ("12345678901234567890.123", "12345678901234567890.12300000000000000000"),  # never too wide
        ("7", "7"),
    ],
)
def test_round_residu_keeps_20_decimals(value, expected):
    result = round_residu(D(value))
    assert result == D(expected)
    assert result.as_tuple().exponent == -20


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85.454", "85.45"),
        ("85.455", "85.46"),  # half up, as a reader rounds
        ("85.445", "85.45"),
        ("85.4449", "85.44"),
        ("99.995", "100.00"),
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("1234567890123456789012345678.005", "1234567890123456789012345678.01"),  # never too wide
    ],
)
def test_round_shown_rounds_half_up_to_2_decimals(value, expected):
    assert str(round_shown(D(value))) == expected


# --- properties -----------------------------------------------------------------------------


@given(
    realisasi=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    target=st.decimals(min_value="0.01", max_value=10**6, places=2, allow_nan=False),
)
def test_positive_capaian_times_target_over_100_gives_back_the_realisasi(realisasi, target):
    capaian = compute_capaian(realisasi, target, "positif")
    assert abs(Fraction(capaian) * Fraction(target) / 100 - Fraction(realisasi)) < Fraction(1, 10**15)


@given(
    realisasi=st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False),
    target=st.decimals(min_value="0.01", max_value=1000, places=2, allow_nan=False),
)
def test_negative_capaian_mirrors_positive_around_100_and_is_never_below_zero(realisasi, target):
    negatif = compute_capaian(realisasi, target, "negatif")
    positif = compute_capaian(realisasi, target, "positif")
    assert negatif >= 0
    assert abs(Fraction(negatif) - max(Fraction(0), 200 - Fraction(positif))) < Fraction(1, 10**15)
