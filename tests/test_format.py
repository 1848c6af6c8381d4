"""Indonesian number formats, rounded half up as the LKjIP rules and Excel round."""

from decimal import Decimal

import pytest

from kinerja.aturan.format import format_angka, format_persen, format_rupiah


@pytest.mark.parametrize(("value", "args", "shown"), [
    (Decimal("85.125"), (2, 2), "85,13"),  # Babel alone would show 85,12 (half to even)
    (Decimal("85.135"), (2, 2), "85,14"),
    (Decimal("0.125"), (0, 2), "0,13"),
    (Decimal("2.5"), (0, 0), "3"),
    (Decimal("1234567.891"), (0, 2), "1.234.567,89"),
    (1234.5, (0, 2), "1.234,5"),
    (None, (0, 2), ""),
    (float("nan"), (0, 2), ""),
])
def test_format_angka(value, args, shown):
    assert format_angka(value, *args) == shown


def test_percent_and_rupiah():
    assert format_persen(Decimal("85.125")) == "85,13 %"
    assert format_rupiah(3_006_467_857) == "Rp 3.006.467.857"
