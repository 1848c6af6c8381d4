"""Reading a filled entry template back: checked sheet by sheet, then month by month.

Reading a file back checks the sheet names, the header and, row by row, that the Kode and Diisi
columns are where the template put them, so a moved row or an indicator pasted in from another
unit is refused instead of being saved under the wrong indicator. An empty cell means "no
change", never a deletion. The units' "Analisis <kode>" sheets are read by
`kinerja.dokumen.templat_analisis`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from sqlmodel import Session, select

from kinerja.aturan.angka import NILAI, AngkaError, parse_angka
from kinerja.aturan.capaian import Bulanan
from kinerja.aturan.format import format_angka, nama_bulan
from kinerja.dokumen.templat_buat import (
    EXTRA_ROWS,
    FIRST_MONTH_COL,
    HEADER,
    HEADER_ROW,
    MARK,
    META_COL,
    BarisTemplat,
    LembarUnit,
    list_lembar,
    nama_lembar_analisis,
    tersimpan,
)
from kinerja.dokumen.unggah import TEMPLAT, baca_awal, baca_lembar, buka_xlsx
from kinerja.errors import ValidationError
from kinerja.simpan.models import Indikator, Instansi, Unit
from kinerja.simpan.queries import load_data_tahun
from kinerja.simpan.realisasi import EntriRealisasi, check_entri
from kinerja.simpan.wewenang import diisi_tangan


def _cell(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _number(value: object) -> Decimal | None:
    """Read a month cell with the one parser (a number cell, or text typed the Indonesian way)."""
    if isinstance(value, datetime | date | time):
        raise AngkaError(f"'{value}' bukan angka")
    return parse_angka(value, NILAI)


@dataclass(frozen=True)
class _Isi:
    """The values of one sheet as read, addressed 1-based like Excel (a read-only sheet has no random access)."""

    judul: str
    baris: list[tuple[object, ...]]

    def nilai(self, row: int, col: int) -> object:
        """Return a cell's value, None beyond what was read."""
        if row > len(self.baris):
            return None
        values = self.baris[row - 1]
        return values[col - 1] if col <= len(values) else None


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
    with buka_xlsx(data, name, TEMPLAT, "; unggah templat dari aplikasi yang sudah diisi") as workbook:
        data_tahun = load_data_tahun(session, instansi, tahun)
        lembar = list_lembar(session, data_tahun)
        sheets = [_read_sheet(ws, lembar) for ws in workbook.worksheets]
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.instansi_id == instansi.id))}
    indikator = {
        i.kode: i for i in session.exec(
            select(Indikator).where(Indikator.instansi_id == instansi.id, Indikator.tahun == tahun))
    }
    stored = data_tahun.data.realisasi
    problems: list[str] = []
    entries: list[EntriRealisasi] = []
    known = 0
    analisis_sheets = {nama_lembar_analisis(k) for k in lembar}
    for isi in sheets:
        if isi.judul in analisis_sheets:  # read by parse_analisis_template
            known += 1
            continue
        if isi.judul not in lembar:
            problems.append(_unknown_sheet(isi, lembar))
            continue
        known += 1
        expected = lembar[isi.judul]
        if allowed_units is not None and expected.unit.id not in allowed_units:
            problems.append(f"Lembar {isi.judul}: Anda hanya dapat mengimpor realisasi unit Anda sendiri")
            continue
        sheet_problems = _check_sheet(isi, instansi, tahun, expected, indikator, units)
        if sheet_problems:
            problems += sheet_problems
            continue
        entries += _read_rows(isi, expected, stored, problems)
    if not known and not problems:
        problems.append(f"{name}: tidak ada lembar unit; nama lembar harus kode unit: {', '.join(lembar)}")
    problems += [p for e in entries for p in check_entri(e, indikator.get(e.kode))]
    if problems:
        raise ValidationError(problems)
    return entries


def _read_sheet(ws: ReadOnlyWorksheet, lembar: dict[str, LembarUnit]) -> _Isi:
    """Read a unit's sheet up to the template's rows plus EXTRA_ROWS (an unknown sheet: its first row only)."""
    where = f"Lembar {ws.title}"
    expected = lembar.get(ws.title)
    if expected is None:
        return _Isi(ws.title, baca_awal(ws, where, 1, META_COL))
    rows = HEADER_ROW + len(expected.baris)
    saran = (f" (templat ini {len(expected.baris)} baris indikator); hapus baris di bawah tabel atau unduh "
             "templat baru")
    return _Isi(ws.title, baca_lembar(ws, where, min(rows + EXTRA_ROWS, TEMPLAT.maks_baris), META_COL, saran))


