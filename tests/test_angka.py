"""One text, one reading: a number typed on any entry path is stored as the same number or refused for the same reason.

The expectations are worked out from the rule in the docstring of kinerja/aturan/angka.py, not copied
from the code: a comma is the decimal mark; dots grouping digits in threes are thousands; one dot
that cannot be a thousands separator is a decimal point; `1.234` is refused as ambiguous except
for Rupiah, which are whole; no sign, no `e`, ASCII digits only; bounded digits per kind.
"""

import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from kinerja.aturan.angka import BILANGAN, NILAI, RUPIAH, AngkaError, Jenis, parse_angka
from tests._jalur import (
    RASIO,
    Basis,
    Result,
    Stopwatch,
    Tolak,
    assert_refused,
    dump,
    nilai_csv,
    nilai_csv_cli,
    nilai_grid,
    nilai_template,
    nilai_template_cli,
    ok,
    open_basis,
    realisasi_rows,
    report_slowest,
    rupiah_csv,
    rupiah_csv_cli,
    rupiah_data,
    rupiah_grid,
    rupiah_pagu,
    rupiah_pk,
    target_data,
    target_data_cli,
    target_grid_tw1,
    target_pk,
    target_pk_cli,
)
from tests.conftest import BACKENDS

D = Decimal
KOSONG = "nothing stored"  # an empty cell: no change, or refused because a value is required

# The same inputs for every kind of number; what each gives for an indicator value or a target...
NILAI_DIHARAPKAN: dict[str, object] = {
    "12,5": D("12.5"),
    "12.5": D("12.5"),  # one dot that cannot group thousands: a decimal point
    "1.234": Tolak("dua cara"),
    "1.234,5": D("1234.5"),
    "1.250.000": D(1250000),
    "0,125": D("0.125"),
    "1e3": Tolak("notasi e"),
    "-5": Tolak("negatif"),
    "abc": Tolak("bukan angka"),
    "NaN": Tolak("bukan angka"),
    "inf": Tolak("bukan angka"),
    "": KOSONG,
    "１２": Tolak("bukan angka"),  # fullwidth digits
    "١٢": Tolak("bukan angka"),  # Arabic-Indic digits
    "9999999999999999.5": Tolak("terlalu"),  # 16 digits before the point; 11 allowed
    "1e999999": Tolak("notasi e"),
}
# ... and for Rupiah, which are whole: a dot always groups thousands, a decimal is refused.
RUPIAH_DIHARAPKAN = NILAI_DIHARAPKAN | {
    "12,5": Tolak("bulat"),
    "12.5": Tolak("bulat"),
    "1.234": 1234,
    "1.234,5": Tolak("bulat"),
    "0,125": Tolak("bulat"),
    "9999999999999999.5": Tolak("terlalu"),  # 16 digits; 15 allowed
}
TEXTS = list(NILAI_DIHARAPKAN)


PATHS: list[tuple[str, Callable[[Basis, str], Result], dict[str, object]]] = [
    ("grid-realisasi", nilai_grid, NILAI_DIHARAPKAN),
    ("template", nilai_template, NILAI_DIHARAPKAN),
    ("template-cli", nilai_template_cli, NILAI_DIHARAPKAN),
    ("csv-realisasi", nilai_csv, NILAI_DIHARAPKAN),
    ("csv-realisasi-cli", nilai_csv_cli, NILAI_DIHARAPKAN),
    ("target-grid-tw1", target_grid_tw1, NILAI_DIHARAPKAN),
    ("data-target", target_data, NILAI_DIHARAPKAN),
    ("data-target-cli", target_data_cli, NILAI_DIHARAPKAN),
    ("pk-xlsx-target", target_pk, NILAI_DIHARAPKAN),
    ("pk-xlsx-target-cli", target_pk_cli, NILAI_DIHARAPKAN),
    ("grid-anggaran", rupiah_grid, RUPIAH_DIHARAPKAN),
    ("csv-anggaran", rupiah_csv, RUPIAH_DIHARAPKAN),
    ("csv-anggaran-cli", rupiah_csv_cli, RUPIAH_DIHARAPKAN),
    ("pagu-grid", rupiah_pagu, RUPIAH_DIHARAPKAN),
    ("data-pagu", rupiah_data, RUPIAH_DIHARAPKAN),
    ("pk-xlsx-pagu", rupiah_pk, RUPIAH_DIHARAPKAN),
]


@pytest.fixture(scope="module")
def stopwatch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stopwatch]:
    watch = Stopwatch()
    yield watch
    report_slowest(request.config, "test_angka", watch, tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Basis]:
    """One seeded database for all the cases of this module on one backend (a path puts back what it stored)."""
    with open_basis(request.param, tmp_path_factory.mktemp(f"angka-{request.param}")) as basis:
        yield basis


