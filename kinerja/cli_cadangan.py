"""Commands about the database as a whole: make it (init), a separate demo one, back it up, restore it."""

import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kinerja.cli_umum import Timpa, fail, periksa_out, tulis_berkas
from kinerja.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy import Engine

perintah = typer.Typer()  # top-level commands, merged into `kinerja`


@perintah.command()
def init() -> None:
    """Buat atau migrasikan basis data dan muat data PK dari folder data/ (aman diulang)."""
    from kinerja.config import get_settings
    from kinerja.simpan.db import get_engine
    from kinerja.simpan.seed import SeedError, init_database

    try:
        done = init_database(get_engine(), get_settings().data_dir)
    except SeedError as e:
        fail(e.problems, 2)
    for line in done:
        typer.echo(line)
    typer.echo(f"Basis data siap: {get_engine().url.render_as_string(hide_password=True)}")


@perintah.command()
def demo(
    url: Annotated[str | None, typer.Option(help="Basis data demo (bawaan: KINERJA_DEMO_DATABASE_URL).")] = None,
) -> None:
    """Buat basis data DEMO terpisah berisi contoh realisasi setahun, untuk mencoba dan melatih."""
    from kinerja.config import get_settings
    from kinerja.demo import DemoError, create_demo
    from kinerja.simpan.seed import SeedError

    settings = get_settings()
    target = url or settings.demo_database_url
    try:
        create_demo(target, settings.database_url, settings.data_dir)
    except (DemoError, SeedError, ValidationError) as e:
        fail(getattr(e, "problems", [str(e)]), 2)
    typer.echo(f"Basis data demo dibuat: {target}")
    typer.echo(f"Jalankan aplikasi demo: KINERJA_DATABASE_URL={target} streamlit run dashboard.py")


def _sqlite_file(engine: "Engine") -> Path | None:
    from sqlalchemy import make_url

    url = make_url(str(engine.url))
    return Path(url.database) if url.drivername.startswith("sqlite") and url.database else None


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _live_database() -> "Engine":
    """Return the engine of an existing Kinerja database, without migrating or loading anything into it."""
    from kinerja.simpan.db import get_engine, has_schema

    engine = get_engine()
    path = _sqlite_file(engine)
    if path is not None and not path.is_file():
        fail([f"basis data {path} tidak ada; tidak ada yang dicadangkan"], 2)
    if not has_schema(engine):
        fail(["basis data ini belum berisi data Kinerja (jalankan `kinerja init`); tidak ada yang dicadangkan"], 2)
    return engine


@perintah.command()
def backup(
    out: Annotated[Path, typer.Argument(help="Berkas cadangan (SQLite: salinan basis data; PostgreSQL: pg_dump).")],
    timpa: Timpa = False,
) -> None:
    """Cadangkan seluruh basis data ke satu berkas; aman dijalankan selagi aplikasi dipakai."""
    from kinerja.aturan.format import format_angka
    from kinerja.simpan.cadangan import CadanganError
    from kinerja.simpan.cadangan import backup as backup_database

    periksa_out(out, None)
    if (out.exists() or out.is_symlink()) and not timpa:  # before a dump that may take minutes
        fail([f"{out}: berkas sudah ada; tidak ditimpa (tambahkan --timpa untuk menimpanya)"], 2)
    engine = _live_database()
    live = _sqlite_file(engine)
    if live is not None and any(_same_file(out, Path(f"{live}{akhir}")) for akhir in ("", "-wal", "-shm")):
        fail([f"{out}: itu berkas basis data yang sedang dipakai; tulis cadangan ke berkas lain"], 2)
    with tempfile.TemporaryDirectory(prefix=".kinerja-", dir=out.parent) as tmp:
        try:
            salinan = backup_database(engine, Path(tmp) / "cadangan")
        except CadanganError as e:
            fail([str(e)])
        if live is not None:
            _satu_berkas(salinan)
        ukuran = salinan.stat().st_size
        tulis_berkas({out: salinan}, timpa)
    typer.echo(f"Cadangan ditulis ke {out} ({format_angka(Decimal(ukuran) / 1024 / 1024, 1, 1)} MB).")


def _satu_berkas(path: Path) -> None:
    """Take a SQLite copy out of WAL mode: one self-contained file that opens read-only anywhere (a USB stick)
    without leaving -wal and -shm files beside it. A restore into the live WAL database keeps the live one WAL."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


_TANDA = {b"SQLite format 3\x00": "sqlite", b"PGDMP": "postgresql"}
_NAMA_DB = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _periksa_cadangan(engine: "Engine", berkas: Path) -> None:
    """Refuse a file that is no backup, or one of the other database kind, before check_backup reads it."""
    from kinerja.simpan.cadangan import CadanganError, check_backup

    if not berkas.is_file():
        fail([f"{berkas}: {'itu sebuah folder, bukan berkas' if berkas.is_dir() else 'berkas tidak ada'}; "
              "basis data tidak diubah"])
    with berkas.open("rb") as f:
        awal = f.read(16)
    jenis = next((j for tanda, j in _TANDA.items() if awal.startswith(tanda)), None)
    if jenis is None:
        fail([f"{berkas}: bukan berkas cadangan dari `kinerja backup`; basis data tidak diubah"])
    if jenis != engine.dialect.name:
        fail([f"{berkas}: cadangan basis data {_NAMA_DB[jenis]}, sedangkan basis data ini "
              f"{_NAMA_DB.get(engine.dialect.name, engine.dialect.name)}; basis data tidak diubah"])
    live = _sqlite_file(engine)
    if live is not None and live.exists() and _same_file(berkas, live):
        fail([f"{berkas}: itu berkas basis data yang sedang dipakai, bukan cadangannya"])
    try:
        check_backup(engine, berkas)
    except CadanganError as e:
        fail([f"{e}; basis data tidak diubah"])


@perintah.command()
def restore(
    file: Annotated[Path, typer.Argument(help="Berkas cadangan dari `kinerja backup`.")],
    yakin: Annotated[bool, typer.Option(
        "--yakin", help="Pulihkan tanpa bertanya dulu (isian sesudah cadangan dibuat akan hilang).")] = False,
) -> None:
    """Pulihkan basis data dari berkas cadangan: seluruh isinya diganti isi cadangan itu."""
    from kinerja.simpan.cadangan import CadanganError
    from kinerja.simpan.cadangan import restore as restore_database
    from kinerja.simpan.db import get_engine

    engine = get_engine()
    _periksa_cadangan(engine, file)
    nama = engine.url.set(drivername=engine.url.get_backend_name()).render_as_string(hide_password=True)
    if not yakin:
        try:
            setuju = typer.confirm(f"Ganti seluruh isi basis data {nama} dengan cadangan {file}? "
                                   "Semua isian sesudah cadangan itu dibuat akan hilang", default=False)
        except typer.Abort:
            setuju = False
        if not setuju:
            fail(["Dibatalkan; basis data tidak diubah."])
    try:
        restore_database(engine, file)
    except CadanganError as e:
        fail([f"{e}; basis data tidak diubah"])
    typer.echo(f"Basis data {nama} dipulihkan dari {file}.")
