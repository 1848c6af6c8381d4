"""CSV import and export through the `kinerja` CLI and the functions behind it.

A refused file must say which line is wrong and why, and write nothing at all: not even its
good lines. Expected capaian in the export are worked out by hand from DOMAIN.md.
"""

import csv
import io
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select
from typer.main import get_command
from typer.testing import CliRunner, Result

from kinerja.aturan.format import format_angka, format_persen, format_rupiah, nama_bulan, nama_triwulan
from kinerja.cli import app
from kinerja.dokumen.impor import parse_anggaran_csv, parse_ikm_csv, parse_realisasi_csv
from kinerja.errors import ValidationError
from kinerja.simpan.db import create_db_engine, new_session
from kinerja.simpan.models import (
    Indikator,
    JawabanIKM,
    Jejak,
    Realisasi,
    RealisasiAnggaran,
    SurveiIKM,
)
from kinerja.simpan.penilaian import save_survei_ikm
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import save_realisasi, save_realisasi_anggaran
from tests.conftest import seeded_database

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PG_URL = os.environ.get("KINERJA_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

REALISASI = "kode,bulan,nilai,pembilang,penyebut,keterangan\n"
ANGGARAN = "kode,bulan,realisasi\n"
IKM = "u1,u2,u3,u4,u5,u6,u7,u8,u9\n"
CAPAIAN_HEADER = (
    "kode,unit,no,indikator,satuan,target_tahunan,target_sd_tw,realisasi_sd_tw,capaian_sd_tw,capaian_tahunan,kategori"
)
INDIKATOR_HEADER = (
    "kode,unit,unit_nama,no,sasaran,indikator,satuan,target,polaritas,agregasi,jenis,sumber,anggaran_kode"
)
ANGGARAN_HEADER = "kode,tingkat,induk,nama,unit,pagu"
NUMBER = re.compile(r"^\d+\.\d{2,}$")


# --- databases ------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A seeded database shared by the refused-import tests (which must leave it unchanged)."""
    with seeded_database(request.param, tmp_path_factory.mktemp("shared")) as engine:
        yield engine


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded SQLite file to copy: cheaper than loading the seed for every CLI test."""
    folder = tmp_path_factory.mktemp("template")
    with seeded_database("sqlite", folder):
        pass
    return folder / "kinerja.db"


@dataclass
class CliDB:
    """A SQLite database the CLI works on, and an engine to look into it."""

    path: Path
    engine: Engine

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(app, list(args), env={"KINERJA_DATABASE_URL": f"sqlite:///{self.path}"})


@contextmanager
def copy_of(template: Path, folder: Path) -> Iterator[CliDB]:
    path = folder / "kinerja.db"
    shutil.copy(template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    yield CliDB(path, engine)
    engine.dispose()


@pytest.fixture
def cli(template: Path, tmp_path: Path) -> Iterator[CliDB]:
    """A fresh copy of the seeded database for one CLI test."""
    with copy_of(template, tmp_path) as db:
        yield db


@pytest.fixture(scope="module")
def cli_shared(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliDB]:
    """One copy shared by the CLI tests that must not write anything."""
    with copy_of(template, tmp_path_factory.mktemp("cli")) as db:
        yield db


def counts(engine: Engine) -> dict[str, int]:
    """How many rows each table that an import writes to holds."""
    with new_session(engine) as session:
        return {
            m.__name__: session.exec(select(func.count()).select_from(m)).one()
            for m in (Realisasi, RealisasiAnggaran, SurveiIKM, JawabanIKM, Jejak)
        }


def instansi_of(engine: Engine) -> int:
    with new_session(engine) as session:
        return get_instansi(session).id


def realisasi_of(engine: Engine, kode: str) -> dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]]:
    with new_session(engine) as session:
        rows = session.exec(
            select(Realisasi).join(Indikator, Indikator.id == Realisasi.indikator_id).where(Indikator.kode == kode)
        ).all()
    return {r.bulan: (r.nilai, r.pembilang, r.penyebut) for r in rows}


def import_file(engine: Engine, kind: str, content: str, bulan: int = 6) -> object:
    """Import a CSV the way `kinerja import <kind>` does, without the CLI."""
    data, instansi_id = content.encode("utf-8"), instansi_of(engine)
    if kind == "realisasi":
        entries = parse_realisasi_csv(data, "berkas.csv")
        return save_realisasi(engine, instansi_id=instansi_id, tahun=2025, entries=entries)
    if kind == "anggaran":
        entries = parse_anggaran_csv(data, "berkas.csv")
        return save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=2025, entries=entries)
    answers = parse_ikm_csv(data, "berkas.csv")
    return save_survei_ikm(engine, instansi_id=instansi_id, tahun=2025, bulan=bulan, answers=answers)


def cli_import(db: CliDB, tmp_path: Path, kind: str, content: str, bulan: int = 6) -> Result:
    path = tmp_path / "berkas.csv"
    path.write_text(content, encoding="utf-8")
    extra = ["--tahun", "2025", "--bulan", str(bulan)] if kind == "ikm" else []
    return db.run("import", kind, str(path), *extra)


# --- refused files --------------------------------------------------------------------------

GOOD = "IK-6.1.1,2,1,,,\n"  # line 2 of every realisasi file below: valid on its own
GOOD_RP = "6.1.1,1,1000000\n"  # line 2 of the budget files: valid on its own


def real(line: str) -> str:
    """A realisasi file: a good line 2, then `line` as line 3."""
    return REALISASI + GOOD + line + "\n"


def rp(line: str) -> str:
    """A budget file: a good line 2, then `line` as line 3."""
    return ANGGARAN + GOOD_RP + line + "\n"


BAD_FILES = [
    # (id, kind, content, parts every one of which the message must contain)
    ("kode-unknown", "realisasi", real("IK-9.9,3,1,,,"), ["baris 3", "'IK-9.9'", "tidak dikenal"]),
    ("bulan-0", "realisasi", real("IK-6.1.2,0,1,,,"), ["baris 3", "bulan harus 1 sampai 12, bukan 0"]),
    ("bulan-13", "realisasi", real("IK-6.1.2,13,1,,,"), ["baris 3", "bulan harus 1 sampai 12, bukan 13"]),
    ("bulan-text", "realisasi", real("IK-6.1.2,Maret,1,,,"), ["baris 3", "bulan 'Maret' bukan angka"]),
    ("nilai-abc", "realisasi", real("IK-6.1.2,3,abc,,,"), ["baris 3", "nilai 'abc' bukan angka"]),
    ("nilai-1O", "realisasi", real("IK-6.1.2,3,1O,,,"), ["baris 3", "nilai '1O' bukan angka"]),
    ("nilai-empty", "realisasi", real("IK-6.1.2,3,,,,"), ["baris 3", "nilai harus diisi"]),
    ("count-negative", "realisasi", real("IK-6.1.2,3,-1,,,"), ["baris 3", "tidak boleh negatif"]),
    ("count-2.5", "realisasi", real("IK-6.1.2,3,2.5,,,"), ["baris 3", "bilangan bulat (Dokumen), bukan 2,5"]),
    (
        "count-2,5-semicolons", "realisasi",
        "kode;bulan;nilai;pembilang;penyebut;keterangan\nIK-6.1.1;2;1;;;\nIK-6.1.2;3;2,5;;;\n",
        ["baris 3", "bilangan bulat (Dokumen), bukan 2,5"],
    ),
    (
        "pembilang-over-penyebut", "realisasi", real("IK-6.1,3,,5,3,"),
        ["baris 3", "pembilang (5) lebih besar dari penyebut (3)"],
    ),
    ("nilai-on-rasio", "realisasi", real("IK-6.1,3,2,,,"), ["baris 3", "rasio diisi pembilang dan penyebut"]),
    ("rasio-half", "realisasi", real("IK-6.1,3,,1,,"), ["baris 3", "pembilang dan penyebut harus diisi"]),
    (
        "pembilang-on-tunggal", "realisasi", real("IK-6.1.2,3,,1,2,"),
        ["baris 3", "diisi nilai, bukan pembilang/penyebut"],
    ),
    ("turunan", "realisasi", real("IK-6.5,3,90,,,"), ["baris 3", "IK-6.5", "turunan", "tidak diisi"]),
    (
        "anggaran-indicator", "realisasi", real("IK-6.2,3,50,,,"),
        ["baris 3", "IK-6.2", "penyerapan anggaran", "tidak diisi"],
    ),
    # IKM and AKIP are computed on their own pages (which refuse a score above 100), never typed here
    ("ikm-typed", "realisasi", real("IK-IKM,6,101,,,"), ["baris 3", "IK-IKM", "diisi dari halaman IKM"]),
    ("duplicate", "realisasi", real("IK-6.1.1,2,2,,,"), ["baris 3", "IK-6.1.1 bulan 2 sudah ada", "baris 2"]),
    (
        "unquoted-comma", "realisasi", real("IK-6.1.2,3,1,,,Rapat A, B dan C"),
        ["baris 3", "7 kolom, judul hanya 6", "tanda kutip"],
    ),
    ("wrong-columns", "realisasi", "kode,bulan,realisasi\nIK-6.1.1,2,1\n", ["kolom wajib tidak ada", "nilai"]),
    ("no-rows", "realisasi", REALISASI, ["tidak ada baris data"]),
    ("ikm-5", "ikm", IKM + "4,4,4,4,4,4,4,4,4\n4,5,4,4,4,4,4,4,4\n", ["baris 3", "u2", "bukan '5'"]),
    ("ikm-0", "ikm", IKM + "4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,0\n", ["baris 3", "u9", "bukan '0'"]),
    ("ikm-x", "ikm", IKM + "x,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,4\n", ["baris 2", "u1", "bukan 'x'"]),
    ("ikm-columns", "ikm", "u1,u2,u3\n4,4,4\n", ["kolom wajib tidak ada", "u4"]),
    ("rp-kode-unknown", "anggaran", rp("9.9.9,2,1000"), ["baris 3", "'9.9.9'", "tidak dikenal"]),
    ("rp-kegiatan", "anggaran", rp("6.1,2,1000"), ["baris 3", "per sub kegiatan, bukan per kegiatan"]),
    ("rp-program", "anggaran", rp("6,2,1000"), ["baris 3", "per sub kegiatan, bukan per program"]),
    ("rp-negative", "anggaran", rp("6.1.2,2,-500"), ["baris 3", "tidak boleh negatif"]),
    ("rp-decimal", "anggaran", rp("6.1.2,2,1500.50"), ["baris 3", "'1500.50' harus Rupiah bulat"]),
    (
        "rp-decimal-comma-semicolons", "anggaran", "kode;bulan;realisasi\n6.1.1;1;1000000\n6.1.2;2;1.500,50\n",
        ["baris 3", "'1.500,50' harus Rupiah bulat"],
    ),
    ("rp-empty", "anggaran", rp("6.1.2,2,"), ["baris 3", "realisasi harus diisi"]),
    ("rp-bulan-13", "anggaran", rp("6.1.2,13,1000"), ["baris 3", "bulan harus 1 sampai 12"]),
    ("rp-duplicate", "anggaran", rp("6.1.1,1,5"), ["baris 3", "6.1.1 bulan 1 sudah ada"]),
    # 1.1.1 has a pagu of Rp 10.745.500
    (
        "rp-over-pagu", "anggaran", ANGGARAN + "1.1.1,1,10000000\n1.1.1,2,745501\n",
        ["1.1.1", "melebihi pagu", "Rp 10.745.501", "Rp 10.745.500"],
    ),
    ("rp-columns", "anggaran", "kode,bulan,nilai\n6.1.1,1,1000\n", ["kolom wajib tidak ada", "realisasi"]),
]


@pytest.mark.parametrize(("kind", "content", "parts"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_refused_whole_and_says_where_and_why(shared, kind, content, parts):
    before = counts(shared)
    with pytest.raises(ValidationError) as e:
        import_file(shared, kind, content)
    assert any(all(p in problem for p in parts) for problem in e.value.problems), e.value.problems
    assert counts(shared) == before


@pytest.mark.parametrize(("kind", "content", "parts"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_kinerja_import_of_a_bad_file_exits_non_zero_and_writes_nothing(cli_shared, tmp_path, kind, content, parts):
    before = counts(cli_shared.engine)
    result = cli_import(cli_shared, tmp_path, kind, content)
    assert result.exit_code != 0
    assert any(all(p in line for p in parts) for line in result.output.splitlines()), result.output
    assert counts(cli_shared.engine) == before


def test_kinerja_import_ikm_refuses_a_month_outside_1_to_12(cli_shared, tmp_path):
    before = counts(cli_shared.engine)
    result = cli_import(cli_shared, tmp_path, "ikm", IKM + "4,4,4,4,4,4,4,4,4\n", bulan=13)
    assert result.exit_code != 0
    assert "bulan harus 1 sampai 12, bukan 13" in result.output
    assert counts(cli_shared.engine) == before


def test_kinerja_import_of_a_missing_file_says_so(cli_shared, tmp_path):
    result = cli_shared.run("import", "realisasi", str(tmp_path / "tidak-ada.csv"))
    assert result.exit_code != 0
    assert f"{tmp_path / 'tidak-ada.csv'}: berkas tidak ada" in result.output


# --- accepted files -------------------------------------------------------------------------


def test_imported_values_land_and_reimporting_a_month_replaces_it(seeded):
    written = import_file(seeded, "realisasi", REALISASI + "IK-6.1.1,2,1,,,\nIK-6.1,3,,2,3,\nIK-6.2.1,1,25,,,\n")
    assert written == 3
    assert realisasi_of(seeded, "IK-6.1.1") == {2: (1, None, None)}
    assert realisasi_of(seeded, "IK-6.1") == {3: (None, 2, 3)}
    assert realisasi_of(seeded, "IK-6.2.1") == {1: (25, None, None)}

    import_file(seeded, "realisasi", REALISASI + "IK-6.1.1,2,2,,,koreksi\n")
    assert realisasi_of(seeded, "IK-6.1.1") == {2: (2, None, None)}
    assert counts(seeded)["Realisasi"] == 3


def test_kinerja_import_realisasi_saves_and_replaces(cli, tmp_path):
    result = cli_import(cli, tmp_path, "realisasi", REALISASI + "IK-6.1.1,2,1,,,\nIK-6.3,3,,45,50,\n")
    assert result.exit_code == 0, result.output
    assert "2 baris diperiksa, 2 bulan disimpan" in result.output
    assert realisasi_of(cli.engine, "IK-6.1.1") == {2: (1, None, None)}
    assert realisasi_of(cli.engine, "IK-6.3") == {3: (None, 45, 50)}

    again = cli_import(cli, tmp_path, "realisasi", REALISASI + "IK-6.1.1,2,3,,,\n")
    assert again.exit_code == 0, again.output
    assert realisasi_of(cli.engine, "IK-6.1.1") == {2: (3, None, None)}
    assert counts(cli.engine)["Realisasi"] == 2


def test_kinerja_import_ikm_prints_ikm_and_mutu_and_sets_the_ikm_realisation(cli, tmp_path):
    # 2 respondents all 4, 2 all 3, one blank line: NRR 3,5 everywhere, IKM 3,5 × 25 = 87,50, mutu B
    content = IKM + "4,4,4,4,4,4,4,4,4\n3,3,3,3,3,3,3,3,3\n,,,,,,,,\n4,4,4,4,4,4,4,4,4\n3,3,3,3,3,3,3,3,3\n"
    result = cli_import(cli, tmp_path, "ikm", content, bulan=6)
    assert result.exit_code == 0, result.output
    assert "IKM: 87,50" in result.output
    assert "Mutu pelayanan: B (Baik)" in result.output
    assert "Responden: 4" in result.output
    assert "U1 Persyaratan: NRR 3,50" in result.output
    assert realisasi_of(cli.engine, "IK-IKM") == {6: (Decimal("87.5"), None, None)}
    assert counts(cli.engine)["SurveiIKM"] == 1
    assert counts(cli.engine)["JawabanIKM"] == 4


def test_ikm_import_sets_the_month_of_the_survey(seeded):
    hasil = import_file(seeded, "ikm", IKM + "4,4,4,4,4,4,4,4,4\n", bulan=11)
    assert hasil.ikm == 100
    assert realisasi_of(seeded, "IK-IKM") == {11: (100, None, None)}


def test_rupiah_with_thousands_dots_is_read_as_the_grid_reads_it(seeded):
    # One parser everywhere: Rupiah are whole, so the dots of 250.000 can only group thousands.
    import_file(seeded, "anggaran", ANGGARAN + "6.1.2,2,250.000\n6.1.2,3,Rp 1.250.000\n")
    with new_session(seeded) as session:
        months = {r.bulan: r.realisasi for r in session.exec(select(RealisasiAnggaran))}
    assert months == {2: 250_000, 3: 1_250_000}


def test_budget_import_counts_months_already_saved_against_the_pagu(seeded):
    # 1.1.1: pagu Rp 10.745.500
    import_file(seeded, "anggaran", ANGGARAN + "1.1.1,1,10000000\n")
    with pytest.raises(ValidationError) as e:
        import_file(seeded, "anggaran", ANGGARAN + "1.1.1,2,745501\n")
    assert "melebihi pagu" in str(e.value)
    assert counts(seeded)["RealisasiAnggaran"] == 1
    # spending exactly the pagu is fine; replacing January with less frees room
    import_file(seeded, "anggaran", ANGGARAN + "1.1.1,2,745500\n")
    import_file(seeded, "anggaran", ANGGARAN + "1.1.1,1,9000000\n1.1.1,3,1000000\n")
    with new_session(seeded) as session:
        months = {r.bulan: r.realisasi for r in session.exec(select(RealisasiAnggaran))}
    assert months == {1: 9_000_000, 2: 745_500, 3: 1_000_000}


# --- export capaian ----------------------------------------------------------------------------

REALISASI_TW = REALISASI + (
    "IK-6.1.1,2,1,,,\n"  # 1 of 3 Dokumen in February
    "IK-6.1.1,4,1,,,\n"  # and 1 in April (TW II)
    "IK-6.2.1,1,25,,,\n"  # 25, 25, 22 Orang/bulan: mean 24
    "IK-6.2.1,2,25,,,\n"
    "IK-6.2.1,3,22,,,\n"
    "IK-6.3,1,,40,50,\n"  # aset teradministrasi: stock, the latest month counts: 45 / 50
    "IK-6.3,3,,45,50,\n"
    "IK-6.1,2,,1,1,\n"  # documents made / targeted, summed: 2 / 3
    "IK-6.1,3,,1,2,\n"
    "IK-6.5.1,1,1,,,\n"  # the 1 Paket of the year, in January
)
ANGGARAN_TW = ANGGARAN + (
    "6.2.1,2,623789403\n"  # kegiatan 6.2 (pagu 2.210.249.677): 663.074.903 by March
    "6.2.2,3,39285500\n"
    "6.2.1,4,100000000\n"  # April: TW II
)


def export(db: CliDB, triwulan: int) -> tuple[str, list[dict[str, str]]]:
    result = db.run("export", "capaian", "--tahun", "2025", "--triwulan", str(triwulan), "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    return header, list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def exported(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, tuple[str, list]]]:
    """`export capaian` for TW I and TW II after importing REALISASI_TW and ANGGARAN_TW."""
    folder = tmp_path_factory.mktemp("export")
    with copy_of(template, folder) as db:
        for kind, content in (("realisasi", REALISASI_TW), ("anggaran", ANGGARAN_TW)):
            result = cli_import(db, folder, kind, content)
            assert result.exit_code == 0, result.output
        yield {tw: export(db, tw) for tw in (1, 2)}


def rows_of(rows: list[dict[str, str]], kode: str) -> list[dict[str, str]]:
    found = [r for r in rows if r["kode"] == kode]
    assert found, kode
    return found


def test_export_capaian_header_and_one_row_per_agreement_row(exported):
    for header, rows in exported.values():
        assert header == CAPAIAN_HEADER
        assert len(rows) == 66


def test_export_capaian_numbers_have_a_point_and_two_decimals_and_empty_cells_for_no_value(exported):
    numeric = ["target_tahunan", "target_sd_tw", "realisasi_sd_tw", "capaian_sd_tw", "capaian_tahunan"]
    for _, rows in exported.values():
        for row in rows:
            for column in numeric:
                assert row[column] == "" or NUMBER.match(row[column]), (row["kode"], column, row[column])
    _, tw1 = exported[1]
    akip = rows_of(tw1, "IK-AKIP")[0]
    assert (akip["target_tahunan"], akip["target_sd_tw"]) == ("70.05", "70.05")
    assert akip["realisasi_sd_tw"] == akip["capaian_sd_tw"] == akip["capaian_tahunan"] == akip["kategori"] == ""


@pytest.mark.parametrize(
    ("triwulan", "kode", "target_sd_tw", "realisasi", "capaian_sd_tw", "capaian_tahunan", "kategori"),
    [
        # 1 Dokumen of 3: TW I target 3 × 1/4 = 0,75; 1 / 0,75 = 133,33 %; of the year 33,33 %
        (1, "IK-6.1.1", "0.75", "1.00", "133.33", "33.33", "Sangat Tinggi"),
        # with April's: 2 / (3 × 2/4) = 133,33 %; 2 / 3 of the year
        (2, "IK-6.1.1", "1.50", "2.00", "133.33", "66.67", "Sangat Tinggi"),
        # mean of 25, 25, 22 = 24 of 25 Orang/bulan (rata_rata: the annual target every triwulan)
        (1, "IK-6.2.1", "25.00", "24.00", "96.00", "96.00", "Sangat Tinggi"),
        (2, "IK-6.2.1", "25.00", "24.00", "96.00", "96.00", "Sangat Tinggi"),
        # 45 / 50 = 90 % against 100 %
        (1, "IK-6.3", "100.00", "90.00", "90.00", "90.00", "Tinggi"),
        # (1 + 1) / (1 + 2) = 66,67 %
        (1, "IK-6.1", "100.00", "66.67", "66.67", "66.67", "Sedang"),
        # 1 Paket of 1: TW I target 0,25, so 400 %
        (1, "IK-6.5.1", "0.25", "1.00", "400.00", "100.00", "Sangat Tinggi"),
        # derived from 6.5.1 .. 6.5.6: only 6.5.1 has a capaian, 400 counted as 100
        (1, "IK-6.5", "100.00", "100.00", "100.00", "100.00", "Sangat Tinggi"),
        # 663.074.903 / 2.210.249.677 = 29,9999999955 %; TW I target 25 % -> 119,99999998 %
        (1, "IK-6.2", "25.00", "30.00", "120.00", "30.00", "Sangat Tinggi"),
        # derived from the kegiatan rows of program 6: 6.1 (66,67), 6.2 (120 -> 100), 6.3 (90), 6.5 (100);
        # 6.4, 6.6, 6.7, 6.8 have nothing yet. (66,6667 + 100 + 90 + 100) / 4 = 89,1667
        (1, "IK-6", "100.00", "89.17", "89.17", "89.17", "Tinggi"),
        # nothing under program 1 entered yet
        (1, "IK-1", "100.00", "", "", "", ""),
    ],
)
def test_export_capaian_values_computed_by_hand(
    exported, triwulan, kode, target_sd_tw, realisasi, capaian_sd_tw, capaian_tahunan, kategori
):
    _, rows = exported[triwulan]
    for row in rows_of(rows, kode):
        # compared rounded to 2 decimals (the export shows up to 4)
        got = [
            str(Decimal(row[c]).quantize(Decimal("0.01"))) if row[c] else ""
            for c in ("target_sd_tw", "realisasi_sd_tw", "capaian_sd_tw", "capaian_tahunan")
        ]
        assert got == [target_sd_tw, realisasi, capaian_sd_tw, capaian_tahunan], row
        assert row["kategori"] == kategori


def test_export_capaian_shows_a_shared_indicator_identically_in_both_agreements(exported):
    _, rows = exported[1]
    for kode, units in (("IK-6.3", {"SEKCAM", "UMUMKEU"}), ("IK-6", {"CAMAT", "SEKCAM"})):
        found = rows_of(rows, kode)
        assert {r["unit"] for r in found} == units
        values = [{k: v for k, v in r.items() if k not in ("unit", "no")} for r in found]
        assert values[0] == values[1]


def test_export_capaian_refuses_an_unknown_format_or_triwulan(cli_shared):
    bad_format = cli_shared.run("export", "capaian", "--tahun", "2025", "--triwulan", "1", "--format", "xlsx")
    assert bad_format.exit_code != 0
    assert "xlsx" in bad_format.output
    bad_tw = cli_shared.run("export", "capaian", "--tahun", "2025", "--triwulan", "5", "--format", "csv")
    assert bad_tw.exit_code != 0
    no_year = cli_shared.run("export", "capaian", "--tahun", "2024", "--triwulan", "1", "--format", "csv")
    assert no_year.exit_code != 0
    assert "2024" in no_year.output


# --- indikator and anggaran listings -------------------------------------------------------------


def test_kinerja_indikator_lists_66_rows_with_shared_indicators_identical_and_stable(cli_shared):
    first, second = cli_shared.run("indikator"), cli_shared.run("indikator")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert first.stdout.splitlines()[0] == INDIKATOR_HEADER
    rows = list(csv.DictReader(io.StringIO(first.stdout)))
    assert len(rows) == 66
    assert len({r["kode"] for r in rows}) == 57
    per_agreement = ("unit", "unit_nama", "no", "sasaran")
    by_kode: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_kode.setdefault(r["kode"], []).append({k: v for k, v in r.items() if k not in per_agreement})
    shared = {k: v for k, v in by_kode.items() if len(v) > 1}
    assert len(shared) == 9
    for kode, versions in shared.items():
        assert versions[0] == versions[1], kode
    gaji = by_kode["IK-6.2.1"][0]
    assert (gaji["satuan"], gaji["target"], gaji["agregasi"]) == ("Orang/bulan", "25.00", "rata_rata")


def test_kinerja_anggaran_lists_55_lines_that_add_up(cli_shared):
    result = cli_shared.run("anggaran")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ANGGARAN_HEADER
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 55
    pagu = {r["kode"]: int(r["pagu"]) for r in rows}
    assert sum(int(r["pagu"]) for r in rows if r["tingkat"] == "program") == 3_006_467_857
    for r in rows:
        children = [pagu[c["kode"]] for c in rows if c["induk"] == r["kode"]]
        if r["tingkat"] != "sub_kegiatan":
            assert sum(children) == pagu[r["kode"]], r["kode"]
    assert pagu["6.2.1"] == 2_170_964_177


# --- Indonesian formats in what users read -------------------------------------------------------


@pytest.mark.parametrize(
    ("formatted", "expected"),
    [
        (format_angka(Decimal("1234567.89")), "1.234.567,89"),
        (format_angka(Decimal("87.5")), "87,5"),
        (format_persen(Decimal("133.33333")), "133,33 %"),
        (format_rupiah(3_006_467_857), "Rp 3.006.467.857"),
        (nama_bulan(1), "Januari"),
        (nama_bulan(12), "Desember"),
        (nama_triwulan(1), "Triwulan I"),
        (nama_triwulan(4), "Triwulan IV"),
    ],
)
def test_numbers_money_months_and_triwulan_are_written_the_indonesian_way(formatted, expected):
    assert formatted == expected


# --- help ------------------------------------------------------------------------------------


def commands(command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


def test_every_command_and_option_has_help_text():
    walked = list(commands(get_command(app)))
    names = {" ".join(path) for path, _ in walked}
    contract = {"init", "indikator", "anggaran", "import realisasi", "import anggaran", "import ikm", "export capaian"}
    assert contract <= names
    for path, command in walked:
        result = CliRunner().invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        summary = (command.help or "").strip().splitlines()
        assert summary and summary[0], path
        assert " ".join(summary[0].split()[:3]) in " ".join(result.output.split()), path
        for param in command.params:
            if param.name not in ("help", "install_completion", "show_completion"):
                assert getattr(param, "help", None), (path, param.name)
