"""What every part of the command line shares: its options, its refusals, the office and year a command
works on, and the one way files are written.

Only the standard library, typer and two pure modules at the top: the database, the models and the settings
are imported inside the functions that use them, so `kinerja --help` loads none of them (issue 13).
"""

from __future__ import annotations

import csv
import errno
import getpass
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kinerja.aturan.teks import cek_teks, netral
from kinerja.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from kinerja.simpan.models import Instansi

Tahun = Annotated[int | None, typer.Option(help="Tahun perjanjian kinerja (bawaan: tahun terbaru yang terbit).")]
InstansiOpt = Annotated[str | None, typer.Option(help="Kode instansi (wajib bila ada lebih dari satu).")]
Format = Annotated[str, typer.Option("--format", help="Format keluaran: csv.")]
Timpa = Annotated[bool, typer.Option("--timpa", help="Timpa berkas keluaran yang sudah ada.")]
HanyaDisahkan = Annotated[bool, typer.Option(
    "--hanya-disahkan", help="Hitung hanya realisasi bulan yang sudah disahkan pimpinan (bawaan: semua).")]
Oleh = Annotated[str | None, typer.Option(
    "--oleh", metavar="NAMA", help="Nama yang dicatat di riwayat perubahan (bawaan: cli:<pengguna sistem>).")]
TriwulanOpt = Annotated[int, typer.Option(min=1, max=4, help="Triwulan yang dievaluasi (1-4).")]
FileArg = Annotated[Path, typer.Argument(help="Berkas CSV.")]


def fail(problems: list[str], code: int = 1) -> NoReturn:
    """Print each problem on stderr and end the command with `code` (2: the input is wrong)."""
    for p in problems:
        typer.echo(p, err=True)
    raise typer.Exit(code)


def oleh_cli(oleh: str | None) -> str:
    """Return the name an audit row records for this run: --oleh, or cli:<the system user>."""
    if oleh is None:
        try:
            return f"cli:{getpass.getuser()}"
        except Exception:  # no user name in this environment (e.g. a bare container)
            return "cli"
    problems = cek_teks(oleh, "--oleh", 60)
    if not oleh.strip():
        problems.append("--oleh tidak boleh kosong")
    if problems:
        fail(problems, 2)
    return oleh.strip()


def buka_engine() -> Engine:
    """Return the database; one with no schema yet is made and loaded from data/, as `kinerja init` does.

    Only `kinerja init`, `kinerja demo` and a database with no schema migrate and read data/: doing it on
    every command cost most of a command's start-up (issue 13). A schema of another version of Kinerja
    is refused with what to do, before anything is read or written.
    """
    from sqlalchemy import text

    from kinerja.config import get_settings
    from kinerja.simpan.db import MIGRATIONS, get_engine, has_schema

    engine = get_engine()
    if not has_schema(engine):
        from kinerja.simpan.seed import SeedError, init_database  # here: only a new database needs it

        try:
            init_database(engine, get_settings().data_dir)
        except SeedError as e:
            fail(e.problems, 2)
        return engine
    with engine.connect() as connection:
        tersimpan = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    terbaru = max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    if tersimpan is None or tersimpan < terbaru:
        fail([f"skema basis data ({tersimpan or 'kosong'}) lebih lama dari versi Kinerja ini ({terbaru}); "
              "jalankan `kinerja init` dulu untuk memperbaruinya (data yang ada tetap utuh)"], 2)
    if tersimpan > terbaru:
        fail([f"basis data ini dibuat oleh versi Kinerja yang lebih baru (skema {tersimpan}, versi ini {terbaru}); "
              "perbarui aplikasi Kinerja dulu"], 2)
    return engine


@dataclass(frozen=True)
class Konteks:
    """The database, office and year a command works on; `draf` when the year is only a draft."""

    engine: Engine
    office: Instansi
    tahun: int
    draf: bool

    def session(self) -> Session:
        """Open a read session that sees this year even when it is only a draft."""
        from kinerja.simpan.db import new_session
        from kinerja.simpan.queries import tampilkan_draf

        session = new_session(self.engine)
        return tampilkan_draf(session) if self.draf else session


