"""Indonesian formats (1.234.567,89; Rp 3.006.467.857; Januari; Triwulan IV) via Babel."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.dates import get_month_names
from babel.numbers import format_decimal

LOCALE = "id_ID"
BULAN = {k: str(v) for k, v in get_month_names("wide", locale=LOCALE).items()}
BULAN_SINGKAT = {k: str(v) for k, v in get_month_names("abbreviated", locale=LOCALE).items()}
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}


def format_angka(value: Decimal | float | int | None, min_dec: int = 0, max_dec: int = 2) -> str:
    """Format a number the Indonesian way ('1.234,5'); empty string for no value."""
    if value is None or value != value:  # NaN (a missing cell of a float column) is not a number either
        return ""
    pattern = "#,##0" + ("." + "0" * min_dec + "#" * (max_dec - min_dec) if max_dec else "")
    # Round half up first, as the LKjIP rules and Excel do (Babel alone rounds half to even: 85,125 -> 85,12).
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    try:
        exact = exact.quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # beyond Decimal's precision (or infinite): never stored (angka bounds it)
        return str(value)
    return format_decimal(exact, format=pattern, locale=LOCALE, decimal_quantization=True)


def format_persen(value: Decimal | float | None) -> str:
    """Format a percentage with two decimals ('87,50 %'); empty string for no value."""
    text = format_angka(value, 2, 2)
    return f"{text} %" if text else ""


def format_rupiah(value: int | Decimal | None) -> str:
    """Format whole Rupiah ('Rp 3.006.467.857'); empty string for no value."""
    text = format_angka(value, 0, 0)
    return f"Rp {text}" if text else ""


def format_rupiah_singkat(value: int | Decimal | None) -> str:
    """Format Rupiah for a small space: 'Rp 2,62 miliar', 'Rp 68,19 juta'."""
    if value is None:
        return ""
    for scale, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")):
        if abs(value) >= scale:
            return f"Rp {format_angka(Decimal(value) / scale, 0, 2)} {word}"
    return format_rupiah(value)


def nama_bulan(bulan: int) -> str:
    """Return the Indonesian month name (1 -> 'Januari')."""
    return BULAN[bulan]


def nama_bulan_singkat(bulan: int) -> str:
    """Return the short Indonesian month name (8 -> 'Agu')."""
    return BULAN_SINGKAT[bulan]


def nama_triwulan(triwulan: int) -> str:
    """Return 'Triwulan I'..'Triwulan IV'."""
    return f"Triwulan {ROMAWI[triwulan]}"


def format_sel(value: Decimal | None) -> str:
    """Show a stored value in an editable grid cell ('1234,5'): no thousands dots, so it reads back the same."""
    return "" if value is None else format_angka(value, 0, 4).replace(".", "")
