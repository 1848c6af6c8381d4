"""The Excel entry template: downloaded, filled in Excel, uploaded back; all of it saved or none of it."""

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, func
from sqlmodel import select
from typer.testing import CliRunner, Result

from kinerja.aturan.capaian import Bulanan
from kinerja.cli import app
from kinerja.dokumen.templat_analisis import parse_analisis_template, preview_analisis
from kinerja.dokumen.templat_baca import parse_template, preview_changes
from kinerja.dokumen.templat_buat import build_template
from kinerja.errors import ValidationError
from kinerja.simpan.analisis import EntriAnalisis, load_analisis, save_analisis
from kinerja.simpan.auth import create_user
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Indikator, Instansi, Jejak
from kinerja.simpan.queries import get_instansi, list_units, load_realisasi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi

TAHUN = 2025
UNIT = "PERENCANAAN"
DATA = Path(__file__).resolve().parent.parent / "data"
MONTH_COLUMNS = "EFGHIJKLMNOP"  # Januari..Desember
# The PERENCANAAN sheet: its ratio indicators take two rows, pembilang then penyebut.
ROWS = [
    ("IK-6.1", "pembilang"), ("IK-6.1", "penyebut"), ("IK-6.4", "pembilang"), ("IK-6.4", "penyebut"),
    ("IK-6.1.1", "nilai"), ("IK-6.1.2", "nilai"), ("IK-6.1.3", "nilai"), ("IK-6.1.4", "nilai"),
    ("IK-6.4.1", "nilai"), ("IK-6.4.2", "nilai"),
]
# What an operator types, cell by cell (text typed the Indonesian way included) ...
TYPED: dict[tuple[str, str, int], object] = {
    ("IK-6.1.1", "nilai", 1): 2, ("IK-6.1.1", "nilai", 2): "1",
    ("IK-6.1", "pembilang", 3): 3, ("IK-6.1", "penyebut", 3): 4,
    ("IK-6.4", "pembilang", 1): "12,5", ("IK-6.4", "penyebut", 1): 20,
    ("IK-6.4.2", "nilai", 12): 4.0,  # a number cell: Excel stores it as a float
}
# ... and what must then be stored.
STORED = {
    "IK-6.1.1": {1: Bulanan(nilai=Decimal(2)), 2: Bulanan(nilai=Decimal(1))},
    "IK-6.1": {3: Bulanan(pembilang=Decimal(3), penyebut=Decimal(4))},
    "IK-6.4": {1: Bulanan(pembilang=Decimal("12.5"), penyebut=Decimal(20))},
    "IK-6.4.2": {12: Bulanan(nilai=Decimal(4))},
}


@pytest.fixture
def office(seeded: Engine) -> Instansi:
    with new_session(seeded) as session:
        return get_instansi(session)


@pytest.fixture
def template(seeded: Engine, office: Instansi) -> bytes:
    with new_session(seeded) as session:
        return build_template(session, office, TAHUN, [UNIT])


def at(kode: str, diisi: str, bulan: int) -> str:
    """Return the cell of one indicator row and month in the PERENCANAAN sheet (data starts on row 7)."""
    return f"{MONTH_COLUMNS[bulan - 1]}{ROWS.index((kode, diisi)) + 7}"


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    """Open a workbook as Excel would, change it, and save it."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def fill(data: bytes, cells: dict[tuple[str, str, int], object]) -> bytes:
    def change(workbook: openpyxl.Workbook) -> None:
        for (kode, diisi, bulan), value in cells.items():
            workbook[UNIT][at(kode, diisi, bulan)] = value

    return edit(data, change)


def parse(engine: Engine, office: Instansi, data: bytes, allowed: set[int] | None = None) -> list[EntriRealisasi]:
    with new_session(engine) as session:
        return parse_template(data, session, office, TAHUN, allowed, name="isian.xlsx")


def preview(engine: Engine, office: Instansi, entries: list[EntriRealisasi]) -> list[dict[str, str]]:
    with new_session(engine) as session:
        return preview_changes(session, office, TAHUN, entries)


def stored(engine: Engine, office: Instansi) -> dict[str, dict[int, Bulanan]]:
    with new_session(engine) as session:
        return load_realisasi(session, office.id, TAHUN)


def jejak_count(engine: Engine) -> int:
    with new_session(engine) as session:
        return session.exec(select(func.count()).select_from(Jejak)).one()


def kinerja(engine: Engine, *args: str) -> Result:
    """Run the `kinerja` command line against the test's database."""
    env = {"KINERJA_DATABASE_URL": engine.url.render_as_string(hide_password=False), "KINERJA_DATA_DIR": str(DATA)}
    return CliRunner().invoke(app, list(args), env=env)


