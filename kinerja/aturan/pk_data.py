"""A year's Perjanjian Kinerja as data: its tables and columns, and how a problem names its place.

The same agreements arrive as a `data/` folder (pk.yaml, anggaran.csv, indikator.csv,
penjelasan.csv; read by kinerja.simpan.seed) or as a PK workbook (kinerja.dokumen.pk_xlsx), and are validated
by one `kinerja.aturan.pk_periksa.check_seed`. `Tempat` lets each problem name the file or sheet, the row
or entry, and the field the way the user sees them.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kinerja.aturan.angka import RUPIAH, AngkaError, parse_angka

TINGKAT = ("program", "kegiatan", "sub_kegiatan")
INDUK_TINGKAT = {"program": None, "kegiatan": "program", "sub_kegiatan": "kegiatan"}
JENIS_UNIT = ("pimpinan", "sekretariat", "seksi", "subbag")
ANGGARAN_COLUMNS = ["kode", "tingkat", "induk", "nama", "unit", "pagu"]
INDIKATOR_COLUMNS = [
    "unit", "no", "sasaran", "kode", "indikator", "satuan", "target", "polaritas", "agregasi",
    "jenis", "sumber", "anggaran_kode", "target_renstra", "tw1", "tw2", "tw3", "tw4",
]
PENJELASAN_COLUMNS = [
    "unit", "kode", "no", "uraian_sasaran", "uraian", "relevansi", "formulasi", "sumber_data",
    "penjelasan_target",
]
# Columns that every agreement row of one shared indicator must agree on.
SHARED = [
    "indikator", "satuan", "target", "polaritas", "agregasi", "jenis", "sumber", "anggaran_kode",
    "target_renstra", "tw1", "tw2", "tw3", "tw4", "label_pembilang", "label_penyebut", "nilai_khusus",
]
NILAI_KHUSUS = ("", "ikm", "akip")
TABEL_META = ("unit", "pejabat", "perjanjian")  # pk.yaml sections; sheets of a PK workbook
TABEL_CSV = ("anggaran", "indikator", "penjelasan")
# Longest free text accepted (the document's longest is about a quarter of each).
MAKS_NAMA, MAKS_TEKS, MAKS_URAIAN, MAKS_SATUAN, MAKS_NO, MAKS_NIP = 300, 1000, 5000, 40, 20, 30
TAHUN = (2000, 2100)
NOMOR_VERSI = (0, 99)


class SeedError(ValueError):
    """The seed folder is invalid; `problems` lists every 'file, entry: problem'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Data PK tidak valid, tidak ada yang dimuat:\n" + "\n".join(problems))


@dataclass
class SeedPK:
    """A year's agreements as read from a folder or a workbook, with the row number of every table row."""

    meta: dict[str, Any]
    anggaran: list[dict[str, str]]
    indikator: list[dict[str, str]]
    penjelasan: list[dict[str, str]] = field(default_factory=list)
    folder: Path | None = None
    nomor: dict[str, list[int]] = field(default_factory=dict)

    @property
    def tahun(self) -> int:
        """Return the year of these agreements."""
        return int(self.meta["tahun"])

    @property
    def instansi_kode(self) -> str:
        """Return the kode of the office these agreements belong to."""
        return str(self.meta["instansi"]["kode"])

    def baris_ke(self, tabel: str, i: int) -> int:
        """Return the row number, as the file or sheet shows it, of the i-th row of a table."""
        rows = self.nomor.get(tabel, [])
        return rows[i] if i < len(rows) else i + 2


@dataclass(frozen=True)
class Tempat:
    """How a problem names where it is: the files of a data/ folder, or the sheets of a PK workbook."""

    info: str  # "data/x/pk.yaml" or "lembar info"
    berkas: dict[str, str]  # table -> "data/x/anggaran.csv" or "lembar anggaran"
    lembar: bool = False  # unit, pejabat and perjanjian are sheets with rows, not pk.yaml sections
    bidang_info: dict[str, str] = field(default_factory=dict)  # "versi.nomor" -> "baris 7 (versi_nomor)"

    def bidang(self, kunci: str) -> str:
        """Name a field of the office, year or version: 'pk.yaml, versi.nomor' or 'lembar info, baris 7 (...)'."""
        return f"{self.info}, {self.bidang_info.get(kunci, kunci)}"

    def baris(self, tabel: str, n: int, label: str) -> str:
        """Name a row: 'indikator.csv, baris 5 (kode IK-1)', 'lembar unit, baris 3 (kode X)' or 'pk.yaml, unit X'."""
        if tabel in TABEL_META and not self.lembar:
            return f"{self.info}, {tabel} {label.split(' ', 1)[-1]}"
        return f"{self.berkas[tabel]}, baris {n} ({label})"

    def asal(self, tabel: str) -> str:
        """Name the file or sheet a table comes from, briefly ('pk.yaml', 'anggaran.csv', 'lembar unit')."""
        return self.berkas[tabel] if self.lembar else Path(self.berkas[tabel]).name


def tempat_folder(folder: Path) -> Tempat:
    """Return how problems of a data/ folder name their place (file, line or pk.yaml entry)."""
    pk = str(folder / "pk.yaml")
    return Tempat(info=pk, berkas={**{t: pk for t in TABEL_META}, **{t: str(folder / f"{t}.csv") for t in TABEL_CSV}})


def pagu_rupiah(text: str) -> int | None:
    """Return a pagu cell as whole Rupiah, or None when it is empty or not a valid amount."""
    try:
        value = parse_angka(text, RUPIAH)
    except AngkaError:
        return None
    return None if value is None else int(value)
