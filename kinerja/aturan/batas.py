"""Plausibility: the soft limits a month's value is checked against, and the capaian worth a second look.

A value beyond a hard limit is refused (kinerja.aturan.angka bounds, a ratio whose pembilang exceeds its
penyebut, an IKM or AKIP score above 100). A value beyond a soft limit may be true, so it is named
with its reason and saved only after the user confirms it ("Ya, angka ini benar").

Default soft limit of one month's value when the admin has set none (`Indikator.batas_wajar`):
- a percentage typed as one value: 100;
- a count summed over the months (jumlah): the annual target, since one month alone rarely
  delivers more than the whole year's target;
- an average or a latest value (rata_rata, terakhir): twice the annual target.
Ratios (pembilang / penyebut) have their hard limit instead; a target of 0 gives no default.
"""

from dataclasses import dataclass
from decimal import Decimal

from kinerja.aturan.format import format_angka, format_persen

SERATUS = Decimal(100)
BATAS_CEK_BAWAAN = Decimal(200)  # above it a capaian is "perlu dicek" (the default of Instansi.batas_cek_capaian)


@dataclass(frozen=True)
class BatasWajar:
    """The soft maximum of one month's value of an indicator, and where it comes from."""

    maks: Decimal
    alasan: str


def batas_wajar(satuan: str, agregasi: str, jenis: str, target: Decimal | None,
                ditetapkan: Decimal | None) -> BatasWajar | None:
    """Return the soft limit of one month's value (the admin's, or the default rule), or None."""
    if jenis == "rasio":
        return None
    if ditetapkan is not None:
        return BatasWajar(ditetapkan, f"batas wajar yang ditetapkan admin ({format_angka(ditetapkan)} {satuan})")
    if satuan.strip() in ("%", "persen"):
        return BatasWajar(SERATUS, "persentase di atas 100")
    if not target:
        return None
    if agregasi == "jumlah":
        return BatasWajar(target, f"nilai satu bulan melebihi target setahun ({format_angka(target)} {satuan})")
    return BatasWajar(2 * target, f"lebih dari dua kali target ({format_angka(target)} {satuan})")


def melebihi(value: Decimal | None, batas: BatasWajar | None) -> bool:
    """Tell whether a month's value is beyond its soft limit."""
    return value is not None and batas is not None and value > batas.maks


def perlu_dicek(capaian: Decimal | None, ambang: Decimal) -> bool:
    """Tell whether a capaian is above the office's ceiling (200 % by default) and deserves a second look."""
    return capaian is not None and capaian > ambang


def label_dicek(capaian: Decimal | None, ambang: Decimal) -> str:
    """Return 'perlu dicek (di atas 200,00 %)' for a capaian above the ceiling, else ''."""
    return f"perlu dicek (di atas {format_persen(ambang)})" if perlu_dicek(capaian, ambang) else ""