def _unknown_sheet(isi: _Isi, lembar: dict[str, LembarUnit]) -> str:
    meta = _text(isi.nilai(1, META_COL)).split("|")
    was = f" (semula {meta[3]}; kembalikan namanya)" if len(meta) == 4 and meta[0] == MARK else ""
    return (f"Lembar '{isi.judul}' tidak dikenal{was}: nama lembar harus kode unit ({', '.join(lembar)}); "
            "jangan mengganti nama lembar")


def _check_sheet(isi: _Isi, instansi: Instansi, tahun: int, expected: LembarUnit,
                 indikator: dict[str, Indikator], units: dict[int, Unit]) -> list[str]:
    """Return what makes a sheet unreadable: wrong office/year, a changed header, moved or foreign rows."""
    where = f"Lembar {isi.judul}"
    meta = _text(isi.nilai(1, META_COL)).split("|")
    if len(meta) != 4 or meta[0] != MARK:
        return [f"{where}: bukan templat realisasi dari aplikasi (penanda di sel {_cell(META_COL, 1)} hilang); "
                "unduh templat baru"]
    if meta[1] != instansi.kode or meta[2] != str(tahun):
        return [f"{where} sel {_cell(META_COL, 1)}: templat ini untuk {meta[1]} tahun {meta[2]}, bukan "
                f"{instansi.kode} tahun {tahun}"]
    if meta[3] != isi.judul:
        return [f"{where}: lembar ini semula {meta[3]}; jangan mengganti nama lembar"]
    problems = [
        f"{where} sel {_cell(col, HEADER_ROW)}: judul kolom diubah menjadi '{_text(isi.nilai(HEADER_ROW, col))}',"
        f" seharusnya '{title}'"
        for col, title in enumerate(HEADER, start=1)
        if _text(isi.nilai(HEADER_ROW, col)) != title
    ]
    if problems:
        return problems
    for n, b in enumerate(expected.baris, start=HEADER_ROW + 1):
        kode, diisi = _text(isi.nilai(n, 1)), _text(isi.nilai(n, 3))
        if (kode, diisi) != (b.indikator.kode, b.diisi):
            problems.append(_wrong_row(where, n, kode, diisi, b, expected, indikator, units))
    for n in range(HEADER_ROW + len(expected.baris) + 1, len(isi.baris) + 1):
        values = [isi.nilai(n, col) for col in range(1, FIRST_MONTH_COL + 12)]
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


def _read_rows(isi: _Isi, expected: LembarUnit, stored: dict[str, dict[int, Bulanan]],
               problems: list[str]) -> list[EntriRealisasi]:
    """Turn the month cells of a checked sheet into entries; record typing problems."""
    row_of = {(b.indikator.kode, b.diisi): n for n, b in enumerate(expected.baris, start=HEADER_ROW + 1)}
    values: dict[tuple[str, str, int], Decimal] = {}
    for (kode, diisi), n in row_of.items():
        for bulan in range(1, 13):
            where = f"Lembar {isi.judul} sel {_cell(FIRST_MONTH_COL - 1 + bulan, n)}"
            try:
                value = _number(isi.nilai(n, FIRST_MONTH_COL - 1 + bulan))
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
            got = {k: v if v is not None else tersimpan(old, k) for k, v in typed.items()}
            if None in got.values():
                problems.append(f"Lembar {isi.judul} sel {cells}: {ind.kode} {nama_bulan(bulan)} harus diisi "
                                "pembilang dan penyebutnya")
                continue
            # The template carries no keterangan: keep the one stored for the month.
            entries.append(EntriRealisasi(
                kode=ind.kode, bulan=bulan, nilai=got.get("nilai"), pembilang=got.get("pembilang"),
                penyebut=got.get("penyebut"), keterangan=old.keterangan if old else "",
                lokasi=f"Lembar {isi.judul} sel {cells}",
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
    data_tahun = load_data_tahun(session, instansi, tahun)
    names = {b.indikator.kode: b.indikator for b in data_tahun.baris}
    rows = []
    for e in entries:
        old = data_tahun.data.realisasi.get(e.kode, {}).get(e.bulan)
        if _same(old, e):
            continue
        ind = names.get(e.kode)
        rasio = ind is not None and ind.jenis == "rasio"
        rows.append({
            "kode": e.kode, "indikator": ind.nama if ind else "", "bulan": nama_bulan(e.bulan),
            "lama": _teks(old, rasio), "baru": "" if e.hapus else _teks(e, rasio),
        })
    return rows

