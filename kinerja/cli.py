"""The `kinerja` command line. Command names and CSV columns are a contract: keep them stable."""

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from kinerja.config import get_settings
from kinerja.db import get_engine, new_session
from kinerja.demo import DemoError, create_demo
from kinerja.dokumen_pk import PdfUnavailable, build_pk_docx, docx_to_pdf, load_isi_pk
from kinerja.ekspor import write_lkjip
from kinerja.errors import ValidationError
from kinerja.ikm import UNSUR
from kinerja.impor import parse_anggaran_csv, parse_ikm_csv, parse_realisasi_csv, read_file
from kinerja.laporan import (
    ANGGARAN_COLUMNS,
    CAPAIAN_COLUMNS,
    INDIKATOR_COLUMNS,
    anggaran_rows,
    compute_capaian_tahun,
    indikator_rows,
)
from kinerja.lkjip import build_lkjip
from kinerja.models import Instansi
from kinerja.penilaian import save_survei_ikm
from kinerja.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.queries import NotFound, get_instansi, list_tahun, load_tahunan, versi_berlaku
from kinerja.realisasi import save_realisasi, save_realisasi_anggaran
from kinerja.seed import SeedError, init_database
from kinerja.template import build_template, parse_template, preview_changes

app = typer.Typer(help="Kinerja: Perjanjian Kinerja, realisasi dan capaian.", no_args_is_help=True)
import_app = typer.Typer(help="Impor realisasi, realisasi anggaran atau survei IKM dari berkas CSV.")
export_app = typer.Typer(help="Ekspor capaian kinerja.")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

Tahun = Annotated[int | None, typer.Option(help="Tahun perjanjian kinerja (bawaan: tahun terbaru).")]
InstansiOpt = Annotated[str | None, typer.Option(help="Kode instansi (wajib bila ada lebih dari satu).")]
Format = Annotated[str, typer.Option("--format", help="Format keluaran: csv.")]


def _fail(problems: list[str], code: int = 1) -> None:
    for p in problems:
        typer.echo(p, err=True)
    raise typer.Exit(code)


def _engine() -> Engine:
    engine = get_engine()
    try:
        init_database(engine, get_settings().data_dir)
    except SeedError as e:
        _fail(e.problems, 2)
    return engine


@contextmanager
def _context(instansi: str | None, tahun: int | None) -> Iterator[tuple[Engine, Instansi, int]]:
    """Open the database and resolve the office and year, failing with a clear message."""
    engine = _engine()
    with new_session(engine) as session:
        try:
            office = get_instansi(session, instansi)
            years = list_tahun(session, office.id)
        except NotFound as e:
            _fail([str(e)], 2)
    if tahun is None:
        tahun = years[0] if years else None
    if tahun not in years:
        _fail([f"tidak ada perjanjian kinerja tahun {tahun} untuk {office.nama}"], 2)
    try:
        yield engine, office, tahun
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
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: number(v) if isinstance(v, Decimal) else v for k, v in row.items()})


@app.command()
def init() -> None:
    """Buat atau migrasikan basis data dan muat data PK dari folder data/ (aman diulang)."""
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
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        _write_csv(INDIKATOR_COLUMNS, indikator_rows(load_tahunan(session, office, year)))


@app.command()
def anggaran(tahun: Tahun = None, format: Format = "csv", instansi: InstansiOpt = None) -> None:
    """Pohon anggaran: program, kegiatan dan sub kegiatan dengan pagunya."""
    _check_format(format)
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        _write_csv(ANGGARAN_COLUMNS, anggaran_rows(load_tahunan(session, office, year)))


@app.command()
def template(
    out: Annotated[Path, typer.Option(help="Berkas keluaran .xlsx.")],
    tahun: Tahun = None,
    unit: Annotated[
        list[str] | None, typer.Option(metavar="KODE", help="Kode unit (boleh diulang; bawaan: semua unit).")
    ] = None,
    instansi: InstansiOpt = None,
) -> None:
    """Templat Excel pengisian realisasi: satu lembar per unit, satu kolom per bulan."""
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        out.write_bytes(build_template(session, office, year, unit))
        typer.echo(f"Templat realisasi {year} ditulis ke {out}.")


FileArg = Annotated[Path, typer.Argument(help="Berkas CSV.")]


