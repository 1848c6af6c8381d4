"""The one number parser: the same text gives the same number (or the same refusal) on every path.

Every value a user types or uploads (the grids, the Excel template, the CSV imports, the `data/`
folder and the PK workbook, the admin forms) passes through `parse_angka` before any arithmetic,
so a 9-character cell such as `1e999999` is refused in microseconds instead of freezing the
server in `int()`. The rule, as the README states it:

- only the digits 0-9, at most one comma, no sign (nothing in a PK is negative), no `e` notation;
- a comma is the decimal mark: `12,5`, `0,125`, `1.234,5`;
- dots that group the digits in threes are thousands separators: `1.250.000`;
- a single dot that cannot be a thousands separator is a decimal point, as files write it:
  `12.5`, `0.125`, `70.05`;
- `1.234` (one dot, three digits after it) could be read either way, so it is refused with both
  readings spelled out, except for Rupiah, which are always whole: there `250.000` is 250000;
- each kind has a bound: Rupiah at most 15 digits and no decimals; indicator values and targets
  at most 11 digits before the comma and 4 after (15 significant digits survive SQLite exactly).

Babel's parse_decimal is not used: in the id locale it reads `12.5` as 125, and it accepts
non-ASCII digits, which we refuse so that what is stored is exactly what was seen.
"""

import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal

MAX_TEKS = 40
_ANGKA = re.compile(r"[0-9.,]+")  # [0-9] is ASCII only, unlike \d
_EKSPONEN = re.compile(r"[0-9.,]*[eE][+-]?[0-9]*")
_RIBUAN = re.compile(r"[1-9][0-9]{0,2}(\.[0-9]{3})+")


@dataclass(frozen=True)
class Jenis:
    """A kind of number: whole or not, how many digits before and after the decimal mark."""

    nama: str
    bulat: bool
    digit: int
    desimal: int


RUPIAH = Jenis("Rupiah bulat", bulat=True, digit=15, desimal=0)
# 11 + 4 = 15 significant digits: SQLite keeps NUMERIC as a binary double, exact to 15 digits only.
NILAI = Jenis("nilai", bulat=False, digit=11, desimal=4)
BILANGAN = Jenis("bilangan bulat", bulat=True, digit=12, desimal=0)


class AngkaError(ValueError):
    """A value that is not an acceptable number; the message says why, in Indonesian."""


def parse_angka(value: object, jenis: Jenis = NILAI) -> Decimal | None:
    """Read a typed or stored value as a bounded Decimal; None when empty; AngkaError otherwise."""
    if value is None or _kosong(value):
        return None
    if isinstance(value, bool):
        raise AngkaError(f"'{value}' bukan angka")
    if isinstance(value, str):
        return _parse_teks(value, jenis)
    if isinstance(value, Decimal):
        return cek_angka(value, jenis)
    if isinstance(value, numbers.Integral):
        number = int(value)
        if abs(number) >= 10 ** (jenis.digit + 1):  # bound before str(): a huge int is slow to print
            raise AngkaError(_terlalu_besar(jenis))
        return cek_angka(Decimal(number), jenis)
    if isinstance(value, numbers.Real):
        return _parse_float(float(value), jenis)
    raise AngkaError(f"'{str(value)[:20]}' bukan angka")


def cek_angka(value: Decimal, jenis: Jenis = NILAI) -> Decimal:
    """Return the value when it is finite, not negative and within the bounds of its kind; else AngkaError.

    Uses only the Decimal's exponent and digits, never arithmetic, so `1e999999` costs nothing.
    """
    if not value.is_finite():
        raise AngkaError("bukan angka")
    if value.is_signed() and value != 0:
        raise AngkaError(f"tidak boleh negatif ({_tampil(value)})")
    if value != 0 and value.adjusted() >= jenis.digit:
        raise AngkaError(_terlalu_besar(jenis))
    decimals = _desimal(value)
    if decimals > jenis.desimal:
        if jenis.bulat:
            raise AngkaError(f"harus {jenis.nama}, bukan {_tampil(value)}")
        raise AngkaError(f"paling banyak {jenis.desimal} angka di belakang koma ({_tampil(value)})")
    return value if value != 0 else Decimal(0)


