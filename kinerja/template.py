"""The Excel entry template: one protected sheet per unit, filled month by month and read back validated.

A sheet is named after its unit's kode. Its rows are the indicators the unit enters, in the order
of the agreements; a ratio takes two rows (pembilang, penyebut). Reading a file back checks the
sheet names, the header and, row by row, that the Kode and Diisi columns are where the template put
them, so a moved row or an indicator pasted in from another unit is refused instead of being saved
under the wrong indicator. An empty cell means "no change", never a deletion.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session, select

from kinerja.angka import NILAI, AngkaError, parse_angka
from kinerja.capaian import Bulanan
from kinerja.errors import ValidationError
from kinerja.format import format_angka, nama_bulan
from kinerja.models import Indikator, Instansi, Unit
from kinerja.queries import Tahunan, load_tahunan
from kinerja.realisasi import EntriRealisasi, check_entri, is_count
from kinerja.wewenang import diisi_tangan

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


def list_lembar(session: Session, tahunan: Tahunan) -> dict[str, LembarUnit]:
    """Return, per unit kode, the rows of the sheet of every unit that enters indicators itself."""
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.instansi_id == tahunan.instansi.id))}
    rows: dict[int, list[BarisTemplat]] = {}
    seen: set[str] = set()
    for b in tahunan.baris:
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


def _stored(bulanan: Bulanan | None, diisi: str) -> Decimal | None:
    return None if bulanan is None else getattr(bulanan, diisi)


def build_template(
    session: Session, instansi: Instansi, tahun: int, unit_kodes: list[str] | None = None
) -> bytes:
    """Return the XLSX entry template of these units (all units that enter indicators when None)."""
    tahunan = load_tahunan(session, instansi, tahun)
    lembar = list_lembar(session, tahunan)
    kodes = list(unit_kodes) if unit_kodes else list(lembar)
    unknown = [k for k in kodes if k not in lembar]
    if unknown:
        raise ValidationError([
            f"unit '{k}' tidak mengisi indikator sendiri atau tidak dikenal; pilih: {', '.join(lembar)}"
            for k in unknown
        ])
    stored = tahunan.data.realisasi
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
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
    workbook.close()
    return buffer.getvalue()


def _write_sheet(workbook: xlsxwriter.Workbook, fmt: dict, instansi: Instansi, tahun: int, lembar: LembarUnit,
                 stored: dict[str, dict[int, Bulanan]]) -> None:
    unit = lembar.unit
    ws = workbook.add_worksheet(unit.kode)
    ws.write(0, 0, f"Realisasi kinerja {instansi.nama} tahun {tahun}", fmt["judul"])
    ws.write(1, 0, f"Unit: {unit.nama} ({unit.kode})", fmt["sub"])
    for i, line in enumerate(CARA_MENGISI, start=2):
        ws.write(i, 0, line, fmt["catatan"])
    ws.write(0, META_COL - 1, _meta(instansi, tahun, unit.kode))
    top = HEADER_ROW - 1
    ws.write_row(top, 0, HEADER, fmt["header"])
    for n, b in enumerate(lembar.baris, start=top + 1):
        ind = b.indikator
        ws.write(n, 0, ind.kode, fmt["id"])
        ws.write(n, 1, _label(b), fmt["nama"])
        ws.write(n, 2, b.diisi, fmt["id"])
        satuan = ind.satuan if b.diisi == "nilai" else "jumlah"
        ws.write(n, 3, satuan, fmt["id"])
        months = stored.get(ind.kode, {})
        for bulan in range(1, 13):
            value = _stored(months.get(bulan), b.diisi)
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


def _cell(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _number(value: object) -> Decimal | None:
    """Read a month cell with the one parser (a number cell, or text typed the Indonesian way)."""
    if isinstance(value, datetime | date | time):
        raise AngkaError(f"'{value}' bukan angka")
    return parse_angka(value, NILAI)


def parse_template(
    data: bytes,
    session: Session,
    instansi: Instansi,
    tahun: int,
    allowed_units: set[int] | None = None,
    *,
    name: str = "berkas",
) -> list[EntriRealisasi]:
    """Read a filled template into entries (one per filled month); raise ValidationError naming sheet and cell."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError([f"{name}: bukan berkas Excel (.xlsx) yang bisa dibaca; unggah templat dari "
                               "aplikasi yang sudah diisi"]) from None
    tahunan = load_tahunan(session, instansi, tahun)
    lembar = list_lembar(session, tahunan)
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.instansi_id == instansi.id))}
    indikator = {
        i.kode: i for i in session.exec(
            select(Indikator).where(Indikator.instansi_id == instansi.id, Indikator.tahun == tahun))
    }
    stored = tahunan.data.realisasi
    problems: list[str] = []
    entries: list[EntriRealisasi] = []
    known = 0
    for ws in workbook.worksheets:
        if ws.title not in lembar:
            problems.append(_unknown_sheet(ws, lembar))
            continue
        known += 1
        expected = lembar[ws.title]
        if allowed_units is not None and expected.unit.id not in allowed_units:
            problems.append(f"Lembar {ws.title}: Anda hanya dapat mengimpor realisasi unit Anda sendiri")
            continue
        sheet_problems = _check_sheet(ws, instansi, tahun, expected, indikator, units)
        if sheet_problems:
            problems += sheet_problems
            continue
        entries += _read_rows(ws, expected, stored, problems)
    if not known and not problems:
        problems.append(f"{name}: tidak ada lembar unit; nama lembar harus kode unit: {', '.join(lembar)}")
    problems += [p for e in entries for p in check_entri(e, indikator.get(e.kode))]
    if problems:
        raise ValidationError(problems)
    return entries


