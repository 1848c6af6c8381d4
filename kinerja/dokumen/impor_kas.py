"""Read an anggaran kas CSV (`kode,bulan,rencana`, whole Rupiah), validated whole."""

from kinerja.aturan.angka import RUPIAH
from kinerja.dokumen.impor import check_columns, parse_bulat, read_table
from kinerja.dokumen.unggah import ANGGARAN_CSV
from kinerja.errors import ValidationError
from kinerja.simpan.anggaran_kas import EntriKas

KAS_COLUMNS = ["kode", "bulan", "rencana"]


def parse_anggaran_kas_csv(data: bytes, name: str = "berkas") -> list[EntriKas]:
    """Parse `kode,bulan,rencana` rows; Rupiah go through the one number parser; raise ValidationError."""
    header, rows = read_table(data, name, ANGGARAN_CSV)
    check_columns(header, KAS_COLUMNS, [], name)
    problems: list[str] = []
    entries = []
    for n, row in enumerate(rows, start=2):
        where = f"{name} baris {n}"
        if not any(row.values()):
            continue
        bulan = parse_bulat(row["bulan"], "bulan", where, problems)
        rupiah = parse_bulat(row["rencana"], "rencana", where, problems, RUPIAH)
        if not row["kode"]:
            problems.append(f"{where}: kode harus diisi")
        entries.append(EntriKas(kode=row["kode"], bulan=bulan if bulan is not None else 0,
                                rencana=rupiah if rupiah is not None else 0, lokasi=where))
    if problems:
        raise ValidationError(problems)
    if not entries:
        raise ValidationError([f"{name}: tidak ada baris data"])
    return entries
