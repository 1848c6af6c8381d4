"""Bounds on uploaded files, checked before anything is parsed, so no upload can exhaust the server.

Each kind of file has a `Batas`: its size as uploaded, the size of an XLSX's parts once
decompressed (a small zip can hold gigabytes: the zip's directory states each part's size and
Python's zipfile never returns more than it states), and how many rows a sheet or lines a CSV
may hold. An XLSX is opened read-only and read row by row up to its cap, so a sheet of a million
rows is refused after reading one row past the cap, never loaded whole. The largest `maks_byte`
is what the web server must accept (`MAKS_UNGGAH_MB`).
"""

import io
import math
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from kinerja.aturan.format import format_angka
from kinerja.errors import ValidationError

MB = 1024 * 1024
MAKS_BAGIAN = 1000  # parts of one XLSX (sheets, styles, images...): a real workbook has a few dozen


@dataclass(frozen=True)
class Batas:
    """What one kind of upload may hold: bytes, uncompressed XLSX parts, rows per sheet (CSV: lines), columns."""

    jenis: str
    maks_byte: int
    maks_baris: int
    maks_isi: int = 0
    maks_kolom: int = 0


# The entry template: per sheet its own rows plus templat_buat.EXTRA_ROWS, never more than maks_baris.
TEMPLAT = Batas("templat realisasi", maks_byte=2 * MB, maks_baris=5_000, maks_isi=20 * MB, maks_kolom=17)
# A Krejcie-Morgan sample never exceeds 384 respondents; a census of a big kecamatan stays far below this.
IKM_XLSX = Batas("jawaban IKM", maks_byte=10 * MB, maks_baris=100_000, maks_isi=64 * MB, maks_kolom=30)
IKM_CSV = Batas("jawaban IKM", maks_byte=10 * MB, maks_baris=100_000)
# One office-year: 57 indicators x 12 months is 684 lines; a kabupaten office a few thousand.
REALISASI_CSV = Batas("realisasi", maks_byte=5 * MB, maks_baris=20_000)
ANGGARAN_CSV = Batas("realisasi anggaran", maks_byte=5 * MB, maks_baris=20_000)
PK_XLSX = Batas("perjanjian kinerja", maks_byte=10 * MB, maks_baris=10_000, maks_isi=64 * MB, maks_kolom=40)
MAKS_UNGGAH_MB = max(b.maks_byte for b in (TEMPLAT, IKM_XLSX, IKM_CSV, REALISASI_CSV, ANGGARAN_CSV, PK_XLSX)) // MB


def _mb(n: int) -> str:
    """Return a size in MB, rounded up to 0,1 MB so that a size over a limit never reads as the limit."""
    return f"{format_angka(math.ceil(n * 10 / MB) / 10, 0, 1)} MB"


def cek_ukuran(data: bytes, name: str, batas: Batas) -> None:
    """Refuse a file larger than its kind allows."""
    if len(data) > batas.maks_byte:
        raise ValidationError([f"{name}: berkas {_mb(len(data))}, melebihi batas {_mb(batas.maks_byte)} untuk "
                               f"berkas {batas.jenis}"])


def cek_baris_csv(data: bytes, name: str, batas: Batas) -> None:
    """Refuse a CSV larger than its kind allows, or with more data lines than `batas.maks_baris`."""
    cek_ukuran(data, name, batas)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1  # the header is not a data line
    if lines > batas.maks_baris:
        raise ValidationError([f"{name}: {format_angka(lines)} baris data, melebihi batas "
                               f"{format_angka(batas.maks_baris)} baris untuk berkas {batas.jenis}"])


def cek_zip(data: bytes, name: str, batas: Batas, saran: str = "") -> None:
    """Refuse an XLSX that is not a zip, has too many parts, or would decompress beyond `batas.maks_isi`."""
    cek_ukuran(data, name, batas)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError([f"{name}: bukan berkas Excel (.xlsx) yang bisa dibaca{saran}"]) from None
    total = sum(p.file_size for p in parts)
    if len(parts) > MAKS_BAGIAN or total > batas.maks_isi:
        raise ValidationError([f"{name}: isi berkas Excel setelah dibuka {_mb(total)} ({len(parts)} bagian), melebihi "
                               f"batas {_mb(batas.maks_isi)} untuk berkas {batas.jenis}; simpan ulang berkas tanpa "
                               "gambar atau lembar lain"])


@contextmanager
def buka_xlsx(data: bytes, name: str, batas: Batas, saran: str = "") -> Iterator[Workbook]:
    """Open an XLSX read-only (values, not formulas) after checking its size and parts; close it afterwards."""
    cek_zip(data, name, batas, saran)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError([f"{name}: bukan berkas Excel (.xlsx) yang bisa dibaca{saran}"]) from None
    try:
        yield workbook
    finally:
        workbook.close()


def baca_awal(ws: ReadOnlyWorksheet, where: str, baris: int, maks_kolom: int) -> list[tuple[object, ...]]:
    """Return the values of a sheet's first `baris` rows, each `maks_kolom` wide; never reads further."""
    try:
        rows = ws.iter_rows(min_row=1, max_row=baris, max_col=maks_kolom, values_only=True)
        return [tuple(r) for r in islice(rows, baris)]
    except Exception:  # a damaged sheet: openpyxl and the XML parser raise many kinds
        raise ValidationError([f"{where}: lembar ini rusak dan tidak bisa dibaca"]) from None


def baca_lembar(ws: ReadOnlyWorksheet, where: str, maks_baris: int, maks_kolom: int,
                saran: str = "") -> list[tuple[object, ...]]:
    """Return a sheet's values row by row; refuse it when it has more than `maks_baris` rows.

    Reading stops one row past the cap, so the cost does not depend on how many rows the file holds.
    """
    rows = baca_awal(ws, where, maks_baris + 1, maks_kolom)
    if len(rows) > maks_baris:
        raise ValidationError([f"{where}: lebih dari {format_angka(maks_baris)} baris{saran}"])
    return rows


def baca_berkas(path: Path, maks_byte: int = MAKS_UNGGAH_MB * MB) -> bytes:
    """Read a file named on the command line, refusing one larger than any upload may be before reading it."""
    try:
        size = path.stat().st_size
        if size > maks_byte:
            raise ValidationError([f"{path}: berkas {_mb(size)}, melebihi batas {_mb(maks_byte)}"])
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError([f"{path}: berkas tidak ada"]) from None
    except IsADirectoryError:
        raise ValidationError([f"{path}: sebuah folder, bukan berkas"]) from None
    except PermissionError:
        raise ValidationError([f"{path}: tidak boleh dibaca (izin ditolak)"]) from None
    except OSError:
        raise ValidationError([f"{path}: tidak bisa dibaca"]) from None
