"""The command line as an operator meets it: one Indonesian line instead of a traceback, files written whole
and never over another file, every write naming its author, soft limits confirmed, draft years readable.

Each test runs `kinerja` against the `seeded` database, on SQLite and (with KINERJA_TEST_POSTGRES_URL)
PostgreSQL. Under CliRunner an uncaught exception would land in `result.exception`; the command line
must always end in a clean exit instead.
"""

import errno
import getpass
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import DataError
from sqlmodel import select
from typer.testing import CliRunner, Result

from kinerja.baca import laporan
from kinerja.cli import GALAT, GALAT_DB, app
from kinerja.simpan import realisasi as realisasi_module
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Jejak, Versi
from kinerja.simpan.queries import get_instansi, load_realisasi

ROOT = Path(__file__).resolve().parent.parent
REALISASI = "kode,bulan,nilai,pembilang,penyebut,keterangan\n"
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
    """Run `kinerja ARGS` in `folder` against the seeded database; it must end in a clean exit, never an exception."""
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))

    def run(*args: object) -> Result:
        result = CliRunner().invoke(app, [str(a) for a in args])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        return result

    return run


def realisasi(engine: Engine) -> dict:
    with new_session(engine) as session:
        return load_realisasi(session, get_instansi(session).id, 2025)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- no traceback reaches the user -----------------------------------------------------------------


