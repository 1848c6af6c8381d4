"""`kinerja backup`, `restore`, `audit` and `export bukti` as an office's administrator meets them.

A backup taken while someone is saving holds only what was committed; a restore gives back exactly the
state of the backup, asks first, and refuses a wrong file with one Indonesian line before touching
anything. The audit trail and the evidence pack come out with the columns and files other tools rely on.
Each test runs on SQLite and (with KINERJA_TEST_POSTGRES_URL) PostgreSQL.
"""

import csv
import io
import sqlite3
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import select
from typer.testing import CliRunner, Result

from kinerja.cli import app
from kinerja.simpan.bukti import simpan_bukti
from kinerja.simpan.cadangan import backup
from kinerja.simpan.db import create_db_engine, migrate, new_session, write_session
from kinerja.simpan.models import Bukti, Unit
from kinerja.simpan.realisasi import EntriRealisasi, write_realisasi
from tests._jalur import INDONESIA, dump, dump_data
from tests.conftest import throwaway_pg_database

REALISASI = "kode,bulan,nilai,pembilang,penyebut,keterangan\n"
AUDIT_KOLOM = ["waktu", "pengguna", "aksi", "tabel", "kunci", "sebelum", "sesudah", "alasan"]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
Run = Callable[..., Result]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder of the command (the SQLite test database lives elsewhere)."""
    work = tmp_path / "kerja"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def kinerja(seeded: Engine, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `kinerja ARGS` against the seeded database; it must end in a clean exit, never an exception."""
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.setenv("KINERJA_BUKTI_DIR", str(folder.parent / "bukti"))

    def run(*args: object, input: str | None = None) -> Result:
        result = CliRunner().invoke(app, [str(a) for a in args], input=input)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        return result

    return run


def one_indonesian_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    assert any(w in lines[0].casefold() for w in INDONESIA), lines[0]
    return lines[0]


def import_realisasi(kinerja: Run, rows: str, *extra: str) -> None:
    Path("isian.csv").write_text(REALISASI + rows, encoding="utf-8")
    result = kinerja("import", "realisasi", "isian.csv", "--yakin", *extra)
    assert result.exit_code == 0, result.output


# --- backup and restore --------------------------------------------------------------------------


def test_backup_then_changes_then_restore_gives_back_exactly_the_backed_up_state(kinerja: Run, seeded: Engine):
    import_realisasi(kinerja, "IK-6.1.1,1,1,,,rapat perencanaan\nIK-6.1,2,,8,10,\n")
    first = dump_data(seeded)
    result = kinerja("backup", "cadangan.bak")
    assert result.exit_code == 0, result.output
    assert "Cadangan ditulis ke cadangan.bak" in result.stdout and Path("cadangan.bak").stat().st_size > 0

    import_realisasi(kinerja, "IK-6.1.1,1,2,,,diganti\nIK-6.2.2,3,4,,,\n", "--oleh", "Meri")
    Path("a.csv").write_text("kode,bulan,realisasi\n6.1.1,1,250.000\n", encoding="utf-8")
    assert kinerja("import", "anggaran", "a.csv").exit_code == 0
    assert dump_data(seeded) != first

    result = kinerja("restore", "cadangan.bak", "--yakin")
    assert result.exit_code == 0, result.output
    assert "dipulihkan dari cadangan.bak" in result.stdout
    assert dump_data(seeded) == first  # the month, the budget line and their audit rows are gone again
    assert sorted(p.name for p in Path().iterdir()) == ["a.csv", "cadangan.bak", "isian.csv"]  # no temp file left


def test_a_backup_taken_while_someone_is_saving_holds_only_what_was_committed(
    kinerja: Run, seeded: Engine, instansi_id: int
):
    before = dump_data(seeded)
    with write_session(seeded) as session:  # an operator's save, not committed yet
        write_realisasi(session, instansi_id=instansi_id, tahun=2025, yakin=True,
                        entries=[EntriRealisasi("IK-6.1.1", 1, nilai=Decimal(1))])
        session.flush()
        result = kinerja("backup", "saat-menyimpan.bak")  # neither waits for the save nor breaks it
        assert result.exit_code == 0, result.output
    assert dump_data(seeded) != before  # the save went through
    assert kinerja("restore", "saat-menyimpan.bak", "--yakin").exit_code == 0
    assert dump_data(seeded) == before