@pytest.mark.parametrize("text", TEXTS, ids=[repr(t) for t in TEXTS])
@pytest.mark.parametrize(("path", "expected"), [(p, e) for _, p, e in PATHS], ids=[name for name, _, _ in PATHS])
def test_every_path_reads_a_text_the_same_way(
    db: Basis, stopwatch: Stopwatch, path: Callable[[Basis, str], Result], expected: dict[str, object], text: str,
    request: pytest.FixtureRequest,
) -> None:
    want = expected[text]
    before = dump(db.engine)
    with stopwatch.measure(request.node.callspec.id):
        result = path(db, text)
    if isinstance(want, Tolak):
        assert_refused(result, want, before, db)
    elif want is KOSONG:
        if result[0] == "refused":
            assert_refused(result, (("diisi", "kosong"),), before, db)
        else:
            assert result == ok(None)
            assert dump(db.engine) == before
    else:
        assert result[0] == "ok", f"refused: {result[1]}"
        assert result[1] == want and type(result[1]) in (Decimal, int), result
    if result[0] == "ok":
        assert not realisasi_rows(db, {RASIO}), "a path left a realisation behind"


# --- the parser itself -------------------------------------------------------------------------

PARSE: list[tuple[object, Jenis, object]] = [
    # text as typed
    ("12,5", NILAI, D("12.5")),
    ("12.5", NILAI, D("12.5")),
    ("70.05", NILAI, D("70.05")),
    ("0.125", NILAI, D("0.125")),
    ("1.234", NILAI, Tolak("dua cara", "1234", "1,234")),
    ("1.234,5", NILAI, D("1234.5")),
    ("1.250.000", NILAI, D(1250000)),
    ("0,125", NILAI, D("0.125")),
    ("0,0001", NILAI, D("0.0001")),
    ("0,00001", NILAI, Tolak("4 angka di belakang koma")),
    ("99999999999,9999", NILAI, D("99999999999.9999")),  # 11 + 4 digits: the most a value may have
    ("999999999999", NILAI, Tolak("terlalu besar")),  # 12 digits: the 16th significant digit would not survive
    ("1.000.000.000.000", NILAI, Tolak("terlalu besar")),  # 13 digits
    ("  12,5\t", NILAI, D("12.5")),
    ("+5", NILAI, Tolak()),  # the rule: "no sign"
    ("-0", NILAI, Tolak()),
    ("1e3", NILAI, Tolak("notasi e")),
    ("1E-3", NILAI, Tolak("notasi e")),
    ("1e999999", NILAI, Tolak("notasi e")),
    ("-5", NILAI, Tolak("negatif")),
    ("abc", NILAI, Tolak("bukan angka")),
    ("NaN", NILAI, Tolak("bukan angka")),
    ("inf", NILAI, Tolak("bukan angka")),
    ("-inf", NILAI, Tolak("bukan angka")),
    ("１２", NILAI, Tolak("bukan angka")),
    ("١٢", NILAI, Tolak("bukan angka")),
    ("²", NILAI, Tolak("bukan angka")),
    ("1_000", NILAI, Tolak("bukan angka")),  # Python's Decimal would read it as 1000
    ("1 234", NILAI, Tolak("bukan angka")),
    ("1.2.3", NILAI, Tolak("tiga angka")),
    ("1,2,3", NILAI, Tolak("satu koma")),
    ("12,", NILAI, Tolak("sesudah koma")),
    ("9999999999999999.5", NILAI, Tolak("terlalu besar")),
    ("9" * 41, NILAI, Tolak("terlalu panjang")),
    ("", NILAI, None),
    ("   ", NILAI, None),
    (None, NILAI, None),
    ("12%", NILAI, D(12)),
    # Rupiah: whole, up to 15 digits, a dot always groups thousands
    ("1.234", RUPIAH, D(1234)),
    ("250.000", RUPIAH, D(250000)),
    ("Rp 1.250.000", RUPIAH, D(1250000)),
    ("12,5", RUPIAH, Tolak("bulat")),
    ("12.5", RUPIAH, Tolak("bulat")),
    ("1.000,00", RUPIAH, D(1000)),
    ("999.999.999.999.999", RUPIAH, D(999999999999999)),
    ("1.000.000.000.000.000", RUPIAH, Tolak("terlalu besar")),
    ("12%", RUPIAH, Tolak("bukan angka")),
    ("3", BILANGAN, D(3)),
    ("3,5", BILANGAN, Tolak("bulat")),
    # numbers from a spreadsheet cell or a pandas grid
    (12, NILAI, D(12)),
    (10**11 - 1, NILAI, D(10**11 - 1)),
    (10**11, NILAI, Tolak("terlalu besar")),
    (-5, NILAI, Tolak("negatif")),
    (12.5, NILAI, D("12.5")),
    (0.1 + 0.2, NILAI, D("0.3")),  # a spreadsheet's binary float is read as the number it shows
    (1.234, NILAI, D("1.234")),  # a number cell is not ambiguous
    (1e308, NILAI, Tolak("terlalu besar")),
    (float("inf"), NILAI, Tolak("bukan angka")),
    (float("-inf"), NILAI, Tolak("bukan angka")),
    (float("nan"), NILAI, None),  # how pandas marks an empty cell
    (-0.0, NILAI, D(0)),
    (1e-5, NILAI, Tolak("4 angka di belakang koma")),
    (12.5, RUPIAH, Tolak("bulat")),
    (True, NILAI, Tolak("bukan angka")),
    (False, NILAI, Tolak("bukan angka")),
    (Decimal("12.5000"), NILAI, D("12.5")),
    # how both databases hand back a stored value (scale 4): a count of 0 or 2 saved again is the same count
    (Decimal("0.0000"), BILANGAN, D(0)),
    (Decimal("2.0000"), BILANGAN, D(2)),
    (Decimal("0.0000"), RUPIAH, D(0)),
    (Decimal("0.0000"), NILAI, D(0)),
    (Decimal("0.0010"), BILANGAN, Tolak("bulat")),
    (Decimal("1e999999"), NILAI, Tolak("terlalu besar")),
    (Decimal("NaN"), NILAI, Tolak("bukan angka")),
    (Decimal("sNaN"), NILAI, Tolak("bukan angka")),
    (Decimal("-Infinity"), NILAI, Tolak("bukan angka")),
    (Decimal("-1"), NILAI, Tolak("negatif")),
    (Decimal("1e-5"), NILAI, Tolak("4 angka di belakang koma")),
    (Fraction(1, 3), NILAI, Tolak("4 angka di belakang koma")),
    (np.int64(7), NILAI, D(7)),
    (np.float64(2.5), NILAI, D("2.5")),
    (np.float64("nan"), NILAI, None),
    (pd.NA, NILAI, None),
    (complex(1, 0), NILAI, Tolak("bukan angka")),
    (object(), NILAI, Tolak("bukan angka")),
]