@import_app.command("realisasi")
def import_realisasi(
    file: Annotated[Path, typer.Argument(help="Berkas CSV, atau templat .xlsx dari `kinerja template`.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
) -> None:
    """Impor realisasi bulanan: CSV kode,bulan,nilai,pembilang,penyebut,keterangan, atau templat XLSX."""
    with _context(instansi, tahun) as (engine, office, year):
        if file.suffix.lower() == ".xlsx":
            with new_session(engine) as session:
                entries = parse_template(read_file(file), session, office, year, None, name=file.name)
                for c in preview_changes(session, office, year, entries):
                    typer.echo(f"{c['kode']} {c['bulan']}: {c['lama'] or '-'} -> {c['baru']}")
        else:
            entries = parse_realisasi_csv(read_file(file), file.name)
        written = save_realisasi(engine, instansi_id=office.id, tahun=year, entries=entries, oleh="cli")
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan disimpan untuk tahun {year}.")


@import_app.command("anggaran")
def import_anggaran(file: FileArg, tahun: Tahun = None, instansi: InstansiOpt = None) -> None:
    """Impor realisasi anggaran bulanan per sub kegiatan: kolom kode,bulan,realisasi (Rupiah)."""
    with _context(instansi, tahun) as (engine, office, year):
        entries = parse_anggaran_csv(read_file(file), file.name)
        written = save_realisasi_anggaran(engine, instansi_id=office.id, tahun=year, entries=entries)
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan disimpan untuk tahun {year}.")


@import_app.command("ikm")
def import_ikm(
    file: FileArg,
    tahun: Annotated[int, typer.Option(help="Tahun survei.")],
    bulan: Annotated[int, typer.Option(help="Bulan survei (1-12): bulan realisasi IKM.")],
    instansi: InstansiOpt = None,
) -> None:
    """Impor jawaban survei kepuasan (SKM): satu responden per baris, kolom u1..u9 berisi 1-4."""
    with _context(instansi, tahun) as (engine, office, year):
        answers = parse_ikm_csv(read_file(file), file.name)
        hasil = save_survei_ikm(engine, instansi_id=office.id, tahun=year, bulan=bulan, answers=answers,
                                judul=file.name)
        for i, (nama, nrr) in enumerate(zip(UNSUR, hasil.nrr, strict=True), start=1):
            typer.echo(f"U{i} {nama}: NRR {number(Decimal(nrr.numerator) / nrr.denominator) if nrr else '-'}")
        mutu, kinerja = hasil.mutu or ("", "")
        typer.echo(f"Responden: {hasil.responden}")
        typer.echo(f"IKM: {number(hasil.nilai)}")
        typer.echo(f"Mutu pelayanan: {mutu} ({kinerja})")


@export_app.command("capaian")
def export_capaian(
    tahun: Tahun = None,
    triwulan: Annotated[int, typer.Option(min=1, max=4, help="Capaian s.d. triwulan (1-4).")] = 4,
    format: Format = "csv",
    instansi: InstansiOpt = None,
) -> None:
    """Capaian s.d. triwulan: satu baris per indikator per perjanjian."""
    _check_format(format)
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        _write_csv(CAPAIAN_COLUMNS, compute_capaian_tahun(session, office, year, triwulan).rows())


@import_app.command("pk")
def import_pk(file: Annotated[Path, typer.Argument(help="Berkas XLSX berformat folder data/.")]) -> None:
    """Impor Perjanjian Kinerja satu tahun dari XLSX (lembar info, unit, pejabat, perjanjian, anggaran,
    indikator, penjelasan) sebagai draf; terbitkan di aplikasi."""
    engine = _engine()
    try:
        typer.echo(import_pk_xlsx(engine, read_file(file), file.name))
    except ValidationError as e:
        _fail(e.problems)


@export_app.command("pk")
def export_pk(
    out: Annotated[Path, typer.Option(help="Berkas XLSX keluaran.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
) -> None:
    """Perjanjian Kinerja satu tahun sebagai XLSX berformat folder data/ (untuk disalin dan diisi)."""
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        out.write_bytes(export_pk_xlsx(session, versi_berlaku(session, office.id, year, 12)))
    typer.echo(f"Ditulis: {out}")


@export_app.command("lkjip")
def export_lkjip(
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .xlsx, .docx atau .csv.")],
    tahun: Tahun = None,
    triwulan: Annotated[int, typer.Option(min=1, max=4, help="Data s.d. triwulan (4 = tahunan).")] = 4,
    instansi: InstansiOpt = None,
) -> None:
    """Tabel LKjIP: pengukuran kinerja, realisasi anggaran dan efisiensi (XLSX, DOCX atau CSV)."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".docx", ".csv"):
        _fail([f"jenis berkas '{suffix or out.name}' tidak dikenal; gunakan .xlsx, .docx atau .csv"], 2)
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        laporan = build_lkjip(session, office, year, triwulan, date.today())
    written = write_lkjip(laporan, out)
    for path in written:
        typer.echo(f"Ditulis: {path}")


@app.command("cetak-pk")
def cetak_pk(
    unit: Annotated[str, typer.Option(help="Kode unit, mis. CAMAT atau PERENCANAAN.")],
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .docx, atau .pdf bila LibreOffice terpasang.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
) -> None:
    """Dokumen Perjanjian Kinerja satu unit, siap cetak dan tanda tangan (DOCX atau PDF)."""
    if out.suffix.lower() not in (".docx", ".pdf"):
        _fail([f"jenis berkas '{out.suffix}' tidak dikenal; gunakan .docx atau .pdf"], 2)
    with _context(instansi, tahun) as (engine, office, year), new_session(engine) as session:
        try:
            isi = load_isi_pk(session, versi_berlaku(session, office.id, year, 12), unit)
        except NotFound as e:
            _fail([str(e)], 2)
    data = build_pk_docx(isi)
    if out.suffix.lower() == ".pdf":
        try:
            data = docx_to_pdf(data)
        except PdfUnavailable as e:
            _fail([str(e)], 2)
    out.write_bytes(data)
    typer.echo(f"Ditulis: {out}")


@app.command()
def demo(
    url: Annotated[str | None, typer.Option(help="Basis data demo (bawaan: KINERJA_DEMO_DATABASE_URL).")] = None,
) -> None:
    """Buat basis data DEMO terpisah berisi contoh realisasi setahun, untuk mencoba dan melatih."""
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
