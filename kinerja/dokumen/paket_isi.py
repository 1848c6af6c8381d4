"""Documents of the evidence pack made here: the SOP of data collection, monthly figures, Rencana Aksi, verification.

Each is generated from what the app holds: the settings (units, verifiers, deadlines) and the
figures, so the pack shows how this office actually measures, not a template.
"""

import csv
import io
from collections.abc import Sequence

from sqlmodel import Session, select

from kinerja.aturan.format import format_angka, nama_bulan, nama_bulan_singkat, nama_triwulan
from kinerja.aturan.teks import netral
from kinerja.baca.laporan import Capaian
from kinerja.dokumen.dokumen_pk import tanggal_id
from kinerja.dokumen.ekspor import buka_workbook, tinggi_baris
from kinerja.dokumen.lkjip import catatan_angka
from kinerja.dokumen.word import Penandatangan, dokumen_baru, judul_tabel, ke_bytes, paragraf, tabel, tanda_tangan
from kinerja.simpan.jadwal import list_batas
from kinerja.simpan.jejak import baca_nilai, describe_kunci, list_jejak_tahun
from kinerja.simpan.models import Instansi, Pejabat, Pengguna, Unit
from kinerja.simpan.queries import load_data_tahun
from kinerja.simpan.verifikasi import LABEL, status_tahun, unit_pengesah, unit_verifikator
from kinerja.simpan.wewenang import ADMIN, OPERATOR


def _pengisi(session: Session, instansi_id: int) -> dict[int | None, list[str]]:
    users = session.exec(select(Pengguna).where(Pengguna.instansi_id == instansi_id, Pengguna.aktif)).all()
    by_unit: dict[int | None, list[str]] = {}
    for u in users:
        if u.peran == OPERATOR:
            by_unit.setdefault(u.unit_id, []).append(u.nama)
        elif u.peran == ADMIN:
            by_unit.setdefault(None, []).append(u.nama)
    return by_unit


