"""Read realisations, budget realisations and IKM answers from CSV files, validated whole."""

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from kinerja.aturan.angka import BILANGAN, NILAI, RUPIAH, AngkaError, Jenis, parse_angka
from kinerja.aturan.format import format_angka
from kinerja.dokumen.unggah import (
    ANGGARAN_CSV,
    IKM_CSV,
    IKM_XLSX,
    REALISASI_CSV,
    Batas,
    baca_berkas,
    baca_lembar,
    buka_xlsx,
    cek_baris_csv,
)
from kinerja.errors import ValidationError
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi

REALISASI_COLUMNS = ["kode", "bulan", "nilai", "pembilang", "penyebut", "keterangan"]
REALISASI_ANGGARAN_COLUMNS = ["kode", "bulan", "realisasi"]
IKM_COLUMNS = [f"u{i}" for i in range(1, 10)]

T = TypeVar("T")


def read_table(data: bytes, name: str, batas: Batas = REALISASI_CSV) -> tuple[list[str], list[dict[str, str]]]:
    """Decode a CSV (UTF-8, comma or semicolon as Excel writes it) into header and rows, within its bounds."""
    cek_baris_csv(data, name, batas)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError([f"{name}: bukan berkas teks CSV (UTF-8)"]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = []
        for row in reader:
            if None in row:  # more cells than the header: a comma inside an unquoted text
                raise ValidationError([f"{name} baris {reader.line_num}: {len(header) + len(row[None])} kolom, judul "
                                       f"hanya {len(header)}; apit teks yang memuat koma dengan tanda kutip (\"...\")"])
            rows.append({k: (v or "").strip() for k, v in row.items()})
    except csv.Error as e:  # a cell over csv.field_size_limit (128 KB), or a quote that never closes
        why = "satu sel lebih dari 128 KB" if "field limit" in str(e) else "tidak dapat dibaca sebagai CSV (periksa " \
            "tanda kutip)"
        raise ValidationError([f"{name} baris {reader.reader.line_num}: {why}"]) from None
    return header, rows


def check_columns(header: Sequence[str], required: Sequence[str], optional: Sequence[str], name: str) -> None:
    """Refuse a file whose header lacks a required column or has an unknown one."""
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    problems = []
    if missing:
        problems.append(f"{name}: kolom wajib tidak ada: {', '.join(missing)}")
    if unknown:
        problems.append(f"{name}: kolom tidak dikenal: {', '.join(unknown)}")
    if problems:
        problems.append(f"{name}: kolom yang benar: {', '.join(list(required) + list(optional))}")
        raise ValidationError(problems)


def parse_angka_csv(text: str, what: str, where: str, problems: list[str], jenis: Jenis = NILAI) -> Decimal | None:
    """Read a number cell with the one parser (angka); record a problem naming the line when it is not one."""
    try:
        return parse_angka(text, jenis)
    except AngkaError as e:
        problems.append(f"{where}: {what} {e}")
        return None


def parse_bulat(text: str, what: str, where: str, problems: list[str], jenis: Jenis = BILANGAN) -> int | None:
    """Read a required whole number (a month, Rupiah); record a problem when it is missing or not one."""
    value = parse_angka_csv(text, what, where, problems, jenis)
    if value is None:
        if not text.strip():
            problems.append(f"{where}: {what} harus diisi")
        return None
    return int(value)  # bounded by parse_angka before this conversion


def parse_baris(
    data: bytes, name: str, batas: Batas, required: Sequence[str], optional: Sequence[str],
    baca: Callable[[dict[str, str], str, list[str]], T],
) -> list[T]:
    """Read a CSV whole: check its header, read every non-empty line with `baca(row, where, problems)`, then
    raise one ValidationError naming every bad line (or saying there is no data line) before anything is used."""
    header, rows = read_table(data, name, batas)
    check_columns(header, required, optional, name)
    problems: list[str] = []
    entries = [baca(row, f"{name} baris {n}", problems) for n, row in enumerate(rows, start=2) if any(row.values())]
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError([f"{name}: tidak ada baris data"])
    return entries


def kode_wajib(row: dict[str, str], where: str, problems: list[str]) -> str:
    """Return the line's kode, recording a problem when it is empty."""
    if not row["kode"]:
        problems.append(f"{where}: kode harus diisi")
    return row["kode"]


def _baris_realisasi(row: dict[str, str], where: str, problems: list[str]) -> EntriRealisasi:
    bulan = parse_bulat(row["bulan"], "bulan", where, problems)
    nilai = parse_angka_csv(row["nilai"], "nilai", where, problems)
    pembilang = parse_angka_csv(row["pembilang"], "pembilang", where, problems)
    penyebut = parse_angka_csv(row["penyebut"], "penyebut", where, problems)
    return EntriRealisasi(
        kode=kode_wajib(row, where, problems), bulan=bulan if bulan is not None else 0, nilai=nilai,
        pembilang=pembilang, penyebut=penyebut, keterangan=row.get("keterangan", ""), lokasi=where,
    )


def parse_realisasi_csv(data: bytes, name: str = "berkas") -> list[EntriRealisasi]:
    """Parse `kode,bulan,nilai,pembilang,penyebut,keterangan` rows; raise ValidationError."""
    return parse_baris(data, name, REALISASI_CSV, REALISASI_COLUMNS[:5], ["keterangan"], _baris_realisasi)


def _baris_anggaran(row: dict[str, str], where: str, problems: list[str]) -> EntriAnggaran:
    bulan = parse_bulat(row["bulan"], "bulan", where, problems)
    rupiah = parse_bulat(row["realisasi"], "realisasi", where, problems, RUPIAH)
    return EntriAnggaran(kode=row["kode"], bulan=bulan if bulan is not None else 0, realisasi=rupiah,
                         keterangan=row.get("keterangan", ""), lokasi=where)


def parse_anggaran_csv(data: bytes, name: str = "berkas") -> list[EntriAnggaran]:
    """Parse `kode,bulan,realisasi` rows (whole Rupiah); raise ValidationError."""
    return parse_baris(data, name, ANGGARAN_CSV, REALISASI_ANGGARAN_COLUMNS, ["keterangan"], _baris_anggaran)


def parse_ikm_csv(data: bytes, name: str = "berkas") -> list[list[int | None]]:
    """Parse one respondent per row, columns u1..u9 with answers 1-4 (blank = not answered)."""
    header, rows = read_table(data, name, IKM_CSV)
    check_columns(header, IKM_COLUMNS, ["responden", "no"], name)
    return check_jawaban([[row[c] for c in IKM_COLUMNS] for row in rows], name)


def parse_ikm_xlsx(data: bytes, name: str = "berkas") -> list[list[int | None]]:
    """Parse the first sheet of an XLSX: a header row with u1..u9, then one respondent per row."""
    with buka_xlsx(data, name, IKM_XLSX) as workbook:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ValidationError([f"{name}: tidak ada lembar kerja"])
        where = f"{name} lembar {sheet.title}"
        saran = f" (judul kolom dan paling banyak {format_angka(IKM_XLSX.maks_baris)} responden)"
        rows = baca_lembar(sheet, where, IKM_XLSX.maks_baris + 1, IKM_XLSX.maks_kolom, saran)
    if not rows:
        raise ValidationError([f"{name}: lembar pertama kosong"])
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    check_columns([h for h in header if h], IKM_COLUMNS, ["responden", "no"], where)
    index = [header.index(c) for c in IKM_COLUMNS]
    return check_jawaban([[row[i] for i in index] for row in rows[1:]], name)


def parse_ikm(data: bytes, name: str) -> list[list[int | None]]:
    """Parse an uploaded IKM file, XLSX or CSV by its name."""
    return parse_ikm_xlsx(data, name) if name.lower().endswith(".xlsx") else parse_ikm_csv(data, name)


def check_jawaban(rows: Sequence[Sequence[object]], name: str) -> list[list[int | None]]:
    """Validate answers (1-4 or blank) row by row; raise ValidationError naming row and unsur."""
    problems: list[str] = []
    answers = []
    for n, row in enumerate(rows, start=2):
        parsed: list[int | None] = []
        for i, raw in enumerate(row, start=1):
            text = "" if raw is None else str(raw).strip()
            if text.endswith(".0"):
                text = text[:-2]
            if not text:
                parsed.append(None)
            elif text in ("1", "2", "3", "4"):
                parsed.append(int(text))
            else:
                problems.append(f"{name} baris {n}, u{i}: jawaban harus 1, 2, 3 atau 4, bukan '{text}'")
                parsed.append(None)
        if all(a is None for a in parsed) and not any(f"baris {n}," in p for p in problems):
            continue  # an empty line, not a respondent
        answers.append(parsed)
    if problems:
        raise ValidationError(problems)
    if not answers:
        raise ValidationError([f"{name}: tidak ada jawaban responden"])
    return answers


def read_file(path: Path) -> bytes:
    """Read a file named on the command line, with an Indonesian message when it cannot be read or is too big."""
    return baca_berkas(path)
