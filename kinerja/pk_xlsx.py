"""A year's Perjanjian Kinerja as one XLSX in the layout of the data/ files, both ways.

Sheets: info (key/value), unit, pejabat, perjanjian, anggaran, indikator, penjelasan; the last
three have exactly the columns of anggaran.csv, indikator.csv and penjelasan.csv. An import is
turned into a data/ folder and checked by the same validation as `kinerja init`, so a filled
workbook is accepted exactly when the same data as files would be.
"""

import csv
import io
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import xlsxwriter
import yaml
from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.db import write_session
from kinerja.errors import ValidationError
from kinerja.models import Instansi, Pejabat, Penjelasan, Perjanjian, Versi
from kinerja.queries import list_anggaran, list_baris, list_units
from kinerja.seed import PENJELASAN_COLUMNS, SeedError, is_loaded, load_seed, read_seed

INFO_KEYS = ["instansi_kode", "instansi_nama", "kabupaten", "tempat", "tahun", "versi_nomor", "versi_nama",
             "versi_tanggal", "berlaku_bulan"]
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
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False})
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


def _read_sheet(book: openpyxl.Workbook, name: str, problems: list[str]) -> list[dict[str, str]]:
    if name not in book.sheetnames:
        problems.append(f"lembar '{name}' tidak ada (lembar yang dibutuhkan: info, {', '.join(TABLES)})")
        return []
    rows = list(book[name].iter_rows(values_only=True))
    header = [_cell_text(h) for h in rows[0]] if rows else []
    missing = [c for c in TABLES[name] if c not in header and c not in ("label_pembilang", "label_penyebut",
                                                                          "nilai_khusus")]
    if missing:
        problems.append(f"lembar '{name}': kolom tidak ada: {', '.join(missing)}")
        return []
    return [
        {h: _cell_text(v) for h, v in zip(header, row, strict=False) if h}
        for row in rows[1:] if any(v is not None and str(v).strip() for v in row)
    ]


def _info(book: openpyxl.Workbook, problems: list[str]) -> dict[str, str]:
    if "info" not in book.sheetnames:
        problems.append("lembar 'info' tidak ada")
        return {}
    info = {_cell_text(r[0]): r[1] for r in book["info"].iter_rows(values_only=True) if r and r[0]}
    missing = [k for k in INFO_KEYS if k not in info]
    if missing:
        problems.append(f"lembar 'info': baris tidak ada: {', '.join(missing)}")
    return info


def _as_date(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _write_folder(folder: Path, info: dict[str, object], tables: dict[str, list[dict[str, str]]]) -> None:
    meta = {
        "instansi": {"kode": str(info["instansi_kode"]), "nama": str(info["instansi_nama"]),
                     "kabupaten": str(info["kabupaten"]), "tempat": str(info.get("tempat") or "")},
        "tahun": int(info["tahun"]),
        "versi": {"nomor": int(info["versi_nomor"] or 0), "nama": str(info["versi_nama"]),
                  "tanggal": _as_date(info["versi_tanggal"]), "berlaku_bulan": int(info["berlaku_bulan"] or 1)},
        "unit": [{**r, "induk": r["induk"] or None} for r in tables["unit"]],
        "pejabat": [{**r, "unit": r["unit"] or None} for r in tables["pejabat"]],
        "perjanjian": [{**r, "tanggal": _as_date(r["tanggal"])} for r in tables["perjanjian"]],
    }
    (folder / "pk.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("anggaran", "indikator", "penjelasan"):
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=TABLES[name], extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables[name])


def import_pk_xlsx(engine: Engine, data: bytes, name: str = "berkas", oleh: object = None) -> str:
    """Validate a filled workbook like a data/ folder and load it as a draft year; all or nothing."""
    if oleh is not None and getattr(oleh, "peran", None) != "admin":
        raise ValidationError(["Hanya admin yang dapat mengimpor perjanjian kinerja"])
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a non-XLSX file
        raise ValidationError([f"{name}: bukan berkas Excel (.xlsx) yang bisa dibaca"]) from None
    problems: list[str] = []
    info = _info(book, problems)
    tables = {sheet: _read_sheet(book, sheet, problems) for sheet in TABLES}
    if problems:
        raise ValidationError([f"{name}: {p}" for p in problems])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            _write_folder(folder, info, tables)
            seed = read_seed(folder)
        except (ValueError, TypeError) as e:
            items = e.problems if isinstance(e, SeedError) else [f"lembar 'info': {e}"]
            raise ValidationError([
                f"{name}: " + p.replace(f"{folder}/", "lembar ").replace(".csv", "").replace("pk.yaml", "lembar info")
                for p in items
            ]) from None
        with write_session(engine) as session:
            if is_loaded(session, seed):
                raise ValidationError([f"{name}: {seed.meta['instansi']['nama']} tahun {seed.tahun} sudah ada"])
            load_seed(session, seed, status="draf")
    return f"{seed.meta['instansi']['nama']} {seed.tahun}: {len(seed.indikator)} baris indikator dimuat sebagai draf"

