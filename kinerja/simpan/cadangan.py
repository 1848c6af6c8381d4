"""Backups and restores of the whole database while the app runs: SQLite's online backup, or pg_dump.

A backup is a consistent copy taken without stopping anyone: SQLite's backup API copies the pages
under a read transaction (WAL keeps writers going); pg_dump reads one snapshot. A restore first
checks that the file is a Kinerja database whose schema this version knows, then replaces the
live data in one step (SQLite's backup API into the live file; pg_restore in a single transaction),
and finally brings the schema to the newest migration.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError

from kinerja.simpan.db import SQLITE_BUSY_TIMEOUT_S, list_revisions, migrate


class CadanganError(ValueError):
    """A backup or restore that cannot be done; the message says why, in Indonesian."""


def _sqlite_path(engine: Engine) -> Path | None:
    url = make_url(str(engine.url))
    return Path(url.database) if url.drivername.startswith("sqlite") and url.database else None


def _pg_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(engine: Engine, out: Path) -> Path:
    """Write a consistent copy of the live database to `out` (SQLite file, or pg_dump custom format)."""
    path = _sqlite_path(engine)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        if path is not None:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as src, sqlite3.connect(tmp) as dst:
                src.backup(dst)
                # One self-contained file (not WAL): it opens anywhere without -wal and -shm beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
            dst.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={tmp}", _pg_url(engine)], "pg_dump")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return out


def check_backup(engine: Engine, berkas: Path) -> str:
    """Return the schema revision of a backup file, or raise CadanganError when it is not one we can restore."""
    if not berkas.is_file():
        raise CadanganError(f"{berkas}: berkas tidak ada")
    known = list_revisions()
    if _sqlite_path(engine) is not None:
        try:
            with sqlite3.connect(f"file:{berkas}?mode=ro", uri=True) as conn:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                version = conn.execute("SELECT version_num FROM alembic_version").fetchone() \
                    if "alembic_version" in tables else None
        except sqlite3.DatabaseError:
            raise CadanganError(f"{berkas}: bukan berkas basis data SQLite") from None
        if version is None or not {"jejak", "indikator", "instansi"} <= tables:
            raise CadanganError(f"{berkas}: bukan cadangan basis data Kinerja")
        revision = version[0]
    else:
        listing = _run(["pg_restore", "--list", str(berkas)], "pg_restore")
        if "TABLE public alembic_version" not in listing or "TABLE public jejak" not in listing:
            raise CadanganError(f"{berkas}: bukan cadangan basis data Kinerja (pg_dump)")
        revision = _revisi_pg(berkas) or ""
    if revision and revision not in known:
        raise CadanganError(f"{berkas}: versi skema {revision} lebih baru dari aplikasi ini; perbarui Kinerja dulu")
    return revision


def restore(engine: Engine, berkas: Path) -> None:
    """Replace the live database by a checked backup, then migrate it to the newest schema."""
    check_backup(engine, berkas)
    terakhir = _versi_terbesar(engine)
    path = _sqlite_path(engine)
    if path is not None:
        with (sqlite3.connect(f"file:{berkas}?mode=ro", uri=True) as src,
              sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S) as dst):
            src.backup(dst)
        dst.close()
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_pg_url(engine)}", str(berkas)], "pg_restore")
    engine.dispose()  # connections opened before the restore may cache the old schema
    migrate(engine)
    # A running app caches each office's figures under its versi_data. The restored numbers may repeat a
    # version it holds with other data; lifting every office past the live database's largest makes each
    # cached year stale at once, on every app process.
    with engine.begin() as connection:
        connection.execute(text("UPDATE instansi SET versi_data = versi_data + :naik"), {"naik": terakhir + 1})


def _versi_terbesar(engine: Engine) -> int:
    """Return the largest data version in the live database (0 when it has none yet)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT MAX(versi_data) FROM instansi")).scalar() or 0
    except DBAPIError:  # a database made before schema 0008: no version cached under it
        return 0


def _revisi_pg(berkas: Path) -> str | None:
    """Return the schema revision a pg_dump archive holds, read without restoring it (None when none)."""
    lines = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(berkas)],
                 "pg_restore").splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith("COPY public.alembic_version ")), None)
    if start is None or start + 1 >= len(lines) or lines[start + 1] == "\\.":
        return None
    return lines[start + 1].strip()


def _run(command: list[str], name: str) -> str:
    if shutil.which(command[0]) is None:
        raise CadanganError(f"{name} tidak terpasang; pasang paket postgresql-client")
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise CadanganError(f"{name} gagal: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    return done.stdout