def _unknown_sheet(ws: Worksheet, lembar: dict[str, LembarUnit]) -> str:
    meta = _text(ws.cell(1, META_COL).value).split("|")
    was = f" (semula {meta[3]}; kembalikan namanya)" if len(meta) == 4 and meta[0] == MARK else ""
    return (f"Lembar '{ws.title}' tidak dikenal{was}: nama lembar harus kode unit ({', '.join(lembar)}); "
            "jangan mengganti nama lembar")


def _check_sheet(ws: Worksheet, instansi: Instansi, tahun: int, expected: LembarUnit,
                 indikator: dict[str, Indikator], units: dict[int, Unit]) -> list[str]:
    """Return what makes a sheet unreadable: wrong office/year, a changed header, moved or foreign rows."""
    where = f"Lembar {ws.title}"
    meta = _text(ws.cell(1, META_COL).value).split("|")
    if len(meta) != 4 or meta[0] != MARK:
        return [f"{where}: bukan templat realisasi dari aplikasi (penanda di sel {_cell(META_COL, 1)} hilang); "
                "unduh templat baru"]
    if meta[1] != instansi.kode or meta[2] != str(tahun):
        return [f"{where} sel {_cell(META_COL, 1)}: templat ini untuk {meta[1]} tahun {meta[2]}, bukan "
                f"{instansi.kode} tahun {tahun}"]
    if meta[3] != ws.title:
        return [f"{where}: lembar ini semula {meta[3]}; jangan mengganti nama lembar"]
    problems = [
        f"{where} sel {_cell(col, HEADER_ROW)}: judul kolom diubah menjadi '{_text(ws.cell(HEADER_ROW, col).value)}',"
        f" seharusnya '{title}'"
        for col, title in enumerate(HEADER, start=1)
        if _text(ws.cell(HEADER_ROW, col).value) != title
    ]
    if problems:
        return problems
    for n, b in enumerate(expected.baris, start=HEADER_ROW + 1):
        kode, diisi = _text(ws.cell(n, 1).value), _text(ws.cell(n, 3).value)
        if (kode, diisi) != (b.indikator.kode, b.diisi):
            problems.append(_wrong_row(where, n, kode, diisi, b, expected, indikator, units))
    last = HEADER_ROW + len(expected.baris)
    for n in range(last + 1, min(ws.max_row, last + EXTRA_ROWS) + 1):
        values = [ws.cell(n, col).value for col in range(1, FIRST_MONTH_COL + 12)]
        if any(_text(v) for v in values):
            kode = _text(values[0])
            problems.append(_foreign(where, n, kode, expected, indikator, units)
                            or f"{where} baris {n}: baris tambahan di luar templat; pindahkan isinya ke baris "
                               "indikatornya")
    return problems


def _foreign(where: str, n: int, kode: str, expected: LembarUnit, indikator: dict[str, Indikator],
             units: dict[int, Unit]) -> str | None:
    """Describe a row holding an indicator this sheet does not enter, or None when it is one of this unit's."""
    if not kode:
        return None
    ind = indikator.get(kode)
    if ind is None:
        return f"{where} sel A{n}: kode indikator '{kode}' tidak dikenal"
    if ind.unit_id != expected.unit.id:
        return (f"{where} sel A{n}: indikator {kode} diisi oleh {units[ind.unit_id].nama}, bukan "
                f"{expected.unit.nama}; jangan menempel baris dari lembar lain")
    if not diisi_tangan(ind):
        return f"{where} sel A{n}: indikator {kode} dihitung otomatis, tidak diisi"
    return None


