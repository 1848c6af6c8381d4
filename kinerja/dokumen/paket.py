"""The evidence pack (paket bukti dukung) for the SAKIP evaluation's "Pengukuran Kinerja" component.

One ZIP, one folder per criterion the evaluators check (LKE, PermenPANRB 88/2021), and an index
(indeks.csv, indeks.xlsx, README.txt) mapping every file to its criterion. Every file is generated
from the app's data at the time of the download; nothing is a blank template. Every triwulan up to the
latest with data has its quarterly report (the office's and each unit's) and its Evaluasi Renja (XLSX and
Word); the year is read once and its capaian computed once per triwulan for all of them.
"""

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from kinerja.aturan.format import nama_triwulan
from kinerja.aturan.teks import netral
from kinerja.baca.laporan import Capaian, capaian_dari, hanya_yang_disahkan, tahun_per_triwulan
from kinerja.baca.renja import build_evaluasi_renja
from kinerja.baca.ringkasan import latest_triwulan
from kinerja.dokumen.dokumen_pk import tanggal_id
from kinerja.dokumen.ekspor import export_lkjip_xlsx
from kinerja.dokumen.laporan_triwulan import export_laporan_triwulan_docx
from kinerja.dokumen.lkjip import catatan_angka
from kinerja.dokumen.lkjip_docx import build_lkjip_docx
from kinerja.dokumen.lkjip_isi import load_isi_lkjip
from kinerja.dokumen.manual_iku import build_manual_iku_docx, build_manual_iku_xlsx
from kinerja.dokumen.paket_isi import (
    build_capaian_bulanan_xlsx,
    build_rencana_aksi_xlsx,
    build_sop_docx,
    build_verifikasi_csv,
    tabel_xlsx,
)
from kinerja.dokumen.renja import export_renja_docx, export_renja_xlsx
from kinerja.dokumen.word import ke_pdf
from kinerja.simpan.bukti import export_bukti_zip
from kinerja.simpan.db import new_session
from kinerja.simpan.jejak import export_jejak_csv, list_jejak_tahun
from kinerja.simpan.models import Instansi, Pengguna, Unit
from kinerja.simpan.queries import list_units, load_data_tahun
from kinerja.simpan.wewenang import pastikan_wewenang

INDEKS = ("README.txt", "indeks.csv", "indeks.xlsx")


@dataclass(frozen=True)
class Kriteria:
    """One criterion of the evaluation and the folder that answers it."""

    folder: str
    nama: str
    uraian: str


KRITERIA = (
    Kriteria("01-manual-iku", "Manual IKU",
             "Indikator kinerja terdefinisi jelas dan terukur: definisi, formula, sumber data, penanggung jawab."),
    Kriteria("02-sop-pengumpulan-data", "SOP pengumpulan data kinerja",
             "Mekanisme pengumpulan data kinerja: siapa mengisi, kapan, siapa memverifikasi, bagaimana koreksi."),
    Kriteria("03-pengukuran-berkala", "Pengukuran berkala",
             "Pengukuran kinerja bulanan dan triwulanan per unit dan instansi."),
    Kriteria("04-rencana-aksi", "Pemantauan Rencana Aksi",
             "Target dan realisasi Rencana Aksi per triwulan dipantau."),
    Kriteria("05-evaluasi-renja", "Evaluasi Renja",
             "Evaluasi Renja per triwulan (Permendagri 86/2017)."),
    Kriteria("06-berbasis-ti-berjenjang", "Pengukuran berbasis TI dan berjenjang",
             "Jejak audit aplikasi dan catatan verifikasi berjenjang (pengisi → verifikator → pengesah)."),
    Kriteria("07-bukti-dukung", "Bukti dukung data kinerja",
             "Berkas bukti dukung yang diunggah unit untuk setiap realisasi."),
    Kriteria("08-laporan-kinerja", "Pemanfaatan hasil pengukuran",
             "Draf LKjIP dan tabelnya: hasil pengukuran, analisis dan tindak lanjut pimpinan."),
)
_KRITERIA = {k.folder: k for k in KRITERIA}


@dataclass(frozen=True)
class Berkas:
    """One file of the pack."""

    folder: str
    nama: str
    keterangan: str
    data: bytes

    @property
    def jalur(self) -> str:
        """The file's path inside the ZIP."""
        return f"{self.folder}/{self.nama}"


