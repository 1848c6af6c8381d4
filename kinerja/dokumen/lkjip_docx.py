"""The LKjIP draft as a Word document, by chapter (PermenPANRB 53/2014), with numbered tables and narrative.

Every sentence comes from a template of narasi.toml filled with the engine's figures and is written
as ordinary text the office edits in Word. Tables are built with kinerja.dokumen.word.
"""

from collections.abc import Sequence
from decimal import Decimal

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from kinerja.aturan.capaian import KATEGORI_URUT, kategori_capaian, persen_serapan
from kinerja.aturan.format import format_angka, format_persen, format_rupiah
from kinerja.dokumen.dokumen_pk import tanggal_id, tulis_pk
from kinerja.dokumen.lkjip import BarisAnggaran, BarisPengukuran
from kinerja.dokumen.lkjip_isi import IsiLKjIP, SasaranStrategis, kelompok_sasaran, nomor_tabel
from kinerja.dokumen.narasi import load_narasi, tulis
from kinerja.dokumen.word import (
    Penandatangan,
    dokumen_baru,
    judul_tabel,
    ke_bytes,
    paragraf,
    tabel,
    tanda_tangan,
)
from kinerja.simpan.analisis import KOLOM, LABEL_KOLOM

UKURAN_TABEL = 9
LEBAR_PENGUKURAN = [0.9, 6.3, 1.9, 1.8, 1.9, 1.8, 2.4]  # 17 cm between the 2 cm margins
LEBAR_ANGGARAN = [1.4, 6.0, 2.7, 2.7, 1.5, 2.7]
LEBAR_EFISIENSI = [1.4, 6.4, 2.2, 2.2, 2.0, 2.8]
PROFIL = (
    ("alamat", "Alamat"), ("dasar_hukum", "Dasar Hukum"), ("tugas_pokok", "Tugas Pokok"), ("fungsi", "Fungsi"),
    ("struktur_organisasi", "Struktur Organisasi"), ("sumber_daya", "Sumber Daya"),
    ("isu_strategis", "Isu Strategis"),
)
SKALA_KATEGORI = [
    ["1", "≥ 91", "Sangat Tinggi"], ["2", "76 s.d. < 91", "Tinggi"], ["3", "66 s.d. < 76", "Sedang"],
    ["4", "51 s.d. < 66", "Rendah"], ["5", "< 51", "Sangat Rendah"],
]


def _angka_satuan(value: Decimal | None, satuan: str) -> str:
    if value is None:
        return "–"
    return f"{format_angka(value)} %" if satuan.strip() == "%" else f"{format_angka(value)} {satuan}".strip()


def _persen(value: Decimal | None) -> str:
    return format_persen(value) or "–"


