"""Nilai AKIP from the Inspektorat's four component scores (PermenPANRB 88/2021)."""

from dataclasses import dataclass
from decimal import Decimal

# (component, weight): the most each component can score.
KOMPONEN = (
    ("perencanaan", "Perencanaan Kinerja", Decimal(30)),
    ("pengukuran", "Pengukuran Kinerja", Decimal(30)),
    ("pelaporan", "Pelaporan Kinerja", Decimal(15)),
    ("evaluasi", "Evaluasi Akuntabilitas Kinerja Internal", Decimal(25)),
)
# (exclusive lower bound, predikat, arti), checked from the top.
PREDIKAT = (
    (Decimal(90), "AA", "Sangat Memuaskan"),
    (Decimal(80), "A", "Memuaskan"),
    (Decimal(70), "BB", "Sangat Baik"),
    (Decimal(60), "B", "Baik"),
    (Decimal(50), "CC", "Cukup"),
    (Decimal(30), "C", "Kurang"),
)
PREDIKAT_D = ("D", "Sangat Kurang")


@dataclass(frozen=True)
class HasilAKIP:
    total: Decimal
    predikat: str
    arti: str


def check_komponen(nilai: dict[str, Decimal | None]) -> list[str]:
    """Return the problems of four component scores (each 0..its weight)."""
    problems = []
    for key, label, bobot in KOMPONEN:
        value = nilai.get(key)
        if value is None:
            problems.append(f"{label}: harus diisi")
        elif not Decimal(0) <= value <= bobot:
            problems.append(f"{label}: nilai harus 0 sampai {bobot}, bukan {value}")
    return problems


def predikat_akip(total: Decimal) -> tuple[str, str]:
    """Return (predikat, arti) for a Nilai AKIP: > 90 AA ... > 30 C, otherwise D."""
    for batas, predikat, arti in PREDIKAT:
        if total > batas:
            return predikat, arti
    return PREDIKAT_D


def compute_akip(perencanaan: Decimal, pengukuran: Decimal, pelaporan: Decimal, evaluasi: Decimal) -> HasilAKIP:
    """Add the four components into the Nilai AKIP and give its predikat."""
    total = perencanaan + pengukuran + pelaporan + evaluasi
    predikat, arti = predikat_akip(total)
    return HasilAKIP(total=total, predikat=predikat, arti=arti)
