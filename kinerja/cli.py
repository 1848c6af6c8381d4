"""The `kinerja` command line. Command names and CSV columns are a contract: keep them stable.

A command ends in one of three ways: its output; its problems in Indonesian on stderr and a
non-zero exit; or, for anything unexpected, one Indonesian line on stderr and exit code 1 (the
trace only with KINERJA_DEBUG=1). Every write is one transaction, so nothing is half-saved, and
every output file is written whole (temporary file, then rename), never over an existing file
unless --timpa is given.
"""

import csv
import errno
import getpass
import io
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError
from sqlmodel import Session, select
from typer.core import TyperGroup
from typer.exceptions import TyperException

from kinerja.aturan.format import format_angka
from kinerja.aturan.ikm import UNSUR
from kinerja.aturan.pk_data import ANGGARAN_COLUMNS
from kinerja.aturan.teks import cek_teks, netral
from kinerja.baca.laporan import (
    CAPAIAN_COLUMNS,
    INDIKATOR_COLUMNS,
    anggaran_rows,
    compute_capaian_tahun,
    indikator_rows,
)
from kinerja.cli_bahasa import indonesiakan
from kinerja.config import get_settings
from kinerja.errors import PerluKonfirmasi, ValidationError
from kinerja.simpan.anggaran_kas import save_anggaran_kas
from kinerja.simpan.bukti import export_bukti_zip
from kinerja.simpan.cadangan import CadanganError, check_backup
from kinerja.simpan.cadangan import backup as backup_database
from kinerja.simpan.cadangan import restore as restore_database
from kinerja.simpan.db import MIGRATIONS, get_engine, has_schema, new_session
from kinerja.simpan.jejak import TABEL_LABEL, export_jejak_csv, list_jejak_tahun
from kinerja.simpan.models import Instansi, Jejak
from kinerja.simpan.penilaian import save_survei_ikm
from kinerja.simpan.queries import NotFound, get_instansi, list_tahun, load_data_tahun, tampilkan_draf, versi_berlaku
from kinerja.simpan.realisasi import save_realisasi, save_realisasi_anggaran
from kinerja.simpan.riwayat import simpan_periode_renstra, simpan_riwayat, simpan_target_renstra

log = logging.getLogger("kinerja.cli")
GALAT = ("terjadi kesalahan tak terduga; tidak ada yang tersimpan sebagian. "
         "Jalankan lagi dengan KINERJA_DEBUG=1 untuk rinciannya, atau hubungi pengelola server.")
GALAT_DB = ("basis data menolak isian ini (angka terlalu besar, teks terlalu panjang atau berisi karakter yang "
            "tidak sah); tidak ada yang tersimpan.")


