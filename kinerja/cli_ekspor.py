"""Commands that read an office-year and write it out: CSV on stdout, documents, templates, evidence packs.

Each command imports what it builds with inside itself, so `kinerja --help` and the other commands need
not load the models, pandas or the document libraries (issue 13).
"""

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli_umum import (
    Format,
    HanyaDisahkan,
    InstansiOpt,
    Tahun,
    Timpa,
    TriwulanOpt,
    cetak_csv,
    check_format,
    ekspor_berkas,
    fail,
    konteks,
    periksa_out,
    tulis,
    tulis_berkas,
)

perintah = typer.Typer()  # top-level commands, merged into `kinerja`
export_app = typer.Typer(help="Ekspor capaian kinerja, tabel LKjIP, perjanjian kinerja atau paket bukti dukung.")

@perintah.command()
def indikator(tahun: Tahun = None, format: Format = "csv", instansi: InstansiOpt = None) -> None:
    """Daftar indikator: satu baris per indikator per perjanjian."""
    from kinerja.baca import laporan
    from kinerja.simpan.queries import load_data_tahun

    cetak_csv(format, instansi, tahun, laporan.INDIKATOR_COLUMNS,
              lambda session, k: laporan.indikator_rows(load_data_tahun(session, k.office, k.tahun)))


@perintah.command()
def anggaran(tahun: Tahun = None, format: Format = "csv", instansi: InstansiOpt = None) -> None:
    """Pohon anggaran: program, kegiatan dan sub kegiatan dengan pagunya."""
    from kinerja.aturan.pk_data import ANGGARAN_COLUMNS
    from kinerja.baca import laporan
    from kinerja.simpan.queries import load_data_tahun

    cetak_csv(format, instansi, tahun, ANGGARAN_COLUMNS,
              lambda session, k: laporan.anggaran_rows(load_data_tahun(session, k.office, k.tahun)))


@export_app.command("capaian")
def export_capaian(
    tahun: Tahun = None,
    triwulan: Annotated[int, typer.Option(min=1, max=4, help="Capaian s.d. triwulan (1-4).")] = 4,
    format: Format = "csv",
    instansi: InstansiOpt = None,
    hanya_disahkan: HanyaDisahkan = False,
) -> None:
    """Capaian s.d. triwulan: satu baris per indikator per perjanjian."""
    from kinerja.baca import laporan

    cetak_csv(format, instansi, tahun, laporan.CAPAIAN_COLUMNS, lambda session, k: laporan.compute_capaian_tahun(
        session, k.office, k.tahun, triwulan, hanya_disahkan).rows())


@perintah.command()
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
    from kinerja.dokumen.templat_buat import build_template

    ekspor_berkas(out, (".xlsx",), instansi, tahun, timpa,
                  lambda session, k: build_template(session, k.office, k.tahun, unit),
                  pesan=lambda k: f"Templat realisasi {k.tahun} ditulis ke {out}.")


