"""Comparison with earlier years and progress toward the Renstra: pure rules, no database.

- Arah (naik / turun / tetap) says whether kinerja improved from N-1 to N. It compares capaian,
  which already accounts for polarity, so for a negatif indicator a better capaian is "naik".
  Only when either year lacks a capaian does it compare realisasi, and then oriented by polarity:
  a higher realisasi is "naik" for positif, a lower one is "naik" for negatif. Figures are compared
  as shown (2 decimals), so what the screen prints and the word beside it agree.
- Selisih is the plain difference N minus N-1 of the figure compared: points of capaian, or the
  satuan of realisasi (its sign is literal, so a negatif indicator whose realisasi fell has a
  negative selisih and arah "naik").
- Realisasi Renstra s.d. tahun N is the realisasi of year N for every agregasi, because Renstra
  targets are yearly levels (the end-of-period target of a count is what is done in the last year,
  not a five-year sum).
- Tingkat kemajuan is that realisasi against the end-of-Renstra target by the capaian formula
  (R/T×100, or (2T−R)/T×100 floored at 0 for negatif); sisa is what is still to go to that
  target (T−R for positif, R−T for negatif), 0 once it is reached.
"""

from decimal import Decimal

from kinerja.aturan.capaian import ZERO, compute_capaian, round_shown

NAIK = "naik"
TURUN = "turun"
TETAP = "tetap"


def _arah_of(difference: Decimal) -> str:
    return NAIK if difference > 0 else TURUN if difference < 0 else TETAP


def compute_arah(
    capaian_lalu: Decimal | None,
    capaian_kini: Decimal | None,
    realisasi_lalu: Decimal | None,
    realisasi_kini: Decimal | None,
    polaritas: str,
) -> tuple[str | None, Decimal | None]:
    """Return (arah, selisih) of year N against N-1: capaian when both have one, else realisasi."""
    if capaian_lalu is not None and capaian_kini is not None:
        selisih = round_shown(capaian_kini) - round_shown(capaian_lalu)
        return _arah_of(selisih), selisih
    if realisasi_lalu is not None and realisasi_kini is not None:
        selisih = round_shown(realisasi_kini) - round_shown(realisasi_lalu)
        return _arah_of(-selisih if polaritas == "negatif" else selisih), selisih
    return None, None


def compute_tingkat_kemajuan(
    realisasi: Decimal | None, target_akhir: Decimal | None, polaritas: str
) -> Decimal | None:
    """Return the percent of the end-of-Renstra target reached (None without either figure or a 0 target)."""
    return compute_capaian(realisasi, target_akhir, polaritas)


def compute_sisa(realisasi: Decimal | None, target_akhir: Decimal | None, polaritas: str) -> Decimal | None:
    """Return what is still to go to the end-of-Renstra target, 0 once it is reached."""
    if realisasi is None or target_akhir is None:
        return None
    gap = realisasi - target_akhir if polaritas == "negatif" else target_akhir - realisasi
    return max(ZERO, gap)
