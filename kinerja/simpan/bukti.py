"""Evidence files (bukti dukung): checked by content, stored under generated names, never overwritten.

A file belongs to a unit-month, or to one indicator of that month. Its type is read from its bytes
(the `filetype` library), never from its name, so a renamed program is refused. It is stored in a
folder outside anything the app serves, under a random name; the name it was uploaded with is
kept as metadata only. Replacing a file adds the new one and marks the old one as replaced: both
stay, and so does the audit row of each. Only users who may see the unit can list or fetch them.
"""

import csv
import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.format import nama_bulan
from kinerja.aturan.teks import cek_teks, netral
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Bukti, Indikator, Pengguna, Unit
from kinerja.simpan.verifikasi import periksa_terkunci
from kinerja.simpan.wewenang import OPERATOR, periksa_wewenang

# extension -> MIME type, as `filetype` reads them from the content
JENIS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAKS_MB = 10


def periksa_berkas(data: bytes, nama_asli: str, maks_mb: int = MAKS_MB) -> str:
    """Return the file's extension read from its content; raise ValidationError when it may not be stored."""
    problems = cek_teks(nama_asli, "nama berkas", 255)
    if not data:
        problems.append(f"{nama_asli[:80]}: berkas kosong")
    elif len(data) > maks_mb * 1024 * 1024:
        ukuran = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        problems.append(f"{nama_asli[:80]}: {ukuran} MB melebihi batas {maks_mb} MB")
    kind = filetype.guess(data) if data else None  # reads the signature bytes only
    if data and (kind is None or kind.extension not in JENIS):
        seen = f"berjenis {kind.extension}" if kind else "jenisnya tidak dikenali"
        problems.append(f"{nama_asli[:80]}: isi berkas {seen}; yang diterima hanya PDF, JPG, PNG, XLSX dan DOCX")
    if problems:
        raise ValidationError(problems)
    return kind.extension


def _boleh_lihat(session: Session, pengguna: Pengguna | None, instansi_id: int, unit_id: int) -> list[str]:
    if pengguna is None:
        return []
    problems = periksa_wewenang(session, pengguna, "lihat", instansi_id=instansi_id)
    if problems:
        return problems
    now = session.get(Pengguna, pengguna.id)
    if now.peran == OPERATOR and now.unit_id != unit_id:
        return ["operator hanya dapat melihat bukti unitnya sendiri"]
    return []


def simpan_bukti(
    engine: Engine, *, folder: Path, instansi_id: int, tahun: int, unit_id: int, bulan: int, data: bytes,
    nama_asli: str, kode: str | None = None, ganti_id: int | None = None, maks_mb: int = MAKS_MB,
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> Bukti:
    """Store an evidence file for a unit-month (or one of its indicators); `ganti_id` marks the file it replaces."""
    ext = periksa_berkas(data, nama_asli, maks_mb)
    if not 1 <= bulan <= 12:
        raise ValidationError([f"bulan harus 1 sampai 12, bukan {bulan}"])
    who = pengguna.username if pengguna else oleh
    folder.mkdir(parents=True, exist_ok=True)
    nama_berkas = f"{secrets.token_hex(16)}.{ext}"
    path = folder / nama_berkas
    tmp = folder / f".{nama_berkas}.tmp"
    tmp.write_bytes(data)
    try:
        with write_session(engine) as session:
            problems = periksa_wewenang(session, pengguna, "isi_realisasi", instansi_id=instansi_id,
                                        unit_ids=[unit_id])
            unit = session.get(Unit, unit_id)
            if unit is None or unit.instansi_id != instansi_id:
                problems.append("unit tidak ada di instansi ini")
            ind = None
            if kode is not None:
                ind = session.exec(select(Indikator).where(Indikator.instansi_id == instansi_id,
                                                           Indikator.tahun == tahun, Indikator.kode == kode)).first()
                if ind is None or ind.unit_id != unit_id:
                    problems.append(f"indikator '{kode[:60]}' bukan indikator unit ini")
            old = session.get(Bukti, ganti_id) if ganti_id is not None else None
            if ganti_id is not None and (old is None or old.unit_id != unit_id or old.diganti_oleh_id is not None):
                problems.append("berkas yang diganti tidak ada, milik unit lain, atau sudah diganti")
            if not problems:
                problems = periksa_terkunci(session, [(unit_id, bulan)], tahun)
            if problems:
                raise ValidationError(problems)
            row = Bukti(instansi_id=instansi_id, unit_id=unit_id, tahun=tahun, bulan=bulan,
                        indikator_id=ind.id if ind else None, nama_asli=nama_asli, nama_berkas=nama_berkas,
                        jenis=JENIS[ext], ukuran=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        diunggah_oleh=who)
            session.add(row)
            session.flush()
            if old is not None:
                old.diganti_oleh_id = row.id
                session.add(old)
            catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="bukti",
                        kunci=f"{tahun}/{bulan}/{unit.kode}/{kode or '-'}",
                        sebelum={"berkas": old.nama_asli, "sha256": old.sha256} if old else None,
                        sesudah={"berkas": nama_asli, "sha256": row.sha256, "ukuran": len(data)})
            os.replace(tmp, path)  # in place before the commit: a committed row always has its file
    except BaseException:
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise
    return row