def _kosong(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")  # pandas' missing markers (never str(): a huge int)


def _parse_float(value: float, jenis: Jenis) -> Decimal:
    if not math.isfinite(value):
        raise AngkaError("bukan angka")
    if abs(value) >= 10.0 ** jenis.digit:
        raise AngkaError(_terlalu_besar(jenis))
    # A spreadsheet stores binary floats: 0.1 + 0.2 arrives as 0.30000000000000004.
    rounded = round(value, 9)
    return cek_angka(Decimal(repr(rounded)).normalize() if rounded % 1 else Decimal(int(rounded)), jenis)


def _parse_teks(text: str, jenis: Jenis) -> Decimal:
    raw = text.strip()
    shown = raw if len(raw) <= 20 else raw[:20] + "…"
    if len(raw) > MAX_TEKS:
        raise AngkaError(f"'{shown}' terlalu panjang untuk sebuah angka")
    body = raw
    if jenis is RUPIAH and body[:2].lower() == "rp":
        body = body[2:].strip()
    if not jenis.bulat and body.endswith("%"):
        body = body[:-1].strip()
    if body.startswith("+"):
        raise AngkaError(f"'{shown}': tulis angkanya saja, tanpa tanda +")
    negatif = body.startswith("-")
    body = body[1:] if negatif else body
    if not _ANGKA.fullmatch(body) or not any(c.isdigit() for c in body):
        if _EKSPONEN.fullmatch(body) and any(c.isdigit() for c in body):
            raise AngkaError(f"'{shown}': tulis angka biasa, tanpa notasi e")
        raise AngkaError(f"'{shown}' bukan angka")
    normalized = _normalisasi(body, raw, jenis)
    value = Decimal(normalized)
    if negatif:
        raise AngkaError(f"tidak boleh negatif ({shown})")
    try:
        return cek_angka(value, jenis)
    except AngkaError as e:
        raise AngkaError(f"'{shown}' {e}") from None


def _normalisasi(body: str, raw: str, jenis: Jenis) -> str:
    """Turn the digits, dots and comma into Python's decimal notation, or refuse what is unclear."""
    if body.count(",") > 1:
        raise AngkaError(f"'{raw}': hanya boleh satu koma (tanda desimal)")
    if "," in body:
        whole, frac = body.split(",")
        if "." in frac or not frac:
            raise AngkaError(f"'{raw}' bukan angka: sesudah koma hanya angka desimal")
        if "." in whole and not _RIBUAN.fullmatch(whole):
            raise AngkaError(f"'{raw}': titik ribuan harus memisahkan tiap tiga angka")
        return (whole.replace(".", "") or "0") + "." + frac
    dots = body.count(".")
    if dots == 0:
        return body
    if _RIBUAN.fullmatch(body):
        if dots > 1 or jenis.bulat:
            return body.replace(".", "")
        whole, frac = body.split(".")
        raise AngkaError(
            f"'{raw}' bisa dibaca dua cara: tulis {whole}{frac} bila maksudnya ribuan, atau {whole},{frac} "
            "bila titik itu tanda desimal"
        )
    if dots == 1 and not body.startswith(".") and not body.endswith("."):
        return body
    raise AngkaError(f"'{raw}' bukan angka: titik ribuan harus memisahkan tiap tiga angka")


def _desimal(value: Decimal) -> int:
    """Count the decimals that matter: Decimal('2.5000') has 1, and a stored zero (Decimal('0.0000')) has none."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or not any(digits):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing)


def _terlalu_besar(jenis: Jenis) -> str:
    return f"terlalu besar: paling banyak {jenis.digit} angka sebelum koma"


def _tampil(value: Decimal) -> str:
    text = format(value, "f") if abs(value.adjusted()) < 30 else str(value)
    return text.replace(".", ",")
