"""Targets, Rencana Aksi and revisions of a year's agreements (PK Perubahan)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from kinerja.aturan.angka import NILAI, RUPIAH, AngkaError, cek_angka, parse_angka
from kinerja.aturan.batas import batas_wajar
from kinerja.aturan.capaian import default_rencana_aksi, is_kumulatif
from kinerja.aturan.format import format_angka, format_sel
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import (
    Anggaran,
    BarisPK,
    Indikator,
    Instansi,
    Pagu,
    Pengguna,
    Penjelasan,
    Perjanjian,
    Target,
    Versi,
)
from kinerja.simpan.queries import BarisIndikator
from kinerja.simpan.wewenang import pastikan_wewenang


@dataclass(frozen=True)
class UbahTarget:
    """New annual target and Rencana Aksi (None = the DOMAIN.md default) of one indicator."""

    kode: str
    tahunan: Decimal | None
    tw: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]
    batas_wajar: Decimal | None = None  # the soft limit of one month's value (kinerja.aturan.batas); None = default


def _nama(pengguna: Pengguna | None, oleh: str) -> str:
    return pengguna.username if pengguna else oleh


def _versi(session: Session, versi_id: int, pengguna: Pengguna | None, aksi: str) -> Versi:
    """Return a version the user may change (same office, right role), or raise ValidationError."""
    versi = session.get(Versi, versi_id)
    if versi is None:
        raise ValidationError(["Versi perjanjian tidak ada"])
    pastikan_wewenang(session, pengguna, aksi, instansi_id=versi.instansi_id)
    return versi


def check_target(ind: Indikator, ubah: UbahTarget) -> list[str]:
    """Return the problems of a new target: present, not negative, cumulative targets not decreasing."""
    where = f"{ind.kode} {ind.nama}"
    if ubah.tahunan is None:
        return [f"{where}: target tahunan harus diisi"]
    problems = []
    labels = ("target tahunan", "target s.d. TW I", "target s.d. TW II", "target s.d. TW III", "target s.d. TW IV",
              "batas wajar")
    for label, value in zip(labels, (ubah.tahunan, *ubah.tw, ubah.batas_wajar), strict=True):
        if value is None:
            continue
        try:
            cek_angka(value, NILAI)
        except AngkaError as e:
            problems.append(f"{where}: {label} {e}")
    if problems:
        return problems
    if is_kumulatif(ind.agregasi, ind.jenis, ind.sumber):
        defaults = default_rencana_aksi(ubah.tahunan, ind.agregasi, ind.jenis, ind.sumber)
        filled = [t if t is not None else d for t, d in zip(ubah.tw, defaults, strict=True)]
        if any(a > b for a, b in zip(filled, filled[1:], strict=False)):
            problems.append(f"{where}: rencana aksi kumulatif tidak boleh turun dari triwulan ke triwulan")
        if filled[3] != ubah.tahunan:
            problems.append(
                f"{where}: target s.d. triwulan IV ({format_angka(filled[3])}) harus sama dengan target tahunan "
                f"({format_angka(ubah.tahunan)})"
            )
    return problems


def save_targets(engine: Engine, *, versi_id: int, changes: list[UbahTarget], pengguna: Pengguna | None = None,
                 oleh: str = "cli") -> int:
    """Validate and save new targets, Rencana Aksi and soft limits of one version, all or nothing; return how many
    indicators changed."""
    who = _nama(pengguna, oleh)
    with write_session(engine) as session:
        versi = _versi(session, versi_id, pengguna, "ubah_target")
        rows = session.exec(
            select(Target, Indikator).join(Indikator, Indikator.id == Target.indikator_id)
            .where(Target.versi_id == versi_id)
        ).all()
        by_kode = {ind.kode: (t, ind) for t, ind in rows}
        problems = [f"{c.kode}: indikator tidak ada di versi ini" for c in changes if c.kode not in by_kode]
        problems += [p for c in changes if c.kode in by_kode for p in check_target(by_kode[c.kode][1], c)]
        if problems:
            raise ValidationError(problems)
        changed = 0
        for c in changes:
            target, ind = by_kode[c.kode]
            before = _target_dict(target, ind)
            target.tahunan, (target.tw1, target.tw2, target.tw3, target.tw4) = c.tahunan, c.tw
            ind.batas_wajar = c.batas_wajar
            after = _target_dict(target, ind)
            if before == after:
                continue
            session.add(target)
            session.add(ind)
            catat_jejak(session, instansi_id=versi.instansi_id, oleh=who, tabel="target",
                        kunci=f"{versi.tahun}/{versi.nomor}/{c.kode}", sebelum=before, sesudah=after)
            changed += 1
        return changed


def _target_dict(target: Target, ind: Indikator) -> dict[str, Decimal | None]:
    """The values of a target as the audit trail records them (normalised, so 1.0000 equals 1)."""
    values = {"tahunan": target.tahunan, "tw1": target.tw1, "tw2": target.tw2, "tw3": target.tw3, "tw4": target.tw4,
              "batas_wajar": ind.batas_wajar}
    return {k: None if v is None else Decimal(v).normalize() for k, v in values.items()}


def _copy_agreements(
    session: Session, source_id: int, new_id: int, tanggal: date, indikator: dict[int, int] | None = None
) -> None:
    """Copy a version's agreements, their rows and the targets into another version.

    `indikator` maps old indicator ids to new ones when copying into another year.
    """
    def ind(old: int) -> int:
        return indikator[old] if indikator is not None else old

    for pk in session.exec(select(Perjanjian).where(Perjanjian.versi_id == source_id)).all():
        copy = Perjanjian(versi_id=new_id, unit_id=pk.unit_id, pihak_pertama_id=pk.pihak_pertama_id,
                          pihak_kedua_id=pk.pihak_kedua_id, tanggal=tanggal)
        session.add(copy)
        session.flush()
        for b in session.exec(select(BarisPK).where(BarisPK.perjanjian_id == pk.id)).all():
            session.add(BarisPK(perjanjian_id=copy.id, indikator_id=ind(b.indikator_id), no=b.no, sasaran=b.sasaran,
                                urutan=b.urutan))
    for t in session.exec(select(Target).where(Target.versi_id == source_id)).all():
        session.add(Target(indikator_id=ind(t.indikator_id), versi_id=new_id, tahunan=t.tahunan, tw1=t.tw1,
                           tw2=t.tw2, tw3=t.tw3, tw4=t.tw4))


def create_perubahan(
    engine: Engine, *, instansi_id: int, tahun: int, nama: str, tanggal: date, berlaku_bulan: int,
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> Versi:
    """Start a PK Perubahan as a draft copy of the newest version (agreements, targets, pagu).

    The earlier version stays as it was: capaian of the months before `berlaku_bulan` keep
    being computed with its targets.
    """
    who = _nama(pengguna, oleh)
    problems = []
    if not nama.strip():
        problems.append("Nama versi harus diisi, misalnya 'PK Perubahan 1'")
    elif len(nama.strip()) > 80:
        problems.append("Nama versi paling panjang 80 karakter")
    if not 1 <= berlaku_bulan <= 12:
        problems.append("Bulan mulai berlaku harus 1 sampai 12")
    if tanggal.year != tahun:
        problems.append(f"Tanggal penetapan harus di tahun {tahun}")
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "kelola_versi", instansi_id=instansi_id)
        latest = session.exec(
            select(Versi).where(Versi.instansi_id == instansi_id, Versi.tahun == tahun).order_by(Versi.nomor.desc())  # type: ignore[attr-defined]
        ).first()
        if latest is None:
            problems.append(f"Belum ada perjanjian kinerja tahun {tahun}")
        elif berlaku_bulan < latest.berlaku_bulan:
            problems.append(f"Versi baru harus berlaku sejak bulan {latest.berlaku_bulan} atau sesudahnya")
        if session.exec(select(func.count()).select_from(Versi).where(
                Versi.instansi_id == instansi_id, Versi.tahun == tahun, Versi.status == "draf")).one():
            problems.append("Masih ada versi draf; terbitkan atau hapus dulu")
        if problems:
            raise ValidationError(problems)
        new = Versi(instansi_id=instansi_id, tahun=tahun, nomor=latest.nomor + 1, nama=nama.strip(), tanggal=tanggal,
                    berlaku_bulan=berlaku_bulan, status="draf")
        session.add(new)
        session.flush()
        _copy_agreements(session, latest.id, new.id, tanggal)
        for p in session.exec(select(Pagu).where(Pagu.versi_id == latest.id)).all():
            session.add(Pagu(anggaran_id=p.anggaran_id, versi_id=new.id, pagu=p.pagu))
        catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="versi", kunci=f"{tahun}/{new.nomor}",
                    sebelum=None, sesudah={"nama": new.nama, "status": "draf", "berlaku_bulan": berlaku_bulan,
                                           "disalin_dari": latest.nama})
        return new


def publish_versi(engine: Engine, *, versi_id: int, pengguna: Pengguna | None = None, oleh: str = "cli") -> Versi:
    """Put a draft version in force from its berlaku_bulan."""
    who = _nama(pengguna, oleh)
    with write_session(engine) as session:
        versi = _versi(session, versi_id, pengguna, "kelola_versi")
        if versi.status != "draf":
            raise ValidationError(["Hanya versi draf yang dapat diterbitkan"])
        versi.status = "terbit"
        session.add(versi)
        catat_jejak(session, instansi_id=versi.instansi_id, oleh=who, tabel="versi",
                    kunci=f"{versi.tahun}/{versi.nomor}", sebelum={"nama": versi.nama, "status": "draf"},
                    sesudah={"nama": versi.nama, "status": "terbit"})
        return versi


TARGET_COLUMNS = ["kode", "indikator", "satuan", "unit", "tahunan", "tw1", "tw2", "tw3", "tw4", "bawaan", "batas_wajar",
                  "batas_bawaan"]
KOLOM_TARGET = {"tahunan": "target tahunan", "tw1": "s.d. TW I", "tw2": "s.d. TW II", "tw3": "s.d. TW III",
                "tw4": "s.d. TW IV", "batas_wajar": "batas wajar per bulan"}


def target_grid(baris: list[BarisIndikator]) -> pd.DataFrame:
    """Return one row per indicator of a version: annual target, Rencana Aksi I-IV, soft limit, and the defaults."""
    rows, seen = [], set()
    for b in baris:
        ind, t = b.indikator, b.target
        if ind.kode in seen:
            continue
        seen.add(ind.kode)
        defaults = default_rencana_aksi(t.tahunan, ind.agregasi, ind.jenis, ind.sumber)
        bawaan = batas_wajar(ind.satuan, ind.agregasi, ind.jenis, t.tahunan, None)
        rows.append({
            "kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan, "unit": b.unit.nama,
            "tahunan": format_sel(t.tahunan), "tw1": format_sel(t.tw1), "tw2": format_sel(t.tw2),
            "tw3": format_sel(t.tw3), "tw4": format_sel(t.tw4),
            "bawaan": " / ".join(format_angka(d) for d in defaults),
            "batas_wajar": format_sel(ind.batas_wajar),
            "batas_bawaan": "–" if bawaan is None else format_angka(bawaan.maks),
        })
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _teks(value: object) -> str:
    missing = value is None or (isinstance(value, float) and value != value)
    return "" if missing else str(value).strip()


def changes_from_target_grid(before: pd.DataFrame, after: pd.DataFrame) -> tuple[list[UbahTarget], list[str]]:
    """Return the target changes of the rows the user edited, and the cells that are not numbers."""
    changes, problems = [], []
    old = before.set_index("kode")
    for _, row in after.iterrows():
        kode = row["kode"]
        if kode not in old.index:
            continue
        cells = ["tahunan", "tw1", "tw2", "tw3", "tw4", "batas_wajar"]
        if all(_teks(row[c]) == _teks(old.loc[kode][c]) for c in cells):
            continue
        values: dict[str, Decimal | None] = {}
        for c in cells:
            try:
                values[c] = parse_angka(_teks(row[c]), NILAI)
            except AngkaError as e:
                problems.append(f"{kode} {old.loc[kode]['indikator']}: {KOLOM_TARGET[c]} {e}")
                values[c] = None
        changes.append(UbahTarget(kode=kode, tahunan=values["tahunan"],
                                  tw=(values["tw1"], values["tw2"], values["tw3"], values["tw4"]),
                                  batas_wajar=values["batas_wajar"]))
    return changes, problems


def copy_tahun(
    engine: Engine, *, instansi_id: int, dari: int, ke: int, tanggal: date, pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> Versi:
    """Copy a year's structure (agreements, indicators, roll-up settings, targets, budget tree, pagu,
    Penjelasan) into a new year as a draft PK Awal, with no realisations; the source year is untouched."""
    who = _nama(pengguna, oleh)
    problems = []
    if tanggal.year != ke:
        problems.append(f"Tanggal penetapan harus di tahun {ke}")
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "kelola_versi", instansi_id=instansi_id)
        versions = session.exec(select(Versi).where(Versi.instansi_id == instansi_id, Versi.tahun == dari,
                                                    Versi.status == "terbit").order_by(Versi.nomor)).all()
        if not versions:
            problems.append(f"Tidak ada perjanjian kinerja terbit tahun {dari} untuk disalin")
        if session.exec(select(Versi).where(Versi.instansi_id == instansi_id, Versi.tahun == ke)).first():
            problems.append(f"Tahun {ke} sudah ada")
        if problems:
            raise ValidationError(problems)
        source = versions[-1]
        new = Versi(instansi_id=instansi_id, tahun=ke, nomor=0, nama="PK Awal", tanggal=tanggal, berlaku_bulan=1,
                    status="draf", keterangan=f"Disalin dari {source.nama} {dari}")
        session.add(new)
        session.flush()
        nodes: dict[int, int] = {}
        for node in session.exec(select(Anggaran).where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == dari)
                                 .order_by(Anggaran.urutan)).all():
            copy = Anggaran(instansi_id=instansi_id, tahun=ke, kode=node.kode, tingkat=node.tingkat,
                            induk_id=nodes.get(node.induk_id) if node.induk_id else None, nama=node.nama,
                            unit_id=node.unit_id, urutan=node.urutan)
            session.add(copy)
            session.flush()
            nodes[node.id] = copy.id
        for p in session.exec(select(Pagu).where(Pagu.versi_id == source.id)).all():
            session.add(Pagu(anggaran_id=nodes[p.anggaran_id], versi_id=new.id, pagu=p.pagu))
        indikator: dict[int, int] = {}
        for ind in session.exec(select(Indikator).where(Indikator.instansi_id == instansi_id,
                                                        Indikator.tahun == dari)).all():
            data = ind.model_dump(exclude={"id", "tahun", "anggaran_id"})
            copy = Indikator(**data, tahun=ke, anggaran_id=nodes.get(ind.anggaran_id) if ind.anggaran_id else None)
            session.add(copy)
            session.flush()
            indikator[ind.id] = copy.id
        _copy_agreements(session, source.id, new.id, tanggal, indikator)
        for p in session.exec(select(Penjelasan).where(Penjelasan.indikator_id.in_(list(indikator)))).all():  # type: ignore[union-attr]
            data = p.model_dump(exclude={"id", "indikator_id"})
            session.add(Penjelasan(**data, indikator_id=indikator[p.indikator_id]))
        catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="versi", kunci=f"{ke}/{new.nomor}",
                    sebelum=None, sesudah={"nama": new.nama, "status": "draf", "berlaku_bulan": 1,
                                           "disalin_dari": f"{source.nama} {dari}"})
        return new


def save_pagu(engine: Engine, *, versi_id: int, pagu: dict[str, int], pengguna: Pengguna | None = None,
              oleh: str = "cli") -> int:
    """Set new pagu for sub-kegiatan of one version; kegiatan and programs become the sums of their children."""
    who = _nama(pengguna, oleh)
    with write_session(engine) as session:
        versi = _versi(session, versi_id, pengguna, "ubah_pagu")
        rows = session.exec(select(Anggaran, Pagu).join(Pagu, Pagu.anggaran_id == Anggaran.id)
                            .where(Pagu.versi_id == versi_id)).all()
        by_kode = {a.kode: (a, p) for a, p in rows}
        problems = []
        for kode, value in pagu.items():
            if kode not in by_kode:
                problems.append(f"{kode}: tidak ada di pohon anggaran versi ini")
            elif by_kode[kode][0].tingkat != "sub_kegiatan":
                problems.append(f"{kode}: pagu diisi per sub kegiatan; kegiatan dan program dijumlahkan otomatis")
            else:
                try:
                    cek_angka(Decimal(value), RUPIAH)
                except (AngkaError, TypeError, ValueError) as e:
                    problems.append(f"{kode}: pagu {e}")
        if problems:
            raise ValidationError(problems)
        changed = 0
        for kode, value in pagu.items():
            p = by_kode[kode][1]
            if p.pagu != value:
                catat_jejak(session, instansi_id=versi.instansi_id, oleh=who, tabel="pagu",
                            kunci=f"{versi.tahun}/{versi.nomor}/{kode}", sebelum={"pagu": p.pagu},
                            sesudah={"pagu": int(value)})
                p.pagu = int(value)
                session.add(p)
                changed += 1
        by_id = {a.id: (a, p) for a, p in rows}
        for level in ("kegiatan", "program"):
            for a, p in rows:
                if a.tingkat == level:
                    p.pagu = sum(cp.pagu for ca, cp in by_id.values() if ca.induk_id == a.id)
                    session.add(p)
        return changed


def simpan_batas_cek(
    engine: Engine, *, instansi_id: int, nilai: Decimal, pengguna: Pengguna | None = None, oleh: str = "cli"
) -> None:
    """Set the capaian (%) above which the Camat's screens mark a figure "perlu dicek" (admin only)."""
    try:
        cek_angka(nilai, NILAI)
    except AngkaError as e:
        raise ValidationError([f"batas cek capaian {e}"]) from None
    if not Decimal(100) <= nilai <= Decimal(1000):
        raise ValidationError(["batas cek capaian harus 100 sampai 1.000 %"])
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "ubah_target", instansi_id=instansi_id)
        office = session.get(Instansi, instansi_id)
        sebelum = {"batas_cek_capaian": Decimal(office.batas_cek_capaian).normalize()}
        office.batas_cek_capaian = nilai
        session.add(office)
        if sebelum["batas_cek_capaian"] != nilai.normalize():
            catat_jejak(session, instansi_id=instansi_id, oleh=_nama(pengguna, oleh), tabel="instansi",
                        kunci="batas_cek_capaian", sebelum=sebelum, sesudah={"batas_cek_capaian": nilai.normalize()})