def list_bukti(
    session: Session, *, instansi_id: int, tahun: int, pengguna: Pengguna | None, unit_id: int | None = None,
    bulan: int | None = None, riwayat: bool = False,
) -> list[Bukti]:
    """Return the evidence this user may see (current files; replaced ones too with `riwayat`)."""
    query = select(Bukti).where(Bukti.instansi_id == instansi_id, Bukti.tahun == tahun)
    if unit_id is not None:
        query = query.where(Bukti.unit_id == unit_id)
    if bulan is not None:
        query = query.where(Bukti.bulan == bulan)
    if not riwayat:
        query = query.where(Bukti.diganti_oleh_id.is_(None))  # type: ignore[union-attr]
    rows = session.exec(query.order_by(Bukti.bulan, Bukti.id)).all()
    return [b for b in rows if not _boleh_lihat(session, pengguna, instansi_id, b.unit_id)]


def baca_bukti(engine: Engine, *, folder: Path, bukti_id: int, pengguna: Pengguna | None) -> tuple[Bukti, bytes]:
    """Return an evidence file and its bytes when this user may see its unit; raise ValidationError otherwise."""
    with new_session(engine) as session:
        row = session.get(Bukti, bukti_id)
        if row is None:
            raise ValidationError(["berkas bukti tidak ada"])
        problems = _boleh_lihat(session, pengguna, row.instansi_id, row.unit_id)
    if problems:
        raise ValidationError(problems)
    return row, (folder / row.nama_berkas).read_bytes()


@dataclass(frozen=True)
class IsiPaket:
    """One file of the evidence zip: where it goes in the zip, and the stored row."""

    jalur: str
    bukti: Bukti


def export_bukti_zip(
    engine: Engine, *, folder: Path, instansi_id: int, tahun: int, unit_kode: str | None = None,
    pengguna: Pengguna | None = None,
) -> bytes:
    """Return a zip of the year's current evidence, one folder per unit, month and indicator, with an index.

    Refused (ValidationError) unless the user may read the office: the zip names its units and files.
    """
    with new_session(engine) as session:
        refused = periksa_wewenang(session, pengguna, "lihat", instansi_id=instansi_id)
        if refused:
            raise ValidationError(refused)
        units = {u.id: u for u in session.exec(select(Unit).where(Unit.instansi_id == instansi_id))}
        wanted = next((u.id for u in units.values() if u.kode == unit_kode), -1) if unit_kode else None
        if unit_kode and wanted == -1:
            raise ValidationError([f"unit '{unit_kode[:40]}' tidak ada"])
        rows = list_bukti(session, instansi_id=instansi_id, tahun=tahun, pengguna=pengguna, unit_id=wanted)
        kode_of = {i.id: i.kode for i in session.exec(select(Indikator).where(Indikator.instansi_id == instansi_id,
                                                                              Indikator.tahun == tahun))}
    isi = []
    for b in rows:
        ext = Path(b.nama_berkas).suffix
        tempat = kode_of.get(b.indikator_id, "umum") if b.indikator_id else "umum"
        bulan = f"{b.bulan:02d}-{nama_bulan(b.bulan)}"
        isi.append(IsiPaket(f"{units[b.unit_id].kode}/{bulan}/{tempat}/{b.id:05d}{ext}", b))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        index = io.StringIO()
        writer = csv.writer(index, lineterminator="\n")
        writer.writerow(["berkas", "unit", "bulan", "indikator", "nama_asli", "jenis", "ukuran", "sha256",
                         "diunggah_oleh", "diunggah_pada"])
        for item in isi:
            b = item.bukti
            z.writestr(item.jalur, (folder / b.nama_berkas).read_bytes())
            writer.writerow([item.jalur, units[b.unit_id].kode, b.bulan, kode_of.get(b.indikator_id, ""),
                             netral(b.nama_asli), b.jenis, b.ukuran, b.sha256, b.diunggah_oleh,
                             b.diunggah_pada.isoformat()])
        z.writestr("indeks.csv", index.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