def _label(value: object) -> str:
    text = "object()" if type(value) is object else repr(value)
    return text if len(text) <= 24 else text[:20] + "…"


@pytest.mark.parametrize(("value", "jenis", "expected"), PARSE, ids=[f"{_label(v)}-{j.nama}" for v, j, _ in PARSE])
def test_parse_angka(value: object, jenis: Jenis, expected: object) -> None:
    if isinstance(expected, Tolak):
        with pytest.raises(AngkaError) as refused:
            parse_angka(value, jenis)
        assert all(w in str(refused.value) for w in expected), str(refused.value)
    else:
        got = parse_angka(value, jenis)
        assert got == expected and (got is None or isinstance(got, Decimal)), got


HUGE: list[tuple[str, object, Jenis]] = [
    ("'1e999999'", "1e999999", NILAI),
    ("'1e999999' Rupiah", "1e999999", RUPIAH),
    ("Decimal('1e9999999')", Decimal("1e9999999"), NILAI),
    ("Decimal('1e9999999') Rupiah", Decimal("1e9999999"), RUPIAH),
    ("10**100000", 10**100000, NILAI),
    ("1e308", 1e308, NILAI),
    ("'9'*40", "9" * 40, NILAI),
]


@pytest.mark.parametrize(("label", "value", "jenis"), HUGE, ids=[h[0] for h in HUGE])
def test_huge_numbers_are_refused_without_computing_them(
    label: str, value: object, jenis: Jenis, stopwatch: Stopwatch,
) -> None:
    start = time.perf_counter()
    with pytest.raises(AngkaError) as refused:
        parse_angka(value, jenis)
    stopwatch.durations[f"parse_angka {label}"] = time.perf_counter() - start
    assert any(w in str(refused.value) for w in ("terlalu", "notasi e")), str(refused.value)


def test_a_number_cell_and_its_text_agree() -> None:
    """What a spreadsheet stores as a number and what a user types for it are the same number."""
    for number, text in [(12.5, "12,5"), (1234.5, "1.234,5"), (1250000, "1.250.000"), (0.125, "0,125")]:
        assert parse_angka(number) == parse_angka(text)
