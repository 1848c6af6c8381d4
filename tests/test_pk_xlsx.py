"""A year's PK as XLSX in the data/ layout: export, fill, import as a draft year; bad workbooks load nothing."""

import io
from collections.abc import Callable

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from kinerja.db import new_session
from kinerja.errors import ValidationError
from kinerja.models import Indikator, Versi
from kinerja.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.queries import list_baris, list_versi, versi_berlaku


def _workbook(engine: Engine) -> openpyxl.Workbook:
    with new_session(engine) as session:
        data = export_pk_xlsx(session, versi_berlaku(session, 1, 2025))
    return openpyxl.load_workbook(io.BytesIO(data))


def _bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _next_year(book: openpyxl.Workbook) -> openpyxl.Workbook:
    info = {row[0].value: row[1] for row in book["info"].iter_rows()}
    info["tahun"].value = 2026
    info["versi_tanggal"].value = "2026-01-02"
    info["versi_nama"].value = "PK Awal"
    return book


def _row(book: openpyxl.Workbook, sheet: str, kode: str) -> tuple:
    header = [c.value for c in book[sheet][1]]
    column = header.index("kode")
    return next(r for r in book[sheet].iter_rows(min_row=2) if r[column].value == kode)


def test_round_trip_loads_the_same_structure_as_a_draft(seeded: Engine, instansi_id: int) -> None:
    book = _next_year(_workbook(seeded))
    message = import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx")
    assert "66 baris indikator" in message
    with new_session(seeded) as session:
        v2025, (v2026,) = versi_berlaku(session, instansi_id, 2025), list_versi(session, instansi_id, 2026)
        old, new = list_baris(session, v2025), list_baris(session, v2026)
    assert v2026.status == "draf" and v2026.nama == "PK Awal"
    assert [(b.unit.kode, b.no, b.indikator.kode, b.indikator.sumber, b.target.tahunan) for b in new] == \
        [(b.unit.kode, b.no, b.indikator.kode, b.indikator.sumber, b.target.tahunan) for b in old]
    assert new[0].indikator.target_renstra == old[0].indikator.target_renstra


def _bad_pagu(book: openpyxl.Workbook) -> None:
    _row(book, "anggaran", "6.2.1")[5].value = 1


def _drop_sheet(book: openpyxl.Workbook) -> None:
    del book["indikator"]


def _unknown_unit(book: openpyxl.Workbook) -> None:
    _row(book, "indikator", "IK-6.1.1")[0].value = "SEKSI_HILANG"


def _bad_agregasi(book: openpyxl.Workbook) -> None:
    _row(book, "indikator", "IK-6.1.1")[8].value = "median"


@pytest.mark.parametrize("damage, message", [
    (_bad_pagu, "lembar anggaran, baris 28 (kode 6.2): pagu 2.210.249.677 tidak sama dengan jumlah pagu anaknya"),
    (_drop_sheet, "lembar 'indikator' tidak ada"),
    (_unknown_unit, "unit 'SEKSI_HILANG' tidak ada"),
    (_bad_agregasi, "agregasi 'median' tidak dikenal"),
])
def test_bad_workbook_names_sheet_and_row_and_loads_nothing(
    seeded: Engine, damage: Callable[[openpyxl.Workbook], None], message: str
) -> None:
    book = _next_year(_workbook(seeded))
    damage(book)
    with new_session(seeded) as session:
        before = session.exec(select(func.count()).select_from(Indikator)).one()
    with pytest.raises(ValidationError) as error:
        import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx")
    assert any(message in p and p.startswith("pk2026.xlsx: ") for p in error.value.problems), error.value.problems
    with new_session(seeded) as session:
        assert session.exec(select(func.count()).select_from(Indikator)).one() == before
        assert session.exec(select(Versi).where(Versi.tahun == 2026)).first() is None


def test_existing_year_and_non_xlsx_are_refused(seeded: Engine) -> None:
    with pytest.raises(ValidationError, match="tahun 2025 sudah ada"):
        import_pk_xlsx(seeded, _bytes(_workbook(seeded)), "pk.xlsx")
    with pytest.raises(ValidationError, match="bukan berkas Excel"):
        import_pk_xlsx(seeded, b"kode,bulan\n", "pk.xlsx")
