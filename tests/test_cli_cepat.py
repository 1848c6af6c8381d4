"""A quick command line (issue 13): `kinerja --help` loads no document library, and a command on a ready
database neither migrates nor reads data/; a schema of another version is refused with what to do.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from kinerja.cli import app

BERAT = ("pandas", "numpy", "openpyxl", "docx", "xlsxwriter", "alembic")


def test_importing_the_command_line_loads_no_document_library():
    kode = f"import sys, kinerja.cli; print(sorted(m for m in {BERAT!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", kode], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def modules_after(args: list[str], env: dict[str, str] | None = None) -> tuple[list[str], str]:
    """Run `kinerja ARGS` in a fresh interpreter; return which of the start-up's heavy modules it loaded, and stdout."""
    watch = (*BERAT, "sqlalchemy", "sqlmodel", "kinerja.simpan.models", "pydantic_settings", "rich")
    kode = (f"import atexit, sys; atexit.register(lambda: print(sorted(m for m in {watch!r} if m in sys.modules), "
            f"file=sys.stderr)); from kinerja.cli import app; app({args!r}, prog_name='kinerja')")
    done = subprocess.run([sys.executable, "-c", kode], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return eval(done.stderr.strip().splitlines()[-1]), done.stdout


def test_help_loads_neither_the_database_nor_the_models():
    loaded, out = modules_after(["--help"])
    assert "Pemakaian: kinerja" in out
    assert loaded == ["rich"]  # the help is drawn with rich; nothing of the database (issue 13)


def test_a_command_loads_no_help_renderer_and_no_document_library(siap):
    env = {**os.environ, "KINERJA_DATABASE_URL": siap.url.render_as_string(hide_password=False)}
    loaded, out = modules_after(["export", "capaian", "--triwulan", "1"], env)
    assert out.startswith("kode,unit,no,indikator")
    assert loaded == ["kinerja.simpan.models", "pydantic_settings", "sqlalchemy", "sqlmodel"]


def test_help_still_lists_every_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for perintah in ("init", "indikator", "export", "import", "demo", "audit", "backup"):
        assert perintah in result.output


def test_every_command_has_its_own_help():
    """The parts of the command line are all registered, and each command says what it does."""
    from typer.main import get_command

    def leaves(group, path=()):  # type: ignore[no-untyped-def]
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from leaves(command, (*path, name))
            else:
                yield " ".join((*path, name)), command

    commands = dict(leaves(get_command(app)))
    assert {"init", "demo", "backup", "restore", "audit", "renstra", "cetak-pk", "export capaian", "import pk",
            "instansi pemda", "instansi add", "instansi list", "pengguna add"} <= commands.keys()
    assert len(commands) == 10 + 7 + 8 + 3 + 1  # at the top, import, export, instansi, pengguna
    assert [name for name, command in commands.items() if not (command.help or "").strip()] == []


@pytest.fixture
def siap(seeded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A ready database, and a data/ folder that would fail validation if any command read it."""
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    rusak = tmp_path / "data"
    (rusak / "rusak-2025").mkdir(parents=True)
    (rusak / "rusak-2025" / "pk.yaml").write_text("instansi: [tidak sah\n", encoding="utf-8")
    monkeypatch.setenv("KINERJA_DATA_DIR", str(rusak))
    return seeded


def test_a_read_command_neither_migrates_nor_reads_data(siap):
    result = CliRunner().invoke(app, ["export", "capaian", "--triwulan", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("kode,unit,no,indikator")
    # the broken folder is read by `kinerja init`, which says what is wrong with it
    assert CliRunner().invoke(app, ["init"]).exit_code != 0


def test_an_older_schema_is_refused_with_what_to_run(siap):
    with siap.begin() as conn:
        versi = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    try:
        result = CliRunner().invoke(app, ["indikator"])
        assert result.exit_code == 2
        assert "lebih lama" in result.output and "kinerja init" in result.output, result.output
        assert "kode," not in result.output  # nothing was read
    finally:
        with siap.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": versi})


def test_a_newer_schema_is_refused(siap):
    with siap.begin() as conn:
        versi = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        result = CliRunner().invoke(app, ["indikator"])
        assert result.exit_code == 2
        assert "versi Kinerja yang lebih baru" in result.output, result.output
    finally:
        with siap.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": versi})


def test_an_empty_database_is_still_made_and_loaded_by_the_first_command(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'baru.db'}")
    monkeypatch.delenv("KINERJA_DATA_DIR", raising=False)
    result = CliRunner().invoke(app, ["indikator"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1 + 66  # header + the 2025 PK's 66 agreement rows