def test_an_unexpected_error_is_one_indonesian_line_and_exit_code_1(
    kinerja: Run, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> list:
        raise RuntimeError("SELECT password_hash FROM pengguna")

    monkeypatch.setattr(laporan, "indikator_rows", broken)  # the command looks it up when it runs
    result = kinerja("indikator", "--tahun", 2025)
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"Gagal: {GALAT}"
    assert "SELECT" not in result.output and not caplog.records, "the trace only with KINERJA_DEBUG=1"
    monkeypatch.setenv("KINERJA_DEBUG", "1")
    result = kinerja("indikator", "--tahun", 2025)
    assert result.exit_code == 1 and one_line(result.stderr) == f"Gagal: {GALAT}"
    assert any(r.exc_info and "SELECT password_hash" in str(r.exc_info[1]) for r in caplog.records)


def test_a_database_refusal_is_one_line_and_nothing_is_half_saved(
    kinerja: Run, seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise DataError("INSERT INTO realisasi ...", {}, Exception("value too long for type character varying(40)"))

    monkeypatch.setattr(realisasi_module, "save_realisasi", refuse)
    Path("r.csv").write_text(REALISASI + "IK-6.1.1,1,1,,,\n")
    result = kinerja("import", "realisasi", "r.csv")
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"Gagal: {GALAT_DB}"
    assert "INSERT" not in result.output and "varying" not in result.output


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    """Through `python -m kinerja.cli`, as [project.scripts] runs it: a database that cannot be opened."""
    env = os.environ | {"KINERJA_DATABASE_URL": f"sqlite:///{tmp_path}"}  # a folder, not a database file
    env.pop("KINERJA_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "kinerja.cli", "indikator"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert one_line(done.stderr).startswith("Gagal: basis data tidak dapat dibuka")
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize(("content", "pesan"), [
    (REALISASI + 'IK-6.1.1,1,1,,,"' + "x" * 200_000 + '"\n', "128 KB"),
    (REALISASI + "IK-6.1.1,1,1,,,ada\x00nul\n", "karakter kendali"),
])
def test_a_bad_csv_is_refused_with_a_message_and_saves_nothing(
    kinerja: Run, seeded: Engine, content: str, pesan: str
) -> None:
    Path("r.csv").write_text(content, encoding="utf-8")
    result = kinerja("import", "realisasi", "r.csv")
    assert result.exit_code == 1
    assert "r.csv" in result.stderr and pesan in result.stderr
    assert realisasi(seeded) == {}


def workbook(kinerja: Run, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """Export the 2025 PK as a workbook, make it 2026, apply `change`, and save it as pk.xlsx."""
    assert kinerja("export", "pk", "--out", "asal.xlsx").exit_code == 0
    book = openpyxl.load_workbook("asal.xlsx")
    info = {row[0].value: row[1] for row in book["info"].iter_rows()}
    info["tahun"].value, info["versi_tanggal"].value, info["versi_nama"].value = 2026, "2026-01-02", "PK Awal"
    change(book)
    book.save("pk.xlsx")
    return Path("pk.xlsx")


def huge_year(book: openpyxl.Workbook) -> None:
    next(row for row in book["info"].iter_rows() if row[0].value == "tahun")[1].value = 99_999_999_999


def long_unit_code(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "PMD":
                    cell.value = "SEKSI_PEMBERDAYAAN_MASYARAKAT_DAN_DESA_KECAMATAN"  # 48 characters


def huge_pagu(book: openpyxl.Workbook) -> None:
    sheet = book["anggaran"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("kode")].value: r for r in sheet.iter_rows(min_row=2)}
    node = next(r for r in rows.values() if r[header.index("tingkat")].value == "sub_kegiatan")
    while node is not None:  # keep every parent the sum of its children
        node[header.index("pagu")].value = int(node[header.index("pagu")].value) + 2**63
        node = rows.get(node[header.index("induk")].value)


@pytest.mark.parametrize("change", [huge_year, long_unit_code, huge_pagu])
def test_an_extreme_pk_workbook_never_shows_a_traceback_nor_loads_half(
    kinerja: Run, seeded: Engine, change: Callable[[openpyxl.Workbook], None]
) -> None:
    with new_session(seeded) as session:
        before = len(session.exec(select(Versi)).all())
    result = kinerja("import", "pk", workbook(kinerja, change))
    if result.exit_code != 0:
        assert result.stderr.strip() and 'File "' not in result.stderr
        with new_session(seeded) as session:
            assert len(session.exec(select(Versi)).all()) == before


# --- output files ---------------------------------------------------------------------------------


OUT_COMMANDS = {
    "template": (["template"], ".xlsx"),
    "export pk": (["export", "pk"], ".xlsx"),
    "export lkjip xlsx": (["export", "lkjip"], ".xlsx"),
    "export lkjip docx": (["export", "lkjip"], ".docx"),
    "export lkjip csv": (["export", "lkjip"], ".csv"),
    "cetak-pk": (["cetak-pk", "--unit", "CAMAT"], ".docx"),
}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("command", OUT_COMMANDS)
def test_an_existing_file_is_never_overwritten_without_timpa(kinerja: Run, folder: Path, command: str) -> None:
    args, suffix = OUT_COMMANDS[command]
    out = folder / f"hasil{suffix}"
    out.write_bytes(b"berkas lain yang penting")
    result = kinerja(*args, "--out", out)
    assert result.exit_code != 0 and "sudah ada" in result.stderr and "--timpa" in result.stderr
    assert out.read_bytes() == b"berkas lain yang penting"
    result = kinerja(*args, "--out", out, "--timpa")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != b"berkas lain yang penting" and out.stat().st_size > 100
    assert leftovers(folder) == []


def test_lkjip_csv_checks_every_file_it_would_write_before_writing_any(kinerja: Run, folder: Path) -> None:
    (folder / "laporan-anggaran.csv").write_text("tabel lain\n")
    result = kinerja("export", "lkjip", "--out", "laporan.csv")
    assert result.exit_code != 0 and "laporan-anggaran.csv: berkas sudah ada" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["laporan-anggaran.csv"]
    assert (folder / "laporan-anggaran.csv").read_text() == "tabel lain\n"


@pytest.mark.parametrize(("args", "out"), [
    (["template"], "t.csv"),
    (["template"], "t.docx"),
    (["export", "pk"], "pk.csv"),
    (["export", "lkjip"], "laporan.pdf"),
    (["export", "lkjip"], "laporan"),
    (["cetak-pk", "--unit", "CAMAT"], "pk.xlsx"),
])
def test_an_extension_that_does_not_match_the_format_is_refused(
    kinerja: Run, folder: Path, args: list[str], out: str
) -> None:
    result = kinerja(*args, "--out", out)
    assert result.exit_code == 2 and "tidak cocok" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(("out", "pesan"), [
    ("tidak-ada/laporan.xlsx", "folder tidak-ada tidak ada"),
    ("folder.xlsx", "itu sebuah folder"),
    ("/proc/version.xlsx", "tidak dapat ditulis"),
])
def test_an_output_path_that_cannot_be_a_file_is_one_message(kinerja: Run, folder: Path, out: str,
                                                             pesan: str) -> None:
    (folder / "folder.xlsx").mkdir()
    result = kinerja("export", "lkjip", "--out", out, "--timpa")
    assert result.exit_code != 0 and pesan in one_line(result.stderr)


def test_a_failure_while_writing_leaves_no_file_at_all(
    kinerja: Run, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsync, calls = os.fsync, []

    def disk_full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full)
    result = kinerja("export", "lkjip", "--out", "laporan.csv")
    assert result.exit_code != 0 and "ruang disk habis" in result.stderr
    assert list(folder.iterdir()) == [], "neither a half file nor a temporary one"


def test_a_failed_rename_takes_back_the_files_already_placed(
    kinerja: Run, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace = os.replace

    def fail_third(src: str, dst: Path) -> None:
        if str(dst).endswith("-efisiensi.csv"):
            raise OSError(errno.EACCES, "Permission denied")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_third)
    result = kinerja("export", "lkjip", "--out", "laporan.csv")
    assert result.exit_code != 0 and "tidak ada izin" in result.stderr
    assert list(folder.iterdir()) == []


# --- writes name their author; soft limits are confirmed ------------------------------------------------


IMPORTS = {
    "realisasi": (["import", "realisasi", "isian.csv"], REALISASI + "IK-6.1.1,1,1,,,\n"),
    "anggaran": (["import", "anggaran", "isian.csv"], "kode,bulan,realisasi\n6.1.1,1,1000\n"),
    "ikm": (["import", "ikm", "isian.csv", "--tahun", "2025", "--bulan", "6"],
            "u1,u2,u3,u4,u5,u6,u7,u8,u9\n" + "4,4,3,4,4,3,4,4,4\n" * 3),
}


def authors(engine: Engine) -> set[str]:
    with new_session(engine) as session:
        return set(session.exec(select(Jejak.pengguna)))


@pytest.mark.parametrize("command", IMPORTS)
@pytest.mark.parametrize("oleh", [None, "Meri (Kasubag Perencanaan)"])
def test_every_import_names_the_person_in_the_audit_trail(
    kinerja: Run, seeded: Engine, command: str, oleh: str | None
) -> None:
    args, content = IMPORTS[command]
    Path("isian.csv").write_text(content)
    result = kinerja(*args, *(["--oleh", oleh] if oleh else []))
    assert result.exit_code == 0, result.output
    assert authors(seeded) == {oleh or f"cli:{getpass.getuser()}"}


@pytest.mark.parametrize("oleh", [None, "Meri"])
def test_a_pk_import_names_the_person_in_the_audit_trail(kinerja: Run, seeded: Engine, oleh: str | None) -> None:
    book = workbook(kinerja, lambda book: None)
    result = kinerja("import", "pk", book, *(["--oleh", oleh] if oleh else []))
    assert result.exit_code == 0, result.output
    with new_session(seeded) as session:
        row = session.exec(select(Jejak).where(Jejak.tabel == "versi")).one()
    assert row.kunci.startswith("2026/") and row.pengguna == (oleh or f"cli:{getpass.getuser()}")


def test_a_value_beyond_the_soft_limit_needs_yakin(kinerja: Run, seeded: Engine) -> None:
    Path("r.csv").write_text(REALISASI + "IK-6.1.1,1,5,,,\n")  # 5 Dokumen in January; the year's target is 3
    result = kinerja("import", "realisasi", "r.csv")
    assert result.exit_code == 1
    assert "IK-6.1.1" in result.stderr and "melebihi target setahun" in result.stderr
    assert "jalankan lagi dengan --yakin bila angka ini benar" in result.stderr
    assert realisasi(seeded) == {}
    result = kinerja("import", "realisasi", "r.csv", "--yakin")
    assert result.exit_code == 0, result.output
    assert realisasi(seeded)["IK-6.1.1"][1].nilai == Decimal(5)


def test_yakin_does_not_let_a_wrong_value_through(kinerja: Run, seeded: Engine) -> None:
    Path("r.csv").write_text(REALISASI + "IK-6.1.1,1,-5,,,\n")
    result = kinerja("import", "realisasi", "r.csv", "--yakin")
    assert result.exit_code == 1 and "tidak boleh negatif" in result.stderr
    assert realisasi(seeded) == {}


# --- a draft year can be read when named ----------------------------------------------------------------


READS = {
    "indikator": ["indikator"],
    "anggaran": ["anggaran"],
    "export capaian": ["export", "capaian"],
    "export pk": ["export", "pk", "--out", "draf.xlsx"],
    "template": ["template", "--out", "templat.xlsx"],
    "cetak-pk": ["cetak-pk", "--unit", "CAMAT", "--out", "pk.docx"],
    "export lkjip": ["export", "lkjip", "--out", "laporan.xlsx"],
}
CATATAN = "Catatan: PK 2026 masih draf (belum terbit)."


@pytest.fixture
def draft_2026(kinerja: Run) -> None:
    result = kinerja("import", "pk", workbook(kinerja, lambda book: None))
    assert result.exit_code == 0 and "dimuat sebagai draf" in result.output


@pytest.mark.parametrize("command", READS)
def test_a_draft_year_is_shown_when_named_with_a_note(kinerja: Run, draft_2026: None, command: str) -> None:
    result = kinerja(*READS[command], "--tahun", 2026)
    assert result.exit_code == 0, result.output
    assert one_line(result.stderr) == CATATAN
    if command in ("indikator", "anggaran", "export capaian"):
        assert result.stdout == kinerja(*READS[command], "--tahun", 2025).stdout  # a copy of 2025's structure


def test_the_default_year_stays_the_newest_published_one(kinerja: Run, draft_2026: None) -> None:
    default, named = kinerja("indikator"), kinerja("indikator", "--tahun", 2025)
    assert default.exit_code == 0 and default.stderr == "" and default.stdout == named.stdout


def test_nothing_is_imported_into_a_draft_year(kinerja: Run, seeded: Engine, draft_2026: None) -> None:
    Path("r.csv").write_text(REALISASI + "IK-6.1.1,1,1,,,\n")
    result = kinerja("import", "realisasi", "r.csv", "--tahun", 2026)
    assert result.exit_code == 2 and "terbitkan dulu" in result.stderr