def unit_ids(engine: Engine, office: Instansi) -> dict[str, int]:
    with new_session(engine) as session:
        return {u.kode: u.id for u in list_units(session, office.id)}


# --- round trip ----------------------------------------------------------------------------------


def test_a_filled_template_shows_its_changes_then_saves_exactly_what_was_typed(seeded, office, template):
    entries = parse(seeded, office, fill(template, TYPED))

    changes = preview(seeded, office, entries)
    assert {(c["kode"], c["bulan"], c["lama"], c["baru"]) for c in changes} == {
        ("IK-6.1.1", "Januari", "", "2"), ("IK-6.1.1", "Februari", "", "1"),
        ("IK-6.1", "Maret", "", "3 / 4"), ("IK-6.4", "Januari", "", "12,5 / 20"),
        ("IK-6.4.2", "Desember", "", "4"),
    }
    assert stored(seeded, office) == {}  # a preview writes nothing

    assert save_realisasi(seeded, instansi_id=office.id, tahun=TAHUN, entries=entries) == 5
    assert stored(seeded, office) == STORED


def test_cli_template_import_and_export_round_trip(seeded, office, tmp_path):
    blank, filled = tmp_path / "templat.xlsx", tmp_path / "isian.xlsx"
    made = kinerja(seeded, "template", "--tahun", "2025", "--unit", UNIT, "--out", str(blank))
    assert made.exit_code == 0, made.output
    filled.write_bytes(fill(blank.read_bytes(), TYPED))

    imported = kinerja(seeded, "import", "realisasi", str(filled), "--tahun", "2025")
    assert imported.exit_code == 0, imported.output
    assert "IK-6.1 Maret: - -> 3 / 4" in imported.output
    assert "IK-6.4 Januari: - -> 12,5 / 20" in imported.output
    assert "5 bulan disimpan" in imported.output
    assert stored(seeded, office) == STORED

    exported = kinerja(seeded, "export", "capaian", "--tahun", "2025", "--triwulan", "1")
    assert exported.exit_code == 0, exported.output
    rows = {(r["kode"], r["unit"]): r for r in csv.DictReader(io.StringIO(exported.stdout))}
    assert rows[("IK-6.1.1", UNIT)]["realisasi_sd_tw"] == "3.00"  # Januari 2 + Februari 1
    assert rows[("IK-6.1", UNIT)]["realisasi_sd_tw"] == "75.00"  # 3 / 4
    assert rows[("IK-6.4", UNIT)]["realisasi_sd_tw"] == "62.50"  # 12,5 / 20

    again = kinerja(seeded, "import", "realisasi", str(filled), "--tahun", "2025")
    assert again.exit_code == 0 and "0 bulan disimpan" in again.output and "->" not in again.output


def test_a_new_template_is_prefilled_and_an_empty_cell_changes_nothing(seeded, office):
    save_realisasi(seeded, instansi_id=office.id, tahun=TAHUN, entries=[
        EntriRealisasi(kode="IK-6.1.1", bulan=1, nilai=Decimal(2), keterangan="Renja 2026"),
        EntriRealisasi(kode="IK-6.1", bulan=3, pembilang=Decimal(3), penyebut=Decimal(4)),
    ])
    with new_session(seeded) as session:
        data = build_template(session, office, TAHUN, [UNIT])
    sheet = openpyxl.load_workbook(io.BytesIO(data))[UNIT]
    assert sheet[at("IK-6.1.1", "nilai", 1)].value == 2
    assert (sheet[at("IK-6.1", "pembilang", 3)].value, sheet[at("IK-6.1", "penyebut", 3)].value) == (3, 4)
    assert preview(seeded, office, parse(seeded, office, data)) == []  # uploaded as downloaded: no change

    edited = fill(data, {("IK-6.1.1", "nilai", 1): 3, ("IK-6.1", "pembilang", 3): 4, ("IK-6.1", "penyebut", 3): None})
    entries = parse(seeded, office, edited)
    assert [(c["kode"], c["bulan"], c["lama"], c["baru"]) for c in preview(seeded, office, entries)] == [
        ("IK-6.1", "Maret", "3 / 4", "4 / 4"), ("IK-6.1.1", "Januari", "2", "3"),
    ]
    save_realisasi(seeded, instansi_id=office.id, tahun=TAHUN, entries=entries)
    after = stored(seeded, office)
    assert after["IK-6.1.1"][1] == Bulanan(nilai=Decimal(3), keterangan="Renja 2026")  # the note survives
    assert after["IK-6.1"][3] == Bulanan(pembilang=Decimal(4), penyebut=Decimal(4))  # emptied penyebut kept


