"""The Manual IKU: per indicator its definition, formula, satuan, polaritas, agregasi, data source,
who reports it, when, and how its capaian is computed; as DOCX and XLSX.

Built from the PK's Penjelasan annexes and the indicator's attributes. The sentence that says how
a capaian is computed is worded in one place, `cara_menghitung`, from the rules of
kinerja.aturan.capaian (roll-up by agregasi and jenis, default Rencana Aksi, polarity formula).
"""

import io
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from kinerja.aturan.capaian import is_kumulatif
from kinerja.aturan.format import format_angka, nama_bulan
from kinerja.dokumen import word
from kinerja.dokumen.ekspor import buka_workbook
from kinerja.simpan.models import Anggaran, BatasIsian, Instansi
from kinerja.simpan.queries import NotFound, list_penjelasan, list_tahun, list_units, load_data_tahun

POLARITAS = {"positif": "Positif: semakin tinggi realisasi semakin baik",
             "negatif": "Negatif: semakin rendah realisasi semakin baik"}
AGREGASI = {"jumlah": "Jumlah: nilai bulanan dijumlahkan", "rata_rata": "Rata-rata bulan yang terisi",
            "terakhir": "Nilai terakhir yang terisi"}
_AGG_KATA = {"jumlah": "jumlah", "rata_rata": "rata-rata", "terakhir": "nilai terakhir"}


def cara_menghitung(agregasi: str, jenis: str, sumber: str, polaritas: str, nilai_khusus: str | None = None,
                    label_pembilang: str = "", label_penyebut: str = "") -> str:
    """Return the one sentence that says how an indicator's realisasi and capaian s.d. a triwulan are computed."""
    if nilai_khusus == "ikm":
        realisasi = "Realisasi adalah nilai IKM survei kepuasan masyarakat terakhir s.d. akhir triwulan"
    elif nilai_khusus == "akip":
        realisasi = "Realisasi adalah nilai AKIP dari LHE Inspektorat terakhir s.d. akhir triwulan"
    elif sumber == "turunan":
        realisasi = ("Realisasi adalah rata-rata capaian indikator satu tingkat di bawahnya dalam pohon kinerja, "
                     "masing-masing paling tinggi 100 %")
    elif sumber == "anggaran":
        realisasi = ("Realisasi adalah penyerapan anggaran: realisasi anggaran s.d. akhir triwulan dibagi pagu "
                     "dikali 100 %")
    elif jenis == "rasio":
        kata = _AGG_KATA[agregasi]
        pembilang = f" ({label_pembilang})" if label_pembilang else ""
        penyebut = f" ({label_penyebut})" if label_penyebut else ""
        bulan = " dari bulan terakhir yang berisi keduanya" if agregasi == "terakhir" else ""
        realisasi = (f"Realisasi adalah {kata} pembilang{pembilang} dibagi {kata} penyebut{penyebut}{bulan} "
                     "s.d. akhir triwulan, dikali 100 %")
    elif agregasi == "jumlah":
        realisasi = "Realisasi adalah jumlah nilai bulanan s.d. akhir triwulan"
    elif agregasi == "rata_rata":
        realisasi = "Realisasi adalah rata-rata nilai bulan yang terisi s.d. akhir triwulan"
    else:
        realisasi = "Realisasi adalah nilai bulan terakhir yang terisi s.d. akhir triwulan"
    target = ("target s.d. triwulan menurut Rencana Aksi (bila tidak diisi: target tahunan × triwulan / 4)"
              if is_kumulatif(agregasi, jenis, sumber)
              else "target s.d. triwulan menurut Rencana Aksi (bila tidak diisi: target tahunan)")
    rumus = ("(2 × target − realisasi) / target × 100 %, paling rendah 0" if polaritas == "negatif"
             else "realisasi / target × 100 %")
    return f"{realisasi}; capaian = {rumus}, dengan {target}."


@dataclass(frozen=True)
class BarisIKU:
    """One indicator of the manual."""

    kode: str
    indikator: str
    sasaran: str
    definisi: str
    formula: str
    satuan: str
    target: Decimal
    polaritas: str
    agregasi: str
    sumber_data: str
    pelapor: str
    waktu: str
    cara_capaian: str


