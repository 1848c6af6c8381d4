"""The office's profile, filled once by the admin: Bab I of the LKjIP draft prints it."""

from dataclasses import asdict, dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.teks import cek_teks
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Pengguna, ProfilInstansi, now_utc
from kinerja.simpan.wewenang import pastikan_wewenang

MAKS_ISI = 10_000
LABEL = {
    "alamat": "Alamat", "dasar_hukum": "Dasar hukum", "tugas_pokok": "Tugas pokok", "fungsi": "Fungsi",
    "struktur_organisasi": "Struktur organisasi", "sumber_daya": "Sumber daya", "isu_strategis": "Isu strategis",
}


@dataclass(frozen=True)
class IsiProfil:
    """The profile's fields as typed (one item per line for dasar hukum, fungsi and the like)."""

    alamat: str = ""
    dasar_hukum: str = ""
    tugas_pokok: str = ""
    fungsi: str = ""
    struktur_organisasi: str = ""
    sumber_daya: str = ""
    isu_strategis: str = ""


def load_profil(session: Session, instansi_id: int) -> IsiProfil:
    """Return the stored profile (empty fields when none is stored yet)."""
    row = session.exec(select(ProfilInstansi).where(ProfilInstansi.instansi_id == instansi_id)).first()
    if row is None:
        return IsiProfil()
    return IsiProfil(**{k: getattr(row, k) for k in LABEL})


def simpan_profil(
    engine: Engine, *, instansi_id: int, isi: IsiProfil, pengguna: Pengguna | None = None, oleh: str = "cli"
) -> bool:
    """Store the office's profile; return whether anything changed (one audit row when it did)."""
    values = {k: v.replace("\r\n", "\n").strip() for k, v in asdict(isi).items()}
    problems = [p for k, v in values.items() for p in cek_teks(v, LABEL[k], MAKS_ISI)]
    if problems:
        raise ValidationError(problems)
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "kelola_profil", instansi_id=instansi_id)
        row = session.exec(select(ProfilInstansi).where(ProfilInstansi.instansi_id == instansi_id)
                           .with_for_update()).first()
        before = {k: getattr(row, k) for k in LABEL} if row else None
        if before == values or (before is None and not any(values.values())):
            return False
        changed = {k: v for k, v in values.items() if before is None or before[k] != v}
        catat_jejak(session, instansi_id=instansi_id, oleh=pengguna.username if pengguna else oleh,
                    tabel="profil_instansi", kunci=str(instansi_id),
                    sebelum={k: before[k] for k in changed} if before else None, sesudah=changed)
        row = row or ProfilInstansi(instansi_id=instansi_id)
        for k, v in values.items():
            setattr(row, k, v)
        row.diisi_oleh = pengguna.username if pengguna else oleh
        row.diubah_pada = now_utc()
        session.add(row)
        return True