def _pengukuran_berkala(session: Session, per_tw: dict[int, Capaian], units: list[Unit]) -> list[Berkas]:
    """The quarterly report of the office and of every unit with an agreement, for each triwulan computed."""
    folder = "03-pengukuran-berkala"
    tahun = per_tw[max(per_tw)].data_tahun.tahun
    files = []
    for tw in per_tw:
        sd_tw = {t: per_tw[t] for t in per_tw if t <= tw}
        files.append(Berkas(folder, f"laporan-triwulan-{tw}-instansi-{tahun}.docx",
                            f"Laporan capaian {nama_triwulan(tw)} instansi (berjenjang: sasaran dan unit)",
                            export_laporan_triwulan_docx(session, sd_tw, None)))
        owners = {b.unit.id for b in per_tw[tw].data_tahun.baris}
        files += [Berkas(folder, f"laporan-triwulan-{tw}-{u.kode}-{tahun}.docx",
                         f"Laporan capaian {nama_triwulan(tw)} {u.nama}",
                         export_laporan_triwulan_docx(session, sd_tw, u.kode))
                  for u in units if u.id in owners]
    return files


def _evaluasi_renja(session: Session, office: Instansi, tahun: int, sampai: int, sah: bool) -> list[Berkas]:
    """The Evaluasi Renja of every triwulan up to `sampai`, each computed once and written as XLSX and Word."""
    files = []
    for tw in range(1, sampai + 1):
        ev = build_evaluasi_renja(session, office, tahun, tw, sah)
        nama = f"evaluasi-renja-tw{tw}-{tahun}"
        files += [Berkas("05-evaluasi-renja", f"{nama}.xlsx", f"Evaluasi Renja {nama_triwulan(tw)}",
                         export_renja_xlsx(ev)),
                  Berkas("05-evaluasi-renja", f"{nama}.docx", f"Evaluasi Renja {nama_triwulan(tw)} (Word)",
                         export_renja_docx(ev))]
    return files


def _capaian_per_triwulan(session: Session, office: Instansi, tahun: int, sah: bool) -> dict[int, Capaian]:
    """Load the year once and compute capaian s.d. every triwulan up to the latest with data (the versions in
    force at each triwulan's end; the realisations are read once)."""
    semua = load_data_tahun(session, office, tahun)
    dimuat = hanya_yang_disahkan(session, semua) if sah else semua
    per_versi = tahun_per_triwulan(session, dimuat, latest_triwulan(semua.data))
    return {tw: capaian_dari(data_tahun, tw) for tw, data_tahun in per_versi.items()}


def list_berkas_paket(engine: Engine, *, instansi_id: int, tahun: int, folder_bukti: Path, dicetak: date,
                      pengguna: Pengguna | None = None, pdf: bool = False,
                      hanya_disahkan: bool = False) -> list[Berkas]:
    """Generate every file of the year's evidence pack (without the index files); every file with figures
    counts approved unit-months only when `hanya_disahkan`, and says which."""
    sah = hanya_disahkan
    files: list[Berkas] = []

    def add(folder: str, nama: str, keterangan: str, data: bytes) -> None:
        files.append(Berkas(folder, nama, keterangan, data))

    with new_session(engine) as session:
        office = session.get(Instansi, instansi_id)
        if office is None:
            raise ValueError(f"instansi {instansi_id} tidak ada")
        pastikan_wewenang(session, pengguna, "lihat", instansi_id=instansi_id)  # before a minute of building
        per_tw = _capaian_per_triwulan(session, office, tahun, sah)
        sampai = max(per_tw)
        kode = office.kode
        add("01-manual-iku", f"manual-iku-{kode}-{tahun}.docx", "Manual IKU",
            build_manual_iku_docx(session, office, tahun))
        add("01-manual-iku", f"manual-iku-{kode}-{tahun}.xlsx", "Manual IKU (tabel)",
            build_manual_iku_xlsx(session, office, tahun))
        sop = build_sop_docx(session, office, tahun, tanggal_id(dicetak))
        add("02-sop-pengumpulan-data", f"sop-pengumpulan-data-kinerja-{tahun}.docx",
            "SOP pengumpulan data kinerja, dari pengaturan aplikasi", sop)
        add("03-pengukuran-berkala", f"realisasi-bulanan-{tahun}.xlsx",
            "Realisasi yang diisi setiap bulan per unit, dengan status verifikasinya",
            build_capaian_bulanan_xlsx(session, office, tahun, sah))
        files += _pengukuran_berkala(session, per_tw, list_units(session, office.id))
        add("04-rencana-aksi", f"rencana-aksi-{tahun}.xlsx", "Pemantauan Rencana Aksi per triwulan",
            build_rencana_aksi_xlsx(per_tw))
        files += _evaluasi_renja(session, office, tahun, sampai, sah)
        add("06-berbasis-ti-berjenjang", f"jejak-audit-{tahun}.csv", "Ekstrak jejak audit aplikasi tahun ini",
            export_jejak_csv(list_jejak_tahun(session, office.id, tahun)))
        add("06-berbasis-ti-berjenjang", f"catatan-verifikasi-{tahun}.csv",
            "Setiap langkah verifikasi berjenjang: ajukan, verifikasi, sahkan, kembalikan, buka",
            build_verifikasi_csv(session, office, tahun))
        isi = load_isi_lkjip(session, office, tahun, 4, dicetak, sah)
        draft = build_lkjip_docx(isi)
        add("08-laporan-kinerja", f"draf-lkjip-{kode}-{tahun}.docx", "Draf LKjIP (Bab I-IV dan lampiran)", draft)
        add("08-laporan-kinerja", f"tabel-lkjip-{kode}-{tahun}.xlsx", "Tabel LKjIP (pengukuran, anggaran, efisiensi)",
            export_lkjip_xlsx(isi.laporan))
    with zipfile.ZipFile(io.BytesIO(export_bukti_zip(engine, folder=folder_bukti, instansi_id=instansi_id,
                                                     tahun=tahun, pengguna=pengguna))) as z:
        for name in z.namelist():
            add("07-bukti-dukung", name, "Indeks berkas bukti dukung" if name == "indeks.csv" else
                "Bukti dukung yang diunggah", z.read(name))
    if pdf:
        add("08-laporan-kinerja", f"draf-lkjip-{kode}-{tahun}.pdf", "Draf LKjIP (PDF)", ke_pdf(draft))
        add("02-sop-pengumpulan-data", f"sop-pengumpulan-data-kinerja-{tahun}.pdf", "SOP (PDF)", ke_pdf(sop))
    return files