def _formula(jenis: str, sumber: str, satuan: str, label_pembilang: str, label_penyebut: str) -> str:
    if sumber == "turunan":
        return "Rata-rata capaian indikator di bawahnya"
    if sumber == "anggaran":
        return "Realisasi anggaran / pagu anggaran × 100 %"
    if jenis == "rasio":
        return f"{label_pembilang or 'pembilang'} / {label_penyebut or 'penyebut'} × 100 %"
    return f"Jumlah {satuan} yang terealisasi"


def _agregasi(agregasi: str, sumber: str) -> str:
    if sumber == "turunan":
        return "Tidak berlaku: dihitung dari capaian indikator di bawahnya"
    if sumber == "anggaran":
        return "Kumulatif: realisasi anggaran s.d. akhir triwulan"
    return AGREGASI[agregasi]


def _sumber_data(sumber: str, nilai_khusus: str | None, pelapor: str) -> str:
    if nilai_khusus == "ikm":
        return "Survei kepuasan masyarakat (SKM)"
    if nilai_khusus == "akip":
        return "Laporan Hasil Evaluasi (LHE) AKIP Inspektorat"
    if sumber == "turunan":
        return "Capaian indikator di bawahnya (dihitung aplikasi Kinerja)"
    if sumber == "anggaran":
        return "Realisasi anggaran bulanan sub kegiatan di aplikasi Kinerja"
    return f"Isian bulanan {pelapor} di aplikasi Kinerja beserta bukti dukungnya"


def waktu_pelaporan(instansi: Instansi, tahun: int, sumber: str, nilai_khusus: str | None,
                    khusus: dict[int, date]) -> str:
    """Say when an indicator is reported: monthly by the deadline the office set, or with its survey / LHE."""
    if nilai_khusus == "ikm":
        return "Setiap kali survei kepuasan masyarakat selesai (sekurang-kurangnya sekali setahun)"
    if nilai_khusus == "akip":
        return "Setahun sekali, setelah LHE AKIP dari Inspektorat diterima"
    if sumber == "turunan":
        return "Bulanan, dihitung otomatis dari indikator di bawahnya"
    teks = "Bulanan"
    if instansi.hari_batas_isian is not None:
        teks += f", paling lambat tanggal {instansi.hari_batas_isian} bulan berikutnya"
    else:
        teks += "; batas waktu isian belum ditetapkan"
    if khusus:
        teks += "; batas khusus: " + ", ".join(f"{nama_bulan(b)} {d:%d-%m-%Y}" for b, d in sorted(khusus.items()))
    return teks


def build_manual_iku(session: Session, instansi: Instansi, tahun: int) -> list[BarisIKU]:
    """Collect the manual's rows: every indicator of the year once, in the order of the agreements."""
    if tahun not in list_tahun(session, instansi.id):
        raise NotFound(f"tidak ada perjanjian kinerja tahun {tahun}")
    data_tahun = load_data_tahun(session, instansi, tahun)
    units = {u.id: u for u in list_units(session, instansi.id)}
    node_unit = {a.kode: units[a.unit_id].nama for a in session.exec(select(Anggaran).where(
        Anggaran.instansi_id == instansi.id, Anggaran.tahun == tahun)) if a.unit_id in units}
    khusus = {b.bulan: b.batas for b in session.exec(select(BatasIsian).where(
        BatasIsian.instansi_id == instansi.id, BatasIsian.tahun == tahun))}
    rows: dict[str, BarisIKU] = {}
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.kode in rows:
            continue
        penjelasan = list_penjelasan(session, ind.id)
        p = penjelasan[0] if penjelasan else None
        pelapor = units[ind.unit_id].nama if ind.unit_id in units else b.unit.nama
        if ind.sumber == "anggaran" and b.anggaran_kode in node_unit:
            pelapor = node_unit[b.anggaran_kode]
        rows[ind.kode] = BarisIKU(
            kode=ind.kode, indikator=ind.nama, sasaran=b.sasaran,
            definisi=(p.uraian if p and p.uraian else ind.nama),
            formula=(p.formulasi if p and p.formulasi else
                     _formula(ind.jenis, ind.sumber, ind.satuan, ind.label_pembilang, ind.label_penyebut)),
            satuan=ind.satuan, target=b.target.tahunan, polaritas=POLARITAS[ind.polaritas],
            agregasi=_agregasi(ind.agregasi, ind.sumber),
            sumber_data=(p.sumber_data if p and p.sumber_data else _sumber_data(ind.sumber, ind.nilai_khusus, pelapor)),
            pelapor=pelapor, waktu=waktu_pelaporan(instansi, tahun, ind.sumber, ind.nilai_khusus, khusus),
            cara_capaian=cara_menghitung(ind.agregasi, ind.jenis, ind.sumber, ind.polaritas, ind.nilai_khusus,
                                         ind.label_pembilang, ind.label_penyebut),
        )
    return list(rows.values())


