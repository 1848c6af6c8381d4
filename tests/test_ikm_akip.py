"""IKM (PermenPANRB 14/2017) and Nilai AKIP (PermenPANRB 88/2021), as DOMAIN.md states them."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from kinerja.aturan.akip import check_komponen, compute_akip, predikat_akip
from kinerja.aturan.ikm import compute_ikm, compute_ikm_from_counts, mutu_pelayanan, sampel_minimum
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Indikator, NilaiAKIP, Realisasi
from kinerja.simpan.penilaian import save_akip

D = Decimal


def responden(jawaban: int | None, n: int = 1) -> list[list[int | None]]:
    """n respondents answering the same to all 9 unsur."""
    return [[jawaban] * 9 for _ in range(n)]


def counts_of(answers: list[list[int | None]]) -> list[list[int]]:
    """Per unsur, how many answered 1, 2, 3 and 4."""
    return [[sum(1 for a in answers if a[u] == k) for k in (1, 2, 3, 4)] for u in range(9)]


# --- IKM ----------------------------------------------------------------------------------


def test_all_answers_4_give_exactly_100_and_mutu_a():
    hasil = compute_ikm(responden(4, 10))
    assert hasil.ikm == 100
    assert hasil.nilai == 100
    assert hasil.nrr == (4,) * 9
    assert hasil.mutu == ("A", "Sangat Baik")


def test_all_answers_1_give_25_and_mutu_d():
    hasil = compute_ikm(responden(1, 3))
    assert hasil.ikm == 25
    assert hasil.mutu == ("D", "Tidak Baik")


def test_nrr_per_unsur_is_sum_over_answers_given_and_ikm_is_mean_nrr_times_25():
    answers = [
        [4, 3, 2, 1, 4, 3, 2, 1, 4],
        [2, 3, 4, 1, None, 3, 2, 1, 4],  # U5 left blank: U5's NRR is 4 / 1, not 4 / 2
    ]
    hasil = compute_ikm(answers)
    assert hasil.nrr == (3, 3, 3, 1, 4, 3, 2, 1, 4)
    assert hasil.responden == 2
    # (3 + 3 + 3 + 1 + 4 + 3 + 2 + 1 + 4) / 9 × 25 = 24 / 9 × 25 = 66,67
    assert hasil.ikm == Fraction(24 * 25, 9)
    assert hasil.mutu == ("C", "Kurang Baik")


def test_one_low_unsur_weighs_exactly_one_ninth():
    # 8 unsur at 4 and one at 1: (32 + 1) / 9 × 25 = 91,67
    hasil = compute_ikm([[4, 4, 4, 4, 4, 4, 4, 4, 1]])
    assert hasil.ikm == Fraction(33 * 25, 9)
    assert hasil.mutu[0] == "A"


def test_blank_answers_are_skipped_not_counted_as_zero():
    full = compute_ikm(responden(4, 2) + responden(2, 2))
    with_blanks = compute_ikm(responden(4, 2) + responden(2, 2) + responden(None, 3) + [[None, 2] + [None] * 7])
    assert full.ikm == 75  # (4 + 4 + 2 + 2) / 4 = 3 per unsur
    assert with_blanks.nrr[0] == 3
    assert with_blanks.nrr[1] == Fraction(14, 5)  # U2 also has the last respondent's 2: 14 / 5
    assert with_blanks.nrr[2:] == (3,) * 7


def test_an_unsur_nobody_answered_is_left_out_of_the_mean():
    # The PK's own formula: total of NRR per unsur / total unsur yang terisi
    answers = [[4, 4, 4, 4, 4, 4, 4, 4, None], [3, 3, 3, 3, 3, 3, 3, 3, None]]
    hasil = compute_ikm(answers)
    assert hasil.nrr[8] is None
    assert hasil.ikm == Fraction("87.5")


def test_target_2025_of_87_50_is_mutu_b():
    hasil = compute_ikm(responden(4, 1) + responden(3, 1))
    assert hasil.ikm == Fraction("87.5")
    assert hasil.mutu == ("B", "Baik")
    assert mutu_pelayanan(D("87.50")) == ("B", "Baik")


def test_no_answers_give_no_ikm():
    hasil = compute_ikm(responden(None, 4))
    assert hasil.ikm is None
    assert hasil.nilai is None
    assert hasil.mutu is None
    assert mutu_pelayanan(None) is None


@pytest.mark.parametrize(
    ("ikm", "mutu"),
    [
        ("100", ("A", "Sangat Baik")),
        ("88.31", ("A", "Sangat Baik")),
        ("88.30999", ("B", "Baik")),
        ("76.61", ("B", "Baik")),
        ("76.60", ("C", "Kurang Baik")),
        ("76.60999", ("C", "Kurang Baik")),
        ("65.00", ("C", "Kurang Baik")),
        ("64.99", ("D", "Tidak Baik")),
        ("25", ("D", "Tidak Baik")),
    ],
)
def test_mutu_pelayanan_boundaries(ikm, mutu):
    assert mutu_pelayanan(D(ikm)) == mutu
    assert mutu_pelayanan(Fraction(ikm)) == mutu


@pytest.mark.parametrize(
    ("fours", "threes", "twos", "ikm", "mutu"),
    [
        # 1331 × 4 + 1169 × 3 = 8831 over 2500 answers: NRR 3,5324 × 25 = 88,31
        (1331, 1169, 0, "88.31", "A"),
        (1330, 1170, 0, "88.30", "B"),  # NRR 3,5320 × 25
        (161, 2339, 0, "76.61", "B"),  # 7661 / 2500 × 25
        (160, 2340, 0, "76.60", "C"),
        (0, 3, 2, "65.00", "C"),  # (9 + 4) / 5 = 2,6 × 25
        (0, 1499, 1001, "64.99", "D"),  # (4497 + 2002) / 2500 × 25
    ],
)
def test_mutu_boundaries_from_real_answer_sets(fours, threes, twos, ikm, mutu):
    answers = responden(4, fours) + responden(3, threes) + responden(2, twos)
    hasil = compute_ikm(answers)
    assert hasil.ikm == Fraction(ikm)
    assert hasil.mutu[0] == mutu
    from_counts = compute_ikm_from_counts([[0, twos, threes, fours]] * 9)
    assert from_counts.ikm == Fraction(ikm)
    assert from_counts.mutu[0] == mutu
    assert from_counts.responden == fours + threes + twos


@given(st.lists(st.sampled_from([None, 1, 2, 3, 4]), min_size=9, max_size=9 * 30))
def test_ikm_from_counts_agrees_with_ikm_from_answers(flat):
    answers = [flat[i : i + 9] for i in range(0, len(flat) - 8, 9)]
    from_answers = compute_ikm(answers)
    from_counts = compute_ikm_from_counts(counts_of(answers))
    assert from_counts.nrr == from_answers.nrr
    assert from_counts.ikm == from_answers.ikm
    assert from_counts.mutu == from_answers.mutu
    if from_answers.ikm is not None:
        assert 25 <= from_answers.ikm <= 100


@pytest.mark.parametrize(("populasi", "sampel"), [(100, 80), (200, 132), (1000, 278), (10000, 370)])
def test_krejcie_morgan_minimum_sample(populasi, sampel):
    assert sampel_minimum(populasi) == sampel


def test_minimum_sample_needs_a_population():
    with pytest.raises(ValueError):
        sampel_minimum(0)


# --- AKIP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "predikat", "arti"),
    [
        ("100", "AA", "Sangat Memuaskan"),
        ("90.01", "AA", "Sangat Memuaskan"),
        ("90", "A", "Memuaskan"),
        ("80.01", "A", "Memuaskan"),
        ("80", "BB", "Sangat Baik"),
        ("71.60", "BB", "Sangat Baik"),  # the Renstra target
        ("70.05", "BB", "Sangat Baik"),  # the 2025 PK target
        ("70.01", "BB", "Sangat Baik"),
        ("70", "B", "Baik"),
        ("60.01", "B", "Baik"),
        ("60", "CC", "Cukup"),
        ("50.01", "CC", "Cukup"),
        ("50", "C", "Kurang"),
        ("30.01", "C", "Kurang"),
        ("30", "D", "Sangat Kurang"),
        ("0", "D", "Sangat Kurang"),
    ],
)
def test_predikat_akip_boundaries(total, predikat, arti):
    assert predikat_akip(D(total)) == (predikat, arti)


@pytest.mark.parametrize(
    ("komponen", "total", "predikat"),
    [
        (("25.5", "20", "10.25", "14.3"), "70.05", "BB"),
        (("30", "30", "15", "25"), "100", "AA"),
        (("27", "27", "13.5", "22.5"), "90", "A"),
        (("0", "0", "0", "0"), "0", "D"),
    ],
)
def test_nilai_akip_is_the_sum_of_its_components(komponen, total, predikat):
    hasil = compute_akip(*(D(k) for k in komponen))
    assert hasil.total == D(total)
    assert hasil.predikat == predikat


VALID = {"perencanaan": D(30), "pengukuran": D(30), "pelaporan": D(15), "evaluasi": D(25)}


@pytest.mark.parametrize(
    ("key", "value", "label"),
    [
        ("perencanaan", D("30.01"), "Perencanaan Kinerja"),
        ("pengukuran", D(31), "Pengukuran Kinerja"),
        ("pelaporan", D("15.5"), "Pelaporan Kinerja"),
        ("evaluasi", D("25.01"), "Evaluasi Akuntabilitas Kinerja Internal"),
        ("perencanaan", D(-1), "Perencanaan Kinerja"),
        ("pelaporan", D("-0.01"), "Pelaporan Kinerja"),
        ("evaluasi", None, "Evaluasi Akuntabilitas Kinerja Internal"),
        ("pengukuran", "missing", "Pengukuran Kinerja"),
    ],
)
def test_check_komponen_rejects_a_component_above_its_weight_negative_or_missing(key, value, label):
    nilai = dict(VALID)
    if value == "missing":
        del nilai[key]
    else:
        nilai[key] = value
    problems = check_komponen(nilai)
    assert len(problems) == 1
    assert label in problems[0]


@pytest.mark.parametrize(
    "nilai",
    [VALID, {"perencanaan": D(0), "pengukuran": D(0), "pelaporan": D(0), "evaluasi": D(0)}],
)
def test_check_komponen_accepts_zero_up_to_each_weight(nilai):
    assert check_komponen(nilai) == []


def _akip_realisasi(engine, instansi_id: int) -> dict[int, Decimal]:
    with new_session(engine) as session:
        rows = session.exec(
            select(Realisasi).join(Indikator, Indikator.id == Realisasi.indikator_id)
            .where(Indikator.instansi_id == instansi_id, Indikator.nilai_khusus == "akip")
        ).all()
        return {r.bulan: r.nilai for r in rows}


def test_saving_the_lhe_score_sets_the_akip_realisation_once_a_year(seeded, instansi_id):
    komponen = {"perencanaan": D("25.5"), "pengukuran": D(20), "pelaporan": D("10.25"), "evaluasi": D("14.3")}
    hasil = save_akip(seeded, instansi_id=instansi_id, tahun=2025, komponen=komponen, bulan=11)
    assert (hasil.total, hasil.predikat) == (D("70.05"), "BB")
    assert _akip_realisasi(seeded, instansi_id) == {11: D("70.05")}
    # a corrected score in December replaces November's: the year has one score
    komponen["evaluasi"] = D("20")
    save_akip(seeded, instansi_id=instansi_id, tahun=2025, komponen=komponen, bulan=12)
    assert _akip_realisasi(seeded, instansi_id) == {12: D("75.75")}


def test_an_lhe_score_above_a_weight_saves_nothing(seeded, instansi_id):
    komponen = {"perencanaan": D(31), "pengukuran": D(20), "pelaporan": D(10), "evaluasi": D(14)}
    with pytest.raises(ValidationError) as e:
        save_akip(seeded, instansi_id=instansi_id, tahun=2025, komponen=komponen)
    assert "Perencanaan Kinerja" in str(e.value)
    assert _akip_realisasi(seeded, instansi_id) == {}
    with new_session(seeded) as session:
        assert session.exec(select(NilaiAKIP)).all() == []
