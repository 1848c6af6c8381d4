"""The one writer and the one reader of the audit trail (Jejak).

Every change leaves exactly one row: which table, which item (`kunci`), the values before and
after as JSON objects (empty when the item did not exist or was removed), who, and why. The row
is added in the same transaction as the change, so a change and its trail commit together or
not at all, and the caller reads the old values under the same lock as it writes the new ones.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert
from sqlmodel import Session, select

from kinerja.aturan.format import format_angka, nama_bulan
from kinerja.aturan.teks import netral
from kinerja.simpan.models import Anggaran, Indikator, Instansi, Jejak, Unit, now_utc

TAMBAH, UBAH, HAPUS = "tambah", "ubah", "hapus"


def catat_jejak(
    session: Session,
    *,
    instansi_id: int | None,
    oleh: str,
    tabel: str,
    kunci: str,
    sebelum: Mapping[str, Any] | None,
    sesudah: Mapping[str, Any] | None,
    alasan: str = "",
) -> Jejak:
    """Add one audit row for a change inside the caller's transaction and return it."""
    row = Jejak(**_baris(instansi_id, oleh, tabel, Perubahan(kunci, sebelum, sesudah), alasan))
    session.add(row)
    return row


@dataclass(frozen=True)
class Perubahan:
    """One item's change: its key and its values before and after (None: it did not exist, or was removed)."""

    kunci: str
    sebelum: Mapping[str, Any] | None
    sesudah: Mapping[str, Any] | None


