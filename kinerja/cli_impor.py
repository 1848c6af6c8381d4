"""Commands that read a file and save it: realisasi, budgets, the IKM survey, history, Renstra, a PK year.

Each is one transaction: every row is checked first and nothing is saved while any is wrong. The readers
and the write functions are imported inside each command (issue 13: `kinerja --help` loads none of them).
"""

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli_umum import (
    FileArg,
    InstansiOpt,
    Oleh,
    Tahun,
    berkas_csv,
    buka_engine,
    fail,
    instansi_saja,
    konteks,
    oleh_cli,
)
from kinerja.errors import PerluKonfirmasi, ValidationError

perintah = typer.Typer()  # top-level commands, merged into `kinerja`
import_app = typer.Typer(help="Impor realisasi, realisasi anggaran, survei IKM atau perjanjian kinerja.")

Periode = Annotated[int | None, typer.Option(help="Tahun awal / akhir periode Renstra (isi keduanya).")]


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
    from kinerja.dokumen.impor import parse_realisasi_csv, read_file
    from kinerja.dokumen.templat_analisis import parse_analisis_template, preview_analisis
    from kinerja.dokumen.templat_baca import parse_template, preview_changes
    from kinerja.simpan import realisasi
    from kinerja.simpan.analisis import save_templat
    from kinerja.simpan.db import new_session

    nama = oleh_cli(oleh)
    analisis: dict = {}  # the template's "Analisis <unit>" sheets, per triwulan
    with konteks(instansi, tahun) as k:
        if file.suffix.lower() == ".xlsx":
            with new_session(k.engine) as session:
                entries = parse_template(read_file(file), session, k.office, k.tahun, None, name=file.name)
                for c in preview_changes(session, k.office, k.tahun, entries):
                    typer.echo(f"{c['kode']} {c['bulan']}: {c['lama'] or '-'} -> {c['baru']}")
                analisis = parse_analisis_template(read_file(file), session, k.office, k.tahun, name=file.name)
                for c in preview_analisis(session, k.office, k.tahun, analisis):
                    typer.echo(f"{c['kode']} {c['bulan']}: {c['lama'] or '-'} -> {c['baru']}")
        else:
            with berkas_csv(file):
                entries = parse_realisasi_csv(read_file(file), file.name)
        try:
            if analisis:  # the months and the analyses of a template: all of it or nothing
                written, dianalisis = save_templat(k.engine, instansi_id=k.office.id, tahun=k.tahun,
                                                   realisasi=entries, analisis=analisis, oleh=nama, yakin=yakin)
            else:
                written = realisasi.save_realisasi(k.engine, instansi_id=k.office.id, tahun=k.tahun,
                                                   entries=entries, oleh=nama, yakin=yakin)
        except PerluKonfirmasi as e:
            fail([*e.problems, "Tidak disimpan: jalankan lagi dengan --yakin bila angka ini benar."])
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan disimpan untuk tahun {k.tahun}.")
        if analisis:
            typer.echo(f"{dianalisis} analisis triwulan disimpan.")