def _indeks_rows(files: list[Berkas]) -> list[list[str]]:
    return [[f.jalur, f.folder, _KRITERIA[f.folder].nama, f.keterangan, str(len(f.data)),
             hashlib.sha256(f.data).hexdigest()] for f in files]


KOLOM_INDEKS = ["berkas", "folder", "kriteria", "keterangan", "ukuran_byte", "sha256"]


def _readme(office: str, tahun: int, dicetak: date, files: list[Berkas], hanya_disahkan: bool) -> str:
    lines = [
        f"PAKET BUKTI DUKUNG PENGUKURAN KINERJA {office.upper()} TAHUN {tahun}",
        f"Dibuat oleh aplikasi Kinerja pada {tanggal_id(dicetak)} dari data yang tercatat saat itu.",
        f"{catatan_angka(hanya_disahkan)}.",
        "",
        "Setiap folder menjawab satu kriteria komponen Pengukuran Kinerja (LKE, PermenPANRB 88/2021).",
        "indeks.csv / indeks.xlsx memuat setiap berkas, kriterianya, ukuran dan sidik SHA-256-nya.",
        "",
    ]
    for k in KRITERIA:
        count = sum(1 for f in files if f.folder == k.folder)
        lines += [f"{k.folder}/  ({count} berkas)", f"    {k.nama}: {k.uraian}"]
    return "\n".join(lines) + "\n"


def build_paket_sakip(engine: Engine, *, instansi_id: int, tahun: int, folder_bukti: Path, dicetak: date,
                      pengguna: Pengguna | None = None, pdf: bool = False, hanya_disahkan: bool = False) -> bytes:
    """Return the evidence pack of a year as a ZIP: one folder per criterion, with README.txt and the index
    (`hanya_disahkan`: approved unit-months only; README.txt and every file with figures say which)."""
    files = list_berkas_paket(engine, instansi_id=instansi_id, tahun=tahun, folder_bukti=folder_bukti,
                              dicetak=dicetak, pengguna=pengguna, pdf=pdf, hanya_disahkan=hanya_disahkan)
    with new_session(engine) as session:
        office = session.get(Instansi, instansi_id)
        nama = office.nama if office else ""
    rows = _indeks_rows(files)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(KOLOM_INDEKS)
    writer.writerows([[netral(c) for c in r] for r in rows])
    indeks_xlsx = tabel_xlsx([("Indeks", f"Indeks paket bukti dukung {nama} {tahun}", KOLOM_INDEKS,
                          [46, 26, 30, 50, 12, 20], [list(r) for r in rows])])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.txt", _readme(nama, tahun, dicetak, files, hanya_disahkan).encode("utf-8"))
        z.writestr("indeks.csv", out.getvalue().encode("utf-8-sig"))
        z.writestr("indeks.xlsx", indeks_xlsx)
        for f in files:
            z.writestr(f.jalur, f.data)
    return buffer.getvalue()
