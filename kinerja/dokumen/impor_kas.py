"""Read an anggaran kas CSV (`kode,bulan,rencana`, whole Rupiah), validated whole."""

from kinerja.aturan.angka import RUPIAH
from kinerja.dokumen.impor import kode_wajib, parse_baris, parse_bulat
from kinerja.dokumen.unggah import ANGGARAN_CSV
from kinerja.simpan.anggaran_kas import EntriKas

KAS_COLUMNS = ["kode", "bulan", "rencana"]


def _baris_kas(row: dict[str, str], where: str, problems: list[str]) -> EntriKas:
    bulan = parse_bulat(row["bulan"], "bulan", where, problems)
    rupiah = parse_bulat(row["rencana"], "rencana", where, problems, RUPIAH)
    return EntriKas(kode=kode_wajib(row, where, problems), bulan=bulan if bulan is not None else 0,
                    rencana=rupiah if rupiah is not None else 0, lokasi=where)


def parse_anggaran_kas_csv(data: bytes, name: str = "berkas") -> list[EntriKas]:
    """Parse `kode,bulan,rencana` rows; Rupiah go through the one number parser; raise ValidationError."""
    return parse_baris(data, name, ANGGARAN_CSV, KAS_COLUMNS, [], _baris_kas)
