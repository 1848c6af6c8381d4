"""Read Renstra targets and earlier years' realisations from CSV files, validated whole.

- riwayat: `kode,tahun,realisasi,capaian,sumber` (capaian and sumber may be empty; realisasi or capaian given);
- renstra: `kode,tahun,target`.
The same reader as the realisation import (UTF-8, comma or semicolon, bounded size); every number
through the one parser, so a cell such as `=1+1` or `1e9999` is refused with its line named.
"""

from kinerja.dokumen.impor import check_columns, parse_angka_csv, parse_bulat, read_table
from kinerja.dokumen.unggah import Batas
from kinerja.errors import ValidationError
from kinerja.simpan.riwayat import EntriRiwayat, EntriTargetRenstra

RIWAYAT_COLUMNS = ["kode", "tahun", "realisasi", "capaian", "sumber"]
RENSTRA_COLUMNS = ["kode", "tahun", "target"]
RIWAYAT_CSV = Batas("riwayat realisasi", maks_byte=2 * 1024 * 1024, maks_baris=10_000)
RENSTRA_CSV = Batas("target Renstra", maks_byte=2 * 1024 * 1024, maks_baris=10_000)


def parse_riwayat_csv(data: bytes, name: str = "berkas") -> list[EntriRiwayat]:
    """Parse `kode,tahun,realisasi,capaian,sumber` rows; raise ValidationError naming every bad line."""
    header, rows = read_table(data, name, RIWAYAT_CSV)
    check_columns(header, RIWAYAT_COLUMNS[:3], RIWAYAT_COLUMNS[3:], name)
    problems: list[str] = []
    entries = []
    for n, row in enumerate(rows, start=2):
        where = f"{name} baris {n}"
        if not any(row.values()):
            continue
        if not row["kode"]:
            problems.append(f"{where}: kode harus diisi")
        tahun = parse_bulat(row["tahun"], "tahun", where, problems)
        realisasi = parse_angka_csv(row["realisasi"], "realisasi", where, problems)
        capaian = parse_angka_csv(row.get("capaian", ""), "capaian", where, problems)
        if not row["realisasi"] and not row.get("capaian"):
            problems.append(f"{where}: realisasi atau capaian harus diisi")
        entries.append(EntriRiwayat(kode=row["kode"], tahun=tahun, realisasi=realisasi, capaian=capaian,
                                    sumber=row.get("sumber", ""), lokasi=where))
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError([f"{name}: tidak ada baris data"])
    return entries


def parse_renstra_csv(data: bytes, name: str = "berkas") -> list[EntriTargetRenstra]:
    """Parse `kode,tahun,target` rows; raise ValidationError naming every bad line."""
    header, rows = read_table(data, name, RENSTRA_CSV)
    check_columns(header, RENSTRA_COLUMNS, [], name)
    problems: list[str] = []
    entries = []
    for n, row in enumerate(rows, start=2):
        where = f"{name} baris {n}"
        if not any(row.values()):
            continue
        if not row["kode"]:
            problems.append(f"{where}: kode harus diisi")
        tahun = parse_bulat(row["tahun"], "tahun", where, problems)
        target = parse_angka_csv(row["target"], "target", where, problems)
        if not row["target"]:
            problems.append(f"{where}: target harus diisi")
        entries.append(EntriTargetRenstra(kode=row["kode"], tahun=tahun, target=target, lokasi=where))
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError([f"{name}: tidak ada baris data"])
    return entries
