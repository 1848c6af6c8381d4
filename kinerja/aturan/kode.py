"""The rules for the codes an office chooses (office, unit, official, indicator, budget line).

A unit's kode becomes an Excel worksheet name (at most 31 characters, none of / \\ ? * [ ] :) and
part of file names, so it is upper-case letters, digits, _ and - only. An office's kode is written
into the entry template's hidden marker (`kinerja-templat|kode|tahun|unit`), so it holds no `|`.
Indicator and budget codes are free-form ("IK-6.1.1", "6.1.2") but bounded and printable.
"""

import re
import unicodedata

KODE_UNIT = re.compile(r"[A-Z0-9_-]{1,31}")
KODE_INSTANSI = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAKS_KODE = 60  # the kode columns of Indikator and Anggaran
MAKS_KODE_PEJABAT = 40


def tampil_kode(kode: str, maks: int = 40) -> str:
    """Return a kode fit to quote in a message: control characters shown as '?', long ones cut."""
    text = "".join("?" if unicodedata.category(c) == "Cc" else c for c in kode)
    return text if len(text) <= maks else text[:maks] + "…"


def cek_kode_unit(kode: str) -> str | None:
    """Return why a unit kode cannot be used (it names a worksheet and files), or None when it can."""
    if KODE_UNIT.fullmatch(kode):
        return None
    return (f"kode unit '{tampil_kode(kode)}' harus 1-31 karakter: huruf besar A-Z, angka 0-9, _ atau - "
            "(dipakai sebagai nama lembar Excel dan nama berkas)")


def cek_kode_instansi(kode: str) -> str | None:
    """Return why an office kode cannot be used, or None when it can."""
    if KODE_INSTANSI.fullmatch(kode):
        return None
    return f"kode instansi '{tampil_kode(kode)}' harus 1-40 karakter: huruf A-Z atau a-z, angka 0-9, _ atau -"


def cek_kode(kode: str, maks: int = MAKS_KODE) -> str | None:
    """Return why an indicator, budget or official kode cannot be used (empty, too long, control characters)."""
    if not kode.strip():
        return "kode kosong"
    if len(kode) > maks:
        return f"kode '{tampil_kode(kode)}' paling panjang {maks} karakter, bukan {len(kode)}"
    if any(unicodedata.category(c) == "Cc" for c in kode):
        return f"kode '{tampil_kode(kode)}' berisi karakter kendali"
    return None