def _office(engine: Engine, instansi: str | None) -> tuple[Instansi, list[int], list[int]]:
    """Return the office named (or the only one), its published years and all its years."""
    from kinerja.simpan.db import new_session
    from kinerja.simpan.queries import NotFound, get_instansi, list_tahun

    with new_session(engine) as session:
        try:
            office = get_instansi(session, instansi)
        except NotFound as e:
            fail([str(e)], 2)
        return office, list_tahun(session, office.id), list_tahun(session, office.id, draf=True)


@contextmanager
def konteks(instansi: str | None, tahun: int | None, baca: bool = False) -> Iterator[Konteks]:
    """Open the database and resolve the office and year, failing with a clear message.

    The default year is the newest published one. A read command (`baca`) may name a draft
    year: it is shown as the draft, with a note on stderr.
    """
    engine = buka_engine()
    office, terbit, semua = _office(engine, instansi)
    if tahun is None:
        if not terbit:
            fail([f"belum ada perjanjian kinerja yang terbit untuk {office.nama}; sebutkan --tahun"], 2)
        tahun = terbit[0]
    draf = tahun not in terbit and tahun in semua
    if tahun not in semua or (draf and not baca):
        extra = "; terbitkan dulu di aplikasi (Versi & tahun baru)" if draf else ""
        fail([f"tidak ada perjanjian kinerja terbit tahun {tahun} untuk {office.nama}{extra}"], 2)
    if draf:
        typer.echo(f"Catatan: PK {tahun} masih draf (belum terbit).", err=True)
    try:
        yield Konteks(engine, office, tahun, draf)
    except ValidationError as e:
        fail(e.problems)


@contextmanager
def instansi_saja(instansi: str | None) -> Iterator[tuple[Engine, Instansi]]:
    """Open the database and resolve the office, for commands that are about no single PK year."""
    engine = buka_engine()
    office, _, _ = _office(engine, instansi)
    try:
        yield engine, office
    except ValidationError as e:
        fail(e.problems)


def check_format(fmt: str) -> None:
    """Refuse an output format other than csv."""
    if fmt != "csv":
        fail([f"format '{fmt}' tidak dikenal; gunakan csv"], 2)


def number(value: object) -> str:
    """Write a number with a '.' decimal point and at least 2 decimals; empty for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return str(value)
    d = Decimal(value).quantize(Decimal("0.0001"))  # type: ignore[arg-type]
    text = f"{d:f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def write_csv(columns: list[str], rows: Iterable[dict[str, object]]) -> None:
    """Write rows as CSV to stdout: numbers with a '.' point, text never a spreadsheet formula."""
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: number(v) if isinstance(v, Decimal) else netral(v) if isinstance(v, str) else v
                         for k, v in row.items()})


def periksa_out(out: Path, jenis: tuple[str, ...] | None) -> None:
    """Refuse an output path whose extension is not the format's, or that is a folder, before any work."""
    if jenis is not None and out.suffix.lower() not in jenis:
        fail([f"{out}: jenis berkas '{out.suffix or '(tanpa akhiran)'}' tidak cocok; gunakan {' atau '.join(jenis)}"],
             2)
    if out.is_dir():
        fail([f"{out}: itu sebuah folder; sebutkan nama berkasnya"], 2)
    if not out.parent.is_dir():
        fail([f"{out}: folder {out.parent} tidak ada"], 2)


# The preamble every export shares: check what was asked, open the office-year, build, write.
Baris = Callable[["Session", Konteks], Iterable[dict[str, object]]]
Isi = Callable[["Session", Konteks], bytes]


def cetak_csv(fmt: str, instansi: str | None, tahun: int | None, columns: list[str], rows: Baris) -> None:
    """Check the format, open the office-year (a draft too) and write its rows as CSV to stdout."""
    check_format(fmt)
    with konteks(instansi, tahun, baca=True) as k, k.session() as session:
        write_csv(columns, rows(session, k))


