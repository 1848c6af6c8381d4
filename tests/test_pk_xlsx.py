"""A year's PK as XLSX in the data/ layout: export, fill, import as a draft year; bad workbooks load nothing."""

import io
import json
from collections.abc import Callable

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from kinerja.dokumen.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.errors import ValidationError
from kinerja.simpan.auth import create_user
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Indikator, Instansi, Jejak, Pengguna, Unit, Versi
from kinerja.simpan.queries import list_baris, list_versi, versi_berlaku


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


def test_a_name_that_looks_like_a_formula_is_exported_as_plain_text(seeded: Engine) -> None:
    formula = '=HYPERLINK("http://x","klik")'
    with new_session(seeded) as session:
        ind = session.exec(select(Indikator).where(Indikator.kode == "IK-6.1.1")).one()
        ind.nama = formula
        session.add(ind)
        session.commit()
    cell = _row(_workbook(seeded), "indikator", "IK-6.1.1")[4]
    assert (cell.data_type, cell.value) == ("s", formula)


def test_existing_year_and_non_xlsx_are_refused(seeded: Engine) -> None:
    with pytest.raises(ValidationError, match="tahun 2025 sudah ada"):
        import_pk_xlsx(seeded, _bytes(_workbook(seeded)), "pk.xlsx")
    with pytest.raises(ValidationError, match="bukan berkas Excel"):
        import_pk_xlsx(seeded, b"kode,bulan\n", "pk.xlsx")


# --- names that would break things --------------------------------------------------------------


def counts(engine: Engine) -> dict[str, int]:
    """Rows of every table an import writes to: a refused workbook must leave them all as they were."""
    with new_session(engine) as session:
        return {m.__name__: session.exec(select(func.count()).select_from(m)).one()
                for m in (Instansi, Unit, Versi, Indikator, Jejak)}


def _info(book: openpyxl.Workbook, key: str) -> openpyxl.cell.Cell:
    return next(row[1] for row in book["info"].iter_rows() if row[0].value == key)


