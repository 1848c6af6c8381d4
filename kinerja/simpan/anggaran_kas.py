"""The monthly spending plan (anggaran kas) of each sub kegiatan: stored, checked against the pagu, audited."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.angka import RUPIAH, AngkaError, cek_angka
from kinerja.aturan.format import format_rupiah, nama_bulan
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Anggaran, AnggaranKas, Pagu, Pengguna
from kinerja.simpan.queries import NotFound, versi_berlaku
from kinerja.simpan.wewenang import periksa_wewenang


@dataclass(frozen=True)
class EntriKas:
    """Rupiah planned to be spent on one sub kegiatan in one month."""

    kode: str
    bulan: int
    rencana: int
    lokasi: str = ""


def load_anggaran_kas(session: Session, instansi_id: int, tahun: int) -> dict[str, dict[int, int]]:
    """Return the anggaran kas of a year: sub kegiatan kode -> bulan -> Rupiah planned."""
    rows = session.exec(
        select(Anggaran.kode, AnggaranKas).join(AnggaranKas, AnggaranKas.anggaran_id == Anggaran.id)
        .where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun)
    ).all()
    result: dict[str, dict[int, int]] = {}
    for kode, k in rows:
        result.setdefault(kode, {})[k.bulan] = k.rencana
    return result


def _where(e: EntriKas) -> str:
    month = nama_bulan(e.bulan) if 1 <= e.bulan <= 12 else f"bulan {e.bulan}"
    text = f"{e.kode} ({month})"
    return f"{e.lokasi}: {text}" if e.lokasi else text


def save_anggaran_kas(
    engine: Engine, *, instansi_id: int, tahun: int, entries: Sequence[EntriKas],
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> int:
    """Validate a batch of monthly plans and save all of it, or raise ValidationError; return the months changed.

    A line's twelve months, as stored after the batch, may not exceed its pagu in the version in force at
    the year's end.
    """
    with write_session(engine) as session:
        nodes = {n.kode: n for n in session.exec(select(Anggaran).where(
            Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun))}
        problems = periksa_wewenang(session, pengguna, "isi_anggaran_kas", instansi_id=instansi_id)
        seen: set[tuple[str, int]] = set()
        for e in entries:
            node = nodes.get(e.kode)
            if node is None:
                problems.append(f"{e.lokasi + ': ' if e.lokasi else ''}kode anggaran '{str(e.kode)[:60]}' tidak "
                                f"dikenal di tahun {tahun}")
                continue
            if node.tingkat != "sub_kegiatan":
                problems.append(f"{_where(e)}: anggaran kas diisi per sub kegiatan, bukan per {node.tingkat}")
            if not 1 <= e.bulan <= 12:
                problems.append(f"{_where(e)}: bulan harus 1 sampai 12, bukan {e.bulan}")
            try:
                cek_angka(Decimal(e.rencana), RUPIAH)
            except (AngkaError, TypeError, ValueError) as err:
                problems.append(f"{_where(e)}: rencana {err}")
            if (e.kode, e.bulan) in seen:
                problems.append(f"{_where(e)}: muncul dua kali")
            seen.add((e.kode, e.bulan))
        if problems:
            raise ValidationError(problems)
        ids = sorted({nodes[e.kode].id for e in entries})
        session.exec(select(Anggaran.id).where(Anggaran.id.in_(ids)).order_by(Anggaran.id).with_for_update()).all()  # type: ignore[union-attr]
        existing = {(k.anggaran_id, k.bulan): k for k in session.exec(
            select(AnggaranKas).where(AnggaranKas.anggaran_id.in_(ids)))}  # type: ignore[union-attr]
        try:
            versi = versi_berlaku(session, instansi_id, tahun, 12)
        except NotFound:
            raise ValidationError([f"tahun {tahun} belum memiliki perjanjian kinerja"]) from None
        pagu = {p.anggaran_id: p.pagu for p in session.exec(select(Pagu).where(Pagu.versi_id == versi.id))}
        after = {key: k.rencana for key, k in existing.items()} | {(nodes[e.kode].id, e.bulan): int(e.rencana)
                                                                     for e in entries}
        for kode in dict.fromkeys(e.kode for e in entries):
            node = nodes[kode]
            total = sum(rp for (a, _), rp in after.items() if a == node.id)
            if total > pagu.get(node.id, 0):
                problems.append(f"{kode} {node.nama}: anggaran kas 12 bulan {format_rupiah(total)} melebihi pagu "
                                f"{format_rupiah(pagu.get(node.id, 0))}")
        if problems:
            raise ValidationError(problems)
        who = pengguna.username if pengguna else oleh
        written = 0
        for e in entries:
            node = nodes[e.kode]
            row = existing.get((node.id, e.bulan))
            if row is not None and row.rencana == int(e.rencana):
                continue
            before = {"rencana": row.rencana} if row else None
            row = row or AnggaranKas(anggaran_id=node.id, bulan=e.bulan, rencana=0)
            row.rencana = int(e.rencana)
            session.add(row)
            catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="anggaran_kas",
                        kunci=f"{tahun}/{e.kode}/{e.bulan}", sebelum=before, sesudah={"rencana": row.rencana})
            written += 1
        return written
