"""Read Renstra targets and earlier years' realisations from CSV files, validated whole.

- riwayat: `kode,tahun,realisasi,capaian,sumber` (capaian and sumber may be empty; realisasi or capaian given);
- renstra: `kode,tahun,target`.
The same reader as the realisation import (UTF-8, comma or semicolon, bounded size); every number
through the one parser, so a cell such as `=1+1` or `1e9999` is refused with its line named.
"""

from kinerja.dokumen.impor import kode_wajib, parse_angka_csv, parse_baris, parse_bulat
from kinerja.dokumen.unggah import Batas
from kinerja.simpan.riwayat import EntriRiwayat, EntriTargetRenstra

RIWAYAT_COLUMNS = ["kode", "tahun", "realisasi", "capaian", "sumber"]
RENSTRA_COLUMNS = ["kode", "tahun", "target"]
RIWAYAT_CSV = Batas("riwayat realisasi", maks_byte=2 * 1024 * 1024, maks_baris=10_000)
RENSTRA_CSV = Batas("target Renstra", maks_byte=2 * 1024 * 1024, maks_baris=10_000)


def _baris_riwayat(row: dict[str, str], where: str, problems: list[str]) -> EntriRiwayat:
    kode = kode_wajib(row, where, problems)
    tahun = parse_bulat(row["tahun"], "tahun", where, problems)
    realisasi = parse_angka_csv(row["realisasi"], "realisasi", where, problems)
    capaian = parse_angka_csv(row.get("capaian", ""), "capaian", where, problems)
    if not row["realisasi"] and not row.get("capaian"):
        problems.append(f"{where}: realisasi atau capaian harus diisi")
    return EntriRiwayat(kode=kode, tahun=tahun, realisasi=realisasi, capaian=capaian, sumber=row.get("sumber", ""),
                        lokasi=where)


def parse_riwayat_csv(data: bytes, name: str = "berkas") -> list[EntriRiwayat]:
    """Parse `kode,tahun,realisasi,capaian,sumber` rows; raise ValidationError naming every bad line."""
    return parse_baris(data, name, RIWAYAT_CSV, RIWAYAT_COLUMNS[:3], RIWAYAT_COLUMNS[3:], _baris_riwayat)


def _baris_renstra(row: dict[str, str], where: str, problems: list[str]) -> EntriTargetRenstra:
    kode = kode_wajib(row, where, problems)
    tahun = parse_bulat(row["tahun"], "tahun", where, problems)
    target = parse_angka_csv(row["target"], "target", where, problems)
    if not row["target"]:
        problems.append(f"{where}: target harus diisi")
    return EntriTargetRenstra(kode=kode, tahun=tahun, target=target, lokasi=where)


def parse_renstra_csv(data: bytes, name: str = "berkas") -> list[EntriTargetRenstra]:
    """Parse `kode,tahun,target` rows; raise ValidationError naming every bad line."""
    return parse_baris(data, name, RENSTRA_CSV, RENSTRA_COLUMNS, [], _baris_renstra)