def _judul_bab(doc: Document, teks: str, *, halaman_baru: bool = True) -> None:
    if halaman_baru:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = doc.add_heading(teks, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _tabel_pengukuran(doc: Document, nomor: str, judul: str, baris: list[BarisPengukuran]) -> None:
    """A Pengukuran Kinerja table: the sasaran as a group row above its indicators."""
    rows: list[list[str]] = []
    grup: set[int] = set()
    for sasaran, items in kelompok_sasaran(baris):
        grup.add(len(rows))
        rows.append(["", sasaran, "", "", "", "", ""])
        for r in items:
            rows.append([r.no, r.indikator, r.satuan, format_angka(r.target), format_angka(r.realisasi) or "–",
                         format_angka(r.capaian, 2, 2) or "–", r.kategori_dicek or "–"])
    judul_tabel(doc, f"Tabel {nomor} {judul}")
    tabel(doc, ["No", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian (%)", "Kategori"], rows,
          LEBAR_PENGUKURAN, kanan={3, 4, 5}, tengah={0}, grup=grup, ukuran=UKURAN_TABEL)


def _bab1(doc: Document, isi: IsiLKjIP, t: dict[str, str]) -> None:
    lap = isi.laporan
    _judul_bab(doc, "BAB I\nPENDAHULUAN", halaman_baru=False)
    doc.add_heading("1.1 Latar Belakang", level=2)
    paragraf(doc, tulis(t, "bab1.latar", instansi=lap.instansi.nama, periode=lap.periode.lower()), rata=True)
    for n, (field, label) in enumerate(PROFIL, 2):
        doc.add_heading(f"1.{n} {label}", level=2)
        text = getattr(isi.profil, field, "") if isi.profil else ""
        for line in (text or t["umum.belum_diisi"]).splitlines():
            if line.strip():
                paragraf(doc, line.strip(), rata=True)
    doc.add_heading(f"1.{len(PROFIL) + 2} Sistematika Penyajian", level=2)
    paragraf(doc, t["bab1.sistematika"], rata=True)


def _bab2(doc: Document, isi: IsiLKjIP, t: dict[str, str]) -> None:
    lap, nomor = isi.laporan, isi.nomor or nomor_tabel(isi.laporan)
    _judul_bab(doc, "BAB II\nPERENCANAAN KINERJA")
    programs = isi.program
    pagu = sum(r.pagu for r in programs)
    paragraf(doc, tulis(t, "bab2.pengantar", versi=lap.versi_nama, instansi=lap.instansi.nama, tahun=lap.tahun,
                        jumlah_sasaran=len(isi.sasaran), jumlah_indikator=len(isi.baris_sasaran),
                        jumlah_program=len(programs), pagu=format_rupiah(pagu), tabel_pk=nomor.pk,
                        tabel_pagu=nomor.pagu_program), rata=True)
    rows = [[str(s.nomor), s.sasaran, r.indikator, _angka_satuan(r.target, r.satuan)]
            for s in isi.sasaran for r in s.baris]
    judul_tabel(doc, f"Tabel {nomor.pk} Perjanjian Kinerja {lap.tahun}: Sasaran Strategis, Indikator dan Target")
    tabel(doc, ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"], rows, [0.9, 7.0, 6.7, 2.4],
          tengah={0}, kanan={3}, ukuran=UKURAN_TABEL)
    rows = [[str(n), r.nama, format_angka(r.pagu)] for n, r in enumerate(programs, 1)]
    rows.append(["", "Jumlah", format_angka(pagu)])
    judul_tabel(doc, f"Tabel {nomor.pagu_program} Pagu Anggaran per Program {lap.tahun}")
    tabel(doc, ["No", "Program", "Pagu (Rp)"], rows, [0.9, 12.6, 3.5], tengah={0}, kanan={2},
          jumlah={len(rows) - 1}, ukuran=UKURAN_TABEL)


def _sebaran_teks(isi: IsiLKjIP, t: dict[str, str]) -> str:
    parts = [tulis(t, "bab3.sebaran_item", jumlah=n, kategori=k) for k, n in isi.sebaran.items() if n and k]
    if isi.sebaran.get(""):
        parts.append(tulis(t, "bab3.sebaran_item", jumlah=isi.sebaran[""], kategori="belum terukur"))
    return ", ".join(parts)


def _kalimat_indikator(r: BarisPengukuran, s: SasaranStrategis, isi: IsiLKjIP, t: dict[str, str]) -> str:
    lap = isi.laporan
    periode = lap.periode.lower() if lap.triwulan < 4 else f"tahun {lap.tahun}"
    if r.capaian is None:
        return tulis(t, "bab3.indikator_kosong", indikator=r.indikator, periode=periode) + "."
    text = tulis(t, "bab3.indikator", indikator=r.indikator, periode=periode, capaian=format_persen(r.capaian),
                 kategori=r.kategori, realisasi=_angka_satuan(r.realisasi, r.satuan),
                 target=_angka_satuan(r.target_sd_tw, r.satuan))
    p = s.perbandingan.get(r.kode)
    lalu = p.nilai(lap.tahun - 1) if p else None
    tahun_lalu = lap.tahun - 1
    if lalu is None or lalu.capaian is None:
        arah = tulis(t, "bab3.tanpa_pembanding", tahun_lalu=tahun_lalu)
    else:
        selisih = r.capaian - lalu.capaian
        key = "bab3.tetap" if selisih == 0 else "bab3.naik" if selisih > 0 else "bab3.turun"
        arah = tulis(t, key, selisih=format_angka(abs(selisih), 0, 2), tahun_lalu=tahun_lalu)
    text = f"{text}; {arah}."
    if p and p.target_renstra_akhir is not None and p.tingkat_kemajuan is not None:
        key = "bab3.renstra_tercapai" if p.tingkat_kemajuan >= 100 else "bab3.renstra"
        text += " " + tulis(t, key, tahun_akhir=p.tahun_renstra_akhir or "",
                            target_akhir=_angka_satuan(p.target_renstra_akhir, r.satuan),
                            kemajuan=format_persen(p.tingkat_kemajuan))
    return text


def _tabel_perbandingan(doc: Document, nomor: str, s: SasaranStrategis, tahun: int) -> None:
    """Realisasi and capaian of N-3 .. N, one row per year, with the end-of-Renstra target and the progress."""
    rows: list[list[str]] = []
    grup: set[int] = set()
    for r in s.baris:
        p = s.perbandingan.get(r.kode)
        if len(s.baris) > 1:
            grup.add(len(rows))
            rows.append([r.indikator, "", "", "", "", ""])
        years = [n for n in p.tahun if n.tahun < tahun] if p else []
        for n in years:
            rows.append([str(n.tahun), "", _angka_satuan(n.realisasi, r.satuan),
                         format_angka(n.capaian, 2, 2) or "–", "", ""])
        akhir = kemajuan = "–"
        if p and p.target_renstra_akhir is not None:
            akhir = f"{_angka_satuan(p.target_renstra_akhir, r.satuan)} ({p.tahun_renstra_akhir})"
            kemajuan = format_angka(p.tingkat_kemajuan, 2, 2) or "–"
        rows.append([str(tahun), _angka_satuan(r.target_sd_tw, r.satuan), _angka_satuan(r.realisasi, r.satuan),
                     format_angka(r.capaian, 2, 2) or "–", akhir, kemajuan])
    judul_tabel(doc, f"Tabel {nomor} Perbandingan Realisasi dan Capaian Sasaran {s.nomor} dengan Tahun Sebelumnya "
                     f"dan Target Akhir Renstra")
    tabel(doc, ["Tahun", "Target", "Realisasi", "Capaian (%)", "Target Akhir Renstra", "Tingkat Kemajuan (%)"],
          rows, [1.6, 2.8, 2.8, 2.4, 4.2, 3.2], tengah={0}, kanan={1, 2, 3, 4, 5}, grup=grup, ukuran=UKURAN_TABEL)


def _analisis(doc: Document, s: SasaranStrategis, t: dict[str, str]) -> None:
    doc.add_heading(t["bab3.analisis_judul"], level=3)
    for r in s.baris:
        a = s.analisis.get(r.kode)
        filled = [(LABEL_KOLOM[k], getattr(a, k)) for k in KOLOM if a and getattr(a, k).strip()]
        if not filled:
            paragraf(doc, tulis(t, "bab3.analisis_kosong", indikator=r.indikator), rata=True)
            continue
        if len(s.baris) > 1:
            paragraf(doc, r.indikator, bold=True)
        for label, text in filled:
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            para.add_run(f"{label}: ").bold = True
            para.add_run(text.strip())


def _tabel_anggaran(doc: Document, rows_in: Sequence[BarisAnggaran], *, with_jumlah: BarisAnggaran | None) -> None:
    rows, bold = [], set()
    for r in rows_in:
        if r.tingkat == "program":
            bold.add(len(rows))
        rows.append([r.kode, r.nama if r.tingkat != "sub_kegiatan" else f"– {r.nama}", format_angka(r.pagu),
                     format_angka(r.realisasi), format_angka(r.persen, 2, 2) or "–", format_angka(r.sisa)])
    if with_jumlah is not None:
        bold.add(len(rows))
        rows.append(["", "Jumlah", format_angka(with_jumlah.pagu), format_angka(with_jumlah.realisasi),
                     format_angka(with_jumlah.persen, 2, 2) or "–", format_angka(with_jumlah.sisa)])
    tabel(doc, ["Kode", "Program / Kegiatan / Sub Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "%", "Sisa (Rp)"],
          rows, LEBAR_ANGGARAN, kanan={2, 3, 4, 5}, jumlah=bold, ukuran=UKURAN_TABEL)


def _bab3a(doc: Document, isi: IsiLKjIP, t: dict[str, str]) -> None:
    lap, nomor = isi.laporan, isi.nomor or nomor_tabel(isi.laporan)
    _judul_bab(doc, "BAB III\nAKUNTABILITAS KINERJA")
    doc.add_heading("A. Capaian Kinerja Organisasi", level=2)
    paragraf(doc, tulis(t, "bab3.pengukuran", tabel_kategori=nomor.kategori), rata=True)
    judul_tabel(doc, f"Tabel {nomor.kategori} Skala Nilai Peringkat Kinerja")
    tabel(doc, ["No", "Interval Capaian (%)", "Kategori"], SKALA_KATEGORI, [1.0, 5.0, 5.0], tengah={0, 1},
          ukuran=UKURAN_TABEL)
    rata = isi.rata_rata
    if rata is None:
        paragraf(doc, t["bab3.ringkasan_kosong"], rata=True)
    else:
        paragraf(doc, tulis(t, "bab3.ringkasan", periode=lap.periode.lower(), jumlah=len(isi.baris_sasaran),
                            rata_rata=format_persen(rata), kategori=kategori_capaian(rata),
                            sebaran=_sebaran_teks(isi, t), tabel_pengukuran=nomor.pengukuran,
                            tabel_sebaran=nomor.sebaran), rata=True)
    unit = lap.unit[0] if lap.unit else None
    _tabel_pengukuran(doc, nomor.pengukuran, f"Pengukuran Kinerja Sasaran Strategis {lap.periode}"
                      + (f" ({unit.unit_nama})" if unit else ""), isi.baris_sasaran)
    judul_tabel(doc, f"Tabel {nomor.sebaran} Jumlah Indikator Sasaran Strategis per Kategori")
    rows = [[k, str(isi.sebaran.get(k, 0))] for k in KATEGORI_URUT]
    if isi.sebaran.get(""):
        rows.append(["Belum terukur", str(isi.sebaran[""])])
    rows.append(["Jumlah", str(len(isi.baris_sasaran))])
    rows.append(["Rata-rata capaian (%)", format_angka(rata, 2, 2) or "–"])
    tabel(doc, ["Kategori", "Jumlah Indikator"], rows, [6.0, 4.0], kanan={1}, jumlah={len(rows) - 2, len(rows) - 1},
          ukuran=UKURAN_TABEL)
    for s, (t_banding, t_dukung) in zip(isi.sasaran, nomor.sasaran, strict=True):
        doc.add_heading(f"Sasaran {s.nomor}: {s.sasaran}", level=3)
        paragraf(doc, tulis(t, "bab3.sasaran", jumlah=len(s.baris), tabel=t_banding), rata=True)
        for r in s.baris:
            paragraf(doc, _kalimat_indikator(r, s, isi, t), rata=True)
        _tabel_perbandingan(doc, t_banding, s, lap.tahun)
        _analisis(doc, s, t)
        if s.program:
            pagu, spent = sum(r.pagu for r in s.program), sum(r.realisasi for r in s.program)
            paragraf(doc, tulis(t, "bab3.pendukung", tabel=t_dukung, pagu=format_rupiah(pagu),
                                realisasi=format_rupiah(spent), persen=_persen(persen_serapan(spent, pagu))),
                     rata=True)
        else:
            paragraf(doc, tulis(t, "bab3.pendukung_kosong", tabel=t_dukung), rata=True)
        judul_tabel(doc, f"Tabel {t_dukung} Program dan Kegiatan Pendukung Sasaran {s.nomor}")
        _tabel_anggaran(doc, s.pendukung, with_jumlah=None)


def _bab3b(doc: Document, isi: IsiLKjIP, t: dict[str, str]) -> None:
    lap, nomor = isi.laporan, isi.nomor or nomor_tabel(isi.laporan)
    doc.add_heading("B. Realisasi Anggaran", level=2)
    jumlah = lap.anggaran_jumlah
    paragraf(doc, tulis(t, "bab3.anggaran", instansi=lap.instansi.nama, tahun=lap.tahun,
                        pagu=format_rupiah(jumlah.pagu), realisasi=format_rupiah(jumlah.realisasi),
                        persen=_persen(jumlah.persen), sisa=format_rupiah(jumlah.sisa), tabel=nomor.anggaran,
                        tabel_sasaran=nomor.anggaran_sasaran), rata=True)
    judul_tabel(doc, f"Tabel {nomor.anggaran} Realisasi Anggaran {lap.periode}")
    _tabel_anggaran(doc, lap.anggaran, with_jumlah=jumlah)
    rows, grup = [], set()
    for s in isi.sasaran:
        grup.add(len(rows))
        rows.append([f"Sasaran {s.nomor}:", s.sasaran, "", "", "", ""])
        capaian = s.rata_rata
        if not s.program:
            rows.append(["", "(tidak terhubung langsung dengan program)", "–", "–", "–",
                         format_angka(capaian, 2, 2) or "–"])
        for r in s.program:
            rows.append([r.kode, r.nama, format_angka(r.pagu), format_angka(r.realisasi),
                         format_angka(r.persen, 2, 2) or "–", format_angka(capaian, 2, 2) or "–"])
    judul_tabel(doc, f"Tabel {nomor.anggaran_sasaran} Anggaran per Sasaran Strategis {lap.periode}")
    tabel(doc, ["Kode", "Sasaran / Program", "Pagu (Rp)", "Realisasi (Rp)", "Penyerapan (%)", "Capaian Kinerja (%)"],
          rows, [1.4, 6.1, 2.7, 2.7, 2.0, 2.1], kanan={2, 3, 4, 5}, grup=grup, ukuran=UKURAN_TABEL)
    doc.add_heading("C. Efisiensi Penggunaan Sumber Daya", level=2)
    paragraf(doc, t["bab3.efisiensi_metode"], rata=True)
    rated = [r for r in lap.efisiensi if r.keterangan]
    if rated:
        efisien = sum(1 for r in rated if r.keterangan == "Efisien")
        paragraf(doc, tulis(t, "bab3.efisiensi", jumlah=len(rated), efisien=efisien, kurang=len(rated) - efisien,
                            tabel=nomor.efisiensi), rata=True)
    else:
        paragraf(doc, t["bab3.efisiensi_kosong"], rata=True)
    rows = [[r.kode, r.nama, format_angka(r.capaian, 2, 2) or "–", format_angka(r.penyerapan, 2, 2) or "–",
             format_angka(r.selisih, 2, 2) or "–", r.keterangan or "–"] for r in lap.efisiensi]
    bold = {n for n, r in enumerate(lap.efisiensi) if r.tingkat == "program"}
    judul_tabel(doc, f"Tabel {nomor.efisiensi} Efisiensi: Capaian Kinerja dan Penyerapan Anggaran")
    tabel(doc, ["Kode", "Program / Kegiatan", "Capaian Kinerja (%)", "Penyerapan Anggaran (%)", "Selisih",
                "Keterangan"], rows, LEBAR_EFISIENSI, kanan={2, 3, 4}, jumlah=bold, ukuran=UKURAN_TABEL)


def _bab4(doc: Document, isi: IsiLKjIP, t: dict[str, str]) -> None:
    lap = isi.laporan
    _judul_bab(doc, "BAB IV\nPENUTUP")
    jumlah = lap.anggaran_jumlah
    rata = isi.rata_rata
    paragraf(doc, tulis(t, "bab4.kesimpulan", instansi=lap.instansi.nama, periode=lap.periode.lower(),
                        jumlah=len(isi.baris_sasaran), rata_rata=_persen(rata),
                        kategori=kategori_capaian(rata) or "belum terukur", persen_anggaran=_persen(jumlah.persen),
                        pagu=format_rupiah(jumlah.pagu)), rata=True)
    measured = [r for r in isi.baris_sasaran if r.capaian is not None]
    if measured:
        low = min(measured, key=lambda r: r.capaian)  # type: ignore[arg-type,return-value]
        paragraf(doc, tulis(t, "bab4.terendah", indikator=low.indikator, capaian=format_persen(low.capaian)),
                 rata=True)
    paragraf(doc, tulis(t, "bab4.penutup", instansi=lap.instansi.nama), rata=True)
    if isi.pk is not None:
        tempat = lap.instansi.tempat or lap.instansi.kabupaten
        p = isi.pk.pertama
        tanda_tangan(doc, [Penandatangan("", "", None), Penandatangan(p.jabatan, p.nama, p.nip)],
                     tempat_tanggal=f"{tempat}, {tanggal_id(lap.dicetak)}")


def _lampiran(doc: Document, isi: IsiLKjIP) -> None:
    lap, nomor = isi.laporan, isi.nomor or nomor_tabel(isi.laporan)
    if isi.pk is not None:
        _judul_bab(doc, "LAMPIRAN I\nPERJANJIAN KINERJA")
        tulis_pk(doc, isi.pk)
    others = lap.unit[1:]
    if others:
        _judul_bab(doc, f"LAMPIRAN {'II' if isi.pk is not None else 'I'}\nPENGUKURAN KINERJA UNIT KERJA")
        for table in others:
            _tabel_pengukuran(doc, nomor.unit[table.unit_kode], f"Pengukuran Kinerja {table.unit_nama} {lap.periode}",
                              table.baris)


def build_lkjip_docx(isi: IsiLKjIP, templates: dict[str, str] | None = None) -> bytes:
    """Return the LKjIP draft: Bab I to IV and the Lampiran, A4 portrait, numbered tables, editable narrative."""
    t = templates if templates is not None else load_narasi()
    lap = isi.laporan
    doc = dokumen_baru()
    for text, size in ((f"LAPORAN KINERJA INSTANSI PEMERINTAH\n(LKjIP)\n{lap.periode.upper()}", 16),
                       (f"{lap.instansi.nama.upper()}\n{lap.instansi.kabupaten.upper()}", 14)):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_before = Pt(0 if size == 16 else 120)
        run = para.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    paragraf(doc, f"{lap.catatan_versi} {lap.catatan_angka}.", tengah=True, ukuran=9)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _bab1(doc, isi, t)
    _bab2(doc, isi, t)
    _bab3a(doc, isi, t)
    _bab3b(doc, isi, t)
    _bab4(doc, isi, t)
    _lampiran(doc, isi)
    return ke_bytes(doc)