def test_restore_asks_first_and_a_no_changes_nothing(kinerja: Run, seeded: Engine):
    assert kinerja("backup", "cadangan.bak").exit_code == 0
    import_realisasi(kinerja, "IK-6.1.1,1,1,,,\n")
    changed = dump(seeded)

    result = kinerja("restore", "cadangan.bak", input="n\n")
    assert "Ganti seluruh isi basis data" in result.stdout and "akan hilang" in result.stdout
    assert result.exit_code == 1 and one_indonesian_line(result.stderr) == "Dibatalkan; basis data tidak diubah."
    assert dump(seeded) == changed
    result = kinerja("restore", "cadangan.bak")  # no answer at all (stdin closed): also no
    assert result.exit_code == 1 and dump(seeded) == changed

    result = kinerja("restore", "cadangan.bak", input="y\n")
    assert result.exit_code == 0, result.output
    assert dump(seeded) != changed


def _sqlite_of_another_app(path: Path, engine: Engine) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE catatan (isi TEXT)")
    conn.close()


def _backup_of_the_other_kind(path: Path, engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 200)  # the head of a pg_dump archive
    else:
        _sqlite_of_another_app(path, engine)


def _backup_of_a_newer_version(path: Path, engine: Engine) -> None:
    """A backup made by a later Kinerja, whose schema revision this one does not know."""
    if engine.dialect.name == "sqlite":
        assert CliRunner().invoke(app, ["backup", str(path)]).exit_code == 0
        newer = create_engine(f"sqlite:///{path}")
        with newer.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        newer.dispose()
        return
    with throwaway_pg_database("kinerja_baru") as url:  # a pg_dump archive cannot be edited: dump a newer database
        newer = create_db_engine(url)
        migrate(newer)
        with newer.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        backup(newer, path)
        newer.dispose()


WRONG_FILES: dict[str, tuple[Callable[[Path, Engine], None], str]] = {
    "text": (lambda p, e: p.write_text("ini catatan rapat, bukan cadangan\n"), "bukan berkas cadangan"),
    "empty": (lambda p, e: p.write_bytes(b""), "bukan berkas cadangan"),
    "missing": (lambda p, e: None, "tidak ada"),
    "folder": (lambda p, e: p.mkdir(), "folder"),
    "another app's SQLite": (_sqlite_of_another_app, "bukan"),
    "the other database kind": (_backup_of_the_other_kind, "sedangkan basis data ini"),
    "a newer version": (_backup_of_a_newer_version, "lebih baru dari aplikasi ini"),
}


@pytest.mark.parametrize("wrong", WRONG_FILES)
def test_a_wrong_file_is_refused_in_one_line_before_asking_and_nothing_changes(
    kinerja: Run, seeded: Engine, folder: Path, wrong: str
):
    make, words = WRONG_FILES[wrong]
    if wrong == "another app's SQLite" and seeded.dialect.name != "sqlite":
        pytest.skip("covered by 'the other database kind' on PostgreSQL")
    make(folder / "cadangan.bak", seeded)
    import_realisasi(kinerja, "IK-6.1.1,1,1,,,\n")  # the live data that must survive
    before = dump(seeded)
    result = kinerja("restore", "cadangan.bak")  # not even --yakin: it must refuse before asking
    assert result.exit_code != 0
    line = one_indonesian_line(result.stderr)
    assert words in line and "cadangan.bak" in line
    assert result.stdout == "", "asked for confirmation of a file it refuses"
    assert dump(seeded) == before