def _wrong_row(where: str, n: int, kode: str, diisi: str, b: BarisTemplat, expected: LembarUnit,
               indikator: dict[str, Indikator], units: dict[int, Unit]) -> str:
    foreign = _foreign(where, n, kode, expected, indikator, units)
    if foreign:
        return foreign
    want = f"{b.indikator.kode} ({b.diisi})"
    if not kode:
        return f"{where} sel A{n}: baris {want} hilang atau dipindah"
    return (f"{where} sel A{n}: baris dipindah; di sini seharusnya {want}, tertulis {kode} ({diisi or '-'}). "
            "Kembalikan urutan baris, atau unduh templat baru bila perjanjian kinerja telah diubah")


def _read_rows(ws: Worksheet, expected: LembarUnit, stored: dict[str, dict[int, Bulanan]],
               problems: list[str]) -> list[EntriRealisasi]:
    """Turn the month cells of a checked sheet into entries; record typing problems."""
    row_of = {(b.indikator.kode, b.diisi): n for n, b in enumerate(expected.baris, start=HEADER_ROW + 1)}
    values: dict[tuple[str, str, int], Decimal] = {}
    for (kode, diisi), n in row_of.items():
        for bulan in range(1, 13):
            where = f"Lembar {ws.title} sel {_cell(FIRST_MONTH_COL - 1 + bulan, n)}"
            try:
                value = _number(ws.cell(n, FIRST_MONTH_COL - 1 + bulan).value)
            except AngkaError as e:
                problems.append(f"{where}: {e}")
                continue
            if value is not None:
                values[(kode, diisi, bulan)] = value
    entries = []
    for ind in {b.indikator.kode: b.indikator for b in expected.baris}.values():
        kinds = ["pembilang", "penyebut"] if ind.jenis == "rasio" else ["nilai"]
        for bulan in range(1, 13):
            typed = {k: values.get((ind.kode, k, bulan)) for k in kinds}
            if all(v is None for v in typed.values()):
                continue
            old = stored.get(ind.kode, {}).get(bulan)
            cells = " dan ".join(_cell(FIRST_MONTH_COL - 1 + bulan, row_of[(ind.kode, k)]) for k in kinds)
            # An empty cell means "no change": a ratio keeps the stored component the month already has.
            got = {k: v if v is not None else _stored(old, k) for k, v in typed.items()}
            if None in got.values():
                problems.append(f"Lembar {ws.title} sel {cells}: {ind.kode} {nama_bulan(bulan)} harus diisi "
                                "pembilang dan penyebutnya")
                continue
            # The template carries no keterangan: keep the one stored for the month.
            entries.append(EntriRealisasi(
                kode=ind.kode, bulan=bulan, nilai=got.get("nilai"), pembilang=got.get("pembilang"),
                penyebut=got.get("penyebut"), keterangan=old.keterangan if old else "",
                lokasi=f"Lembar {ws.title} sel {cells}",
            ))
    return entries


def _teks(bulanan: Bulanan | EntriRealisasi | None, rasio: bool) -> str:
    if bulanan is None:
        return ""
    if rasio:
        if bulanan.pembilang is None and bulanan.penyebut is None:
            return ""
        return f"{format_angka(bulanan.pembilang, 0, 4)} / {format_angka(bulanan.penyebut, 0, 4)}"
    return format_angka(bulanan.nilai, 0, 4)


def _same(old: Bulanan | None, e: EntriRealisasi) -> bool:
    if old is None:
        return e.hapus
    if e.hapus:
        return False
    return (old.nilai, old.pembilang, old.penyebut) == (e.nilai, e.pembilang, e.penyebut)


def preview_changes(
    session: Session, instansi: Instansi, tahun: int, entries: list[EntriRealisasi]
) -> list[dict[str, str]]:
    """Return one row per entry that changes what is stored: kode, indikator, bulan, lama, baru."""
    tahunan = load_tahunan(session, instansi, tahun)
    names = {b.indikator.kode: b.indikator for b in tahunan.baris}
    rows = []
    for e in entries:
        old = tahunan.data.realisasi.get(e.kode, {}).get(e.bulan)
        if _same(old, e):
            continue
        ind = names.get(e.kode)
        rasio = ind is not None and ind.jenis == "rasio"
        rows.append({
            "kode": e.kode, "indikator": ind.nama if ind else "", "bulan": nama_bulan(e.bulan),
            "lama": _teks(old, rasio), "baru": "" if e.hapus else _teks(e, rasio),
        })
    return rows
