"""Reading the filled "Analisis <kode>" sheets of the entry template back, checked like the units' sheets."""

from sqlmodel import Session, select

from kinerja.aturan.capaian import ROMAWI
from kinerja.dokumen.templat_baca import _cell, _Isi, _text
from kinerja.dokumen.templat_buat import (
    ANALISIS_HEADER,
    ANALISIS_META_COL,
    EXTRA_ROWS,
    HEADER_ROW,
    MARK_ANALISIS,
    LembarUnit,
    baris_analisis,
    list_lembar,
    nama_lembar_analisis,
)
from kinerja.dokumen.unggah import TEMPLAT, baca_lembar, buka_xlsx
from kinerja.errors import ValidationError
from kinerja.simpan.analisis import KOLOM_UNIT, LABEL_KOLOM, EntriAnalisis, load_analisis
from kinerja.simpan.models import Indikator, Instansi
from kinerja.simpan.queries import load_data_tahun


def parse_analisis_template(
    data: bytes, session: Session, instansi: Instansi, tahun: int, allowed_units: set[int] | None = None, *,
    name: str = "berkas",
) -> dict[int, list[EntriAnalisis]]:
    """Read the filled analysis sheets into entries per triwulan (only cells that differ from what is stored).

    An empty cell changes nothing; a file without analysis sheets gives no entries.
    """
    data_tahun = load_data_tahun(session, instansi, tahun)
    lembar = list_lembar(session, data_tahun)
    by_name = {nama_lembar_analisis(k): lembar[k] for k in lembar}
    with buka_xlsx(data, name, TEMPLAT, "; unggah templat dari aplikasi yang sudah diisi") as workbook:
        sheets = [
            _Isi(ws.title, baca_lembar(ws, f"Lembar {ws.title}", min(HEADER_ROW + 4 * len(by_name[ws.title].baris)
                                                                     + EXTRA_ROWS, TEMPLAT.maks_baris),
                                       ANALISIS_META_COL))
            for ws in workbook.worksheets if ws.title in by_name
        ]
    stored = {tw: load_analisis(session, instansi.id, tahun, tw) for tw in ROMAWI}
    problems: list[str] = []
    found: dict[int, list[EntriAnalisis]] = {}
    for isi in sheets:
        expected = by_name[isi.judul]
        where = f"Lembar {isi.judul}"
        if allowed_units is not None and expected.unit.id not in allowed_units:
            problems.append(f"{where}: Anda hanya dapat mengimpor analisis unit Anda sendiri")
            continue
        sheet_problems = _check_analisis(isi, instansi, tahun, expected)
        if sheet_problems:
            problems += sheet_problems
            continue
        for n, (ind, tw) in enumerate(baris_analisis(expected), start=HEADER_ROW + 1):
            old = stored[tw].get(ind.kode)
            changed = {}
            for col, k in enumerate(KOLOM_UNIT, start=4):
                typed = _text(isi.nilai(n, col))
                if typed and typed != (getattr(old, k) if old else ""):
                    changed[k] = typed
            if changed:
                found.setdefault(tw, []).append(EntriAnalisis(
                    kode=ind.kode, lokasi=f"{where} baris {n}", **changed))
    if problems:
        raise ValidationError(problems)
    return found


def _check_analisis(isi: _Isi, instansi: Instansi, tahun: int, expected: LembarUnit) -> list[str]:
    """Return what makes an analysis sheet unreadable: wrong office, year or unit, a changed header, moved rows."""
    where = f"Lembar {isi.judul}"
    meta = _text(isi.nilai(1, ANALISIS_META_COL)).split("|")
    if len(meta) != 4 or meta[0] != MARK_ANALISIS:
        return [f"{where}: bukan lembar analisis dari aplikasi (penanda di sel {_cell(ANALISIS_META_COL, 1)} "
                "hilang); unduh templat baru"]
    if (meta[1], meta[2], meta[3]) != (instansi.kode, str(tahun), expected.unit.kode):
        return [f"{where} sel {_cell(ANALISIS_META_COL, 1)}: lembar ini untuk {meta[1]} tahun {meta[2]} unit "
                f"{meta[3]}, bukan {instansi.kode} tahun {tahun} unit {expected.unit.kode}"]
    problems = [
        f"{where} sel {_cell(col, HEADER_ROW)}: judul kolom diubah menjadi '{_text(isi.nilai(HEADER_ROW, col))}',"
        f" seharusnya '{title}'"
        for col, title in enumerate(ANALISIS_HEADER, start=1) if _text(isi.nilai(HEADER_ROW, col)) != title
    ]
    rows = baris_analisis(expected)
    for n, (ind, tw) in enumerate(rows, start=HEADER_ROW + 1):
        kode, romawi = _text(isi.nilai(n, 1)), _text(isi.nilai(n, 3))
        if (kode, romawi) != (ind.kode, ROMAWI[tw]):
            problems.append(f"{where} sel A{n}: baris dipindah; di sini seharusnya {ind.kode} triwulan {ROMAWI[tw]}, "
                            f"tertulis {kode or '-'} {romawi or '-'}; kembalikan urutan baris")
    for n in range(HEADER_ROW + len(rows) + 1, len(isi.baris) + 1):
        if any(_text(isi.nilai(n, col)) for col in range(1, len(ANALISIS_HEADER) + 1)):
            problems.append(f"{where} baris {n}: baris tambahan di luar templat; tulis analisis di baris "
                            "indikatornya")
    return problems


def preview_analisis(session: Session, instansi: Instansi, tahun: int,
                     per_triwulan: dict[int, list[EntriAnalisis]]) -> list[dict[str, str]]:
    """Return one row per analysis field a file changes, shaped like `preview_changes` rows:
    kode, indikator, bulan ('Triwulan I · Faktor penghambat'), lama, baru."""
    names = {i.kode: i.nama for i in session.exec(select(Indikator).where(
        Indikator.instansi_id == instansi.id, Indikator.tahun == tahun))}
    rows = []
    for tw, entries in sorted(per_triwulan.items()):
        stored = load_analisis(session, instansi.id, tahun, tw)
        for e in entries:
            old = stored.get(e.kode)
            for k, v in e.isian().items():
                rows.append({"kode": e.kode, "indikator": names.get(e.kode, ""),
                             "bulan": f"Triwulan {ROMAWI[tw]} · {LABEL_KOLOM[k]}",
                             "lama": getattr(old, k) if old else "", "baru": v})
    return rows