def test_backup_never_overwrites_a_file_without_timpa(kinerja: Run, folder: Path):
    (folder / "cadangan.bak").write_bytes(b"cadangan kemarin")
    result = kinerja("backup", "cadangan.bak")
    assert result.exit_code == 2 and "sudah ada" in one_indonesian_line(result.stderr)
    assert (folder / "cadangan.bak").read_bytes() == b"cadangan kemarin"
    result = kinerja("backup", "cadangan.bak", "--timpa")
    assert result.exit_code == 0, result.output
    assert (folder / "cadangan.bak").read_bytes() != b"cadangan kemarin"


def test_backup_refuses_to_write_over_the_live_database(kinerja: Run, seeded: Engine):
    if seeded.dialect.name != "sqlite":
        pytest.skip("a PostgreSQL database is no file")
    before = dump(seeded)
    result = kinerja("backup", seeded.url.database, "--timpa")
    assert result.exit_code == 2 and "sedang dipakai" in one_indonesian_line(result.stderr)
    assert dump(seeded) == before


# --- audit trail ---------------------------------------------------------------------------------


def audit_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    return list(reader.fieldnames or []), list(reader)


def test_audit_prints_the_years_changes_with_the_contract_columns(kinerja: Run):
    import_realisasi(kinerja, "IK-6.1.1,1,1,,,rapat\n", "--oleh", "Meri")
    import_realisasi(kinerja, "IK-6.1.1,1,2,,,rapat ulang\n", "--oleh", "Budi")
    Path("a.csv").write_text("kode,bulan,realisasi\n6.1.1,1,250.000\n", encoding="utf-8")
    assert kinerja("import", "anggaran", "a.csv", "--oleh", "Meri").exit_code == 0

    result = kinerja("audit", "--tahun", 2025, "--format", "csv")
    assert result.exit_code == 0, result.output
    header, rows = audit_rows(result.stdout)
    assert header == AUDIT_KOLOM
    assert [(r["pengguna"], r["aksi"], r["tabel"], r["kunci"]) for r in rows] == [
        ("Meri", "tambah", "realisasi", "2025/IK-6.1.1/1"),
        ("Budi", "ubah", "realisasi", "2025/IK-6.1.1/1"),
        ("Meri", "tambah", "realisasi_anggaran", "2025/6.1.1/1"),
    ]
    ubah = rows[1]
    assert ubah["sebelum"] == '{"keterangan": "rapat", "nilai": "1", "pembilang": null, "penyebut": null}'
    assert ubah["sesudah"] == '{"keterangan": "rapat ulang", "nilai": "2", "pembilang": null, "penyebut": null}'
    assert ubah["waktu"].startswith("20") and ubah["waktu"].endswith("+00:00")

    meri = audit_rows(kinerja("audit", "--tahun", 2025, "--oleh", "Meri").stdout)[1]
    assert {(r["pengguna"], r["tabel"]) for r in meri} == {("Meri", "realisasi"), ("Meri", "realisasi_anggaran")}
    anggaran = audit_rows(kinerja("audit", "--tahun", 2025, "--tabel", "realisasi_anggaran").stdout)[1]
    assert [r["kunci"] for r in anggaran] == ["2025/6.1.1/1"]