class _Perintah(TyperGroup):
    """The root command: an unexpected error becomes one Indonesian line on stderr and exit code 1."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):  # exits, usage errors: typer's own way
            raise
        except KeyboardInterrupt:
            typer.echo("Dibatalkan.", err=True)
            raise typer.Exit(130) from None
        except Exception as e:  # the one place that turns any error into a message
            if _debug():
                log.error("Rincian kesalahan:", exc_info=e)
            typer.echo(f"Gagal: {pesan_galat(e)}", err=True)
            raise typer.Exit(1) from None


def _debug() -> bool:
    try:
        return get_settings().debug
    except Exception:  # a broken environment must not hide the original error
        return False


def pesan_galat(e: BaseException) -> str:
    """Return one Indonesian line that says what an unexpected error means to the user (no trace, no SQL)."""
    if isinstance(e, csv.Error):
        return f"berkas CSV tidak dapat dibaca: {_alasan_csv(e)}"
    if isinstance(e, OSError):
        return f"{e.filename}: {_alasan_os(e)}" if e.filename else _alasan_os(e)
    if isinstance(e, OperationalError):
        return "basis data tidak dapat dibuka atau sedang sibuk; tidak ada yang tersimpan. Coba lagi."
    if isinstance(e, DBAPIError | StatementError | OverflowError):
        return GALAT_DB
    if isinstance(e, UnicodeError):
        return "berkas berisi teks yang bukan UTF-8"
    return GALAT


def _alasan_csv(e: csv.Error) -> str:
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


def _alasan_os(e: OSError) -> str:
    return _ALASAN_OS.get(e.errno or 0, "tidak dapat dibaca atau ditulis")


indonesiakan()  # help panels, usage line and --help in Indonesian
app = typer.Typer(help="Kinerja: Perjanjian Kinerja, realisasi dan capaian.", no_args_is_help=True, cls=_Perintah)
import_app = typer.Typer(help="Impor realisasi, realisasi anggaran, survei IKM atau perjanjian kinerja.")
export_app = typer.Typer(help="Ekspor capaian kinerja, tabel LKjIP, perjanjian kinerja atau paket bukti dukung.")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

Tahun = Annotated[int | None, typer.Option(help="Tahun perjanjian kinerja (bawaan: tahun terbaru yang terbit).")]
InstansiOpt = Annotated[str | None, typer.Option(help="Kode instansi (wajib bila ada lebih dari satu).")]
Format = Annotated[str, typer.Option("--format", help="Format keluaran: csv.")]
Timpa = Annotated[bool, typer.Option("--timpa", help="Timpa berkas keluaran yang sudah ada.")]
HanyaDisahkan = Annotated[bool, typer.Option(
    "--hanya-disahkan", help="Hitung hanya realisasi bulan yang sudah disahkan pimpinan (bawaan: semua).")]
Oleh = Annotated[str | None, typer.Option(
    "--oleh", metavar="NAMA", help="Nama yang dicatat di riwayat perubahan (bawaan: cli:<pengguna sistem>).")]


def _fail(problems: list[str], code: int = 1) -> NoReturn:
    for p in problems:
        typer.echo(p, err=True)
    raise typer.Exit(code)


def _oleh(oleh: str | None) -> str:
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
        _fail(problems, 2)
    return oleh.strip()


def _engine() -> Engine:
    """Return the database; one with no schema yet is made and loaded from data/, as `kinerja init` does.

    Only `kinerja init`, `kinerja demo` and a database with no schema migrate and read data/: doing it on
    every command cost most of a command's start-up (issue 13). A schema of another version of Kinerja
    is refused with what to do, before anything is read or written.
    """
    engine = get_engine()
    if not has_schema(engine):
        from kinerja.simpan.seed import SeedError, init_database  # here: only a new database needs it

        try:
            init_database(engine, get_settings().data_dir)
        except SeedError as e:
            _fail(e.problems, 2)
        return engine
    with engine.connect() as connection:
        tersimpan = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    terbaru = max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    if tersimpan is None or tersimpan < terbaru:
        _fail([f"skema basis data ({tersimpan or 'kosong'}) lebih lama dari versi Kinerja ini ({terbaru}); "
               "jalankan `kinerja init` dulu untuk memperbaruinya (data yang ada tetap utuh)"], 2)
    if tersimpan > terbaru:
        _fail([f"basis data ini dibuat oleh versi Kinerja yang lebih baru (skema {tersimpan}, versi ini {terbaru}); "
               "perbarui aplikasi Kinerja dulu"], 2)
    return engine


@dataclass(frozen=True)
class _Konteks:
    """The database, office and year a command works on; `draf` when the year is only a draft."""

    engine: Engine
    office: Instansi
    tahun: int
    draf: bool

    def session(self) -> Session:
        """Open a read session that sees this year even when it is only a draft."""
        session = new_session(self.engine)
        return tampilkan_draf(session) if self.draf else session


@contextmanager
def _context(instansi: str | None, tahun: int | None, baca: bool = False) -> Iterator[_Konteks]:
    """Open the database and resolve the office and year, failing with a clear message.

    The default year is the newest published one. A read command (`baca`) may name a draft
    year: it is shown as the draft, with a note on stderr.
    """
    engine = _engine()
    with new_session(engine) as session:
        try:
            office = get_instansi(session, instansi)
        except NotFound as e:
            _fail([str(e)], 2)
        terbit = list_tahun(session, office.id)
        semua = list_tahun(session, office.id, draf=True)
    if tahun is None:
        if not terbit:
            _fail([f"belum ada perjanjian kinerja yang terbit untuk {office.nama}; sebutkan --tahun"], 2)
        tahun = terbit[0]
    draf = tahun not in terbit and tahun in semua
    if tahun not in semua or (draf and not baca):
        extra = "; terbitkan dulu di aplikasi (Versi & tahun baru)" if draf else ""
        _fail([f"tidak ada perjanjian kinerja terbit tahun {tahun} untuk {office.nama}{extra}"], 2)
    if draf:
        typer.echo(f"Catatan: PK {tahun} masih draf (belum terbit).", err=True)
    try:
        yield _Konteks(engine, office, tahun, draf)
    except ValidationError as e:
        _fail(e.problems)


def _check_format(fmt: str) -> None:
    if fmt != "csv":
        _fail([f"format '{fmt}' tidak dikenal; gunakan csv"], 2)


def number(value: object) -> str:
    """Write a number with a '.' decimal point and at least 2 decimals; empty for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return str(value)
    d = Decimal(value).quantize(Decimal("0.0001"))
    text = f"{d:f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _write_csv(columns: list[str], rows: list[dict[str, object]]) -> None:
    """Write rows as CSV to stdout: numbers with a '.' point, text never a spreadsheet formula."""
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: number(v) if isinstance(v, Decimal) else netral(v) if isinstance(v, str) else v
                         for k, v in row.items()})


