"""The quarterly report of a unit, or of the office, for the dialog kinerja (pengukuran berjenjang).

A unit's report (one or two A4 landscape pages): its agreement's indicators with target s.d. TW,
realisasi, capaian and kategori and the capaian of each triwulan so far; the trend of the unit (a small
table per triwulan: indicators measured, mean capaian, count per kategori); the analysis of the
triwulan; the absorption of the unit's sub kegiatan; and an empty notulen for the dialog with the
superior, with both signatures. The office's report puts the Camat's sasaran first and rolls the
units up under each of them (the units' indicators that hang below the sasaran's program in the
cascade), then the office's trend, the budget per program, the analyses and the notulen.
Every figure is the engine's (kinerja.baca.laporan, kinerja.aturan.capaian).
"""

from dataclasses import dataclass
from decimal import Decimal

from docx.document import Document
from docx.shared import Cm
from sqlmodel import Session, select

from kinerja.aturan.capaian import (
    KATEGORI_URUT,
    ROMAWI,
    TRIWULAN,
    bulan_akhir,
    kategori_capaian,
    mean_capaian,
    persen_serapan,
    subtree,
    total_realisasi_anggaran,
)
from kinerja.aturan.format import format_angka, format_persen, format_rupiah, nama_triwulan
from kinerja.baca.laporan import Capaian, compute_capaian_tahun
from kinerja.dokumen import word
from kinerja.dokumen.lkjip import catatan_angka
from kinerja.simpan.analisis import KOLOM, LABEL_KOLOM, load_analisis
from kinerja.simpan.models import Analisis, Instansi, Pejabat, Unit
from kinerja.simpan.queries import BarisIndikator, NodeAnggaran, NotFound, list_tahun, list_units

UKURAN = 8
GARIS_NOTULEN = 6
MARGIN_CM = 1.2  # top and bottom: a unit of 26 indicators stays on two pages
TITIK = "." * 300  # one line across A4 landscape at 8 pt


@dataclass(frozen=True)
class Tren:
    """One triwulan of a set of indicators: how many have a capaian, their mean (capped), and per kategori."""

    triwulan: int
    diukur: int
    jumlah: int
    rata_rata: Decimal | None
    per_kategori: dict[str, int]


def compute_tren(per_tw: dict[int, Capaian], kode: list[str]) -> list[Tren]:
    """Return the trend of these indicators over the triwulans computed so far."""
    rows = []
    for t, cap in per_tw.items():
        values = [cap.hasil[k].capaian_sd_tw for k in kode if k in cap.hasil]
        present = [v for v in values if v is not None]
        counts = {k: 0 for k in KATEGORI_URUT}
        for v in present:
            counts[kategori_capaian(v) or ""] += 1
        rows.append(Tren(triwulan=t, diukur=len(present), jumlah=len(values), rata_rata=mean_capaian(present),
                         per_kategori=counts))
    return rows


def _unik(baris: list[BarisIndikator]) -> list[BarisIndikator]:
    seen: dict[str, BarisIndikator] = {}
    for b in baris:
        seen.setdefault(b.indikator.kode, b)
    return list(seen.values())


def _tabel_indikator(doc: Document, baris: list[BarisIndikator], per_tw: dict[int, Capaian], triwulan: int) -> None:
    cap = per_tw[triwulan]
    tws = list(per_tw)
    header = ["No", "Indikator kinerja", "Satuan", "Target tahun", f"Target s.d. TW {ROMAWI[triwulan]}",
              f"Realisasi s.d. TW {ROMAWI[triwulan]}", "Capaian (%)", "Kategori",
              *[f"Capaian TW {ROMAWI[t]} (%)" for t in tws]]
    rows = []
    for b in baris:
        h = cap.hasil[b.indikator.kode]
        rows.append([b.no, b.indikator.nama, b.indikator.satuan, format_angka(h.target_tahunan),
                     format_angka(h.target_sd_tw), format_angka(h.realisasi), format_angka(h.capaian_sd_tw, 2, 2),
                     h.kategori or "", *[format_angka(per_tw[t].hasil[b.indikator.kode].capaian_sd_tw, 2, 2)
                                         for t in tws]])
    fixed = [0.8, 0, 1.8, 1.5, 1.6, 1.7, 1.5, 2.0]
    tw_cm = [1.4] * len(tws)
    fixed[1] = 26.7 - sum(fixed) - sum(tw_cm)
    word.tabel(doc, header, rows, fixed + tw_cm, kanan={3, 4, 5, 6, *range(8, 8 + len(tws))}, tengah={0},
               ukuran=UKURAN)


