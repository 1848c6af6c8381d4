"""A year's Perjanjian Kinerja as one XLSX in the layout of the data/ files, both ways.

Sheets: info (key/value), unit, pejabat, perjanjian, anggaran, indikator, penjelasan; the last
three have exactly the columns of anggaran.csv, indikator.csv and penjelasan.csv. An import is
checked by the same validation as `kinerja init` (kinerja.aturan.pk_periksa), so a filled workbook is
accepted exactly when the same data as files would be; its problems name the sheet and row. A
workbook loads only into the importing admin's own office; from the command line, into an
existing office, or a new one only when asked for.
"""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from openpyxl.workbook.workbook import Workbook
from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.angka import BILANGAN, AngkaError, parse_angka
from kinerja.aturan.kode import tampil_kode
from kinerja.aturan.pk_data import PENJELASAN_COLUMNS, TABEL_CSV, SeedPK, Tempat
from kinerja.aturan.pk_periksa import check_seed
from kinerja.dokumen.ekspor import buka_workbook
from kinerja.dokumen.unggah import PK_XLSX, baca_lembar, buka_xlsx
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Instansi, Pejabat, Pengguna, Penjelasan, Perjanjian, Versi
from kinerja.simpan.queries import list_anggaran, list_baris, list_units
from kinerja.simpan.seed import is_loaded, load_seed
from kinerja.simpan.wewenang import pastikan_wewenang

INFO_KEYS = ["instansi_kode", "instansi_nama", "kabupaten", "tempat", "tahun", "versi_nomor", "versi_nama",
             "versi_tanggal", "berlaku_bulan"]
# info key -> the field of pk.yaml it fills ("versi.nomor"), as pk_periksa names fields
INFO_FIELD = {"instansi_kode": "instansi.kode", "instansi_nama": "instansi.nama", "kabupaten": "instansi.kabupaten",
              "tempat": "instansi.tempat", "tahun": "tahun", "versi_nomor": "versi.nomor", "versi_nama": "versi.nama",
              "versi_tanggal": "versi.tanggal", "berlaku_bulan": "versi.berlaku_bulan"}
OPTIONAL_COLUMNS = ("label_pembilang", "label_penyebut", "nilai_khusus")
MAKS_INFO = 100  # rows of the info sheet read
TABLES = {
    "unit": ["kode", "nama", "jenis", "induk"],
    "pejabat": ["kode", "nama", "nip", "jabatan", "unit"],
    "perjanjian": ["unit", "pihak_pertama", "pihak_kedua", "tanggal"],
    "anggaran": ["kode", "tingkat", "induk", "nama", "unit", "pagu"],
    "indikator": ["unit", "no", "sasaran", "kode", "indikator", "satuan", "target", "polaritas", "agregasi", "jenis",
                  "sumber", "anggaran_kode", "target_renstra", "tw1", "tw2", "tw3", "tw4", "label_pembilang",
                  "label_penyebut", "nilai_khusus"],
    "penjelasan": PENJELASAN_COLUMNS,
}


def _num(value: Decimal | int | None) -> str:
    """Write a number with a decimal comma ('70,05'), which the one parser reads one way only."""
    return "" if value is None else format(Decimal(value).normalize(), "f").replace(".", ",")


def _rows(session: Session, versi: Versi) -> dict[str, list[dict[str, object]]]:
    units = {u.id: u for u in list_units(session, versi.instansi_id)}
    officials = {p.id: p for p in session.exec(select(Pejabat).where(Pejabat.instansi_id == versi.instansi_id))}
    baris = list_baris(session, versi)
    nodes = list_anggaran(session, versi)
    penjelasan = session.exec(select(Penjelasan).where(
        Penjelasan.indikator_id.in_([b.indikator.id for b in baris]))).all()  # type: ignore[union-attr]
    kode_of = {b.indikator.id: b.indikator.kode for b in baris}
    return {
        "unit": [{"kode": u.kode, "nama": u.nama, "jenis": u.jenis,
                  "induk": units[u.induk_id].kode if u.induk_id else ""} for u in units.values()],
        "pejabat": [{"kode": p.kode, "nama": p.nama, "nip": p.nip, "jabatan": p.jabatan,
                     "unit": units[p.unit_id].kode if p.unit_id else ""} for p in officials.values()],
        "perjanjian": [{"unit": units[pk.unit_id].kode, "pihak_pertama": officials[pk.pihak_pertama_id].kode,
                        "pihak_kedua": officials[pk.pihak_kedua_id].kode, "tanggal": pk.tanggal}
                       for pk in session.exec(select(Perjanjian).where(Perjanjian.versi_id == versi.id))],
        "anggaran": [{"kode": n.node.kode, "tingkat": n.node.tingkat, "induk": n.induk_kode or "",
                      "nama": n.node.nama, "unit": n.unit.kode, "pagu": n.pagu} for n in nodes],
        "indikator": [{
            "unit": b.unit.kode, "no": b.no, "sasaran": b.sasaran, "kode": b.indikator.kode,
            "indikator": b.indikator.nama, "satuan": b.indikator.satuan, "target": _num(b.target.tahunan),
            "polaritas": b.indikator.polaritas, "agregasi": b.indikator.agregasi, "jenis": b.indikator.jenis,
            "sumber": b.indikator.sumber, "anggaran_kode": b.anggaran_kode or "",
            "target_renstra": _num(b.indikator.target_renstra), "tw1": _num(b.target.tw1),
            "tw2": _num(b.target.tw2), "tw3": _num(b.target.tw3), "tw4": _num(b.target.tw4),
            "label_pembilang": b.indikator.label_pembilang, "label_penyebut": b.indikator.label_penyebut,
            "nilai_khusus": b.indikator.nilai_khusus or "",
        } for b in baris],
        "penjelasan": [{"unit": units[p.unit_id].kode, "kode": kode_of[p.indikator_id], "no": p.no,
                        **{k: getattr(p, k) for k in PENJELASAN_COLUMNS[3:]}} for p in penjelasan],
    }