@import_app.command("anggaran")
def import_anggaran(file: FileArg, tahun: Tahun = None, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Impor realisasi anggaran bulanan per sub kegiatan: kolom kode,bulan,realisasi (Rupiah)."""
    from kinerja.dokumen.impor import parse_anggaran_csv, read_file
    from kinerja.simpan.realisasi import save_realisasi_anggaran

    nama = oleh_cli(oleh)
    with konteks(instansi, tahun) as k:
        with berkas_csv(file):
            entries = parse_anggaran_csv(read_file(file), file.name)
        written = save_realisasi_anggaran(k.engine, instansi_id=k.office.id, tahun=k.tahun, entries=entries,
                                          oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan disimpan untuk tahun {k.tahun}.")


@import_app.command("anggaran-kas")
def import_anggaran_kas(file: FileArg, tahun: Tahun = None, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Impor anggaran kas (rencana belanja bulanan) per sub kegiatan: kolom kode,bulan,rencana (Rupiah)."""
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.impor_kas import parse_anggaran_kas_csv
    from kinerja.simpan.anggaran_kas import save_anggaran_kas

    nama = oleh_cli(oleh)
    with konteks(instansi, tahun) as k:
        with berkas_csv(file):
            entries = parse_anggaran_kas_csv(read_file(file), file.name)
        written = save_anggaran_kas(k.engine, instansi_id=k.office.id, tahun=k.tahun, entries=entries, oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} bulan anggaran kas disimpan untuk tahun {k.tahun}.")


@import_app.command("riwayat")
def import_riwayat(file: FileArg, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Impor realisasi tahun-tahun sebelum aplikasi: kolom kode,tahun,realisasi,capaian,sumber."""
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.impor_riwayat import parse_riwayat_csv
    from kinerja.simpan.riwayat import simpan_riwayat

    nama = oleh_cli(oleh)
    with instansi_saja(instansi) as (engine, office):
        with berkas_csv(file):
            entries = parse_riwayat_csv(read_file(file), file.name)
        written = simpan_riwayat(engine, instansi_id=office.id, entries=entries, oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} baris riwayat disimpan.")


@import_app.command("renstra")
def import_renstra(
    file: FileArg, awal: Periode = None, akhir: Periode = None, instansi: InstansiOpt = None, oleh: Oleh = None
) -> None:
    """Impor target Renstra per tahun: kolom kode,tahun,target (dengan --awal/--akhir: atur juga periodenya)."""
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.impor_riwayat import parse_renstra_csv
    from kinerja.simpan.riwayat import simpan_target_renstra

    nama = oleh_cli(oleh)
    if (awal is None) != (akhir is None):
        fail(["--awal dan --akhir harus diisi keduanya"], 2)
    with instansi_saja(instansi) as (engine, office):
        with berkas_csv(file):
            entries = parse_renstra_csv(read_file(file), file.name)
        periode = (awal, akhir) if awal is not None and akhir is not None else None
        written = simpan_target_renstra(engine, instansi_id=office.id, entries=entries, periode=periode, oleh=nama)
        typer.echo(f"{len(entries)} baris diperiksa, {written} target Renstra disimpan.")


@perintah.command()
def renstra(awal: Periode = None, akhir: Periode = None, instansi: InstansiOpt = None, oleh: Oleh = None) -> None:
    """Tampilkan atau atur periode Renstra instansi (mis. --awal 2021 --akhir 2026)."""
    from kinerja.simpan.riwayat import simpan_periode_renstra

    with instansi_saja(instansi) as (engine, office):
        if awal is not None or akhir is not None:
            changed = simpan_periode_renstra(engine, instansi_id=office.id, awal=awal, akhir=akhir, oleh=oleh_cli(oleh))
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
    from kinerja.aturan.format import format_angka
    from kinerja.aturan.ikm import UNSUR
    from kinerja.dokumen.impor import parse_ikm_csv, read_file
    from kinerja.simpan.penilaian import save_survei_ikm

    nama = oleh_cli(oleh)
    with konteks(instansi, tahun) as k:
        with berkas_csv(file):
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


@import_app.command("pk")
def import_pk(
    file: Annotated[Path, typer.Argument(help="Berkas XLSX berformat folder data/.")],
    oleh: Oleh = None,
    instansi_baru: Annotated[bool, typer.Option(
        "--instansi-baru", help="Buat instansi baru bila kode instansi di lembar info belum ada.")] = False,
) -> None:
    """Impor Perjanjian Kinerja satu tahun dari XLSX (lembar info, unit, pejabat, perjanjian, anggaran,
    indikator, penjelasan) sebagai draf; terbitkan di aplikasi."""
    from kinerja.dokumen.impor import read_file
    from kinerja.dokumen.pk_xlsx import import_pk_xlsx

    nama = oleh_cli(oleh)
    engine = buka_engine()
    try:
        typer.echo(import_pk_xlsx(engine, read_file(file), file.name, oleh=nama, instansi_baru=instansi_baru))
    except ValidationError as e:
        fail(e.problems)