def _tabel_tren(doc: Document, tren: list[Tren]) -> None:
    header = ["Triwulan", "Indikator terukur", "Rata-rata capaian (%)", *KATEGORI_URUT]
    rows = [[f"s.d. TW {ROMAWI[t.triwulan]}", f"{t.diukur} dari {t.jumlah}", format_angka(t.rata_rata, 2, 2),
             *[str(t.per_kategori[k]) for k in KATEGORI_URUT]] for t in tren]
    word.tabel(doc, header, rows, [2.4, 2.6, 2.6, *[2.2] * len(KATEGORI_URUT)], kanan=set(range(1, 8)),
               ukuran=UKURAN)


def _tabel_analisis(doc: Document, baris: list[BarisIndikator], analisis: dict[str, Analisis]) -> None:
    rows = []
    for b in baris:
        a = analisis.get(b.indikator.kode)
        if a is not None and any((getattr(a, k) or "").strip() for k in KOLOM):
            rows.append([b.no, b.indikator.nama, *[getattr(a, k) or "" for k in KOLOM]])
    if not rows:
        word.paragraf(doc, "Belum ada analisis yang diisi untuk triwulan ini.", ukuran=UKURAN)
        return
    header = ["No", "Indikator", *[LABEL_KOLOM[k] for k in KOLOM]]
    word.tabel(doc, header, rows, [0.8, 5.4, 4.1, 4.1, 4.1, 4.1, 4.1], tengah={0}, ukuran=UKURAN)


def _node_unit(anggaran: list[NodeAnggaran], unit_id: int | None) -> list[NodeAnggaran]:
    """The unit's sub kegiatan; a unit with none (the Camat, the Sekretariat) gets the nodes it heads."""
    own = [n for n in anggaran if unit_id is None or n.unit.id == unit_id]
    if unit_id is None:
        return [n for n in own if n.node.tingkat == "program"]
    sub = [n for n in own if n.node.tingkat == "sub_kegiatan"]
    return sub or own


def _tabel_anggaran(doc: Document, cap: Capaian, nodes: list[NodeAnggaran]) -> None:
    if not nodes:
        word.paragraf(doc, "Unit ini tidak mengelola anggaran sendiri.", ukuran=UKURAN)
        return
    data, sd = cap.data_tahun.data, bulan_akhir(cap.triwulan)
    rows, total_pagu, total_spent, ada = [], 0, 0, False
    kode = {n.node.kode for n in nodes}
    for n in nodes:
        spent = total_realisasi_anggaran(data.anggaran, data.realisasi_anggaran, n.node.kode, sd)
        rows.append([n.node.kode, n.node.nama, format_rupiah(n.pagu), format_rupiah(spent),
                     format_angka(persen_serapan(spent, n.pagu), 2, 2), format_rupiah(n.pagu - (spent or 0))])
        if n.induk_kode not in kode:  # a listed parent already holds its children's Rupiah
            total_pagu += n.pagu
            total_spent += spent or 0
            ada = ada or spent is not None
    spent_total = total_spent if ada else None  # nothing entered yet is no realisasi, not Rp 0
    rows.append(["", "Jumlah", format_rupiah(total_pagu), format_rupiah(spent_total),
                 format_angka(persen_serapan(spent_total, total_pagu), 2, 2), format_rupiah(total_pagu - total_spent)])
    word.tabel(doc, ["Kode", "Program / kegiatan / sub kegiatan", "Pagu", f"Realisasi s.d. TW {ROMAWI[cap.triwulan]}",
                     "Serapan (%)", "Sisa"], rows, [1.4, 12.3, 3.4, 3.4, 2.2, 3.4], kanan={2, 3, 4, 5},
               jumlah={len(rows) - 1}, ukuran=UKURAN)


def _notulen(doc: Document, pihak: list[word.Penandatangan]) -> None:
    doc.add_heading("Notulen dialog kinerja / tanggapan pimpinan", level=3)
    word.paragraf(doc, f"Tanggal dialog: {'.' * 40}    Peserta: {'.' * 90}", ukuran=UKURAN)
    for _ in range(GARIS_NOTULEN):
        word.paragraf(doc, TITIK, ukuran=UKURAN)
    if pihak:
        word.tanda_tangan(doc, pihak)


def _pejabat(session: Session, unit: Unit | None) -> Pejabat | None:
    if unit is None:
        return None
    return session.exec(select(Pejabat).where(Pejabat.unit_id == unit.id)).first()