@export_app.command("pk")
def export_pk(
    out: Annotated[Path, typer.Option(help="Berkas XLSX keluaran.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Perjanjian Kinerja satu tahun sebagai XLSX berformat folder data/ (untuk disalin dan diisi)."""
    from kinerja.dokumen.pk_xlsx import export_pk_xlsx
    from kinerja.simpan.queries import versi_berlaku

    ekspor_berkas(out, (".xlsx",), instansi, tahun, timpa,
                  lambda session, k: export_pk_xlsx(session, versi_berlaku(session, k.office.id, k.tahun, 12)))


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
    from kinerja.dokumen.ekspor import write_lkjip
    from kinerja.dokumen.lkjip import build_lkjip
    from kinerja.dokumen.lkjip_docx import build_lkjip_docx
    from kinerja.dokumen.lkjip_isi import load_isi_lkjip

    if out.suffix.lower() == ".docx":
        ekspor_berkas(out, (".docx",), instansi, tahun, timpa, lambda session, k: build_lkjip_docx(
            load_isi_lkjip(session, k.office, k.tahun, triwulan, date.today(), hanya_disahkan)))
        return
    periksa_out(out, (".xlsx", ".docx", ".csv"))
    with konteks(instansi, tahun, baca=True) as k, k.session() as session:
        laporan = build_lkjip(session, k.office, k.tahun, triwulan, date.today(), hanya_disahkan)
    # write_lkjip names the files (one per table for CSV); render them aside, then put all in place or none.
    with tempfile.TemporaryDirectory(prefix="kinerja-") as tmp:
        files: dict[Path, bytes | Path] = {
            out.parent / p.name: p.read_bytes() for p in write_lkjip(laporan, Path(tmp) / out.name)}
    tulis(files, timpa)


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
    from kinerja.dokumen.renja import build_renja_docx, build_renja_xlsx

    build = build_renja_xlsx if out.suffix.lower() == ".xlsx" else build_renja_docx
    ekspor_berkas(out, (".xlsx", ".docx"), instansi, tahun, timpa,
                  lambda session, k: build(session, k.office, k.tahun, triwulan, hanya_disahkan))


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
    from kinerja.dokumen.laporan_triwulan import build_laporan_triwulan_docx
    from kinerja.simpan.queries import NotFound

    def build(session, k):  # type: ignore[no-untyped-def]
        try:
            return build_laporan_triwulan_docx(session, k.office, k.tahun, triwulan, unit, hanya_disahkan)
        except NotFound as e:
            fail([str(e)], 2)

    ekspor_berkas(out, (".docx",), instansi, tahun, timpa, build)


@export_app.command("manual-iku")
def export_manual_iku(
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .docx atau .xlsx.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Manual IKU: definisi, formula, sumber data, pelapor, waktu dan cara menghitung capaian tiap indikator."""
    from kinerja.dokumen.manual_iku import build_manual_iku_docx, build_manual_iku_xlsx

    build = build_manual_iku_xlsx if out.suffix.lower() == ".xlsx" else build_manual_iku_docx
    ekspor_berkas(out, (".docx", ".xlsx"), instansi, tahun, timpa,
                  lambda session, k: build(session, k.office, k.tahun))


@perintah.command("cetak-pk")
def cetak_pk(
    unit: Annotated[str, typer.Option(help="Kode unit, mis. CAMAT atau PERENCANAAN.")],
    out: Annotated[Path, typer.Option(help="Berkas keluaran: .docx, atau .pdf bila LibreOffice terpasang.")],
    tahun: Tahun = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Dokumen Perjanjian Kinerja satu unit, siap cetak dan tanda tangan (DOCX atau PDF)."""
    from kinerja.dokumen.dokumen_pk import build_pk_docx, load_isi_pk
    from kinerja.dokumen.word import PdfUnavailable, ke_pdf
    from kinerja.simpan.queries import NotFound, versi_berlaku

    periksa_out(out, (".docx", ".pdf"))
    with konteks(instansi, tahun, baca=True) as k, k.session() as session:
        try:
            isi = load_isi_pk(session, versi_berlaku(session, k.office.id, k.tahun, 12), unit)
        except NotFound as e:
            fail([str(e)], 2)
    data = build_pk_docx(isi)
    if out.suffix.lower() == ".pdf":
        try:
            data = ke_pdf(data)
        except PdfUnavailable as e:
            fail([str(e)], 2)
    tulis({out: data}, timpa)


@perintah.command()
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
    from sqlmodel import select

    from kinerja.simpan.jejak import TABEL_LABEL, export_jejak_csv, list_jejak_tahun
    from kinerja.simpan.models import Jejak

    check_format(format)
    if out is not None:
        periksa_out(out, (".csv",))
    with konteks(instansi, tahun, baca=True) as k, k.session() as session:
        if tabel is not None:
            dikenal = set(TABEL_LABEL) | set(session.exec(
                select(Jejak.tabel).where(Jejak.instansi_id == k.office.id).distinct()))
            if tabel not in dikenal:
                fail([f"tabel '{tabel[:40]}' tidak dikenal; pilih salah satu: {', '.join(sorted(dikenal))}"], 2)
        rows = list_jejak_tahun(session, k.office.id, k.tahun, oleh=oleh, tabel=tabel)
    data = export_jejak_csv(rows)
    if out is None:
        typer.echo(data.decode("utf-8-sig"), nl=False)
    else:
        tulis_berkas({out: data}, timpa)
        typer.echo(f"{len(rows)} baris riwayat perubahan {k.tahun} ditulis ke {out}.")


def _bukti_hilang(e: FileNotFoundError, folder: Path) -> list[str]:
    return [f"berkas bukti {Path(e.filename or '').name} tidak ada di folder {folder} (periksa "
            "KINERJA_BUKTI_DIR); tidak ada yang ditulis"]


@export_app.command("bukti")
def export_bukti(
    out: Annotated[Path, typer.Option(help="Berkas ZIP keluaran.")],
    tahun: Tahun = None,
    unit: Annotated[str | None, typer.Option(metavar="KODE", help="Hanya bukti unit ini (bawaan: semua unit).")] = None,
    instansi: InstansiOpt = None,
    timpa: Timpa = False,
) -> None:
    """Paket bukti dukung satu tahun (ZIP): folder per unit, bulan dan indikator, dengan indeks.csv."""
    from kinerja.config import get_settings
    from kinerja.simpan.bukti import export_bukti_zip

    periksa_out(out, (".zip",))
    folder = get_settings().bukti_dir
    with konteks(instansi, tahun, baca=True) as k:
        try:
            data = export_bukti_zip(k.engine, folder=folder, instansi_id=k.office.id, tahun=k.tahun, unit_kode=unit)
        except FileNotFoundError as e:
            fail(_bukti_hilang(e, folder))
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
    from kinerja.config import get_settings
    from kinerja.dokumen.paket import INDEKS as INDEKS_PAKET
    from kinerja.dokumen.paket import KRITERIA, build_paket_sakip
    from kinerja.dokumen.word import PdfUnavailable

    periksa_out(out, (".zip",))
    folder = get_settings().bukti_dir
    with konteks(instansi, tahun, baca=True) as k:
        try:
            data = build_paket_sakip(k.engine, instansi_id=k.office.id, tahun=k.tahun, folder_bukti=folder,
                                     dicetak=date.today(), pdf=pdf, hanya_disahkan=hanya_disahkan)
        except FileNotFoundError as e:
            fail(_bukti_hilang(e, folder))
        except PdfUnavailable as e:
            fail([str(e)], 2)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        jumlah = sum(1 for name in z.namelist() if name not in INDEKS_PAKET)
    tulis_berkas({out: data}, timpa)
    typer.echo(f"Paket bukti dukung {k.tahun}: {jumlah} berkas dalam {len(KRITERIA)} folder kriteria, "
               f"ditulis ke {out}.")
