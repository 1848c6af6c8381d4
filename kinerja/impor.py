"""Read realisations, budget realisations and IKM answers from CSV files, validated whole."""

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl

from kinerja.angka import BILANGAN, NILAI, RUPIAH, AngkaError, Jenis, parse_angka
from kinerja.errors import ValidationError
from kinerja.realisasi import EntriAnggaran, EntriRealisasi

REALISASI_COLUMNS = ["kode", "bulan", "nilai", "pembilang", "penyebut", "keterangan"]
REALISASI_ANGGARAN_COLUMNS = ["kode", "bulan", "realisasi"]
IKM_COLUMNS = [f"u{i}" for i in range(1, 10)]


def read_table(data: bytes, name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Decode a CSV (UTF-8, comma or semicolon as Excel writes it) into header and rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError([f"{name}: bukan berkas teks CSV (UTF-8)"]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
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
    """Read a number cell with the one parser (kinerja.angka); record a problem naming the line when it is not one."""
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


def parse_realisasi_csv(data: bytes, name: str = "berkas") -> list[EntriRealisasi]:
    """Parse `kode,bulan,nilai,pembilang,penyebut,keterangan` rows; raise ValidationError."""
    header, rows = read_table(data, name)
    check_columns(header, REALISASI_COLUMNS[:5], ["keterangan"], name)
    problems: list[str] = []
    entries = []
    for n, row in enumerate(rows, start=2):
        where = f"{name} baris {n}"
        if not any(row.values()):
            continue
        bulan = parse_bulat(row["bulan"], "bulan", where, problems)
        nilai = parse_angka_csv(row["nilai"], "nilai", where, problems)
        pembilang = parse_angka_csv(row["pembilang"], "pembilang", where, problems)
        penyebut = parse_angka_csv(row["penyebut"], "penyebut", where, problems)
        if not row["kode"]:
            problems.append(f"{where}: kode harus diisi")
        entries.append(EntriRealisasi(
            kode=row["kode"], bulan=bulan if bulan is not None else 0, nilai=nilai, pembilang=pembilang,
            penyebut=penyebut, keterangan=row.get("keterangan", ""), lokasi=where,
        ))
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError([f"{name}: tidak ada baris data"])
    return entries


def parse_anggaran_csv(data: bytes, name: str = "berkas") -> list[EntriAnggaran]:
    """Parse `kode,bulan,realisasi` rows (whole Rupiah); raise ValidationError."""
    header, rows = read_table(data, name)
    check_columns(header, REALISASI_ANGGARAN_COLUMNS, ["keterangan"], name)
    problems: list[str] = []
    entries = []
    for n, row in enumerate(rows, start=2):
        where = f"{name} baris {n}"
        if not any(row.values()):
            continue
        bulan = parse_bulat(row["bulan"], "bulan", where, problems)
        rupiah = parse_bulat(row["realisasi"], "realisasi", where, problems, RUPIAH)
        entries.append(EntriAnggaran(
            kode=row["kode"], bulan=bulan if bulan is not None else 0, realisasi=rupiah,
            keterangan=row.get("keterangan", ""), lokasi=where,
        ))
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError([f"{name}: tidak ada baris data"])
    return entries


def parse_ikm_csv(data: bytes, name: str = "berkas") -> list[list[int | None]]:
    """Parse one respondent per row, columns u1..u9 with answers 1-4 (blank = not answered)."""
    header, rows = read_table(data, name)
    check_columns(header, IKM_COLUMNS, ["responden", "no"], name)
    return check_jawaban([[row[c] for c in IKM_COLUMNS] for row in rows], name)


def parse_ikm_xlsx(data: bytes, name: str = "berkas") -> list[list[int | None]]:
    """Parse the first sheet of an XLSX: a header row with u1..u9, then one respondent per row."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a non-XLSX file
        raise ValidationError([f"{name}: bukan berkas Excel (.xlsx) yang bisa dibaca"]) from None
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ValidationError([f"{name}: lembar pertama kosong"])
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    check_columns([h for h in header if h], IKM_COLUMNS, ["responden", "no"], f"{name} lembar {sheet.title}")
    index = [header.index(c) for c in IKM_COLUMNS]
    return check_jawaban([[row[i] if i < len(row) else None for i in index] for row in rows[1:]], name)


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
    """Read a file, with an Indonesian message when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as e:
        raise ValidationError([f"{path}: tidak bisa dibaca ({e.strerror})"]) from None
