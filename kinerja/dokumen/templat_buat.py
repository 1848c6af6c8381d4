"""The Excel entry template: its layout, and building it (one protected sheet per unit).

A sheet is named after its unit's kode. Its rows are the indicators the unit enters, in the order
of the agreements; a ratio takes two rows (pembilang, penyebut). A hidden cell records which
office, year and unit the sheet was made for, so that `kinerja.dokumen.templat_baca` can check a filled
file before it reads any number from it.

After the units' sheets, each unit has an "Analisis <kode>" sheet: one row per indicator and
triwulan with the unit's four analysis fields (faktor pendorong, faktor penghambat, upaya / solusi,
rencana tindak lanjut), prefilled with what is stored, so a unit can write its analysis offline too.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from sqlmodel import Session, select

from kinerja.aturan.capaian import ROMAWI, TRIWULAN, Bulanan
from kinerja.aturan.format import nama_bulan
from kinerja.dokumen.ekspor import buka_workbook
from kinerja.errors import ValidationError
from kinerja.simpan.analisis import KOLOM_UNIT, LABEL_KOLOM, load_analisis
from kinerja.simpan.models import Analisis, Indikator, Instansi, Unit
from kinerja.simpan.queries import DataTahun, load_data_tahun
from kinerja.simpan.realisasi import is_count
from kinerja.simpan.wewenang import diisi_tangan

HEADER = ["Kode", "Indikator", "Diisi", "Satuan"] + [nama_bulan(b) for b in range(1, 13)]
HEADER_ROW = 6  # 1-based, as Excel shows it; the data rows follow
FIRST_MONTH_COL = 5  # E = Januari ... P = Desember
META_COL = 17  # Q, hidden: which office, year and unit the sheet was made for
MARK = "kinerja-templat"
EXTRA_ROWS = 500  # how far below the template a pasted row is still looked for
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CARA_MENGISI = [
    "Cara mengisi: tulis realisasi setiap bulan pada kolom bulannya, nilai bulan itu saja (bukan kumulatif).",
    "Indikator persentase diisi dua baris: pembilang dan penyebut. Sel kosong = belum diisi / tidak diubah "
    "(menghapus isian dilakukan di aplikasi).",
    "Jangan mengganti nama lembar, judul kolom, atau urutan baris; unggah kembali berkas ini di halaman Isi "
    "realisasi.",
]

ANALISIS = "Analisis "  # + the unit's kode: the name of a unit's analysis sheet
ANALISIS_HEADER = ["Kode", "Indikator", "Triwulan", *(LABEL_KOLOM[k] for k in KOLOM_UNIT)]
ANALISIS_META_COL = 8  # H, hidden
MARK_ANALISIS = "kinerja-analisis"
CARA_ANALISIS = [
    "Cara mengisi: tulis analisis tiap indikator per triwulan. Indikator dengan capaian Sedang ke bawah (< 76 %) "
    "wajib diisi faktor penghambat dan rencana tindak lanjutnya sebelum bulan terakhir triwulan diajukan.",
    "Sel kosong = tidak diubah. Jangan mengganti nama lembar, judul kolom, atau urutan baris.",
]


def nama_lembar_analisis(unit_kode: str) -> str:
    """Return the name of a unit's analysis sheet (Excel allows 31 characters)."""
    return (ANALISIS + unit_kode)[:31]


def baris_analisis(lembar: "LembarUnit") -> list[tuple[Indikator, int]]:
    """Return the rows of a unit's analysis sheet: each of its indicators, triwulan I to IV."""
    indicators = list({b.indikator.kode: b.indikator for b in lembar.baris}.values())
    return [(ind, tw) for ind in indicators for tw in TRIWULAN]


@dataclass(frozen=True)
class BarisTemplat:
    """One row of a unit's sheet: an indicator and what the row holds (nilai, pembilang or penyebut)."""

    indikator: Indikator
    diisi: str


@dataclass(frozen=True)
class LembarUnit:
    """The expected content of one unit's sheet."""

    unit: Unit
    baris: list[BarisTemplat]