def _penandatangan(judul: str, p: Pejabat | None) -> list[word.Penandatangan]:
    return [word.Penandatangan(f"{judul}\n{p.jabatan}", p.nama, p.nip or None)] if p else []


def _kop(doc: Document, judul: str, baris: list[str]) -> None:
    word.paragraf(doc, judul, bold=True, tengah=True, ukuran=UKURAN + 4)
    for line in baris:
        word.paragraf(doc, line, tengah=True, ukuran=UKURAN + 1)


def _laporan_unit(doc: Document, session: Session, unit: Unit, units: dict[int, Unit],
                  per_tw: dict[int, Capaian], analisis: dict[str, Analisis]) -> None:
    triwulan = max(per_tw)
    cap = per_tw[triwulan]
    baris = [b for b in cap.data_tahun.baris if b.unit.id == unit.id]
    office = cap.data_tahun.instansi
    _kop(doc, f"LAPORAN KINERJA {nama_triwulan(triwulan).upper()} TAHUN {cap.data_tahun.tahun}",
         [f"{unit.nama} — {office.nama}", f"Target menurut {cap.data_tahun.versi.nama}; angka s.d. akhir "
                                          f"{nama_triwulan(triwulan)} ({bulan_akhir(triwulan)} bulan).",
          catatan_angka(cap.hanya_disahkan)])
    doc.add_heading("1. Capaian indikator kinerja", level=3)
    _tabel_indikator(doc, baris, per_tw, triwulan)
    doc.add_heading("2. Tren capaian per triwulan", level=3)
    _tabel_tren(doc, compute_tren(per_tw, [b.indikator.kode for b in _unik(baris)]))
    doc.add_heading(f"3. Analisis {nama_triwulan(triwulan)}", level=3)
    _tabel_analisis(doc, baris, analisis)
    doc.add_heading("4. Penyerapan anggaran", level=3)
    _tabel_anggaran(doc, cap, _node_unit(cap.data_tahun.anggaran, unit.id))
    atasan = units.get(unit.induk_id) if unit.induk_id else None
    _notulen(doc, _penandatangan("Atasan langsung", _pejabat(session, atasan))
             + _penandatangan("Kepala unit", _pejabat(session, unit)))


@dataclass(frozen=True)
class UnitSasaran:
    """A unit's indicators under one of the Camat's sasaran: how many, their mean capaian, their absorption."""

    unit: str
    jumlah: int
    rata_rata: Decimal | None
    serapan: Decimal | None


def rollup_sasaran(cap: Capaian, pimpinan_row: BarisIndikator) -> list[UnitSasaran]:
    """Roll the units' agreement rows that hang below a Camat row's program up per unit (capaian capped at 100)."""
    data_tahun, sd = cap.data_tahun, bulan_akhir(cap.triwulan)
    if not pimpinan_row.anggaran_kode:
        return []
    data = data_tahun.data
    below = subtree(data.anggaran, pimpinan_row.anggaran_kode)
    per_unit: dict[int, list[BarisIndikator]] = {}
    for b in data_tahun.baris:
        if b.unit.jenis != "pimpinan" and b.anggaran_kode in below:
            per_unit.setdefault(b.unit.id, []).append(b)
    rows = []
    for rows_unit in per_unit.values():
        unit = rows_unit[0].unit
        nodes = [n for n in data_tahun.anggaran if n.unit.id == unit.id and n.node.kode in below]
        top = [n for n in nodes if n.induk_kode not in {m.node.kode for m in nodes}]
        spent = [total_realisasi_anggaran(data.anggaran, data.realisasi_anggaran, n.node.kode, sd) for n in top]
        serapan = (persen_serapan(sum(s or 0 for s in spent), sum(n.pagu for n in top))
                   if any(s is not None for s in spent) else None)
        rows.append(UnitSasaran(unit=unit.nama, jumlah=len(rows_unit),
                                rata_rata=mean_capaian(cap.hasil[b.indikator.kode].capaian_sd_tw for b in rows_unit),
                                serapan=serapan))
    return rows