def _periksa_out(out: Path, jenis: tuple[str, ...] | None) -> None:
    """Refuse an output path whose extension is not the format's, or that is a folder, before any work."""
    if jenis is not None and out.suffix.lower() not in jenis:
        _fail([f"{out}: jenis berkas '{out.suffix or '(tanpa akhiran)'}' tidak cocok; gunakan {' atau '.join(jenis)}"],
              2)
    if out.is_dir():
        _fail([f"{out}: itu sebuah folder; sebutkan nama berkasnya"], 2)
    if not out.parent.is_dir():
        _fail([f"{out}: folder {out.parent} tidak ada"], 2)


def tulis_berkas(files: dict[Path, bytes | Path], timpa: bool = False) -> None:
    """Write files whole: every target is checked before any is written, each goes to a temporary file
    in its own folder and is renamed into place, and an existing file is replaced only with `timpa`.

    A value is the content, or a finished file elsewhere whose content is copied (a backup too big to hold)."""
    ada = [p for p in files if p.exists() or p.is_symlink()]
    folders = [p for p in ada if p.is_dir()]
    if folders:
        _fail([f"{p}: itu sebuah folder; sebutkan nama berkasnya" for p in folders], 2)
    if ada and not timpa:
        _fail([f"{p}: berkas sudah ada; tidak ditimpa (tambahkan --timpa untuk menimpanya)" for p in ada], 2)
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
                _fail([f"{path}: tidak dapat ditulis ({_alasan_os(e)}); tidak ada berkas yang ditulis"])
        for tmp, path in temps:
            try:
                os.replace(tmp, path)
            except OSError as e:
                if not timpa:  # the files placed so far are new: take them back, so it is all or nothing
                    for done in placed:
                        with suppress(OSError):
                            done.unlink()
                _fail([f"{path}: tidak dapat ditulis ({_alasan_os(e)})"])
            placed.append(path)
    finally:
        for tmp, _ in temps:
            with suppress(FileNotFoundError):
                os.unlink(tmp)


def _tulis(files: dict[Path, bytes | Path], timpa: bool) -> None:
    tulis_berkas(files, timpa)
    for path in files:
        typer.echo(f"Ditulis: {path}")


@contextmanager
def _berkas_csv(file: Path) -> Iterator[None]:
    """Name the file when the csv module cannot read it (a field over its limit, a NUL, a broken quote)."""
    try:
        yield
    except csv.Error as e:
        raise ValidationError([f"{file.name}: {_alasan_csv(e)}"]) from None


@app.command()
def init() -> None:
    """Buat atau migrasikan basis data dan muat data PK dari folder data/ (aman diulang)."""
    from kinerja.simpan.seed import SeedError, init_database  # here: the other commands need not load it

    try:
        done = init_database(get_engine(), get_settings().data_dir)
    except SeedError as e:
        _fail(e.problems, 2)
    for line in done:
        typer.echo(line)
    typer.echo(f"Basis data siap: {get_engine().url.render_as_string(hide_password=True)}")


@app.command()
def indikator(tahun: Tahun = None, format: Format = "csv", instansi: InstansiOpt = None) -> None:
    """Daftar indikator: satu baris per indikator per perjanjian."""
    _check_format(format)
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        _write_csv(INDIKATOR_COLUMNS, indikator_rows(load_data_tahun(session, k.office, k.tahun)))


@app.command()
def anggaran(tahun: Tahun = None, format: Format = "csv", instansi: InstansiOpt = None) -> None:
    """Pohon anggaran: program, kegiatan dan sub kegiatan dengan pagunya."""
    _check_format(format)
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        _write_csv(ANGGARAN_COLUMNS, anggaran_rows(load_data_tahun(session, k.office, k.tahun)))