# --- bad uploads ---------------------------------------------------------------------------------


def _rename(workbook: openpyxl.Workbook) -> None:
    workbook[UNIT].title = "Perencanaan 2025"


def _swap(workbook: openpyxl.Workbook) -> None:
    ws: Worksheet = workbook[UNIT]
    a, b = ROWS.index(("IK-6.1.1", "nilai")) + 7, ROWS.index(("IK-6.1.2", "nilai")) + 7
    for col in range(1, 17):
        ws.cell(a, col).value, ws.cell(b, col).value = ws.cell(b, col).value, ws.cell(a, col).value


def _foreign(workbook: openpyxl.Workbook) -> None:
    ws: Worksheet = workbook[UNIT]
    n = ROWS.index(("IK-6.1.4", "nilai")) + 7
    ws.cell(n, 1).value, ws.cell(n, 2).value = "IK-6.2.2", "Jumlah Laporan Keuangan"
    ws.cell(n, 5).value = 1


BAD_UPLOADS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "bukan xlsx": (lambda data: b"kode;bulan;nilai\nIK-6.1.1;1;2\n",
                   "isian.xlsx: bukan berkas Excel (.xlsx) yang bisa dibaca"),
    "lembar diganti nama": (lambda data: edit(data, _rename),
                            "Lembar 'Perencanaan 2025' tidak dikenal (semula PERENCANAAN; kembalikan namanya)"),
    "judul kolom diubah": (lambda data: edit(data, lambda wb: wb[UNIT].__setitem__("F6", "Feb")),
                           "Lembar PERENCANAAN sel F6: judul kolom diubah menjadi 'Feb', seharusnya 'Februari'"),
    "teks di sel angka": (lambda data: fill(data, {("IK-6.1.2", "nilai", 2): "dua"}),
                          f"Lembar PERENCANAAN sel {at('IK-6.1.2', 'nilai', 2)}: 'dua' bukan angka"),
    "baris ditukar": (lambda data: edit(data, _swap),
                      f"Lembar PERENCANAAN sel A{ROWS.index(('IK-6.1.1', 'nilai')) + 7}: baris dipindah; di sini "
                      "seharusnya IK-6.1.1 (nilai), tertulis IK-6.1.2 (nilai)"),
    "indikator unit lain": (lambda data: edit(data, _foreign),
                            f"Lembar PERENCANAAN sel A{ROWS.index(('IK-6.1.4', 'nilai')) + 7}: indikator IK-6.2.2 "
                            "diisi oleh Sub Bagian Umum dan Keuangan, bukan Sub Bagian Perencanaan dan Kepegawaian"),
    "pembilang tanpa penyebut": (lambda data: fill(data, {("IK-6.4", "pembilang", 2): 5}),
                                 f"Lembar PERENCANAAN sel {at('IK-6.4', 'pembilang', 2)} dan "
                                 f"{at('IK-6.4', 'penyebut', 2)}: IK-6.4 Februari harus diisi pembilang dan "
                                 "penyebutnya"),
    "negatif": (lambda data: fill(data, {("IK-6.4.1", "nilai", 4): -1}),
                f"Lembar PERENCANAAN sel {at('IK-6.4.1', 'nilai', 4)}: tidak boleh negatif (-1)"),
    "pecahan untuk dokumen": (lambda data: fill(data, {("IK-6.1.3", "nilai", 5): "1,5"}),
                              f"Lembar PERENCANAAN sel {at('IK-6.1.3', 'nilai', 5)}: IK-6.1.3 Jumlah Dokumen DPA-SKPD "
                              "dan Laporan Hasil Koordinasi Penyusunan Dokumen DPA-SKPD (Mei): nilai harus bilangan "
                              "bulat (Dokumen), bukan 1,5"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_names_sheet_and_cell_and_writes_nothing(seeded, office, template, tmp_path, case):
    spoil, message = BAD_UPLOADS[case]
    # One good cell besides the bad one: refusing the file must not save it either.
    data = spoil(fill(template, {("IK-6.1.1", "nilai", 1): 2}))

    with pytest.raises(ValidationError) as refused:
        parse(seeded, office, data)
    problems = refused.value.problems
    assert problems[0].startswith(message)
    assert all(p.startswith(("Lembar PERENCANAAN sel", "isian.xlsx:")) for p in problems[1:])

    path = tmp_path / "isian.xlsx"
    path.write_bytes(data)
    result = kinerja(seeded, "import", "realisasi", str(path), "--tahun", "2025")
    assert result.exit_code == 1
    assert message in result.stderr
    assert stored(seeded, office) == {} and jejak_count(seeded) == 0


# --- the workbook itself -------------------------------------------------------------------------


def test_only_the_month_cells_can_be_typed_in_and_they_accept_numbers_only(template):
    ws = openpyxl.load_workbook(io.BytesIO(template))[UNIT]
    assert ws.protection.sheet
    assert [c.value for c in ws[6]][:5] == ["Kode", "Indikator", "Diisi", "Satuan", "Januari"]
    assert [(ws.cell(n, 1).value, ws.cell(n, 3).value) for n in range(7, 7 + len(ROWS))] == ROWS
    assert ws.cell(7 + len(ROWS), 1).value is None
    for n in range(1, 7 + len(ROWS)):
        for col in range(1, 17):
            month_cell = n >= 7 and col >= 5
            assert ws.cell(n, col).protection.locked is not month_cell, ws.cell(n, col).coordinate
    rules = {str(dv.sqref): (dv.type, dv.operator, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert rules[f"E{ROWS.index(('IK-6.1.1', 'nilai')) + 7}:P{ROWS.index(('IK-6.1.1', 'nilai')) + 7}"] == (
        "whole", "greaterThanOrEqual", "0")  # Dokumen: whole numbers
    assert rules["E7:P7"] == ("decimal", "greaterThanOrEqual", "0")  # a ratio's pembilang
    assert len(rules) == len(ROWS)
    assert ws.freeze_panes == "E7"
    title = " ".join(str(ws.cell(n, 1).value) for n in range(1, 6))
    assert "Kecamatan Mangkutana tahun 2025" in title and "Sub Bagian Perencanaan dan Kepegawaian" in title
    assert "bukan kumulatif" in title and "Sel kosong = belum diisi / tidak diubah" in title


def test_the_whole_template_has_a_sheet_per_unit_that_enters_and_no_computed_indicator(seeded, office):
    with new_session(seeded) as session:
        workbook = openpyxl.load_workbook(io.BytesIO(build_template(session, office, TAHUN, None)))
    units = ["PEMUM", "PMD", "TRANTIB", "PELAYANAN", "PERENCANAAN", "UMUMKEU"]
    assert workbook.sheetnames == units + [f"Analisis {u}" for u in units]  # the analysis sheets after the units'
    kodes = {ws.cell(n, 1).value for ws in workbook.worksheets for n in range(7, ws.max_row + 1)} - {None}
    assert "IK-6.2.1" in kodes and "IK-3.1" in kodes
    # Camat's IKM and AKIP come from the survey and the LHE; the rest are computed: none is typed in.
    assert not kodes & {"IK-IKM", "IK-AKIP", "IK-6", "IK-6.2", "IK-6.5", "IK-1"}


FORMULA = '=HYPERLINK("http://x","klik")'


def test_an_indicator_name_that_looks_like_a_formula_stays_plain_text(seeded, office):
    with new_session(seeded) as session:
        ind = session.exec(select(Indikator).where(Indikator.kode == "IK-6.1.1")).one()
        ind.nama, ind.satuan = FORMULA, "=1+1"
        session.add(ind)
        session.commit()
        data = build_template(session, office, TAHUN, [UNIT])
    n = ROWS.index(("IK-6.1.1", "nilai")) + 7
    ws = openpyxl.load_workbook(io.BytesIO(data))[UNIT]
    for cell in (ws.cell(n, 2), ws.cell(n, 4)):
        assert cell.data_type == "s" and cell.value in (FORMULA, "=1+1"), cell.coordinate  # shown, never run


# --- who may import ------------------------------------------------------------------------------


def test_an_operator_of_another_unit_cannot_import_this_units_template(seeded, office, template):
    units = unit_ids(seeded, office)
    admin = create_user(seeded, instansi_id=office.id, username="admin", nama="Admin", password="rahasia-123",
                        peran="admin")
    umum = create_user(seeded, instansi_id=office.id, username="op.umum", nama="Operator Umum",
                       password="rahasia-123", peran="operator", unit_id=units["UMUMKEU"], pengguna=admin)
    own = create_user(seeded, instansi_id=office.id, username="op.renc", nama="Operator Perencanaan",
                      password="rahasia-123", peran="operator", unit_id=units[UNIT], pengguna=admin)
    data = fill(template, TYPED)

    with pytest.raises(ValidationError) as on_page:
        parse(seeded, office, data, allowed={units["UMUMKEU"]})
    assert on_page.value.problems == ["Lembar PERENCANAAN: Anda hanya dapat mengimpor realisasi unit Anda sendiri"]

    entries = parse(seeded, office, data)
    with pytest.raises(ValidationError) as refused:
        save_realisasi(seeded, instansi_id=office.id, tahun=TAHUN, entries=entries, pengguna=umum)
    assert refused.value.problems == ["operator hanya dapat mengisi indikator dan anggaran unitnya sendiri"]
    assert stored(seeded, office) == {}

    assert save_realisasi(seeded, instansi_id=office.id, tahun=TAHUN, entries=entries, pengguna=own) == 5
    assert stored(seeded, office) == STORED


# --- the analysis sheet ---------------------------------------------------------------------------

ANALISIS = f"Analisis {UNIT}"
# The PERENCANAAN indicators in sheet order, each with triwulan I..IV: IK-6.1.4 is the 6th indicator,
# so its triwulan II row is 7 + (5 × 4 + 1) = 28; the columns D..G are pendorong, penghambat, upaya, tindak lanjut.
INDIKATOR = ["IK-6.1", "IK-6.4", "IK-6.1.1", "IK-6.1.2", "IK-6.1.3", "IK-6.1.4", "IK-6.4.1", "IK-6.4.2"]


def row_analisis(kode: str, triwulan: int) -> int:
    return 7 + INDIKATOR.index(kode) * 4 + triwulan - 1


def analisis(engine: Engine, office: Instansi, triwulan: int) -> dict:
    with new_session(engine) as session:
        return load_analisis(session, office.id, TAHUN, triwulan)


def test_the_analysis_sheet_lists_each_indicator_per_triwulan_prefilled(seeded, office):
    save_analisis(seeded, instansi_id=office.id, tahun=TAHUN, triwulan=2,
                  entries=[EntriAnalisis("IK-6.1.4", faktor_pendorong="Dukungan camat")])
    with new_session(seeded) as session:
        ws = openpyxl.load_workbook(io.BytesIO(build_template(session, office, TAHUN, [UNIT])))[ANALISIS]
    assert [ws.cell(6, c).value for c in range(1, 8)] == [
        "Kode", "Indikator", "Triwulan", "Faktor pendorong", "Faktor penghambat", "Upaya / solusi",
        "Rencana tindak lanjut"]
    assert [ws.cell(n, 1).value for n in range(7, 7 + 4 * len(INDIKATOR))] == [k for k in INDIKATOR for _ in range(4)]
    n = row_analisis("IK-6.1.4", 2)
    assert n == 28 and (ws.cell(n, 1).value, ws.cell(n, 3).value, ws.cell(n, 4).value) == (
        "IK-6.1.4", "II", "Dukungan camat")
    assert ws.protection.sheet and not ws.cell(n, 5).protection.locked and ws.cell(n, 1).protection.locked


def test_analysis_typed_in_excel_round_trips_through_the_cli(seeded, office, tmp_path):
    blank, filled = tmp_path / "templat.xlsx", tmp_path / "isian.xlsx"
    assert kinerja(seeded, "template", "--tahun", "2025", "--unit", UNIT, "--out", str(blank)).exit_code == 0

    def type_analysis(workbook: openpyxl.Workbook) -> None:
        ws = workbook[ANALISIS]
        ws[f"E{row_analisis('IK-6.1.4', 1)}"] = "Laporan desa terlambat"
        ws[f"G{row_analisis('IK-6.1.4', 1)}"] = "Jemput bola ke desa"
        ws[f"D{row_analisis('IK-6.1.1', 3)}"] = "Renja selesai tepat waktu"
        workbook[UNIT][at("IK-6.1.1", "nilai", 1)] = 2

    filled.write_bytes(edit(blank.read_bytes(), type_analysis))
    imported = kinerja(seeded, "import", "realisasi", str(filled), "--tahun", "2025")
    assert imported.exit_code == 0, imported.output
    assert "IK-6.1.4 Triwulan I · Faktor penghambat: - -> Laporan desa terlambat" in imported.output
    assert "1 bulan disimpan" in imported.output and "2 analisis triwulan disimpan" in imported.output
    tw1, tw3 = analisis(seeded, office, 1), analisis(seeded, office, 3)
    assert (tw1["IK-6.1.4"].faktor_penghambat, tw1["IK-6.1.4"].rencana_tindak_lanjut, tw1["IK-6.1.4"].upaya) == (
        "Laporan desa terlambat", "Jemput bola ke desa", "")
    assert tw3["IK-6.1.1"].faktor_pendorong == "Renja selesai tepat waktu"
    assert set(tw1) == {"IK-6.1.4"} and set(tw3) == {"IK-6.1.1"}
    with new_session(seeded) as session:
        assert session.exec(select(func.count()).select_from(Jejak).where(Jejak.tabel == "analisis")).one() == 2

    # The same file again changes nothing (its text is what is stored now), and a fresh template shows it.
    again = kinerja(seeded, "import", "realisasi", str(filled), "--tahun", "2025")
    assert again.exit_code == 0 and "0 analisis triwulan disimpan" not in again.output and "->" not in again.output
    with new_session(seeded) as session:
        ws = openpyxl.load_workbook(io.BytesIO(build_template(session, office, TAHUN, [UNIT])))[ANALISIS]
    assert ws[f"E{row_analisis('IK-6.1.4', 1)}"].value == "Laporan desa terlambat"


def test_a_moved_analysis_row_or_a_foreign_unit_is_refused_and_nothing_is_saved(seeded, office, template):
    def swap(workbook: openpyxl.Workbook) -> None:
        ws = workbook[ANALISIS]
        ws["A7"], ws["A11"] = "IK-6.4", "IK-6.1"
        ws["E7"] = "teks"

    with new_session(seeded) as session, pytest.raises(ValidationError, match="sel A7: baris dipindah"):
        parse_analisis_template(edit(template, swap), session, office, TAHUN, name="isian.xlsx")
    units = unit_ids(seeded, office)
    typed = edit(template, lambda wb: wb[ANALISIS].__setitem__("E7", "teks"))
    with new_session(seeded) as session:
        with pytest.raises(ValidationError, match="hanya dapat mengimpor analisis unit Anda sendiri"):
            parse_analisis_template(typed, session, office, TAHUN, {units["UMUMKEU"]}, name="isian.xlsx")
        found = parse_analisis_template(typed, session, office, TAHUN, {units[UNIT]}, name="isian.xlsx")
        assert found == {1: [EntriAnalisis("IK-6.1", faktor_penghambat="teks", lokasi=f"Lembar {ANALISIS} baris 7")]}
        assert preview_analisis(session, office, TAHUN, found) == [
            {"kode": "IK-6.1", "indikator": "Persentase Ketercapaian Target Kinerja Perangkat Daerah",
             "bulan": "Triwulan I · Faktor penghambat", "lama": "", "baru": "teks"}]
        assert parse_template(typed, session, office, TAHUN, name="isian.xlsx") == []  # no month typed
    assert analisis(seeded, office, 1) == {}