def test_audit_to_a_file_is_excel_ready_and_never_overwrites_without_timpa(kinerja: Run, folder: Path):
    import_realisasi(kinerja, "IK-6.1.1,1,1,,,\n", "--oleh", "=HYPERLINK(\"http://x\")")
    result = kinerja("audit", "--tahun", 2025, "--out", "riwayat.csv")
    assert result.exit_code == 0, result.output
    assert "1 baris riwayat perubahan 2025 ditulis ke riwayat.csv" in result.stdout
    data = (folder / "riwayat.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    header, rows = audit_rows(data.decode("utf-8"))
    assert header == AUDIT_KOLOM and rows[0]["pengguna"] == "'=HYPERLINK(\"http://x\")"  # text, not a formula
    result = kinerja("audit", "--tahun", 2025, "--out", "riwayat.csv")
    assert result.exit_code == 2 and "--timpa" in one_indonesian_line(result.stderr)
    assert (folder / "riwayat.csv").read_bytes() == data


def test_audit_of_an_unknown_table_names_the_known_ones(kinerja: Run):
    result = kinerja("audit", "--tahun", 2025, "--tabel", "realisasii")
    assert result.exit_code == 2
    line = one_indonesian_line(result.stderr)
    assert "tidak dikenal" in line and "realisasi_anggaran" in line and "target" in line


# --- the evidence pack ---------------------------------------------------------------------------


def store(engine: Engine, instansi_id: int, folder: Path, unit: str, bulan: int, data: bytes, nama: str,
          kode: str | None = None, ganti_id: int | None = None) -> Bukti:
    with new_session(engine) as session:
        unit_id = session.exec(select(Unit.id).where(Unit.kode == unit)).one()
    return simpan_bukti(engine, folder=folder, instansi_id=instansi_id, tahun=2025, unit_id=unit_id, bulan=bulan,
                        data=data, nama_asli=nama, kode=kode, ganti_id=ganti_id)


def test_export_bukti_zips_exactly_the_current_stored_files(
    kinerja: Run, seeded: Engine, instansi_id: int, folder: Path
):
    bukti_dir = folder.parent / "bukti"
    renja = store(seeded, instansi_id, bukti_dir, "PERENCANAAN", 3, PDF, "renja.pdf", kode="IK-6.1.1")
    foto = store(seeded, instansi_id, bukti_dir, "PERENCANAAN", 3, PNG, "foto.png")
    lama = store(seeded, instansi_id, bukti_dir, "PEMUM", 1, PDF, "notulen lama.pdf")
    baru = store(seeded, instansi_id, bukti_dir, "PEMUM", 1, PNG + b"baru", "notulen.png", ganti_id=lama.id)

    result = kinerja("export", "bukti", "--tahun", 2025, "--out", "bukti.zip")
    assert result.exit_code == 0, result.output
    assert "3 berkas bukti dukung 2025 ditulis ke bukti.zip" in result.stdout
    with zipfile.ZipFile(folder / "bukti.zip") as z:
        files = {name: z.read(name) for name in z.namelist()}
    index = files.pop("indeks.csv").decode("utf-8-sig")
    assert files == {  # the replaced file stays stored, but only the current one is in the pack
        f"PERENCANAAN/03-Maret/IK-6.1.1/{renja.id:05d}.pdf": PDF,
        f"PERENCANAAN/03-Maret/umum/{foto.id:05d}.png": PNG,
        f"PEMUM/01-Januari/umum/{baru.id:05d}.png": PNG + b"baru",
    }
    assert {r["nama_asli"] for r in csv.DictReader(io.StringIO(index))} == {"renja.pdf", "foto.png", "notulen.png"}

    result = kinerja("export", "bukti", "--tahun", 2025, "--unit", "PEMUM", "--out", "pemum.zip")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(folder / "pemum.zip") as z:
        assert sorted(z.namelist()) == [f"PEMUM/01-Januari/umum/{baru.id:05d}.png", "indeks.csv"]


def test_export_bukti_refuses_an_unknown_unit_and_a_missing_stored_file_without_writing(
    kinerja: Run, seeded: Engine, instansi_id: int, folder: Path
):
    result = kinerja("export", "bukti", "--tahun", 2025, "--unit", "TIDAKADA", "--out", "bukti.zip")
    assert result.exit_code == 1 and "unit 'TIDAKADA' tidak ada" in one_indonesian_line(result.stderr)
    row = store(seeded, instansi_id, folder.parent / "bukti", "PERENCANAAN", 3, PDF, "renja.pdf")
    (folder.parent / "bukti" / row.nama_berkas).unlink()  # the folder was copied without this file
    result = kinerja("export", "bukti", "--tahun", 2025, "--out", "bukti.zip")
    assert result.exit_code == 1 and "KINERJA_BUKTI_DIR" in one_indonesian_line(result.stderr)
    assert list(folder.iterdir()) == []
