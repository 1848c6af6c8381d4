"""Nilai AKIP from the Inspektorat's four component scores (PermenPANRB 88/2021)."""

from dataclasses import dataclass
from decimal import Decimal

from kinerja.aturan.angka import AngkaError, Jenis, cek_angka, parse_angka
from kinerja.aturan.format import format_angka

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
SKOR = Jenis("nilai", bulat=False, digit=3, desimal=2)  # an LHE prints component scores to 2 decimals


@dataclass(frozen=True)
class HasilAKIP:
    total: Decimal
    predikat: str
    arti: str


def check_komponen(nilai: dict[str, Decimal | None]) -> list[str]:
    """Return the problems of four component scores (each 0..its weight, at most 2 decimals), naming each."""
    problems = []
    for key, label, bobot in KOMPONEN:
        value = nilai.get(key)
        if value is None:
            problems.append(f"{label}: harus diisi")
            continue
        try:
            cek_angka(value, SKOR)
        except AngkaError as e:
            problems.append(f"{label}: {e}")
            continue
        if value > bobot:
            problems.append(f"{label}: paling tinggi {bobot} (bobot komponen ini), bukan {format_angka(value)}")
    return problems


def baca_komponen(teks: dict[str, str]) -> tuple[dict[str, Decimal | None], list[str]]:
    """Read the four components as typed ('22,61') with the one parser; return the values and what is not a number."""
    nilai: dict[str, Decimal | None] = {}
    problems = []
    for key, label, _ in KOMPONEN:
        try:
            nilai[key] = parse_angka(teks.get(key, ""), SKOR)
        except AngkaError as e:
            nilai[key] = None
            problems.append(f"{label}: {e}")
    return nilai, problems


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