def ekspor_berkas(out: Path, jenis: tuple[str, ...], instansi: str | None, tahun: int | None, timpa: bool,
                  build: Isi, pesan: Callable[[Konteks], str] | None = None) -> None:
    """Check the output path, open the office-year (a draft too), build the file's content and write it whole;
    then say so (`pesan`, or "Ditulis: FILE")."""
    periksa_out(out, jenis)
    with konteks(instansi, tahun, baca=True) as k, k.session() as session:
        data = build(session, k)
    if pesan is None:
        tulis({out: data}, timpa)
        return
    tulis_berkas({out: data}, timpa)
    typer.echo(pesan(k))


def alasan_csv(e: csv.Error) -> str:
    """Say in Indonesian why the csv module could not read a file."""
    text = str(e)
    if "field larger than field limit" in text:
        return f"satu kolom lebih panjang dari batas {csv.field_size_limit() // 1024} KB"
    if "NUL" in text:
        return "berisi karakter NUL"
    return "format CSV rusak (mis. tanda kutip tidak tertutup)"


_ALASAN_OS = {
    errno.ENOENT: "folder atau berkas tidak ada",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    errno.ENOTDIR: "salah satu bagian jalurnya bukan folder",
    errno.EACCES: "tidak ada izin",
    errno.EPERM: "tidak ada izin",
    errno.EROFS: "sistem berkas hanya-baca",
    errno.ENOSPC: "ruang disk habis",
    errno.EEXIST: "berkas sudah ada",
    errno.EINVAL: "tidak dapat ditulis di sini",
}


def alasan_os(e: OSError) -> str:
    """Say in Indonesian why a file could not be read or written."""
    return _ALASAN_OS.get(e.errno or 0, "tidak dapat dibaca atau ditulis")


def tulis_berkas(files: dict[Path, bytes | Path], timpa: bool = False) -> None:
    """Write files whole: every target is checked before any is written, each goes to a temporary file
    in its own folder and is renamed into place, and an existing file is replaced only with `timpa`.

    A value is the content, or a finished file elsewhere whose content is copied (a backup too big to hold)."""
    ada = [p for p in files if p.exists() or p.is_symlink()]
    folders = [p for p in ada if p.is_dir()]
    if folders:
        fail([f"{p}: itu sebuah folder; sebutkan nama berkasnya" for p in folders], 2)
    if ada and not timpa:
        fail([f"{p}: berkas sudah ada; tidak ditimpa (tambahkan --timpa untuk menimpanya)" for p in ada], 2)
    mask = os.umask(0)
    os.umask(mask)
    temps: list[tuple[str, Path]] = []
    placed: list[Path] = []
    try:
        for path, data in files.items():
            try:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
                temps.append((tmp, path))
                with os.fdopen(fd, "wb") as f:
                    if isinstance(data, Path):
                        with data.open("rb") as src:
                            shutil.copyfileobj(src, f, 1 << 20)
                    else:
                        f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(tmp, 0o666 & ~mask)
            except OSError as e:
                fail([f"{path}: tidak dapat ditulis ({alasan_os(e)}); tidak ada berkas yang ditulis"])
        for tmp, path in temps:
            try:
                os.replace(tmp, path)
            except OSError as e:
                if not timpa:  # the files placed so far are new: take them back, so it is all or nothing
                    for done in placed:
                        with suppress(OSError):
                            done.unlink()
                fail([f"{path}: tidak dapat ditulis ({alasan_os(e)})"])
            placed.append(path)
    finally:
        for tmp, _ in temps:
            with suppress(FileNotFoundError):
                os.unlink(tmp)


def tulis(files: dict[Path, bytes | Path], timpa: bool) -> None:
    """Write files whole (see tulis_berkas) and name each one written."""
    tulis_berkas(files, timpa)
    for path in files:
        typer.echo(f"Ditulis: {path}")


@contextmanager
def berkas_csv(file: Path) -> Iterator[None]:
    """Name the file when the csv module cannot read it (a field over its limit, a NUL, a broken quote)."""
    try:
        yield
    except csv.Error as e:
        raise ValidationError([f"{file.name}: {alasan_csv(e)}"]) from None
