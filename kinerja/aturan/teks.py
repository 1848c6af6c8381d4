"""Bounds on the free text users type (keterangan, names): length, and no control characters."""

import unicodedata

MAKS_KETERANGAN = 1000


def cek_teks(text: str, label: str, maks: int = MAKS_KETERANGAN) -> list[str]:
    """Return the problems of a free text: too long, or holding control characters (NUL breaks PostgreSQL)."""
    problems = []
    if len(text) > maks:
        problems.append(f"{label} paling panjang {maks} karakter, bukan {len(text)}")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        problems.append(f"{label} berisi karakter kendali (mis. NUL) yang tidak dapat disimpan")
    return problems


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def netral(value: str) -> str:
    """Return a CSV cell's text so that a spreadsheet shows it as typed, never runs it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value