def export_pk_xlsx(session: Session, versi: Versi) -> bytes:
    """Return one version of a year's agreements as a workbook in the data/ layout."""
    office = session.get(Instansi, versi.instansi_id)
    buffer = io.BytesIO()
    book = buka_workbook(buffer)  # names typed by users stay text, never a formula or a link
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    info = book.add_worksheet("info")
    values = [office.kode, office.nama, office.kabupaten, office.tempat, versi.tahun, versi.nomor, versi.nama,
              versi.tanggal, versi.berlaku_bulan]
    info.set_column(0, 0, 16)
    info.set_column(1, 1, 40)
    for r, (key, value) in enumerate(zip(INFO_KEYS, values, strict=True)):
        info.write_string(r, 0, key, bold)
        _write(info, r, 1, value, day)
    for name, rows in _rows(session, versi).items():
        sheet = book.add_worksheet(name)
        for c, column in enumerate(TABLES[name]):
            sheet.write_string(0, c, column, bold)
            sheet.set_column(c, c, 40 if column in ("nama", "sasaran", "indikator", "uraian") else 14)
        for r, row in enumerate(rows, start=1):
            for c, column in enumerate(TABLES[name]):
                _write(sheet, r, c, row.get(column, ""), day)
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _write(sheet: xlsxwriter.worksheet.Worksheet, r: int, c: int, value: object, day: object) -> None:
    if isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, int):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, "" if value is None else str(value))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float):
        # A number cell: write it with a decimal comma so that 1.234 cannot be read back as 1234.
        return format(Decimal(repr(value)).normalize(), "f").replace(".", ",")
    return str(value).strip()