@app.command()
def template(
    out: Annotated[Path, typer.Option(help="Berkas keluaran .xlsx.")],
    tahun: Tahun = None,
    unit: Annotated[
        list[str] | None, typer.Option(metavar="KODE", help="Kode unit (boleh diulang; bawaan: semua unit).")
    ] = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Templat Excel pengisian realisasi: satu lembar per unit, satu kolom per bulan."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.templat_buat import build_template
    _periksa_out(out, (".xlsx",))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        data = build_template(session, k.office, k.tahun, unit)
    tulis_berkas({out: data}, timpa)
    typer.echo(f"Templat realisasi {k.tahun} ditulis ke {out}.")


FileArg = Annotated[Path, typer.Argument(help="Berkas CSV.")]


@import_app.command("realisasi")
def import_realisasi(
    file: Annotated[Path, typer.Argument(help="Berkas CSV, atau templat .xlsx dari `kinerja template`.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    oleh: Oleh = None,
    yakin: Annotated[bool, typer.Option(
        "--yakin", help="Simpan juga angka di luar batas wajar indikatornya (setelah Anda memeriksanya).")] = False,
) -> None:
    """Impor realisasi bulanan: CSV kode,bulan,nilai,pembilang,penyebut,keterangan, atau templat XLSX."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import parse_realisasi_csv, read_file
    from kinerja.dokumen.templat_analisis import parse_analisis_template, preview_analisis
    from kinerja.dokumen.templat_baca import parse_template, preview_changes
    from kinerja.simpan.analisis import save_templat
    nama = _oleh(oleh)
    analisis: dict = {}  # the template's "Analisis <unit>" sheets, per triwulan
    with _context(instansi, tahun) as k:
        if file.suffix.lower() == ".xlsx":
            with new_session(k.engine) as session:
                entries = parse_template(read_file(file), session, k.office, k.tahun, None, name=file.name)
                for c in preview_changes(session, k.office, k.tahun, entries):
                    typer.echo(f"{c['kode']} {c['bulan']}: {c['lama'] or '-'} -> {c['baru']}")
                analisis = parse_analisis_template(read_file(file), session, k.office, k.tahun, name=file.name)
                for c in preview_analisis(session, k.office, k.tahun, analisis):
                    typer.echo(f"{c['kode']} {c['bulan']}: {c['lama'] or '-'} -> {c['baru']}")
        else:
            with _berkas_csv(file):
                entries = parse_realisasi_csv(read_file(file), file.name)
        try:
            if analisis:  # the months and the analyses of a template: all of it or nothing
                written, dianalisis = save_templat(k.engine, instansi_id=k.office.id, tahun=k.tahun,
                                                   realisasi=entries, analisis=analisis, oleh=nama, yakin=yakin)
            else:
                written = save_realisasi(k.engine, instansi_id=k.office.id, tahun=k.tahun, entries=entries,
                                         oleh=nama, yakin=yakin)
        except PerluKonfirmasi as e:
            _fail([*e.problems, "Tidak disimpan: jalankan lagi dengan --yakin bila angka ini benar."])
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan disimpan untuk tahun {k.tahun}.")
        if analisis:
            typer.echo(f"{dianalisis} analisis triwulan disimpan.")


@import_app.command("anggaran")
def import_anggaran(file: FileArg, tahun: Tahun = None, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Impor realisasi anggaran bulanan per sub kegiatan: kolom kode,bulan,realisasi (Rupiah)."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import parse_anggaran_csv, read_file
    nama = _oleh(oleh)
    with _context(instansi, tahun) as k:
        with _berkas_csv(file):
            entries = parse_anggaran_csv(read_file(file), file.name)
        written = save_realisasi_anggaran(k.engine, instansi_id=k.office.id, tahun=k.tahun, entries=entries,
                                          oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan disimpan untuk tahun {k.tahun}.")


@import_app.command("anggaran-kas")
def import_anggaran_kas(file: FileArg, tahun: Tahun = None, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Impor anggaran kas (rencana belanja bulanan) per sub kegiatan: kolom kode,bulan,rencana (Rupiah)."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.impor_kas import parse_anggaran_kas_csv
    nama = _oleh(oleh)
    with _context(instansi, tahun) as k:
        with _berkas_csv(file):
            entries = parse_anggaran_kas_csv(read_file(file), file.name)
        written = save_anggaran_kas(k.engine, instansi_id=k.office.id, tahun=k.tahun, entries=entries, oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan anggaran kas disimpan untuk tahun {k.tahun}.")


@contextmanager
def _instansi_saja(instansi: str | None) -> Iterator[tuple[Engine, Instansi]]:
    """Open the database and resolve the office, for commands that are about no single PK year."""
    engine = _engine()
    with new_session(engine) as session:
        try:
            office = get_instansi(session, instansi)
        except NotFound as e:
            _fail([str(e)], 2)
    try:
        yield engine, office
    except ValidationError as e:
        _fail(e.problems)


@import_app.command("riwayat")
def import_riwayat(file: FileArg, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Impor realisasi tahun-tahun sebelum aplikasi: kolom kode,tahun,realisasi,capaian,sumber."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.impor_riwayat import parse_riwayat_csv
    nama = _oleh(oleh)
    with _instansi_saja(instansi) as (engine, office):
        with _berkas_csv(file):
            entries = parse_riwayat_csv(read_file(file), file.name)
        written = simpan_riwayat(engine, instansi_id=office.id, entries=entries, oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} baris riwayat disimpan.")


Periode = Annotated[int | None, typer.Option(help="Tahun awal / akhir periode Renstra (isi keduanya).")]


@import_app.command("renstra")
def import_renstra(
    file: FileArg, awal: Periode = None, akhir: Periode = None, instansi: InstansiOpt = None, oleh: Oleh = None
) -> None:
    """Impor target Renstra per tahun: kolom kode,tahun,target (dengan --awal/--akhir: atur juga periodenya)."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.impor_riwayat import parse_renstra_csv
    nama = _oleh(oleh)
    if (awal is None) != (akhir is None):
        _fail(["--awal dan --akhir harus diisi keduanya"], 2)
    with _instansi_saja(instansi) as (engine, office):
        with _berkas_csv(file):
            entries = parse_renstra_csv(read_file(file), file.name)
        periode = (awal, akhir) if awal is not None and akhir is not None else None
        written = simpan_target_renstra(engine, instansi_id=office.id, entries=entries, periode=periode, oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} target Renstra disimpan.")


@app.command()
def renstra(awal: Periode = None, akhir: Periode = None, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Tampilkan atau atur periode Renstra instansi (mis. --awal 2021 --akhir 2026)."""
    with _instansi_saja(instansi) as (engine, office):
        if awal is not None or akhir is not None:
            changed = simpan_periode_renstra(engine, instansi_id=office.id, awal=awal, akhir=akhir, oleh=_oleh(oleh))
            office.renstra_awal, office.renstra_akhir = awal, akhir
            typer.echo("Periode Renstra disimpan." if changed else "Periode Renstra tidak berubah.")
        if office.renstra_awal is None:
            typer.echo(f"{office.nama}: periode Renstra belum diatur.")
        else:
            typer.echo(f"{office.nama}: periode Renstra {office.renstra_awal}-{office.renstra_akhir}.")


@import_app.command("ikm")
def import_ikm(
    file: FileArg,
    tahun: Annotated[int, typer.Option(help="Tahun survei.")],
    bulan: Annotated[int, typer.Option(help="Bulan survei (1-12): bulan realisasi IKM.")],
    instansi: InstansiOpt = None,
    oleh: Oleh = None,
) -> None:
    """Impor jawaban survei kepuasan (SKM): satu responden per baris, kolom u1..u9 berisi 1-4."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import parse_ikm_csv, read_file
    nama = _oleh(oleh)
    with _context(instansi, tahun) as k:
        with _berkas_csv(file):
            answers = parse_ikm_csv(read_file(file), file.name)
        hasil = save_survei_ikm(k.engine, instansi_id=k.office.id, tahun=k.tahun, bulan=bulan, answers=answers,
                                judul=file.name, oleh=nama)
        for i, (nama_unsur, nrr) in enumerate(zip(UNSUR, hasil.nrr, strict=True), start=1):
            typer.echo(f"U{i} {nama_unsur}: NRR {format_angka(Decimal(nrr.numerator) / nrr.denominator, 2, 4) or '-'}"
                       if nrr else f"U{i} {nama_unsur}: NRR -")
        mutu, kinerja = hasil.mutu or ("", "")
        typer.echo(f"Responden: {hasil.responden}")
        typer.echo(f"IKM: {format_angka(hasil.nilai, 2, 4)}")
        typer.echo(f"Mutu pelayanan: {mutu} ({kinerja})")


@export_app.command("capaian")
def export_capaian(
    tahun: Tahun = None,
    triwulan: Annotated[int, typer.Option(min=1, max=4, help="Capaian s.d. triwulan (1-4).")] = 4,
    format: Format = "csv",
    instansi: InstansiOpt = None,
    hanya_disahkan: HanyaDisahkan = False,
) -> None:
    """Capaian s.d. triwulan: satu baris per indikator per perjanjian."""
    _check_format(format)
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        _write_csv(CAPAIAN_COLUMNS, compute_capaian_tahun(session, k.office, k.tahun, triwulan, hanya_disahkan).rows())


@import_app.command("pk")
def import_pk(
    file: Annotated[Path, typer.Argument(help="Berkas XLSX berformat folder data/.")],
    oleh: Oleh = None,
    instansi_baru: Annotated[bool, typer.Option(
        "--instansi-baru", help="Buat instansi baru bila kode instansi di lembar info belum ada.")] = False,
) -> None:
    """Impor Perjanjian Kinerja satu tahun dari XLSX (lembar info, unit, pejabat, perjanjian, anggaran,
    indikator, penjelasan) sebagai draf; terbitkan di aplikasi."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.pk_xlsx import import_pk_xlsx
    nama = _oleh(oleh)
    engine = _engine()
    try:
        typer.echo(import_pk_xlsx(engine, read_file(file), file.name, oleh=nama, instansi_baru=instansi_baru))
    except ValidationError as e:
        _fail(e.problems)


@export_app.command("pk")
def export_pk(
    out: Annotated[Path, typer.Option(help="Berkas XLSX keluaran.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Perjanjian Kinerja satu tahun sebagai XLSX berformat folder data/ (untuk disalin dan diisi)."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.pk_xlsx import export_pk_xlsx
    _periksa_out(out, (".xlsx",))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        data = export_pk_xlsx(session, versi_berlaku(session, k.office.id, k.tahun, 12))
    _tulis({out: data}, timpa)


@export_app.command("lkjip")
def export_lkjip(
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .xlsx, .docx atau .csv.")],
    tahun: Tahun = None,
    triwulan: Annotated[int, typer.Option(min=1, max=4, help="Data s.d. triwulan (4 = tahunan).")] = 4,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
    hanya_disahkan: HanyaDisahkan = False,
) -> None:
    """LKjIP: DOCX = draf laporan lengkap (Bab I-IV dan lampiran); XLSX atau CSV = tabel-tabelnya.

    CSV menulis satu berkas per tabel: NAMA.csv, NAMA-anggaran.csv dan NAMA-efisiensi.csv."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.ekspor import write_lkjip
    from kinerja.dokumen.lkjip import build_lkjip
    from kinerja.dokumen.lkjip_docx import build_lkjip_docx
    from kinerja.dokumen.lkjip_isi import load_isi_lkjip
    _periksa_out(out, (".xlsx", ".docx", ".csv"))
    if out.suffix.lower() == ".docx":
        with _context(instansi, tahun, baca=True) as k, k.session() as session:
            isi = load_isi_lkjip(session, k.office, k.tahun, triwulan, date.today(), hanya_disahkan)
        _tulis({out: build_lkjip_docx(isi)}, timpa)
        return
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        laporan = build_lkjip(session, k.office, k.tahun, triwulan, date.today(), hanya_disahkan)
    # write_lkjip names the files (one per table for CSV); render them aside, then put all in place or none.
    with tempfile.TemporaryDirectory(prefix="kinerja-") as tmp:
        files = {out.parent / p.name: p.read_bytes() for p in write_lkjip(laporan, Path(tmp) / out.name)}
    _tulis(files, timpa)


TriwulanOpt = Annotated[int, typer.Option(min=1, max=4, help="Triwulan yang dievaluasi (1-4).")]


@export_app.command("renja")
def export_renja(
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .xlsx atau .docx.")],
    triwulan: TriwulanOpt,
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
    hanya_disahkan: HanyaDisahkan = False,
) -> None:
    """Evaluasi Renja per triwulan (Permendagri 86/2017): program, kegiatan dan sub kegiatan, K dan Rp."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.renja import build_renja_docx, build_renja_xlsx
    _periksa_out(out, (".xlsx", ".docx"))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        build = build_renja_xlsx if out.suffix.lower() == ".xlsx" else build_renja_docx
        data = build(session, k.office, k.tahun, triwulan, hanya_disahkan)
    _tulis({out: data}, timpa)


@export_app.command("triwulan")
def export_triwulan(
    out: Annotated[Path, typer.Option(help="Berkas keluaran .docx.")],
    triwulan: TriwulanOpt,
    tahun: Tahun = None,
    unit: Annotated[str | None, typer.Option(
        metavar="KODE", help="Kode unit (bawaan: laporan kecamatan, unit di bawah sasaran Camat).")] = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
    hanya_disahkan: HanyaDisahkan = False,
) -> None:
    """Laporan kinerja triwulan satu unit, atau kecamatan, untuk dialog kinerja (DOCX)."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.laporan_triwulan import build_laporan_triwulan_docx
    _periksa_out(out, (".docx",))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        try:
            data = build_laporan_triwulan_docx(session, k.office, k.tahun, triwulan, unit, hanya_disahkan)
        except NotFound as e:
            _fail([str(e)], 2)
    _tulis({out: data}, timpa)


@export_app.command("manual-iku")
def export_manual_iku(
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .docx atau .xlsx.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Manual IKU: definisi, formula, sumber data, pelapor, waktu dan cara menghitung capaian tiap indikator."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.manual_iku import build_manual_iku_docx, build_manual_iku_xlsx
    _periksa_out(out, (".docx", ".xlsx"))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        build = build_manual_iku_xlsx if out.suffix.lower() == ".xlsx" else build_manual_iku_docx
        data = build(session, k.office, k.tahun)
    _tulis({out: data}, timpa)


@app.command("cetak-pk")
def cetak_pk(
    unit: Annotated[str, typer.Option(help="Kode unit, mis. CAMAT atau PERENCANAAN.")],
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .docx, atau .pdf bila LibreOffice terpasang.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Dokumen Perjanjian Kinerja satu unit, siap cetak dan tanda tangan (DOCX atau PDF)."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.dokumen_pk import build_pk_docx, load_isi_pk
    from kinerja.dokumen.word import PdfUnavailable, ke_pdf
    _periksa_out(out, (".docx", ".pdf"))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        try:
            isi = load_isi_pk(session, versi_berlaku(session, k.office.id, k.tahun, 12), unit)
        except NotFound as e:
            _fail([str(e)], 2)
    data = build_pk_docx(isi)
    if out.suffix.lower() == ".pdf":
        try:
            data = ke_pdf(data)
        except PdfUnavailable as e:
            _fail([str(e)], 2)
    _tulis({out: data}, timpa)


# --- backups, the audit trail, the evidence pack -----------------------------------------------


def _sqlite_file(engine: Engine) -> Path | None:
    url = make_url(str(engine.url))
    return Path(url.database) if url.drivername.startswith("sqlite") and url.database else None


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _live_database() -> Engine:
    """Return the engine of an existing Kinerja database, without migrating or loading anything into it."""
    engine = get_engine()
    path = _sqlite_file(engine)
    if path is not None and not path.is_file():
        _fail([f"basis data {path} tidak ada; tidak ada yang dicadangkan"], 2)
    if not has_schema(engine):
        _fail(["basis data ini belum berisi data Kinerja (jalankan `kinerja init`); tidak ada yang dicadangkan"], 2)
    return engine


@app.command()
def backup(
    out: Annotated[Path, typer.Argument(help="Berkas cadangan (SQLite: salinan basis data; PostgreSQL: pg_dump).")],
    timpa: Timpa = False,
) -> None:
    """Cadangkan seluruh basis data ke satu berkas; aman dijalankan selagi aplikasi dipakai."""
    _periksa_out(out, None)
    if (out.exists() or out.is_symlink()) and not timpa:  # before a dump that may take minutes
        _fail([f"{out}: berkas sudah ada; tidak ditimpa (tambahkan --timpa untuk menimpanya)"], 2)
    engine = _live_database()
    live = _sqlite_file(engine)
    if live is not None and any(_same_file(out, Path(f"{live}{akhir}")) for akhir in ("", "-wal", "-shm")):
        _fail([f"{out}: itu berkas basis data yang sedang dipakai; tulis cadangan ke berkas lain"], 2)
    with tempfile.TemporaryDirectory(prefix=".kinerja-", dir=out.parent) as tmp:
        try:
            salinan = backup_database(engine, Path(tmp) / "cadangan")
        except CadanganError as e:
            _fail([str(e)])
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


def _periksa_cadangan(engine: Engine, berkas: Path) -> None:
    """Refuse a file that is no backup, or one of the other database kind, before check_backup reads it."""
    if not berkas.is_file():
        _fail([f"{berkas}: {'itu sebuah folder, bukan berkas' if berkas.is_dir() else 'berkas tidak ada'}; "
               "basis data tidak diubah"])
    with berkas.open("rb") as f:
        awal = f.read(16)
    jenis = next((j for tanda, j in _TANDA.items() if awal.startswith(tanda)), None)
    if jenis is None:
        _fail([f"{berkas}: bukan berkas cadangan dari `kinerja backup`; basis data tidak diubah"])
    if jenis != engine.dialect.name:
        _fail([f"{berkas}: cadangan basis data {_NAMA_DB[jenis]}, sedangkan basis data ini "
               f"{_NAMA_DB.get(engine.dialect.name, engine.dialect.name)}; basis data tidak diubah"])
    live = _sqlite_file(engine)
    if live is not None and live.exists() and _same_file(berkas, live):
        _fail([f"{berkas}: itu berkas basis data yang sedang dipakai, bukan cadangannya"])
    try:
        check_backup(engine, berkas)
    except CadanganError as e:
        _fail([f"{e}; basis data tidak diubah"])


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="Berkas cadangan dari `kinerja backup`.")],
    yakin: Annotated[bool, typer.Option(
        "--yakin", help="Pulihkan tanpa bertanya dulu (isian sesudah cadangan dibuat akan hilang).")] = False,
) -> None:
    """Pulihkan basis data dari berkas cadangan: seluruh isinya diganti isi cadangan itu."""
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
            _fail(["Dibatalkan; basis data tidak diubah."])
    try:
        restore_database(engine, file)
    except CadanganError as e:
        _fail([f"{e}; basis data tidak diubah"])
    typer.echo(f"Basis data {nama} dipulihkan dari {file}.")


@app.command()
def audit(
    tahun: Tahun = None,
    format: Format = "csv",
    oleh: Annotated[str | None, typer.Option(
        "--oleh", metavar="NAMA", help="Hanya perubahan oleh nama ini, persis seperti tercatat.")] = None,
    tabel: Annotated[str | None, typer.Option(
        metavar="TABEL", help="Hanya perubahan pada data ini, mis. realisasi, realisasi_anggaran, target.")] = None,
    out: Annotated[Path | None, typer.Option(help="Tulis ke berkas .csv (bawaan: ke layar).")] = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Riwayat perubahan satu tahun: waktu,pengguna,aksi,tabel,kunci,sebelum,sesudah,alasan."""
    _check_format(format)
    if out is not None:
        _periksa_out(out, (".csv",))
    with _context(instansi, tahun, baca=True) as k, k.session() as session:
        if tabel is not None:
            dikenal = set(TABEL_LABEL) | set(session.exec(
                select(Jejak.tabel).where(Jejak.instansi_id == k.office.id).distinct()))
            if tabel not in dikenal:
                _fail([f"tabel '{tabel[:40]}' tidak dikenal; pilih salah satu: {', '.join(sorted(dikenal))}"], 2)
        rows = list_jejak_tahun(session, k.office.id, k.tahun, oleh=oleh, tabel=tabel)
    data = export_jejak_csv(rows)
    if out is None:
        typer.echo(data.decode("utf-8-sig"), nl=False)
    else:
        tulis_berkas({out: data}, timpa)
        typer.echo(f"{len(rows)} baris riwayat perubahan {k.tahun} ditulis ke {out}.")


@export_app.command("bukti")
def export_bukti(
    out: Annotated[Path, typer.Option(help="Berkas ZIP keluaran.")],
    tahun: Tahun = None,
    unit: Annotated[str | None, typer.Option(metavar="KODE", help="Hanya bukti unit ini (bawaan: semua unit).")] = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Paket bukti dukung satu tahun (ZIP): folder per unit, bulan dan indikator, dengan indeks.csv."""
    _periksa_out(out, (".zip",))
    folder = get_settings().bukti_dir
    with _context(instansi, tahun, baca=True) as k:
        try:
            data = export_bukti_zip(k.engine, folder=folder, instansi_id=k.office.id, tahun=k.tahun, unit_kode=unit)
        except FileNotFoundError as e:
            _fail([f"berkas bukti {Path(e.filename or '').name} tidak ada di folder {folder} (periksa "
                   "KINERJA_BUKTI_DIR); tidak ada yang ditulis"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        jumlah = sum(1 for name in z.namelist() if name != "indeks.csv")
    tulis_berkas({out: data}, timpa)
    typer.echo(f"{jumlah} berkas bukti dukung {k.tahun} ditulis ke {out}.")


@export_app.command("paket-sakip")
def export_paket_sakip(
    out: Annotated[Path, typer.Option(help="Berkas ZIP keluaran.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Sertakan PDF draf LKjIP dan SOP (perlu LibreOffice).")] = False,
    timpa: Timpa = False,
    hanya_disahkan: HanyaDisahkan = False,
) -> None:
    """Paket bukti dukung evaluasi SAKIP (ZIP): satu folder per kriteria Pengukuran Kinerja, dengan indeks."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.dokumen.paket import INDEKS as INDEKS_PAKET
    from kinerja.dokumen.paket import KRITERIA, build_paket_sakip
    from kinerja.dokumen.word import PdfUnavailable
    _periksa_out(out, (".zip",))
    folder = get_settings().bukti_dir
    with _context(instansi, tahun, baca=True) as k:
        try:
            data = build_paket_sakip(k.engine, instansi_id=k.office.id, tahun=k.tahun, folder_bukti=folder,
                                     dicetak=date.today(), pdf=pdf, hanya_disahkan=hanya_disahkan)
        except FileNotFoundError as e:
            _fail([f"berkas bukti {Path(e.filename or '').name} tidak ada di folder {folder} (periksa "
                   "KINERJA_BUKTI_DIR); tidak ada yang ditulis"])
        except PdfUnavailable as e:
            _fail([str(e)], 2)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        jumlah = sum(1 for name in z.namelist() if name not in INDEKS_PAKET)
    tulis_berkas({out: data}, timpa)
    typer.echo(f"Paket bukti dukung {k.tahun}: {jumlah} berkas dalam {len(KRITERIA)} folder kriteria, "
               f"ditulis ke {out}.")


@app.command()
def demo(
    url: Annotated[str | None, typer.Option(help="Basis data demo (bawaan: KINERJA_DEMO_DATABASE_URL).")] = None,
) -> None:
    """Buat basis data DEMO terpisah berisi contoh realisasi setahun, untuk mencoba dan melatih."""
    # Imported here, not at the top: `kinerja --help` and the other commands need not load them (issue 13).
    from kinerja.demo import DemoError, create_demo
    from kinerja.simpan.seed import SeedError
    settings = get_settings()
    target = url or settings.demo_database_url
    try:
        create_demo(target, settings.database_url, settings.data_dir)
    except (DemoError, SeedError, ValidationError) as e:
        _fail(getattr(e, "problems", [str(e)]), 2)
    typer.echo(f"Basis data demo dibuat: {target}")
    typer.echo(f"Jalankan aplikasi demo: KINERJA_DATABASE_URL={target} streamlit run dashboard.py")


if __name__ == "__main__":
    app()