def catat_jejak_banyak(
    session: Session,
    *,
    instansi_id: int | None,
    oleh: str,
    tabel: str,
    perubahan: Sequence[Perubahan],
    alasan: str = "",
) -> int:
    """Add the audit rows of many changes to one table in one statement, in their order; return how many.

    The rows are those `catat_jejak` would add one by one; they go through the caller's session, so
    they commit or roll back with the change.
    """
    rows = [_baris(instansi_id, oleh, tabel, p, alasan) | {"waktu": now_utc()} for p in perubahan]
    if rows:
        session.execute(insert(Jejak.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


def _baris(instansi_id: int | None, oleh: str, tabel: str, p: Perubahan, alasan: str) -> dict[str, Any]:
    """Return the columns of one audit row: the action follows from which side is empty."""
    aksi = TAMBAH if p.sebelum is None else HAPUS if p.sesudah is None else UBAH
    return {"instansi_id": instansi_id, "pengguna": oleh, "tabel": tabel, "kunci": p.kunci, "aksi": aksi,
            "sebelum": _json(p.sebelum), "sesudah": _json(p.sesudah), "alasan": alasan}


def baca_nilai(text: str) -> dict[str, Any] | None:
    """Return the values stored in a `sebelum` / `sesudah` column (None when empty)."""
    if not text:
        return None
    data = json.loads(text)
    if not isinstance(data, dict):  # rows written before the one writer existed
        return {"nilai": data}
    return data


def _json(values: Mapping[str, Any] | None) -> str:
    return "" if values is None else json.dumps(dict(values), default=_json_value, ensure_ascii=False,
                                                sort_keys=True)


def _json_value(value: object) -> str:
    """Write a Decimal the same way whatever its stored scale (1.0000 and 1 are both '1')."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


TABEL_LABEL = {
    "realisasi": "Realisasi", "realisasi_anggaran": "Realisasi anggaran", "target": "Target & rencana aksi",
    "pagu": "Pagu", "versi": "Versi perjanjian", "pengguna": "Pengguna", "survei_ikm": "Survei IKM",
    "nilai_akip": "Nilai AKIP", "status_bulan": "Verifikasi", "buka_isian": "Buka kembali isian",
    "tanggapan": "Tanggapan", "bukti": "Bukti dukung", "instansi": "Pengaturan instansi",
    "batas_isian": "Batas waktu isian", "masuk": "Masuk / keluar",
    "analisis": "Analisis triwulan", "anggaran_kas": "Anggaran kas",
    "target_renstra": "Target Renstra", "riwayat_realisasi": "Riwayat realisasi",
}


@dataclass(frozen=True)
class BarisRiwayat:
    """One audit row as the Riwayat perubahan screen and the CSV export show it."""

    waktu: str
    pengguna: str
    data: str
    item: str
    aksi: str
    sebelum: str
    sesudah: str
    alasan: str


def list_riwayat(
    session: Session, instansi: Instansi, tabel: str | None = None, limit: int = 500, *, oleh: str | None = None,
    tahun: int | None = None, unit_kode: str | None = None, kode: str | None = None,
) -> list[BarisRiwayat]:
    """Return the office's latest audit rows, newest first, in local time with readable items and values.

    Filters: by table, by who, by the year the row is about, by unit (its indicators, budget lines and
    months), or by one indicator or budget line (its values, responses and evidence, with the
    verification steps of its unit's months).
    """
    query = select(Jejak).where(Jejak.instansi_id == instansi.id)
    # Sign-ins and sign-outs are shown when asked for ("Masuk / keluar"); otherwise they would crowd out the changes.
    query = query.where(Jejak.tabel == tabel) if tabel else query.where(Jejak.tabel != "masuk")
    if oleh:
        query = query.where(Jejak.pengguna == oleh)
    rows = session.exec(query.order_by(Jejak.waktu.desc(), Jejak.id.desc())).all()  # type: ignore[union-attr]
    names = _names(session, instansi.id)
    owners = _owners(session, instansi.id)
    if kode:
        unit_of_kode = owners.get(kode)
        rows = [r for r in rows if _item(r) == kode or (r.tabel == "status_bulan" and _unit(r) == unit_of_kode)]
    if unit_kode:
        rows = [r for r in rows if _unit(r) == unit_kode or owners.get(_item(r) or "") == unit_kode]
    if tahun:
        rows = [r for r in rows if _tahun_of(r) == tahun]
    zona = _zona(instansi.zona_waktu)
    return [
        BarisRiwayat(
            waktu=_lokal(r.waktu, zona), pengguna=r.pengguna, data=TABEL_LABEL.get(r.tabel, r.tabel),
            item=describe_kunci(r.tabel, r.kunci, names), aksi=r.aksi, sebelum=ringkas_nilai(r.sebelum),
            sesudah=ringkas_nilai(r.sesudah), alasan=r.alasan,
        )
        for r in rows[:limit]
    ]


def _item(row: Jejak) -> str | None:
    """Return the indicator or budget kode a row is about (None for rows about something else)."""
    parts = row.kunci.split("/")
    if row.tabel in ("realisasi", "realisasi_anggaran", "tanggapan", "analisis", "anggaran_kas") and len(parts) == 3:
        return parts[1]
    if row.tabel in ("target", "pagu") and len(parts) == 3:
        return parts[2]
    if row.tabel == "bukti" and len(parts) == 4 and parts[3] != "-":
        return parts[3]
    return None


def _unit(row: Jejak) -> str | None:
    """Return the unit kode a row names in its key (verification steps, reopenings, evidence)."""
    parts = row.kunci.split("/")
    if row.tabel in ("status_bulan", "buka_isian") and len(parts) == 3:
        return parts[2]
    if row.tabel == "bukti" and len(parts) == 4:
        return parts[2]
    return None


def _owners(session: Session, instansi_id: int) -> dict[str, str]:
    """Return the unit kode of every indicator and budget line of the office, by their kode."""
    owners: dict[str, str] = {}
    for model in (Anggaran, Indikator):
        rows = session.exec(select(model.kode, Unit.kode).join(Unit, Unit.id == model.unit_id)
                            .where(model.instansi_id == instansi_id).order_by(model.tahun)).all()
        owners |= dict(rows)
    return owners


def describe_kunci(tabel: str, kunci: str, names: Mapping[str, str]) -> str:
    """Turn a stored key ('IK-6.1.1/3', '2025/1/6.1.1') into words: the item's name and its month or version."""
    parts = kunci.split("/")
    if tabel in ("realisasi", "realisasi_anggaran", "tanggapan") and len(parts) == 3 and parts[2].isdigit():
        tahun, kode, bulan = parts[0], parts[1], int(parts[2])
        month = nama_bulan(bulan) if 1 <= bulan <= 12 else f"bulan {bulan}"
        return f"{kode} {names.get(kode, '')}".strip() + f" — {month} {tahun}"
    if tabel == "analisis" and len(parts) == 3 and parts[2] in ("TW1", "TW2", "TW3", "TW4"):
        romawi = {"TW1": "I", "TW2": "II", "TW3": "III", "TW4": "IV"}[parts[2]]
        return f"{parts[1]} {names.get(parts[1], '')}".strip() + f" — triwulan {romawi} {parts[0]}"
    if tabel in ("target_renstra", "riwayat_realisasi") and len(parts) == 2:
        return f"{parts[0]} {names.get(parts[0], '')}".strip() + f" — tahun {parts[1]}"
    if tabel in ("status_bulan", "buka_isian") and len(parts) == 3 and parts[1].isdigit():
        bulan = int(parts[1])
        month = nama_bulan(bulan) if 1 <= bulan <= 12 else f"bulan {bulan}"
        return f"{parts[2]} — {month} {parts[0]}"
    if tabel in ("target", "pagu") and len(parts) == 3:
        return f"{parts[2]} {names.get(parts[2], '')}".strip() + f" — tahun {parts[0]}, versi {parts[1]}"
    if tabel == "versi" and len(parts) == 2:
        return f"Tahun {parts[0]}, versi {parts[1]}"
    if tabel == "survei_ikm" and len(parts) == 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{nama_bulan(int(parts[1]))} {parts[0]}"
    if tabel == "nilai_akip":
        return f"Tahun {kunci}"
    return kunci


def ringkas_nilai(text: str) -> str:
    """Return stored values as 'nilai: 12,5, keterangan: ...' (numbers the Indonesian way)."""
    data = baca_nilai(text)
    if not data:
        return ""
    return ", ".join(f"{k}: {_angka(v)}" for k, v in data.items() if v not in (None, ""))


def _angka(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return str(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_angka(number, 0, 4) if number.is_finite() else str(value)


def _names(session: Session, instansi_id: int) -> dict[str, str]:
    """Return the name of every indicator and budget node of the office, by kode (newest year wins)."""
    names: dict[str, str] = {}
    for kode, nama in session.exec(select(Anggaran.kode, Anggaran.nama).where(Anggaran.instansi_id == instansi_id)
                                   .order_by(Anggaran.tahun)):
        names[kode] = nama
    for kode, nama in session.exec(select(Indikator.kode, Indikator.nama).where(Indikator.instansi_id == instansi_id)
                                   .order_by(Indikator.tahun)):
        names[kode] = nama
    return names


def _zona(name: str) -> ZoneInfo | timezone:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _lokal(waktu: datetime, zona: ZoneInfo | timezone) -> str:
    aware = waktu if waktu.tzinfo else waktu.replace(tzinfo=UTC)
    local = aware.astimezone(zona)
    return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"


KOLOM_CSV = ["waktu", "pengguna", "aksi", "tabel", "kunci", "sebelum", "sesudah", "alasan"]


def list_jejak_tahun(
    session: Session, instansi_id: int, tahun: int, *, oleh: str | None = None, tabel: str | None = None
) -> list[Jejak]:
    """Return the office's audit rows about one year (by the year in the key, else by when), oldest first."""
    query = select(Jejak).where(Jejak.instansi_id == instansi_id)
    if oleh:
        query = query.where(Jejak.pengguna == oleh)
    if tabel:
        query = query.where(Jejak.tabel == tabel)
    rows = session.exec(query.order_by(Jejak.waktu, Jejak.id)).all()  # type: ignore[arg-type]
    return [r for r in rows if _tahun_of(r) == tahun]


def _tahun_of(row: Jejak) -> int:
    head = row.kunci.split("/", 1)[0]
    if head.isdigit() and len(head) == 4 and (row.tabel == "nilai_akip" or "/" in row.kunci):
        return int(head)
    return row.waktu.year


def export_jejak_csv(rows: list[Jejak]) -> bytes:
    """Write audit rows as CSV (UTF-8 with BOM for Excel), columns KOLOM_CSV, text never a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(KOLOM_CSV)
    for r in rows:
        waktu = r.waktu if r.waktu.tzinfo else r.waktu.replace(tzinfo=UTC)
        writer.writerow([waktu.isoformat(), netral(r.pengguna), r.aksi, r.tabel, netral(r.kunci), netral(r.sebelum),
                         netral(r.sesudah), netral(r.alasan)])
    return out.getvalue().encode("utf-8-sig")