def _read_sheet(book: Workbook, sheet: str, name: str, problems: list[str]) -> tuple[list[dict[str, str]], list[int]]:
    """Return a table sheet's non-empty rows as text, with their row numbers; at most PK_XLSX.maks_baris rows."""
    if sheet not in book.sheetnames:
        problems.append(f"lembar '{sheet}' tidak ada (lembar yang dibutuhkan: info, {', '.join(TABLES)})")
        return [], []
    rows = baca_lembar(book[sheet], f"{name}: lembar {sheet}", PK_XLSX.maks_baris, PK_XLSX.maks_kolom)
    header = [_cell_text(h) for h in rows[0]] if rows else []
    missing = [c for c in TABLES[sheet] if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        problems.append(f"lembar '{sheet}': kolom tidak ada: {', '.join(missing)}")
        return [], []
    table, numbers = [], []
    for n, row in enumerate(rows[1:], start=2):
        if any(v is not None and str(v).strip() for v in row):
            table.append({h: _cell_text(v) for h, v in zip(header, row, strict=False) if h})
            numbers.append(n)
    return table, numbers


def _info(book: Workbook, name: str, problems: list[str]) -> tuple[dict[str, object], dict[str, str]]:
    """Return the info sheet's values by key, and where each key's row is ('baris 5 (tahun)')."""
    if "info" not in book.sheetnames:
        problems.append("lembar 'info' tidak ada")
        return {}, {}
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    for n, row in enumerate(baca_lembar(book["info"], f"{name}: lembar info", MAKS_INFO, 2), start=1):
        key = _cell_text(row[0])
        if key in INFO_FIELD and key not in values:
            values[key], where[INFO_FIELD[key]] = row[1], f"baris {n} ({key})"
    missing = [k for k in INFO_KEYS if k not in values]
    if missing:
        problems.append(f"lembar 'info': baris tidak ada: {', '.join(missing)}")
    return values, where


def _as_int(value: object, empty: int | None = None) -> object:
    """Return a whole number cell as int (2026, 2026.0 or '2026'); anything else as it is, for the check to name."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return empty if empty is not None else value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    try:
        number = parse_angka(value, BILANGAN)
    except AngkaError:
        return value
    return value if number is None else int(number)


def _as_date(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return str(value)


def _meta(info: dict[str, object], tables: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """Shape the info sheet and the unit, pejabat and perjanjian sheets as pk.yaml would hold them."""
    return {
        "instansi": {"kode": _cell_text(info["instansi_kode"]), "nama": _cell_text(info["instansi_nama"]),
                     "kabupaten": _cell_text(info["kabupaten"]), "tempat": _cell_text(info.get("tempat"))},
        "tahun": _as_int(info["tahun"]),
        "versi": {"nomor": _as_int(info["versi_nomor"], 0), "nama": _cell_text(info["versi_nama"]),
                  "tanggal": _as_date(info["versi_tanggal"]), "berlaku_bulan": _as_int(info["berlaku_bulan"], 1)},
        "unit": [{**r, "induk": r["induk"] or None} for r in tables["unit"]],
        "pejabat": [{**r, "unit": r["unit"] or None} for r in tables["pejabat"]],
        "perjanjian": [{**r, "tanggal": _as_date(r["tanggal"])} for r in tables["perjanjian"]],
    }


def read_pk_xlsx(data: bytes, name: str = "berkas") -> SeedPK:
    """Read and validate a PK workbook like a data/ folder; raise ValidationError naming sheet, row and field."""
    problems: list[str] = []
    with buka_xlsx(data, name, PK_XLSX) as book:
        info, where = _info(book, name, problems)
        read = {sheet: _read_sheet(book, sheet, name, problems) for sheet in TABLES}
    if problems:
        raise ValidationError([f"{name}: {p}" for p in problems])
    tables = {sheet: rows for sheet, (rows, _) in read.items()}
    seed = SeedPK(meta=_meta(info, tables), anggaran=tables["anggaran"], indikator=tables["indikator"],
                  penjelasan=tables["penjelasan"], nomor={sheet: numbers for sheet, (_, numbers) in read.items()})
    tempat = Tempat(info="lembar info", berkas={t: f"lembar {t}" for t in (*TABLES, *TABEL_CSV)}, lembar=True,
                    bidang_info=where)
    problems = check_seed(seed, tempat)
    if problems:
        raise ValidationError([f"{name}: {p}" for p in problems])
    return seed


def _check_kantor(session: Session, seed: SeedPK, name: str, pengguna: Pengguna | None, instansi_baru: bool) -> None:
    """Refuse a workbook for another office than the admin's own; from the CLI, an unknown office unless asked for."""
    kode = seed.instansi_kode
    if pengguna is not None:
        pastikan_wewenang(session, pengguna, "kelola_versi", instansi_id=pengguna.instansi_id)
        own = session.get(Instansi, pengguna.instansi_id)
        if own is None or own.kode != kode:
            raise ValidationError([f"{name}: berkas ini untuk instansi '{tampil_kode(kode)}', bukan instansi Anda "
                                   f"'{own.kode if own else '-'}'; perbaiki instansi_kode di lembar info"])
        return
    kodes = list(session.exec(select(Instansi.kode)))
    if kode in kodes:
        return
    mirip = [k for k in kodes if k.casefold() == kode.casefold()]
    if mirip:
        raise ValidationError([f"{name}: lembar info, instansi_kode '{tampil_kode(kode)}' berbeda huruf besar/kecil "
                               f"dengan instansi '{mirip[0]}' yang sudah ada; tulis persis '{mirip[0]}'"])
    if not instansi_baru:
        raise ValidationError([f"{name}: instansi '{tampil_kode(kode)}' belum ada (yang ada: "
                               f"{', '.join(kodes) or '-'}); perbaiki instansi_kode di lembar info, atau pakai "
                               "--instansi-baru untuk membuat instansi baru"])


def import_pk_xlsx(engine: Engine, data: bytes, name: str = "berkas", pengguna: Pengguna | None = None,
                   oleh: str = "cli", *, instansi_baru: bool = False) -> str:
    """Validate a filled workbook like a data/ folder and load it as a draft year; all or nothing."""
    seed = read_pk_xlsx(data, name)
    versi = seed.meta["versi"]
    with write_session(engine) as session:
        _check_kantor(session, seed, name, pengguna, instansi_baru)
        if is_loaded(session, seed):
            raise ValidationError([f"{name}: {seed.meta['instansi']['nama']} tahun {seed.tahun} sudah ada"])
        instansi = load_seed(session, seed, status="draf")
        catat_jejak(session, instansi_id=instansi.id, oleh=pengguna.username if pengguna else oleh, tabel="versi",
                    kunci=f"{seed.tahun}/{versi.get('nomor', 0)}", sebelum=None,
                    sesudah={"nama": versi["nama"], "status": "draf", "sumber": name})
    return f"{instansi.nama} {seed.tahun}: {len(seed.indikator)} baris indikator dimuat sebagai draf"
