"""Hostile and mistaken input on every entry path: refused in Indonesian with nothing written, or stored as typed.

Each case is one small input through one path (the grids, the Excel template, the CSV imports
and the CLI, the PK workbook and the data/ folder, the target and pagu grids, the AKIP and IKM
forms). A refusal must name what is wrong in Indonesian and leave the database exactly as it was
(a dump before and after); what may be stored (Markdown or a formula in a keterangan) is stored
verbatim. All cases of one database share one seeded database; the slowest are printed at the end.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tests._jalur import (
    ANGGARAN_HEADER,
    BULAN,
    HITUNG,
    IKM_HEADER,
    RANTAI,
    RASIO,
    REALISASI_HEADER,
    SUB,
    UNIT,
    Basis,
    Result,
    Simpan,
    Stopwatch,
    Tolak,
    akip_path,
    assert_refused,
    clean,
    cli_path,
    csv_anggaran_path,
    csv_bytes,
    csv_ikm_path,
    csv_realisasi_path,
    data_cli,
    data_path,
    dump,
    filled_pk,
    filled_template,
    grid_anggaran_path,
    grid_realisasi_path,
    ikm_counts_path,
    indikator_of_year,
    nilai_csv,
    nilai_grid,
    nilai_template,
    ok,
    open_basis,
    pagu_path,
    pk_path,
    report_slowest,
    rupiah_csv,
    rupiah_grid,
    rupiah_pagu,
    set_csv_cells,
    set_info,
    set_sheet_cells,
    target_path,
    template_path,
    xlsx_ikm_path,
)
from tests.conftest import BACKENDS

D = Decimal
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("catatan.txt", "bukan lembar kerja")
    return buffer.getvalue()


ZIP = _zip()
TIGA = ["3"] * 8  # the other eight IKM answers of a respondent


# --- small adapters: one input in, ("ok", what is stored) or ("refused", messages) out --------------------


def _one(result: Result, key: tuple[str, int], index: int) -> Result:
    status, stored = result
    if status != "ok":
        return result
    row = stored.get(key) if stored else None
    return ok(None if row is None else row[index])


def _months(result: Result) -> Result:
    return ok(sorted(b for _, b in result[1])) if result[0] == "ok" else result


def _keys(result: Result) -> Result:
    return ok(sorted(result[1])) if result[0] == "ok" else result


def keterangan_grid(db: Basis, text: str) -> Result:
    return _one(grid_realisasi_path(db, {HITUNG: {"nilai": "1", "keterangan": text}}), (HITUNG, BULAN), 3)


def keterangan_csv(db: Basis, text: str) -> Result:
    data = csv_bytes(REALISASI_HEADER, [HITUNG, BULAN, "1", "", "", text])
    return _one(csv_realisasi_path(db, data), (HITUNG, BULAN), 3)


def keterangan_anggaran(db: Basis, text: str) -> Result:
    return _one(grid_anggaran_path(db, {SUB: {"realisasi": "1000", "keterangan": text}}), (SUB, BULAN), 1)


def bulan_csv(db: Basis, text: str) -> Result:
    return _months(csv_realisasi_path(db, csv_bytes(REALISASI_HEADER, [HITUNG, text, "1", "", "", ""])))


def bulan_anggaran(db: Basis, text: str) -> Result:
    return _months(csv_anggaran_path(db, csv_bytes(ANGGARAN_HEADER, [SUB, text, "1000", ""])))


def kode_csv(db: Basis, text: str) -> Result:
    return _keys(csv_realisasi_path(db, csv_bytes(REALISASI_HEADER, [text, BULAN, "1", "", "", ""])))


def kode_anggaran(db: Basis, text: str) -> Result:
    return _keys(csv_anggaran_path(db, csv_bytes(ANGGARAN_HEADER, [text, BULAN, "1000", ""])))


def rows_realisasi(db: Basis, rows: list[list[object]]) -> Result:
    return csv_realisasi_path(db, csv_bytes(REALISASI_HEADER, *rows))


def rows_anggaran(db: Basis, rows: list[list[object]]) -> Result:
    return csv_anggaran_path(db, csv_bytes(ANGGARAN_HEADER, *rows))


def many_realisasi(db: Basis, n: int) -> Result:
    return rows_realisasi(db, [[HITUNG, i % 12 + 1, "1", "", "", ""] for i in range(n)])


def jawaban_ikm(db: Basis, text: str) -> Result:
    return csv_ikm_path(db, csv_bytes(IKM_HEADER, [text, *TIGA]))


def jawaban_xlsx(db: Basis, rows: list[list[object]]) -> Result:
    """An IKM answers workbook: the header u1..u9, then these rows (text stays text)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate([IKM_HEADER, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return xlsx_ikm_path(db, buffer.getvalue())


def many_ikm(db: Basis, n: int) -> Result:
    return csv_ikm_path(db, csv_bytes(IKM_HEADER, *([["3"] * 9] * n)))


def ikm_bulan(db: Basis, bulan: int) -> Result:
    return ikm_counts_path(db, [[0, 0, 1, 1]] * 9, bulan=bulan)


def counts_with(value: object) -> list[list[object]]:
    """Counts of a 10-respondent survey with one cell replaced."""
    counts: list[list[object]] = [[0, 0, 5, 5] for _ in range(9)]
    counts[0][0] = value
    return counts


def akip(db: Basis, arg: tuple[dict[str, str], str]) -> Result:
    return akip_path(db, *arg)


def grid_as(db: Basis, arg: tuple[str, dict[str, dict[str, str]], str | None]) -> Result:
    unit, cells, who = arg
    return grid_realisasi_path(db, cells, unit=unit, pengguna=db.pengguna.get(who) if who else None)


def anggaran_as(db: Basis, arg: tuple[str, dict[str, dict[str, str]], str | None]) -> Result:
    unit, cells, who = arg
    return grid_anggaran_path(db, cells, unit=unit, pengguna=db.pengguna.get(who) if who else None)


def template_cells(db: Basis, cells: dict[tuple[str, str, int], object]) -> Result:
    return template_path(db, filled_template(db, cells))


def template_edit(db: Basis, edit: Callable[[openpyxl.Workbook], None]) -> Result:
    return template_path(db, filled_template(db, {}, edit=edit))


def template_file(db: Basis, data: bytes | Callable[[Basis], bytes]) -> Result:
    return template_path(db, data(db) if callable(data) else data)


def template_operator(db: Basis, unit: str) -> Result:
    kode = {"PEMUM": "IK-4.1.1", UNIT: HITUNG}[unit]
    return template_path(db, filled_template(db, {(kode, "nilai", BULAN): "1"}, unit=unit),
                         pengguna=db.pengguna["operator"])


def pk_edit(db: Basis, edit: Callable[[openpyxl.Workbook], None]) -> Result:
    return pk_path(db, filled_pk(db, edit)[0])


def pk_nama(db: Basis, text: str) -> Result:
    data, year = filled_pk(db, lambda book: set_sheet_cells(book, "indikator", {RASIO}, "indikator", text))
    status, got = pk_path(db, data)
    return ok(indikator_of_year(db, year).nama) if status == "ok" else (status, got)


def pk_file(db: Basis, data: bytes | Callable[[Basis], bytes]) -> Result:
    return pk_path(db, data(db) if callable(data) else data)


def cli(db: Basis, arg: tuple[list[str], dict[str, bytes]]) -> Result:
    return cli_path(db, *arg)


# --- edits of a workbook or a folder ------------------------------------------------------------------


def _sheet(book: openpyxl.Workbook) -> Worksheet:
    return book[UNIT]


def _append(*values: object) -> Callable[[openpyxl.Workbook], None]:
    return lambda book: _sheet(book).append(list(values))


def _set(cell: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        _sheet(book)[cell] = value
    return edit


def _rename(book: openpyxl.Workbook) -> None:
    _sheet(book).title = "PERENCANAAN2"


def _swap_rows(book: openpyxl.Workbook) -> None:
    ws = _sheet(book)
    for col in (1, 2, 3):
        ws.cell(7, col).value, ws.cell(11, col).value = ws.cell(11, col).value, ws.cell(7, col).value


def _plain_workbook(_db: Basis) -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _truncated_template(db: Basis) -> bytes:
    data = filled_template(db, {})
    return data[: len(data) // 2]


def _truncated_pk(db: Basis) -> bytes:
    data, _ = filled_pk(db)
    return data[: len(data) // 2]


def _indikator(column: str, value: object, kodes: tuple[str, ...] = (RASIO,)) -> Callable[[openpyxl.Workbook], None]:
    return lambda book: set_sheet_cells(book, "indikator", set(kodes), column, value)


def _info(key: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    return lambda book: set_info(book, key, value)


def _drop_sheet(name: str) -> Callable[[openpyxl.Workbook], None]:
    return lambda book: book.remove(book[name])


def _folder_csv(name: str, kodes: tuple[str, ...], column: str, text: str) -> Callable[[Path], None]:
    return lambda folder: set_csv_cells(folder / name, set(kodes), column, text)


def _pk_yaml(replace: tuple[str, str] | None = None, raw: bytes | None = None) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "pk.yaml"
        if raw is not None:
            path.write_bytes(raw)
            return
        text = path.read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith(replace[0]))
        path.write_text(text.replace(old, replace[1]), encoding="utf-8")
    return edit


def _latin1_indikator(folder: Path) -> None:
    set_csv_cells(folder / "indikator.csv", {RASIO}, "satuan", "persén")
    path = folder / "indikator.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _empty_file(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(b"")


# --- the corpus ---------------------------------------------------------------------------------------

# Numbers typed where an indicator value goes (the ratio's pembilang and penyebut, the same text in both).
ANGKA = [
    ("1e308", "1e308", Tolak("notasi e")),
    ("1e16", "1e16", Tolak("notasi e")),
    ("1E3", "1E3", Tolak("notasi e")),
    ("1e-3", "1e-3", Tolak("notasi e")),
    ("1e+3", "1e+3", Tolak("notasi e")),
    ("16-digits.5", "9999999999999999.5", Tolak("terlalu besar")),
    ("9x40", "9" * 40, Tolak("terlalu besar")),
    ("9x41", "9" * 41, Tolak("terlalu panjang")),
    ("13-digits", "1" + "0" * 12, Tolak("terlalu besar")),
    ("NaN", "NaN", Tolak("bukan angka")),
    ("nan", "nan", Tolak("bukan angka")),
    ("inf", "inf", Tolak("bukan angka")),
    ("-inf", "-inf", Tolak("bukan angka")),
    ("Infinity", "Infinity", Tolak("bukan angka")),
    ("negative", "-1", Tolak("negatif")),
    ("negative-decimal", "-0,5", Tolak("negatif")),
    ("plus-sign", "+5", Tolak()),  # the rule: "no sign"
    ("fullwidth", "１２", Tolak("bukan angka")),
    ("arabic-indic", "١٢", Tolak("bukan angka")),
    ("persian", "۱۲", Tolak("bukan angka")),
    ("superscript", "¹²", Tolak("bukan angka")),
    ("math-bold", "𝟏𝟐", Tolak("bukan angka")),
    ("vulgar-half", "½", Tolak("bukan angka")),
    ("1.2.3", "1.2.3", Tolak("tiga angka")),
    ("12.34.567", "12.34.567", Tolak("tiga angka")),
    ("1,2,3", "1,2,3", Tolak("satu koma")),
    ("1.234.5", "1.234.5", Tolak("tiga angka")),
    ("space-thousands", "1 234", Tolak("bukan angka")),
    ("nbsp-thousands", "1\u00a0234", Tolak("bukan angka")),
    ("5-decimals", "0,00001", Tolak("4 angka di belakang koma")),
    ("trailing-comma", "12,", Tolak("sesudah koma")),
    ("leading-dot", ".5", Tolak("bukan angka")),
    ("hex", "0x1F", Tolak("bukan angka")),
    ("underscore", "1_000", Tolak("bukan angka")),
    ("fraction", "1/2", Tolak("bukan angka")),
    ("with-unit", "12 dokumen", Tolak("bukan angka")),
    ("formula", "=1+1", Tolak("bukan angka")),
    ("hyperlink", '=HYPERLINK("http://x")', Tolak("bukan angka")),
    ("at-sum", "@SUM(A1)", Tolak("bukan angka")),
    ("sql", "'; DROP TABLE realisasi; --", Tolak("bukan angka")),
    ("script", "<script>alert(1)</script>", Tolak("bukan angka")),
    ("nul", "12\x00", Tolak("bukan angka")),
    ("rp-on-value", "Rp 5", Tolak("bukan angka")),
    ("spaces", " 12,5 ", Simpan(D("12.5"))),  # whitespace around a number is not part of it
    ("tabs", "\t7\t", Simpan(D(7))),
    ("nbsp", "\u00a08\u00a0", Simpan(D(8))),
]
# Numbers typed where whole Rupiah go (sub-kegiatan 6.1.1, pagu 15.409.900).
RUPIAH = [
    ("1e308", "1e308", Tolak("notasi e")),
    ("1e16", "1e16", Tolak("notasi e")),
    ("16-digits", "9999999999999999", Tolak("terlalu besar")),
    ("9x40", "9" * 40, Tolak("terlalu besar")),
    ("9x41", "9" * 41, Tolak("terlalu panjang")),
    ("NaN", "NaN", Tolak("bukan angka")),
    ("-inf", "-inf", Tolak("bukan angka")),
    ("negative", "-1000", Tolak("negatif")),
    ("rp-negative", "Rp -5", Tolak("negatif")),
    ("fullwidth", "１０００", Tolak("bukan angka")),
    ("1.2.3", "1.2.3", Tolak("tiga angka")),
    ("1.000.00", "1.000.00", Tolak("tiga angka")),
    ("decimal-comma", "1,5", Tolak("bulat")),
    ("decimal-comma-zero", "12,50", Tolak("bulat")),
    ("decimal-point", "12.5", Tolak("bulat")),
    ("rp-alone", "Rp", Tolak("bukan angka")),
    ("space-thousands", "1 000", Tolak("bukan angka")),
    ("formula", "=1+1", Tolak("bukan angka")),
    ("plus-sign", "+1000", Tolak()),  # the rule: "no sign"
    ("rp-prefix", "Rp 1.000", Simpan(1000)),
    ("zero-decimals", "1.000,00", Simpan(1000)),
    ("spaces", " 250.000 ", Simpan(250000)),
    ("thousands", "1.234", Simpan(1234)),
    ("rp-lowercase", "rp1000", Simpan(1000)),
]
# Free text in a keterangan: stored verbatim, unless it cannot be stored (control characters, too long).
KETERANGAN = [
    *[(name, text, Simpan(text)) for name, text in [
        ("markdown-image", "![b](http://x/y.png)"),
        ("markdown-heading", "# JUDUL"),
        ("markdown-js-link", "[klik](javascript:alert(1))"),
        ("html-script", "<script>alert('x')</script>"),
        ("html-img", '<img src=x onerror="alert(1)">'),
        ("formula-hyperlink", '=HYPERLINK("http://x/y","klik")'),
        ("formula-plus-cmd", "+cmd|' /C calc'!A0"),
        ("formula-at", "@SUM(A1:A9)"),
        ("formula-minus", "-2+3"),
        ("sql-drop", "'; DROP TABLE realisasi; --"),
        ("sql-quote", 'Robert"); DROP TABLE pengguna;--'),
        ("template-injection", "{{7*7}} ${jndi:ldap://x/a}"),
        ("newline", "baris satu\nbaris dua"),
        ("tab-inside", "kolom\tkedua"),
        ("rtl-override", "laporan\u202etxt.exe"),
        ("zero-width", "do\u200bkumen"),
        ("emoji-accents", "😀 ñandú é ü"),
        ("1000-chars", "x" * 1000),
    ]],
    ("nul", "a\x00b", Tolak("karakter kendali")),
    ("escape", "\x1b[31mmerah\x1b[0m", Tolak("karakter kendali")),
    ("bell", "bel\x07", Tolak("karakter kendali")),
    ("delete", "hapus\x7f", Tolak("karakter kendali")),
    ("1001-chars", "x" * 1001, Tolak("paling panjang")),
    ("10000-chars", "x" * 10000, Tolak("paling panjang")),
]
BULAN_CASES = [
    ("0", "0", Tolak("bulan harus 1 sampai 12")),
    ("13", "13", Tolak("bulan harus 1 sampai 12")),
    ("3.5", "3.5", Tolak("bulat")),
    ("empty", "", Tolak("bulan harus diisi")),
    ("name", "Maret", Tolak("bukan angka")),
    ("negative", "-1", Tolak("negatif")),
    ("exponent", "1e1", Tolak("notasi e")),
    ("fullwidth", "３", Tolak("bukan angka")),
    ("20-digits", "9" * 20, Tolak("terlalu besar")),
    ("2^32", "4294967296", Tolak("bulan harus 1 sampai 12")),
    ("spaces", " 3 ", Simpan([3])),
    ("leading-zero", "03", Simpan([3])),
]
KODE_REALISASI = [
    ("unknown", "IK-9.9", Tolak("tidak dikenal")),
    ("empty", "", Tolak("kode harus diisi")),
    ("lowercase", "ik-6.1.1", Tolak("tidak dikenal")),
    ("turunan", "IK-6.5", Tolak("dihitung otomatis")),
    ("penyerapan", "IK-6.2", Tolak("penyerapan anggaran")),
    ("ikm", "IK-IKM", Tolak("halaman IKM")),
    ("akip", "IK-AKIP", Tolak("halaman AKIP")),
    ("10000-chars", "X" * 10000, Tolak("tidak dikenal")),
    ("sql", "'; DROP TABLE realisasi; --", Tolak("tidak dikenal")),
    ("nul", "IK-6.1.1\x00", Tolak("tidak dikenal")),
    ("formula", '=HYPERLINK("http://x")', Tolak("tidak dikenal")),
    ("spaces", " IK-6.1.1 ", Simpan([(HITUNG, BULAN)])),
]
KODE_ANGGARAN = [
    ("unknown", "9.9.9", Tolak("tidak dikenal")),
    ("kegiatan", "6.1", Tolak("per sub kegiatan")),
    ("program", "6", Tolak("per sub kegiatan")),
    ("empty", "", Tolak("tidak dikenal")),
    ("nul", "6.1.1\x00", Tolak("tidak dikenal")),
    ("sql", "6.1.1' OR '1'='1", Tolak("tidak dikenal")),
]
H = ",".join(REALISASI_HEADER) + "\n"
FIELD_200KB = csv_bytes(REALISASI_HEADER, [HITUNG, 3, "1", "", "", "x" * 200_000])
UNBALANCED = (H + '"IK-6.1.1,3,1,,,\n').encode()
FILES_REALISASI = [
    ("empty-file", b"", Tolak("kolom wajib")),
    ("blank-lines", b"\n\n\n", Tolak("kolom wajib")),
    ("header-only", H.encode(), Tolak("tidak ada baris data")),
    ("png", PNG, Tolak("bukan berkas teks")),
    ("zip", ZIP, Tolak("bukan berkas teks")),
    ("utf16", (H + "IK-6.1.1,3,1,,,é\n").encode("utf-16"), Tolak("bukan berkas teks")),
    ("latin1", (H + "IK-6.1.1,3,1,,,é\n").encode("latin-1"), Tolak("bukan berkas teks")),
    ("field-200kb", FIELD_200KB, Tolak("baris 2")),
    ("unquoted-comma", (H + "IK-6.1.1,3,1,,,Rapat A, B dan C\n").encode(), Tolak("baris 2")),
    ("short-row", (H + "IK-6.1.1,3\n").encode(), Tolak("nilai harus diisi")),
    ("unbalanced-quote", UNBALANCED, Tolak("baris 2")),
    ("extra-column", b"kode,bulan,nilai,pembilang,penyebut,keterangan,catatan\nIK-6.1.1,3,1,,,,x\n",
     Tolak("kolom tidak dikenal")),
    ("missing-column", b"kode,bulan,nilai,pembilang\nIK-6.1.1,3,1,\n", Tolak("kolom wajib")),
    ("bom-semicolon", "\ufeffkode;bulan;nilai;pembilang;penyebut;keterangan\nIK-6.1;3;;12,5;20;\n".encode(),
     Simpan({(RASIO, 3): (None, D("12.5"), D(20), "")})),
    ("header-caps-spaces", b" KODE , BULAN ,Nilai,PEMBILANG,penyebut,keterangan\nIK-6.1.1,3,1,,,\n",
     Simpan({(HITUNG, 3): (D(1), None, None, "")})),
    ("crlf", (H + "IK-6.1.1,3,1,,,ok\n").replace("\n", "\r\n").encode(),
     Simpan({(HITUNG, 3): (D(1), None, None, "ok")})),
]
ROWS_REALISASI = [
    ("duplicate", [[HITUNG, 3, "1", "", "", ""], [HITUNG, 3, "2", "", "", ""]], Tolak("sudah ada")),
    ("pembilang-over-penyebut", [[RASIO, 3, "", "5", "3", ""]], Tolak("lebih besar")),
    ("nilai-on-rasio", [[RASIO, 3, "2", "", "", ""]], Tolak("pembilang dan penyebut")),
    ("rasio-half", [[RASIO, 3, "", "1", "", ""]], Tolak("keduanya")),
    ("pembilang-on-count", [[HITUNG, 3, "", "1", "2", ""]], Tolak("bukan pembilang")),
    ("count-decimal", [[HITUNG, 3, "2,5", "", "", ""]], Tolak("bulat")),
    ("keterangan-alone", [[HITUNG, 3, "", "", "", "catatan"]], Tolak("tanpa nilai")),
    ("soft-limit-unconfirmed", [[HITUNG, 3, "5", "", "", ""]], Tolak("melebihi target setahun")),
    ("one-good-one-bad", [[HITUNG, 2, "1", "", "", ""], [HITUNG, 3, "abc", "", "", ""]],
     Tolak("baris 3", "bukan angka")),
]
HA = ",".join(ANGGARAN_HEADER) + "\n"
FILES_ANGGARAN = [
    ("empty-file", b"", Tolak("kolom wajib")),
    ("png", PNG, Tolak("bukan berkas teks")),
    ("field-200kb", csv_bytes(ANGGARAN_HEADER, [SUB, 3, "1000", "x" * 200_000]), Tolak("baris 2")),
    ("semicolon-thousands", b"kode;bulan;realisasi\n6.1.1;3;1.000\n", Simpan({(SUB, 3): (1000, "")})),
]
ROWS_ANGGARAN = [
    ("duplicate", [[SUB, 3, "1000", ""], [SUB, 3, "2000", ""]], Tolak("sudah ada")),
    ("over-pagu", [[SUB, 3, "15.409.901", ""]], Tolak("melebihi pagu")),
    ("over-pagu-over-months", [[SUB, 1, "10.000.000", ""], [SUB, 2, "10.000.000", ""]], Tolak("melebihi pagu")),
    ("keterangan-alone", [[SUB, 3, "", "catatan"]], Tolak("realisasi harus diisi")),
    ("keterangan-nul", [[SUB, 3, "1000", "a\x00b"]], Tolak("karakter kendali")),
]
JAWABAN = [
    *[(name, text, Tolak("jawaban harus 1, 2, 3 atau 4")) for name, text in [
        ("0", "0"), ("5", "5"), ("3,0", "3,0"), ("1e0", "1e0"), ("fullwidth", "４"), ("arabic-indic", "٣"),
        ("NaN", "NaN"), ("-1", "-1"), ("3.5", "3.5"), ("formula", "=1+3"), ("word", "puas"),
    ]],
    ("4.0", "4.0", Simpan([[4, *[3] * 8]])),  # a spreadsheet's number 4 written as 4.0
    ("spaces", " 3 ", Simpan([[3] * 9])),
    ("blank", "", Simpan([[None, *[3] * 8]])),  # an unsur left unanswered
]
JAWABAN_XLSX = [
    ("number-4.0", [[4.0, *[3] * 8]], Simpan([[4, *[3] * 8]])),
    ("number-5", [[5, *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
    ("number-2.5", [[2.5, *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
    ("number-1e308", [[1e308, *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
    ("bool", [[True, *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
    ("date", [[datetime(2025, 1, 4), *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
    ("text-fullwidth", [["４", *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
    ("text-formula", [["=1+3", *[3] * 8]], Tolak("jawaban harus 1, 2, 3 atau 4")),
]
HI = ",".join(IKM_HEADER) + "\n"
FILES_IKM = [
    ("empty-file", b"", Tolak("kolom wajib")),
    ("header-only", HI.encode(), Tolak("tidak ada jawaban")),
    ("blank-rows", (HI + ",,,,,,,,\n" * 3).encode(), Tolak("tidak ada jawaban")),
    ("u10", (HI.strip() + ",u10\n" + "3," * 9 + "3\n").encode(), Tolak("kolom tidak dikenal")),
    ("missing-u9", b"u1,u2,u3,u4,u5,u6,u7,u8\n3,3,3,3,3,3,3,3\n", Tolak("kolom wajib")),
    ("png", PNG, Tolak("bukan berkas teks")),
]
COUNTS = [
    ("all-zero", [[0] * 4 for _ in range(9)], Tolak("tidak punya jawaban")),
    ("negative", counts_with(-1), Tolak("negatif")),
    ("ten-million", counts_with(10**7), Tolak("terlalu besar")),
    ("googol", counts_with(10**100), Tolak("terlalu besar")),
    ("fraction", counts_with(1.5), Tolak("bulat")),
    ("nan", counts_with(float("nan")), Tolak("bukan angka")),
    ("decimal-1e999999", counts_with(Decimal("1e999999")), Tolak("terlalu besar")),
    ("8-unsur", [[0, 0, 5, 5]] * 8, Tolak("9 unsur")),
    ("5-answers", [[0, 0, 5, 5, 0]] * 9, Tolak("9 unsur")),
    ("all-four", [[0, 0, 0, 10]] * 9, Simpan(D(100))),
]
AKIP = [
    ("over-weight", ({"perencanaan": "31"}, ""), Tolak("paling tinggi 30")),
    ("over-weight-by-a-cent", ({"pelaporan": "15,01"}, ""), Tolak("paling tinggi 15")),
    ("three-decimals", ({"pengukuran": "12,345"}, ""), Tolak("2 angka di belakang koma")),
    ("three-decimals-at-weight", ({"perencanaan": "30,001"}, ""), Tolak("2 angka di belakang koma")),
    ("negative", ({"evaluasi": "-1"}, ""), Tolak("negatif")),
    ("nan", ({"evaluasi": "NaN"}, ""), Tolak("bukan angka")),
    ("empty", ({"perencanaan": ""}, ""), Tolak("harus diisi")),
    ("exponent", ({"perencanaan": "1e1"}, ""), Tolak("notasi e")),
    ("ambiguous", ({"perencanaan": "1.234"}, ""), Tolak("dua cara")),
    ("fullwidth", ({"perencanaan": "１０"}, ""), Tolak("bukan angka")),
    ("huge", ({"perencanaan": "9999999999999999.5"}, ""), Tolak("terlalu besar")),
    ("1e999999", ({"perencanaan": "1e999999"}, ""), Tolak("notasi e")),
    ("formula", ({"perencanaan": "=30"}, ""), Tolak("bukan angka")),
    ("keterangan-nul", ({}, "LHE\x00"), Tolak("karakter kendali")),
    ("keterangan-501", ({}, "x" * 501), Tolak("paling panjang")),
    ("two-decimals", ({"perencanaan": "29,99"}, ""), Simpan((D("29.99"), 20, 10, 15, ""))),
    ("at-weight", ({"evaluasi": "25"}, ""), Simpan((20, 20, 10, 25, ""))),
    ("keterangan-markup", ({}, "# LHE <b>No. 1</b>"), Simpan((20, 20, 10, 15, "# LHE <b>No. 1</b>"))),
]
TARGET = [
    ("ambiguous-tw1", {RASIO: {"tw1": "1.234"}}, Tolak("dua cara")),
    ("tahunan-empty", {RASIO: {"tahunan": ""}}, Tolak("harus diisi")),
    ("tahunan-text", {RASIO: {"tahunan": "abc"}}, Tolak("bukan angka")),
    ("batas-negative", {HITUNG: {"batas_wajar": "-1"}}, Tolak("negatif")),
    ("rencana-aksi-falls", {HITUNG: {"tw1": "5"}}, Tolak("tidak boleh turun")),
    ("tw4-not-annual", {HITUNG: {"tw4": "2"}}, Tolak("harus sama")),
    ("exponent", {RASIO: {"tahunan": "1e999999"}}, Tolak("notasi e")),
    ("5-decimals", {RASIO: {"tw2": "0,00001"}}, Tolak("4 angka di belakang koma")),
    ("13-digits", {RASIO: {"tahunan": "9" * 13}}, Tolak("terlalu besar")),
    ("formula", {RASIO: {"tw1": "=1+1"}}, Tolak("bukan angka")),
    ("tw1", {RASIO: {"tw1": "12,5"}}, Simpan({RASIO: (100, D("12.5"), None, None, None, None)})),
    ("batas-wajar", {HITUNG: {"batas_wajar": "5"}}, Simpan({HITUNG: (3, None, None, None, None, 5)})),
]
PAGU = [
    ("empty", {SUB: ""}, Tolak("harus diisi")),
    ("kegiatan-row", {"6.1": "1000"}, Tolak("per sub kegiatan")),
    ("unknown-row", {"9.9.9": "1000"}, Tolak("tidak ada")),
    ("15-digits", {SUB: "999.999.999.999.999"}, Simpan({SUB: 999_999_999_999_999})),
]
PK = [
    ("target-formula-text", _indikator("target", "=1+1"), Tolak("bukan angka")),
    ("target-ambiguous", _indikator("target", "1.234"), Tolak("dua cara")),
    ("target-number-1e308", _indikator("target", 1e308), Tolak("terlalu")),
    ("pagu-decimal", lambda book: set_sheet_cells(book, "anggaran", RANTAI, "pagu", "1,5"), Tolak("bulat")),
    ("tahun-words", _info("tahun", "dua ribu"), Tolak("tahun")),
    ("tahun-1e20", _info("tahun", 1e20), Tolak("tahun")),
    ("tahun-loaded", _info("tahun", 2025), Tolak("sudah ada")),
    ("berlaku-13", _info("berlaku_bulan", 13), Tolak("berlaku_bulan")),
    ("tanggal-words", _info("versi_tanggal", "kemarin"), Tolak("tanggal")),
    ("nomor-words", _info("versi_nomor", "satu"), Tolak("nomor")),
    ("sheet-missing", _drop_sheet("indikator"), Tolak("tidak ada")),
    ("kode-100-chars", _indikator("kode", "IK-" + "X" * 100, (HITUNG,)), Tolak("kode")),
    ("satuan-empty", _indikator("satuan", ""), Tolak("satuan", ("kosong", "harus diisi"))),
    ("jenis-script", _indikator("jenis", "<script>"), Tolak("tidak dikenal")),
    ("unit-unknown", _indikator("unit", "TIDAKADA"), Tolak("tidak ada")),
]
PK_FILES = [
    ("zip-of-text", ZIP, Tolak("bukan berkas Excel")),
    ("empty-file", b"", Tolak("bukan berkas Excel")),
    ("csv-named-xlsx", H.encode(), Tolak("bukan berkas Excel")),
    ("png", PNG, Tolak("bukan berkas Excel")),
    ("truncated", _truncated_pk, Tolak("bukan berkas Excel")),
]
DATA = [
    ("target-ambiguous", _folder_csv("indikator.csv", (RASIO,), "target", "1.234"), Tolak("dua cara")),
    ("target-formula", _folder_csv("indikator.csv", (RASIO,), "target", "=1+1"), Tolak("bukan angka")),
    ("pagu-decimal", _folder_csv("anggaran.csv", RANTAI, "pagu", "1,5"), Tolak("bulat")),
    ("pagu-negative", _folder_csv("anggaran.csv", RANTAI, "pagu", "-5"), Tolak("negatif")),
    ("polaritas-sql", _folder_csv("indikator.csv", (RASIO,), "polaritas", "'; DROP TABLE indikator; --"),
     Tolak("tidak dikenal")),
    ("yaml-broken", _pk_yaml(raw=b"tahun: [\n"), Tolak("tidak bisa dibaca")),
    ("yaml-list", _pk_yaml(raw=b"- a\n- b\n"), Tolak("bukan pemetaan")),
    ("yaml-binary", _pk_yaml(raw=PNG), Tolak("pk.yaml")),
    ("tahun-words", _pk_yaml(("tahun:", "tahun: dua ribu")), Tolak("tahun")),
    ("tahun-huge", _pk_yaml(("tahun:", "tahun: 99999999999999999999")), Tolak("tahun")),
    ("indikator-latin1", _latin1_indikator, Tolak("indikator.csv")),
    ("indikator-empty", _empty_file("indikator.csv"), Tolak("kolom tidak ada")),
]
TEMPLATE_CELLS = [
    ("cell-1e308", 1e308, Tolak("terlalu besar")),
    ("cell-1e16", 1e16, Tolak("terlalu besar")),
    ("cell-negative", -5.0, Tolak("negatif")),
    ("cell-bool", True, Tolak("bukan angka")),
    ("cell-date", datetime(2025, 3, 1), Tolak("bukan angka")),
    ("cell-5-decimals", 0.00001, Tolak("4 angka di belakang koma")),
    ("cell-float-sum", 0.1 + 0.2, Simpan(D("0.3"))),  # what the spreadsheet shows
    ("cell-1.234", 1.234, Simpan(D("1.234"))),  # a number cell is not ambiguous
]
TEMPLATE = [
    ("sheet-renamed", template_edit, _rename, Tolak("tidak dikenal")),
    ("header-changed", template_edit, _set("E6", "Jan"), Tolak("judul kolom")),
    ("row-from-other-unit", template_edit, _append("IK-4.1.1", "x", "nilai", "Dokumen", 5), Tolak("jangan menempel")),
    ("extra-row", template_edit, _append(None, None, None, None, 5), Tolak("baris tambahan")),
    ("meta-other-year", template_edit, _set("Q1", "kinerja-templat|mangkutana|2024|PERENCANAAN"),
     Tolak("templat ini untuk")),
    ("meta-other-office", template_edit, _set("Q1", "kinerja-templat|lain|2025|PERENCANAAN"),
     Tolak("templat ini untuk")),
    ("meta-removed", template_edit, _set("Q1", None), Tolak("bukan templat")),
    ("rows-swapped", template_edit, _swap_rows, Tolak("baris dipindah")),
    ("extra-sheet", template_edit, lambda book: book.create_sheet("Sheet1"), Tolak("tidak dikenal")),
    ("pembilang-only", template_cells, {(RASIO, "pembilang", BULAN): "5"}, Tolak("pembilang dan penyebutnya")),
    ("pembilang-over-penyebut", template_cells, {(RASIO, "pembilang", BULAN): "5", (RASIO, "penyebut", BULAN): "3"},
     Tolak("lebih besar")),
    ("count-decimal", template_cells, {(HITUNG, "nilai", BULAN): "2,5"}, Tolak("bulat")),
    ("operator-other-unit", template_operator, "PEMUM", Tolak("unit Anda sendiri")),
    ("zip-of-text", template_file, ZIP, Tolak("bukan berkas Excel")),
    ("empty-file", template_file, b"", Tolak("bukan berkas Excel")),
    ("csv-named-xlsx", template_file, H.encode(), Tolak("bukan berkas Excel")),
    ("png", template_file, PNG, Tolak("bukan berkas Excel")),
    ("truncated", template_file, _truncated_template, Tolak("bukan berkas Excel")),
    ("plain-workbook", template_file, _plain_workbook, Tolak("tidak dikenal")),
    ("operator-own-unit", template_operator, UNIT, Simpan({(HITUNG, BULAN): (D(1), None, None, "")})),
]
GRID = [
    ("operator-other-unit", grid_as, ("PEMUM", {"IK-4.1.1": {"nilai": "1"}}, "operator"), Tolak("unitnya sendiri")),
    ("pimpinan", grid_as, (UNIT, {HITUNG: {"nilai": "1"}}, "pimpinan"), Tolak("hanya dapat melihat")),
    ("nilai-on-rasio", grid_as, (UNIT, {RASIO: {"nilai": "5"}}, None), Tolak("bukan nilai")),
    ("pembilang-over-penyebut", grid_as, (UNIT, {RASIO: {"pembilang": "5", "penyebut": "3"}}, None),
     Tolak("lebih besar")),
    ("pembilang-only", grid_as, (UNIT, {RASIO: {"pembilang": "5"}}, None), Tolak("keduanya")),
    ("pembilang-on-count", grid_as, (UNIT, {HITUNG: {"pembilang": "1"}}, None), Tolak("bukan pembilang")),
    ("count-decimal", grid_as, (UNIT, {HITUNG: {"nilai": "2,5"}}, None), Tolak("bulat")),
    ("keterangan-alone", grid_as, (UNIT, {HITUNG: {"keterangan": "catatan"}}, None), Tolak("tanpa nilai")),
    ("one-good-one-bad", grid_as, (UNIT, {HITUNG: {"nilai": "1"}, "IK-6.1.2": {"nilai": "abc"}}, None),
     Tolak("bukan angka")),
    ("soft-limit-confirmed", grid_as, (UNIT, {HITUNG: {"nilai": "5"}}, None),
     Simpan({(HITUNG, BULAN): (D(5), None, None, "")})),
    ("operator-own-unit", grid_as, (UNIT, {HITUNG: {"nilai": "1"}}, "operator"),
     Simpan({(HITUNG, BULAN): (D(1), None, None, "")})),
    ("anggaran-over-pagu", anggaran_as, (UNIT, {SUB: {"realisasi": "15.409.901"}}, None), Tolak("melebihi pagu")),
    ("anggaran-operator-other-unit", anggaran_as, ("UMUMKEU", {"6.2.1": {"realisasi": "1000"}}, "operator"),
     Tolak("unitnya sendiri")),
    ("anggaran-pimpinan", anggaran_as, (UNIT, {SUB: {"realisasi": "1000"}}, "pimpinan"), Tolak("hanya dapat melihat")),
    ("anggaran-keterangan-alone", anggaran_as, (UNIT, {SUB: {"keterangan": "catatan"}}, None),
     Tolak("tanpa realisasi")),
]
R = ["import", "realisasi", "r.csv", "--tahun", "2025"]
A = ["import", "anggaran", "a.csv", "--tahun", "2025"]
GOOD_IKM = csv_bytes(IKM_HEADER, ["3"] * 9)
CLI = [
    ("realisasi-png", (R, {"r.csv": PNG}), Tolak("bukan berkas teks")),
    ("realisasi-empty", (R, {"r.csv": b""}), Tolak("kolom wajib")),
    ("realisasi-field-200kb", (R, {"r.csv": FIELD_200KB}), Tolak("r.csv")),
    ("realisasi-unbalanced-quote", (R, {"r.csv": UNBALANCED}), Tolak("baris 2")),
    ("realisasi-zip-as-xlsx", (["import", "realisasi", "t.xlsx", "--tahun", "2025"], {"t.xlsx": ZIP}),
     Tolak("bukan berkas Excel")),
    ("realisasi-missing-file", (["import", "realisasi", "/tidak/ada/r.csv", "--tahun", "2025"], {}),
     Tolak("tidak ada")),
    ("realisasi-soft-limit", (R, {"r.csv": csv_bytes(REALISASI_HEADER, [HITUNG, 3, "5", "", "", ""])}),
     Tolak("--yakin")),
    ("realisasi-oleh-nul", ([*R, "--oleh", "a\x00b"], {"r.csv": csv_bytes(REALISASI_HEADER, [HITUNG, 3, "1"])}),
     Tolak("karakter kendali")),
    ("anggaran-over-pagu", (A, {"a.csv": csv_bytes(ANGGARAN_HEADER, [SUB, 3, "15.409.901", ""])}),
     Tolak("melebihi pagu")),
    ("anggaran-png", (A, {"a.csv": PNG}), Tolak("bukan berkas teks")),
    ("ikm-bulan-13", (["import", "ikm", "i.csv", "--tahun", "2025", "--bulan", "13"], {"i.csv": GOOD_IKM}),
     Tolak("bulan harus 1 sampai 12")),
    ("ikm-bulan-0", (["import", "ikm", "i.csv", "--tahun", "2025", "--bulan", "0"], {"i.csv": GOOD_IKM}),
     Tolak("bulan harus 1 sampai 12")),
    ("ikm-png", (["import", "ikm", "i.csv", "--tahun", "2025", "--bulan", "6"], {"i.csv": PNG}),
     Tolak("bukan berkas teks")),
    ("pk-zip", (["import", "pk", "p.xlsx"], {"p.xlsx": ZIP}), Tolak("bukan berkas Excel")),
    ("pk-empty", (["import", "pk", "p.xlsx"], {"p.xlsx": b""}), Tolak("bukan berkas Excel")),
]


def _control(text: object) -> bool:
    """Text an XLSX cannot hold (openpyxl refuses it), so no template can carry it."""
    return isinstance(text, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in text)


TOO_MANY = Tolak(("terlalu banyak", "melebihi batas"))
CASES = [
    *[pytest.param(nilai_grid, text, want, id=f"grid-realisasi-nilai-{name}") for name, text, want in ANGKA],
    *[pytest.param(nilai_template, text, want, id=f"template-nilai-{name}") for name, text, want in ANGKA
      if not _control(text)],
    *[pytest.param(nilai_template, value, want, id=f"template-{name}") for name, value, want in TEMPLATE_CELLS],
    *[pytest.param(nilai_csv, text, want, id=f"csv-realisasi-nilai-{name}") for name, text, want in ANGKA],
    *[pytest.param(rupiah_grid, text, want, id=f"grid-anggaran-{name}") for name, text, want in RUPIAH],
    *[pytest.param(rupiah_csv, text, want, id=f"csv-anggaran-{name}") for name, text, want in RUPIAH],
    *[pytest.param(rupiah_pagu, text, want, id=f"pagu-grid-{name}") for name, text, want in RUPIAH],
    *[pytest.param(keterangan_grid, text, want, id=f"grid-realisasi-keterangan-{name}")
      for name, text, want in KETERANGAN],
    *[pytest.param(keterangan_csv, text, want, id=f"csv-realisasi-keterangan-{name}")
      for name, text, want in KETERANGAN],
    *[pytest.param(keterangan_anggaran, text, want, id=f"grid-anggaran-keterangan-{name}")
      for name, text, want in KETERANGAN],
    *[pytest.param(bulan_csv, text, want, id=f"csv-realisasi-bulan-{name}") for name, text, want in BULAN_CASES],
    *[pytest.param(bulan_anggaran, text, want, id=f"csv-anggaran-bulan-{name}") for name, text, want in BULAN_CASES],
    *[pytest.param(kode_csv, text, want, id=f"csv-realisasi-kode-{name}") for name, text, want in KODE_REALISASI],
    *[pytest.param(kode_anggaran, text, want, id=f"csv-anggaran-kode-{name}") for name, text, want in KODE_ANGGARAN],
    *[pytest.param(csv_realisasi_path, data, want, id=f"csv-realisasi-file-{name}")
      for name, data, want in FILES_REALISASI],
    pytest.param(many_realisasi, 20_001, TOO_MANY, id="csv-realisasi-file-20001-rows"),
    *[pytest.param(rows_realisasi, rows, want, id=f"csv-realisasi-rows-{name}") for name, rows, want in ROWS_REALISASI],
    *[pytest.param(csv_anggaran_path, data, want, id=f"csv-anggaran-file-{name}")
      for name, data, want in FILES_ANGGARAN],
    *[pytest.param(rows_anggaran, rows, want, id=f"csv-anggaran-rows-{name}") for name, rows, want in ROWS_ANGGARAN],
    *[pytest.param(jawaban_ikm, text, want, id=f"csv-ikm-jawaban-{name}") for name, text, want in JAWABAN],
    *[pytest.param(csv_ikm_path, data, want, id=f"csv-ikm-file-{name}") for name, data, want in FILES_IKM],
    *[pytest.param(jawaban_xlsx, rows, want, id=f"xlsx-ikm-jawaban-{name}") for name, rows, want in JAWABAN_XLSX],
    pytest.param(xlsx_ikm_path, PNG, Tolak("bukan berkas Excel"), id="xlsx-ikm-file-png"),
    pytest.param(xlsx_ikm_path, ZIP, Tolak("bukan berkas Excel"), id="xlsx-ikm-file-zip-of-text"),
    pytest.param(many_ikm, 100_001, TOO_MANY, id="csv-ikm-file-100001-respondents"),
    *[pytest.param(ikm_counts_path, counts, want, id=f"ikm-form-{name}") for name, counts, want in COUNTS],
    pytest.param(ikm_bulan, 13, Tolak("bulan harus 1 sampai 12"), id="ikm-form-bulan-13"),
    *[pytest.param(akip, arg, want, id=f"akip-form-{name}") for name, arg, want in AKIP],
    *[pytest.param(target_path, cells, want, id=f"target-grid-{name}") for name, cells, want in TARGET],
    *[pytest.param(pagu_path, cells, want, id=f"pagu-grid-{name}") for name, cells, want in PAGU],
    *[pytest.param(pk_edit, edit, want, id=f"pk-xlsx-{name}") for name, edit, want in PK],
    *[pytest.param(pk_file, data, want, id=f"pk-xlsx-file-{name}") for name, data, want in PK_FILES],
    pytest.param(pk_nama, "<script>alert(1)</script>", Simpan("<script>alert(1)</script>"), id="pk-xlsx-name-script"),
    pytest.param(pk_nama, '=HYPERLINK("http://x")', Simpan('=HYPERLINK("http://x")'), id="pk-xlsx-name-formula"),
    *[pytest.param(data_path, edit, want, id=f"data-{name}") for name, edit, want in DATA],
    *[pytest.param(data_cli, edit, want, id=f"cli-init-{name}") for name, edit, want in DATA
      if name in ("target-ambiguous", "pagu-decimal", "yaml-binary", "tahun-words", "indikator-latin1")],
    *[pytest.param(path, arg, want, id=f"template-{name}") for name, path, arg, want in TEMPLATE],
    *[pytest.param(path, arg, want, id=f"grid-{name}") for name, path, arg, want in GRID],
    *[pytest.param(cli, arg, want, id=f"cli-{name}") for name, arg, want in CLI],
]


@pytest.fixture(scope="module")
def stopwatch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stopwatch]:
    watch = Stopwatch()
    yield watch
    report_slowest(request.config, "test_masukan_jahat", watch, tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Basis]:
    """One seeded database for every case on one backend: refusals write nothing, acceptances are undone."""
    with open_basis(request.param, tmp_path_factory.mktemp(f"jahat-{request.param}")) as basis:
        yield basis


def test_the_corpus_is_large_and_every_case_is_named_once() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) >= 200
    assert len(set(ids)) == len(ids), [i for i in ids if ids.count(i) > 1]


@pytest.mark.parametrize(("path", "given", "expected"), CASES)
def test_hostile_input_is_refused_in_indonesian_or_stored_as_typed(
    db: Basis, stopwatch: Stopwatch, path: Callable[[Basis, object], Result], given: object,
    expected: Tolak | Simpan, request: pytest.FixtureRequest,
) -> None:
    before = dump(db.engine)
    unchanged = False
    try:
        with stopwatch.measure(request.node.callspec.id):
            result = path(db, given)
        if isinstance(expected, Tolak):
            assert_refused(result, expected, before, db)
            unchanged = True
        else:
            assert result == ok(expected.value), f"expected {expected.value!r} stored, got {result!r}"[:2000]
    finally:
        if not unchanged:
            clean(db)  # whatever a wrongly accepted case stored, so that it cannot spill into the next one