def _set(sheet: str, kode: str, column: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    """Damage: set one column of the row with this kode (the first one) in a table sheet."""
    def damage(book: openpyxl.Workbook) -> None:
        header = [c.value for c in book[sheet][1]]
        _row(book, sheet, kode)[header.index(column)].value = value
    return damage


def _set_info(key: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def damage(book: openpyxl.Workbook) -> None:
        _info(book, key).value = value
    return damage


def _duplicate_unit(book: openpyxl.Workbook) -> None:
    book["unit"].append([c.value for c in _row(book, "unit", "PMD")])


def _agreement(book: openpyxl.Workbook, unit: str) -> tuple:
    return next(r for r in book["perjanjian"].iter_rows(min_row=2) if r[0].value == unit)


def _second_agreement(book: openpyxl.Workbook) -> None:
    book["perjanjian"].append([c.value for c in _agreement(book, "PMD")])


def _agreement_date(value: object) -> Callable[[openpyxl.Workbook], None]:
    def damage(book: openpyxl.Workbook) -> None:
        _agreement(book, "PMD")[3].value = value
    return damage


# (damage, the row of the sheet it names, what must be said). Rows are as Excel shows them.
NAMES = {
    "unit kode with a slash": (_set("unit", "PMD", "kode", "PMD/DESA"), "lembar unit, baris 5 (kode PMD/DESA)",
                               "kode unit 'PMD/DESA' harus 1-31 karakter"),
    "unit kode too long for a sheet name": (_set("unit", "PMD", "kode", "P" * 32), "lembar unit, baris 5",
                                            "harus 1-31 karakter"),
    "unit kode twice": (_duplicate_unit, "lembar unit, baris 10 (kode PMD)", "kode unit ganda"),
    "office kode with a bar": (_set_info("instansi_kode", "mangkutana|2025"), "lembar info, baris 1 (instansi_kode)",
                               "kode instansi 'mangkutana|2025' harus 1-40 karakter"),
    "indicator kode of 61 characters": (_set("indikator", "IK-6.1.1", "kode", "K" * 61), "lembar indikator, baris",
                                        "paling panjang 60 karakter, bukan 61"),
    "budget kode of 61 characters": (_set("anggaran", "6.1.1", "kode", "9" * 61), "lembar anggaran, baris",
                                     "paling panjang 60 karakter, bukan 61"),
    "indicator name a formula": (_set("indikator", "IK-6.1.1", "indikator", "=B2"), "(kode IK-6.1.1)",
                                 "indikator harus diisi"),
    "indicator name empty": (_set("indikator", "IK-6.1.1", "indikator", None), "(kode IK-6.1.1)",
                             "indikator harus diisi"),
    "year 20255": (_set_info("tahun", 20255), "lembar info, baris 5 (tahun)",
                   "harus bilangan bulat 2000-2100, bukan '20255'"),
    "year as words": (_set_info("tahun", "dua ribu"), "lembar info, baris 5 (tahun)", "bukan 'dua ribu'"),
    "month 13": (_set_info("berlaku_bulan", 13), "lembar info, baris 9 (berlaku_bulan)", "harus bilangan bulat 1-12"),
    "version 100": (_set_info("versi_nomor", 100), "lembar info, baris 6 (versi_nomor)", "harus bilangan bulat 0-99"),
    "pagu over 2^63": (_set("anggaran", "6.2.1", "pagu", 2**63), "lembar anggaran, baris 29 (kode 6.2.1): pagu",
                       "terlalu besar: paling banyak 15 angka"),
    "version name a novel": (_set_info("versi_nama", "PK " * 2000), "lembar info, baris 7 (versi_nama)",
                             "paling panjang 300 karakter"),
    "agreement date in words": (_agreement_date("kemarin"),
                                "lembar perjanjian, baris 5 (unit PMD)", "tanggal bukan tanggal (YYYY-MM-DD)"),
    "two agreements for a unit": (_second_agreement, "lembar perjanjian, baris 10 (unit PMD)",
                                  "sudah punya perjanjian"),
}


@pytest.mark.parametrize("case", list(NAMES))
def test_a_name_that_would_break_things_is_refused_naming_sheet_row_and_field(seeded: Engine, case: str) -> None:
    damage, where, what = NAMES[case]
    book = _next_year(_workbook(seeded))
    damage(book)
    before = counts(seeded)
    with pytest.raises(ValidationError) as error:
        import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx")
    assert any(p.startswith("pk2026.xlsx: ") and where in p and what in p for p in error.value.problems), \
        error.value.problems
    assert counts(seeded) == before


# --- whose office -------------------------------------------------------------------------------


def _user(engine: Engine, instansi_id: int, peran: str = "admin") -> Pengguna:
    admin = create_user(engine, instansi_id=instansi_id, username="u.admin", nama="Admin", password="rahasia-123",
                        peran="admin")
    if peran == "admin":
        return admin
    with new_session(engine) as session:
        unit = session.exec(select(Unit.id).where(Unit.kode == "PMD")).one() if peran == "operator" else None
    return create_user(engine, instansi_id=instansi_id, username=f"u.{peran}", nama=peran.title(),
                       password="rahasia-123", peran=peran, unit_id=unit, pengguna=admin)


def test_an_admin_imports_into_their_own_office_and_the_trail_says_so(seeded: Engine, instansi_id: int) -> None:
    admin = _user(seeded, instansi_id)
    import_pk_xlsx(seeded, _bytes(_next_year(_workbook(seeded))), "pk2026.xlsx", pengguna=admin)
    with new_session(seeded) as session:
        (v2026,) = list_versi(session, instansi_id, 2026)
        trail = session.exec(select(Jejak).where(Jejak.tabel == "versi")).all()
        assert session.exec(select(func.count()).select_from(Instansi)).one() == 1
    assert (v2026.status, v2026.nama) == ("draf", "PK Awal")
    assert [(j.pengguna, j.kunci, j.aksi, j.instansi_id) for j in trail] == [
        ("u.admin", "2026/1", "tambah", instansi_id)]
    assert json.loads(trail[0].sesudah) == {"nama": "PK Awal", "status": "draf", "sumber": "pk2026.xlsx"}


def _office_kode(kode: str) -> Callable[[openpyxl.Workbook], openpyxl.Workbook]:
    def change(book: openpyxl.Workbook) -> openpyxl.Workbook:
        _info(book, "instansi_kode").value = kode
        return book
    return change


def test_an_admin_cannot_import_into_another_office(seeded: Engine, instansi_id: int) -> None:
    admin = _user(seeded, instansi_id)
    before = counts(seeded)
    for kode in ("Mangkutana", "malili"):  # a case typo is another office too
        book = _office_kode(kode)(_next_year(_workbook(seeded)))
        with pytest.raises(ValidationError) as error:
            import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx", pengguna=admin)
        assert error.value.problems == [f"pk2026.xlsx: berkas ini untuk instansi '{kode}', bukan instansi Anda "
                                        "'mangkutana'; perbaiki instansi_kode di lembar info"]
    assert counts(seeded) == before


@pytest.mark.parametrize("peran", ["operator", "pimpinan"])
def test_only_an_admin_may_import_a_pk(seeded: Engine, instansi_id: int, peran: str) -> None:
    user = _user(seeded, instansi_id, peran)
    before = counts(seeded)
    with pytest.raises(ValidationError) as error:
        import_pk_xlsx(seeded, _bytes(_next_year(_workbook(seeded))), "pk2026.xlsx", pengguna=user)
    assert error.value.problems == ["hanya admin yang dapat mengubah versi dan tahun perjanjian kinerja"]
    assert counts(seeded) == before


def test_a_deactivated_admin_cannot_import(seeded: Engine, instansi_id: int) -> None:
    admin = _user(seeded, instansi_id)
    with new_session(seeded) as session:
        stored = session.get(Pengguna, admin.id)
        stored.aktif = False
        session.add(stored)
        session.commit()
    before = counts(seeded)
    with pytest.raises(ValidationError, match="tidak aktif"):
        import_pk_xlsx(seeded, _bytes(_next_year(_workbook(seeded))), "pk2026.xlsx", pengguna=admin)
    assert counts(seeded) == before


def test_the_command_line_refuses_a_case_typo_of_an_existing_office(seeded: Engine) -> None:
    before = counts(seeded)
    book = _office_kode("Mangkutana")(_next_year(_workbook(seeded)))
    for baru in (False, True):  # even when asked for a new office: it would be a near-twin of mangkutana
        with pytest.raises(ValidationError) as error:
            import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx", instansi_baru=baru)
        assert error.value.problems == [
            "pk2026.xlsx: lembar info, instansi_kode 'Mangkutana' berbeda huruf besar/kecil dengan instansi "
            "'mangkutana' yang sudah ada; tulis persis 'mangkutana'"]
    assert counts(seeded) == before


def test_the_command_line_creates_an_office_only_when_asked(seeded: Engine) -> None:
    book = _office_kode("malili")(_next_year(_workbook(seeded)))
    _info(book, "instansi_nama").value = "Kecamatan Malili"
    before = counts(seeded)
    with pytest.raises(ValidationError) as error:
        import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx")
    assert "instansi 'malili' belum ada (yang ada: mangkutana)" in error.value.problems[0]
    assert "--instansi-baru" in error.value.problems[0]
    assert counts(seeded) == before

    assert import_pk_xlsx(seeded, _bytes(book), "pk2026.xlsx", instansi_baru=True).startswith("Kecamatan Malili 2026")
    with new_session(seeded) as session:
        malili = session.exec(select(Instansi).where(Instansi.kode == "malili")).one()
        assert [v.status for v in list_versi(session, malili.id, 2026)] == ["draf"]
        assert session.exec(select(func.count()).select_from(Unit).where(Unit.instansi_id == malili.id)).one() == 8