def build_sop_docx(session: Session, instansi: Instansi, tahun: int, dicetak_tanggal: str) -> bytes:
    """Return the SOP of performance-data collection as this office has set it up (who, by when, checks, fixes)."""
    data = load_data_tahun(session, instansi, tahun)
    units = session.exec(select(Unit).where(Unit.instansi_id == instansi.id).order_by(Unit.urutan)).all()
    pengisi_unit = {b.indikator.unit_id for b in data.baris}
    pengisi = _pengisi(session, instansi.id)
    doc = dokumen_baru()
    paragraf(doc, f"STANDAR OPERASIONAL PROSEDUR\nPENGUMPULAN DATA KINERJA\n{instansi.nama.upper()}\nTAHUN {tahun}",
             bold=True, tengah=True, ukuran=13)
    doc.add_heading("1. Tujuan", level=2)
    paragraf(doc, "Menjamin data realisasi kinerja dan anggaran dikumpulkan setiap bulan, tepat waktu, diperiksa "
                  "berjenjang (pengisi → verifikator → pengesah) dan dapat ditelusuri, sebagai dasar pengukuran "
                  "kinerja triwulanan dan tahunan (LKjIP).", rata=True)
    doc.add_heading("2. Pelaksana", level=2)
    paragraf(doc, "Setiap unit mengisi realisasi indikator dan anggarannya sendiri melalui aplikasi Kinerja; "
                  "verifikator dan pengesah ditetapkan admin per unit.", rata=True)
    rows = []
    for u in units:
        if u.id not in pengisi_unit:
            continue
        ver, sah = unit_verifikator(u, units), unit_pengesah(u, units)
        rows.append([u.nama, ", ".join(pengisi.get(u.id, [])) or "(belum ada operator; diisi admin)",
                     ver.nama if ver else "–", sah.nama if sah else "–"])
    judul_tabel(doc, "Tabel 1 Pengisi, Verifikator dan Pengesah per Unit")
    tabel(doc, ["Unit", "Pengisi (operator)", "Verifikator", "Pengesah"], rows, [4.6, 4.4, 4.0, 4.0], ukuran=9)
    doc.add_heading("3. Jadwal", level=2)
    if instansi.hari_batas_isian:
        paragraf(doc, f"Realisasi setiap bulan diisi dan diajukan paling lambat tanggal {instansi.hari_batas_isian} "
                      "bulan berikutnya, kecuali admin menetapkan batas khusus untuk bulan tertentu (Tabel 2). "
                      "Setelah batas waktu, isian bulan itu tertutup.", rata=True)
    else:
        paragraf(doc, "Batas waktu isian belum ditetapkan di aplikasi (menu Admin → Jadwal & kunci isian); "
                      "isian tetap terbuka sampai diajukan.", rata=True)
    batas = list_batas(session, instansi, tahun)
    judul_tabel(doc, f"Tabel 2 Batas Waktu Isian Tahun {tahun}")
    tabel(doc, ["Bulan", "Batas umum", "Batas khusus", "Berlaku"],
          [[nama_bulan(b.bulan), tanggal_id(b.umum) if b.umum else "–", tanggal_id(b.khusus) if b.khusus else "–",
            tanggal_id(b.batas) if b.batas else "tanpa batas"] for b in batas], [3.5, 4.0, 4.0, 4.0],
          ukuran=9)
    doc.add_heading("4. Langkah", level=2)
    langkah = [
        "Operator unit mengisi realisasi bulan berjalan (nilai, atau pembilang dan penyebut untuk indikator "
        "rasio) dan realisasi anggaran di menu Isi realisasi, serta mengunggah bukti dukung.",
        "Operator mengajukan isian bulan itu; sejak diajukan, isian terkunci.",
        "Verifikator memeriksa isian beserta bukti dukungnya, lalu memverifikasi atau mengembalikannya dengan "
        "catatan yang wajib diisi.",
        "Pengesah mengesahkan isian yang telah diverifikasi, atau mengembalikannya dengan catatan.",
        "Isian yang dikembalikan diperbaiki operator lalu diajukan kembali (kembali ke langkah 2).",
        "Koreksi atas isian yang sudah diajukan, diverifikasi atau disahkan hanya dapat dilakukan setelah admin "
        "membuka kembali bulan itu dengan alasan tertulis; pembukaan, perubahan nilai dan setiap langkah "
        "verifikasi tercatat di jejak audit aplikasi (siapa, kapan, nilai sebelum dan sesudah).",
        "Setiap akhir triwulan unit mengisi analisis (faktor pendorong, penghambat, upaya, rencana tindak lanjut) "
        "dan pimpinan menuliskan rekomendasi.",
    ]
    for n, text in enumerate(langkah, 1):
        paragraf(doc, f"{n}. {text}", rata=True)
    pimpinan = next((u for u in units if u.jenis == "pimpinan"), None)
    pejabat = session.exec(select(Pejabat).where(Pejabat.unit_id == pimpinan.id)).first() if pimpinan else None
    if pejabat is not None:
        tanda_tangan(doc, [Penandatangan("", ""), Penandatangan(pejabat.jabatan, pejabat.nama, pejabat.nip)],
                     tempat_tanggal=f"{instansi.tempat or instansi.kabupaten}, {dicetak_tanggal}")
    return ke_bytes(doc)


def tabel_xlsx(sheets: Sequence[tuple[str, str, list[str], list[float], list[list[object]]]],
               catatan: str = "") -> bytes:
    """Write simple tables (sheet, title, header, widths, rows) as an A4 landscape workbook, one page wide;
    `catatan` (e.g. the "Angka: …" line) goes under each title."""
    buffer = io.BytesIO()
    book = buka_workbook(buffer)
    judul = book.add_format({"bold": True, "font_size": 12})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1,
                            "bg_color": "#DDEBF7"})
    text = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    angka = book.add_format({"num_format": "#,##0.##", "valign": "top", "border": 1})
    for name, title, header, widths, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        sheet.write_string(0, 0, title, judul)
        if catatan:
            sheet.write_string(1, 0, catatan)
        for c, (h, w) in enumerate(zip(header, widths, strict=True)):
            sheet.set_column(c, c, w)
            sheet.write_string(2, c, h, head)
        sheet.set_row(2, tinggi_baris(list(zip(header, widths, strict=True))))
        for r, row in enumerate(rows, start=3):
            texts = []
            for c, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value, angka)
                else:
                    sheet.write_string(r, c, "" if value is None else str(value), text)
                    texts.append(("" if value is None else str(value), widths[c]))
            sheet.set_row(r, tinggi_baris(texts))
        sheet.freeze_panes(3, 0)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(2, 2)
    book.close()
    return buffer.getvalue()