def list_lembar(session: Session, data_tahun: DataTahun) -> dict[str, LembarUnit]:
    """Return, per unit kode, the rows of the sheet of every unit that enters indicators itself."""
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.instansi_id == data_tahun.instansi.id))}
    rows: dict[int, list[BarisTemplat]] = {}
    seen: set[str] = set()
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.kode in seen or not diisi_tangan(ind):
            continue
        seen.add(ind.kode)
        kinds = ["pembilang", "penyebut"] if ind.jenis == "rasio" else ["nilai"]
        rows.setdefault(ind.unit_id, []).extend(BarisTemplat(ind, k) for k in kinds)
    ordered = sorted(rows, key=lambda uid: (units[uid].urutan, units[uid].kode))
    return {units[uid].kode: LembarUnit(unit=units[uid], baris=rows[uid]) for uid in ordered}


def _meta(instansi: Instansi, tahun: int, unit_kode: str) -> str:
    return f"{MARK}|{instansi.kode}|{tahun}|{unit_kode}"


def _label(b: BarisTemplat) -> str:
    ind = b.indikator
    extra = ind.label_pembilang if b.diisi == "pembilang" else ind.label_penyebut if b.diisi == "penyebut" else ""
    return f"{ind.nama} ({b.diisi}: {extra})" if extra else ind.nama


def tersimpan(bulanan: Bulanan | None, diisi: str) -> Decimal | None:
    """Return the stored component of a month that a template row holds (nilai, pembilang or penyebut)."""
    return None if bulanan is None else getattr(bulanan, diisi)


def build_template(
    session: Session, instansi: Instansi, tahun: int, unit_kodes: list[str] | None = None
) -> bytes:
    """Return the XLSX entry template of these units (all units that enter indicators when None)."""
    data_tahun = load_data_tahun(session, instansi, tahun)
    lembar = list_lembar(session, data_tahun)
    kodes = list(unit_kodes) if unit_kodes else list(lembar)
    unknown = [k for k in kodes if k not in lembar]
    if unknown:
        raise ValidationError([
            f"unit '{k}' tidak mengisi indikator sendiri atau tidak dikenal; pilih: {', '.join(lembar)}"
            for k in unknown
        ])
    stored = data_tahun.data.realisasi
    buffer = io.BytesIO()
    workbook = buka_workbook(buffer)  # names typed by users stay text, never a formula or a link
    fmt = {
        "judul": workbook.add_format({"bold": True, "font_size": 14}),
        "sub": workbook.add_format({"bold": True}),
        "catatan": workbook.add_format({"italic": True, "font_color": "#555555"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True,
                                       "valign": "vcenter"}),
        "id": workbook.add_format({"border": 1, "valign": "top", "bg_color": "#F2F2F2"}),
        "nama": workbook.add_format({"border": 1, "valign": "top", "bg_color": "#F2F2F2", "text_wrap": True}),
        "isi": workbook.add_format({"border": 1, "valign": "top", "locked": False, "bg_color": "#FFF9DB"}),
    }
    for kode in kodes:
        _write_sheet(workbook, fmt, instansi, tahun, lembar[kode], stored)
    analisis = {tw: load_analisis(session, instansi.id, tahun, tw) for tw in TRIWULAN}
    for kode in kodes:
        _write_analisis(workbook, fmt, instansi, tahun, lembar[kode], analisis)
    workbook.close()
    return buffer.getvalue()