def _laporan_kantor(doc: Document, session: Session, units: dict[int, Unit], per_tw: dict[int, Capaian],
                    analisis: dict[str, Analisis]) -> None:
    triwulan = max(per_tw)
    cap = per_tw[triwulan]
    office = cap.data_tahun.instansi
    pimpinan = next((u for u in units.values() if u.jenis == "pimpinan"), None)
    camat = [b for b in cap.data_tahun.baris if pimpinan is not None and b.unit.id == pimpinan.id]
    _kop(doc, f"LAPORAN KINERJA {nama_triwulan(triwulan).upper()} TAHUN {cap.data_tahun.tahun}",
         [office.nama + " (pengukuran kinerja berjenjang)",
          f"Target menurut {cap.data_tahun.versi.nama}; angka s.d. akhir {nama_triwulan(triwulan)}.",
          catatan_angka(cap.hanya_disahkan)])
    doc.add_heading("1. Capaian sasaran", level=3)
    _tabel_indikator(doc, camat, per_tw, triwulan)
    doc.add_heading("2. Capaian unit di bawah setiap sasaran", level=3)
    rows: list[list[str]] = []
    grup = set()
    for b in camat:
        grup.add(len(rows))
        h = cap.hasil[b.indikator.kode]
        rows.append([f"{b.no}. {b.sasaran} — {b.indikator.nama}: capaian {format_persen(h.capaian_sd_tw) or '-'}",
                     "", "", "", "", ""])
        roll = rollup_sasaran(cap, b)
        if not roll:
            rows.append(["", "Diukur langsung pada tingkat kecamatan (tidak diturunkan ke unit).", "", "", "", ""])
        for r in roll:
            rows.append(["", r.unit, str(r.jumlah), format_angka(r.rata_rata, 2, 2),
                         kategori_capaian(r.rata_rata) or "", format_angka(r.serapan, 2, 2)])
    word.tabel(doc, ["", "Unit", "Jumlah indikator", "Rata-rata capaian (%)", "Kategori", "Serapan anggaran (%)"],
               rows, [0.8, 13.6, 2.7, 3.3, 3.0, 3.3], kanan={2, 3, 5}, grup=grup, ukuran=UKURAN)
    doc.add_heading("3. Tren capaian kecamatan per triwulan", level=3)
    _tabel_tren(doc, compute_tren(per_tw, [b.indikator.kode for b in _unik(cap.data_tahun.baris)]))
    doc.add_heading("4. Penyerapan anggaran per program", level=3)
    _tabel_anggaran(doc, cap, _node_unit(cap.data_tahun.anggaran, None))
    doc.add_heading(f"5. Analisis {nama_triwulan(triwulan)}", level=3)
    _tabel_analisis(doc, _unik(cap.data_tahun.baris), analisis)
    _notulen(doc, _penandatangan("Pimpinan", _pejabat(session, pimpinan)))


def build_laporan_triwulan_docx(session: Session, instansi: Instansi, tahun: int, triwulan: int,
                                unit_kode: str | None, hanya_disahkan: bool = False) -> bytes:
    """Return the quarterly report of one unit (by kode), or of the office when `unit_kode` is None, as DOCX
    (`hanya_disahkan`: approved unit-months only; the title block says which)."""
    if tahun not in list_tahun(session, instansi.id):
        raise NotFound(f"tidak ada perjanjian kinerja tahun {tahun}")
    per_tw = {t: compute_capaian_tahun(session, instansi, tahun, t, hanya_disahkan) for t in TRIWULAN if t <= triwulan}
    return export_laporan_triwulan_docx(session, per_tw, unit_kode)


def export_laporan_triwulan_docx(session: Session, per_tw: dict[int, Capaian], unit_kode: str | None) -> bytes:
    """Write the quarterly report s.d. the last triwulan of `per_tw` (capaian already computed, one per triwulan
    from I) for one unit, or for the office when `unit_kode` is None."""
    triwulan = max(per_tw)
    instansi, tahun = per_tw[triwulan].data_tahun.instansi, per_tw[triwulan].data_tahun.tahun
    units = {u.id: u for u in list_units(session, instansi.id)}
    analisis = load_analisis(session, instansi.id, tahun, triwulan)
    doc = word.dokumen_baru(landscape=True, ukuran=UKURAN + 1)
    doc.sections[0].top_margin = doc.sections[0].bottom_margin = Cm(MARGIN_CM)
    if unit_kode is None:
        _laporan_kantor(doc, session, units, per_tw, analisis)
    else:
        unit = next((u for u in units.values() if u.kode == unit_kode), None)
        if unit is None or not any(b.unit.id == unit.id for b in per_tw[triwulan].data_tahun.baris):
            raise NotFound(f"unit '{unit_kode}' tidak punya perjanjian kinerja tahun {tahun}")
        _laporan_unit(doc, session, unit, units, per_tw, analisis)
    return word.ke_bytes(doc)