def build_capaian_bulanan_xlsx(session: Session, instansi: Instansi, tahun: int, hanya_disahkan: bool = False) -> bytes:
    """Return what each unit entered month by month, with each month's verification status: one sheet per unit
    (`hanya_disahkan`: the approved unit-months only; each sheet says which)."""
    data = load_data_tahun(session, instansi, tahun, hanya_disahkan=hanya_disahkan)
    status = status_tahun(session, instansi.id, tahun)
    sheets = []
    units = {uid: session.get(Unit, uid) for uid in dict.fromkeys(b.indikator.unit_id for b in data.baris)}
    for unit_id, unit in units.items():
        seen: set[str] = set()
        rows: list[list[object]] = []
        for b in data.baris:
            ind = b.indikator
            if ind.unit_id != unit_id or ind.kode in seen:
                continue
            seen.add(ind.kode)
            entered = data.data.realisasi.get(ind.kode, {})
            cells: list[object] = []
            for m in range(1, 13):
                e = entered.get(m)
                if e is None:
                    cells.append("")
                elif e.pembilang is not None or e.penyebut is not None:
                    cells.append(f"{format_angka(e.pembilang)} / {format_angka(e.penyebut)}")
                else:
                    cells.append(float(e.nilai) if e.nilai is not None else "")
            rows.append([ind.kode, ind.nama, ind.satuan, *cells])
        rows.append(["", "Status isian", "", *[LABEL.get(status.get((unit_id, m), "draf"), "Draf")
                                                for m in range(1, 13)]])
        header = ["Kode", "Indikator", "Satuan", *[nama_bulan_singkat(m) for m in range(1, 13)]]
        sheets.append((unit.kode, f"Realisasi bulanan {unit.nama} tahun {tahun} (rasio: pembilang / penyebut)",
                       header, [9, 40, 10, *[9] * 12], rows))
    return tabel_xlsx(sheets, catatan_angka(hanya_disahkan))


def build_rencana_aksi_xlsx(per_tw: dict[int, Capaian]) -> bytes:
    """Return the Rencana Aksi monitoring from capaian already computed for triwulan I..n: target, realisasi and
    capaian s.d. each triwulan, per indicator (the sheet says whether the figures are approved ones only)."""
    sampai = max(per_tw)
    last = per_tw[sampai].data_tahun
    header = ["Unit", "Kode", "Indikator", "Satuan", "Target tahunan"]
    for t in per_tw:
        header += [f"Target s.d. TW {t}", f"Realisasi s.d. TW {t}", f"Capaian TW {t} (%)"]
    rows: list[list[object]] = []
    for b in last.baris:
        ind = b.indikator
        row: list[object] = [b.unit.nama, ind.kode, ind.nama, ind.satuan,
                             float(per_tw[sampai].hasil[ind.kode].target_tahunan)]
        for cap in per_tw.values():
            h = cap.hasil[ind.kode]
            row += [float(h.target_sd_tw), float(h.realisasi) if h.realisasi is not None else "",
                    round(float(h.capaian_sd_tw), 2) if h.capaian_sd_tw is not None else ""]
        rows.append(row)
    title = f"Pemantauan Rencana Aksi {last.instansi.nama} tahun {last.tahun} s.d. {nama_triwulan(sampai)}"
    return tabel_xlsx([("Rencana Aksi", title, header, [22, 9, 40, 10, 9, *[9] * (3 * len(per_tw))], rows)],
                      catatan_angka(last.hanya_disahkan))


def build_verifikasi_csv(session: Session, instansi: Instansi, tahun: int) -> bytes:
    """Return every verification step of the year from the audit trail: when, who, which unit-month, from, to, note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["waktu", "oleh", "unit_bulan", "dari", "ke", "catatan"])
    for r in list_jejak_tahun(session, instansi.id, tahun, tabel="status_bulan"):
        before, after = baca_nilai(r.sebelum) or {}, baca_nilai(r.sesudah) or {}
        writer.writerow([r.waktu.isoformat(), netral(r.pengguna), netral(describe_kunci(r.tabel, r.kunci, {})),
                         before.get("status", "draf"), after.get("status", ""), netral(r.alasan)])
    return out.getvalue().encode("utf-8-sig")