def _write_sheet(workbook: xlsxwriter.Workbook, fmt: dict, instansi: Instansi, tahun: int, lembar: LembarUnit,
                 stored: dict[str, dict[int, Bulanan]]) -> None:
    unit = lembar.unit
    ws = workbook.add_worksheet(unit.kode)
    ws.write_string(0, 0, f"Realisasi kinerja {instansi.nama} tahun {tahun}", fmt["judul"])
    ws.write_string(1, 0, f"Unit: {unit.nama} ({unit.kode})", fmt["sub"])
    for i, line in enumerate(CARA_MENGISI, start=2):
        ws.write_string(i, 0, line, fmt["catatan"])
    ws.write_string(0, META_COL - 1, _meta(instansi, tahun, unit.kode))
    top = HEADER_ROW - 1
    for col, title in enumerate(HEADER):
        ws.write_string(top, col, title, fmt["header"])
    for n, b in enumerate(lembar.baris, start=top + 1):
        ind = b.indikator
        ws.write_string(n, 0, ind.kode, fmt["id"])
        ws.write_string(n, 1, _label(b), fmt["nama"])
        ws.write_string(n, 2, b.diisi, fmt["id"])
        satuan = ind.satuan if b.diisi == "nilai" else "jumlah"
        ws.write_string(n, 3, satuan, fmt["id"])
        months = stored.get(ind.kode, {})
        for bulan in range(1, 13):
            value = tersimpan(months.get(bulan), b.diisi)
            col = FIRST_MONTH_COL - 2 + bulan
            if value is None:
                ws.write_blank(n, col, None, fmt["isi"])
            else:
                ws.write_number(n, col, float(value), fmt["isi"])
        whole = is_count(ind.satuan)
        ws.data_validation(n, FIRST_MONTH_COL - 1, n, FIRST_MONTH_COL + 10, {
            "validate": "integer" if whole else "decimal", "criteria": ">=", "value": 0,
            "error_title": "Bukan angka yang sah",
            "error_message": ("Isi bilangan bulat 0 atau lebih" if whole else "Isi angka 0 atau lebih")
            + f" ({satuan}), nilai bulan itu saja.",
        })
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 11)
    ws.set_column(3, 3, 12)
    ws.set_column(FIRST_MONTH_COL - 1, FIRST_MONTH_COL + 10, 11)
    ws.set_column(META_COL - 1, META_COL - 1, None, None, {"hidden": True})
    ws.freeze_panes(HEADER_ROW, FIRST_MONTH_COL - 1)
    ws.protect("", {"format_columns": True, "format_rows": True})


def _write_analisis(workbook: xlsxwriter.Workbook, fmt: dict, instansi: Instansi, tahun: int, lembar: LembarUnit,
                    analisis: dict[int, dict[str, Analisis]]) -> None:
    unit = lembar.unit
    ws = workbook.add_worksheet(nama_lembar_analisis(unit.kode))
    ws.write_string(0, 0, f"Analisis kinerja per triwulan {instansi.nama} tahun {tahun}", fmt["judul"])
    ws.write_string(1, 0, f"Unit: {unit.nama} ({unit.kode})", fmt["sub"])
    for i, line in enumerate(CARA_ANALISIS, start=2):
        ws.write_string(i, 0, line, fmt["catatan"])
    ws.write_string(0, ANALISIS_META_COL - 1, f"{MARK_ANALISIS}|{instansi.kode}|{tahun}|{unit.kode}")
    top = HEADER_ROW - 1
    for col, title in enumerate(ANALISIS_HEADER):
        ws.write_string(top, col, title, fmt["header"])
    teks = workbook.add_format({"border": 1, "valign": "top", "locked": False, "bg_color": "#FFF9DB",
                                "text_wrap": True})
    for n, (ind, tw) in enumerate(baris_analisis(lembar), start=top + 1):
        ws.write_string(n, 0, ind.kode, fmt["id"])
        ws.write_string(n, 1, ind.nama, fmt["nama"])
        ws.write_string(n, 2, ROMAWI[tw], fmt["id"])
        stored = analisis[tw].get(ind.kode)
        for col, k in enumerate(KOLOM_UNIT, start=3):
            ws.write_string(n, col, getattr(stored, k) if stored else "", teks)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 45)
    ws.set_column(2, 2, 9)
    ws.set_column(3, 2 + len(KOLOM_UNIT), 35)
    ws.set_column(ANALISIS_META_COL - 1, ANALISIS_META_COL - 1, None, None, {"hidden": True})
    ws.freeze_panes(HEADER_ROW, 3)
    ws.protect("", {"format_columns": True, "format_rows": True})
