"""Indeks Kepuasan Masyarakat from raw survey answers (PermenPANRB 14/2017)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

UNSUR = (
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Waktu penyelesaian",
    "Biaya/Tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
)
KOLOM = tuple(f"u{i}" for i in range(1, 10))
# (lower bound, mutu, kinerja unit pelayanan), checked from the top.
MUTU = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
)
MUTU_D = ("D", "Tidak Baik")


@dataclass(frozen=True)
class HasilIKM:
    """NRR per unsur (None when nobody answered it), the IKM, and its mutu."""

    nrr: tuple[Fraction | None, ...]
    ikm: Fraction | None
    responden: int

    @property
    def nilai(self) -> Decimal | None:
        """The IKM as a Decimal (28 significant digits)."""
        return None if self.ikm is None else Decimal(self.ikm.numerator) / Decimal(self.ikm.denominator)

    @property
    def mutu(self) -> tuple[str, str] | None:
        return mutu_pelayanan(self.ikm)


def compute_ikm(answers: Sequence[Sequence[int | None]]) -> HasilIKM:
    """Compute NRR per unsur and the IKM from respondents' answers (1-4, None = unanswered).

    NRR per unsur = sum of its answers / number of answers to it. IKM = mean NRR × 25, i.e. Σ NRR
    × 1/9 × 25 with all 9 unsur answered (exactly 1/9, so all-4 answers give exactly 100). An
    unsur nobody answered is left out of the mean ("total unsur yang terisi"). Exact fractions
    keep the mutu boundaries exact.
    """
    nrr: list[Fraction | None] = []
    for i in range(9):
        given = [a[i] for a in answers if a[i] is not None]
        nrr.append(Fraction(sum(given), len(given)) if given else None)
    filled = [n for n in nrr if n is not None]
    ikm = sum(filled, Fraction(0)) / len(filled) * 25 if filled else None
    return HasilIKM(nrr=tuple(nrr), ikm=ikm, responden=len(answers))


def compute_ikm_from_counts(counts: Sequence[Sequence[int]]) -> HasilIKM:
    """Compute the IKM from counts per unsur: counts[u][k] = how many answered k+1 to unsur u."""
    nrr: list[Fraction | None] = []
    for per_unsur in counts:
        total = sum(per_unsur)
        nrr.append(Fraction(sum((k + 1) * c for k, c in enumerate(per_unsur)), total) if total else None)
    filled = [n for n in nrr if n is not None]
    ikm = sum(filled, Fraction(0)) / len(filled) * 25 if filled else None
    return HasilIKM(nrr=tuple(nrr), ikm=ikm, responden=max((sum(c) for c in counts), default=0))


def mutu_pelayanan(ikm: Fraction | Decimal | None) -> tuple[str, str] | None:
    """Return (mutu, kinerja) for an IKM: A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik."""
    if ikm is None:
        return None
    value = Fraction(ikm)
    for batas, mutu, kinerja in MUTU:
        if value >= Fraction(batas):
            return mutu, kinerja
    return MUTU_D


def sampel_minimum(populasi: int) -> int:
    """Return the Krejcie-Morgan minimum sample (χ² = 3,841, P = 0,5, d = 0,05), rounded up."""
    if populasi <= 0:
        raise ValueError("populasi harus lebih dari 0")
    chi2, p, d = Fraction("3.841"), Fraction(1, 2), Fraction(1, 20)
    n = chi2 * populasi * p * (1 - p) / (d * d * (populasi - 1) + chi2 * p * (1 - p))
    return math.ceil(n)