# (header, field, XLSX width)
KOLOM = [
    ("Kode", "kode", 10), ("Indikator kinerja", "indikator", 32), ("Sasaran", "sasaran", 28),
    ("Definisi", "definisi", 45), ("Formula", "formula", 30), ("Satuan", "satuan", 10),
    ("Target", "target", 9), ("Polaritas", "polaritas", 18), ("Agregasi", "agregasi", 18),
    ("Sumber data", "sumber_data", 26), ("Pelapor (unit)", "pelapor", 18), ("Waktu pelaporan", "waktu", 22),
    ("Cara menghitung capaian", "cara_capaian", 45),
]


def _judul(instansi: Instansi, tahun: int) -> str:
    return f"MANUAL INDIKATOR KINERJA UTAMA (IKU) {instansi.nama.upper()} TAHUN {tahun}"


def build_manual_iku_xlsx(session: Session, instansi: Instansi, tahun: int) -> bytes:
    """Return the Manual IKU as one XLSX sheet, one row per indicator (A4 landscape, one page wide)."""
    rows = build_manual_iku(session, instansi, tahun)
    buffer = io.BytesIO()
    book = buka_workbook(buffer)
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1,
                            "bg_color": "#DDEBF7", "font_size": 9})
    text = book.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_size": 9})
    angka = book.add_format({"num_format": "#,##0.##", "valign": "top", "border": 1, "font_size": 9})
    sheet = book.add_worksheet("Manual IKU")
    sheet.write_string(0, 0, _judul(instansi, tahun), book.add_format({"bold": True, "font_size": 12}))
    sheet.write_string(1, 0, f"{instansi.nama}, {instansi.kabupaten}")
    for c, (judul, _, lebar) in enumerate(KOLOM):
        sheet.set_column(c, c, lebar)
        sheet.write_string(3, c, judul, head)
    for r, row in enumerate(rows, start=4):
        lines = 1
        for c, (_, field, lebar) in enumerate(KOLOM):
            value = getattr(row, field)
            if isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), angka)
                continue
            sheet.write_string(r, c, value, text)
            per_line = max(1, int(lebar * 1.1))
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n")))
        sheet.set_row(r, min(409, 12 * lines + 3))
    sheet.freeze_panes(4, 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    book.close()
    return buffer.getvalue()


def build_manual_iku_docx(session: Session, instansi: Instansi, tahun: int) -> bytes:
    """Return the Manual IKU as a Word document: one table of label and content per indicator."""
    rows = build_manual_iku(session, instansi, tahun)
    doc = word.dokumen_baru(ukuran=10)
    word.paragraf(doc, _judul(instansi, tahun), bold=True, tengah=True, ukuran=13)
    word.paragraf(doc, f"{instansi.nama}, {instansi.kabupaten}", tengah=True)
    for n, row in enumerate(rows, start=1):
        doc.add_heading(f"{n}. {row.kode} {row.indikator}", level=2).paragraph_format.keep_with_next = True
        isi = [[judul, format_angka(getattr(row, field)) if field == "target" else getattr(row, field)]
               for judul, field, _ in KOLOM if field not in ("kode", "indikator")]
        word.tabel(doc, ["Unsur", "Uraian"], isi, [4.0, 13.0], ukuran=9)
    return word.ke_bytes(doc)
