"""Who may write what: every write function × role × own/other unit × own/other office × active/inactive.

The functions are called directly, as a page or the command line would. An allowed call writes
(the database differs afterwards); a refused one raises ValidationError and leaves every table
exactly as it was. Two offices share one database (tests/test_instansi.py); office A is always
the one written to. On SQLite and, with KINERJA_TEST_POSTGRES_URL, on PostgreSQL.
"""

import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from argon2 import PasswordHasher
from sqlalchemy import Engine, text
from sqlmodel import SQLModel, select

from kinerja.dokumen.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.errors import ValidationError
from kinerja.simpan import auth
from kinerja.simpan.auth import create_user, reset_password, update_user
from kinerja.simpan.db import create_db_engine, new_session
from kinerja.simpan.jejak import baca_nilai
from kinerja.simpan.models import Anggaran, Indikator, Jejak, Pengguna, Unit
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.queries import get_instansi, versi_berlaku
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import UbahTarget, copy_tahun, create_perubahan, publish_versi, save_pagu, save_targets
from kinerja.simpan.seed import init_database
from kinerja.simpan.wewenang import diisi_tangan
from tests.conftest import BACKENDS, SEED_2025, throwaway_pg_database

TAHUN = 2025
UNIT_OPERATOR = "PERENCANAAN"  # the operator's own unit; "unit lain" is PMD
UNIT_LAIN = "PMD"


@pytest.fixture(autouse=True)
def quick_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its real cost is for production passwords."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


# --- two offices, a user of every kind in each --------------------------------------------------------


def two_offices(root: Path) -> Path:
    """A data/ folder with the 2025 seed twice: Kecamatan Mangkutana (A) and Kecamatan Lain (B)."""
    data = root / "data"
    if data.exists():
        return data
    shutil.copytree(SEED_2025, data / "mangkutana-2025")
    other = data / "lain-2025"
    shutil.copytree(SEED_2025, other)
    meta = yaml.safe_load((other / "pk.yaml").read_text(encoding="utf-8"))
    meta["instansi"].update(kode="lain", nama="Kecamatan Lain")
    (other / "pk.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return data


@dataclass
class Kantor:
    """A database with two offices: who acts, and what they act on (always in office A)."""

    engine: Engine
    a: int
    b: int
    users: dict[tuple[str, str, str], Pengguna]  # (peran, "sendiri"|"lain", "aktif"|"nonaktif") -> user
    indikator: dict[str, str]  # unit kode -> a hand-entered indicator of that unit in A
    anggaran: dict[str, str]  # unit kode -> a sub-kegiatan of that unit in A
    versi: int  # A's published 2025 version
    draf: int  # A's draft 2026 version
    sasaran: int  # a pimpinan of A whom user management acts on
    pk_xlsx: bytes  # A's agreements as a workbook for 2030


def build_kantor(engine: Engine, data: Path) -> Kantor:
    init_database(engine, data)
    with new_session(engine) as session:
        a, b = (get_instansi(session, kode).id for kode in ("mangkutana", "lain"))
        units = {(u.instansi_id, u.kode): u.id for u in session.exec(select(Unit))}
        users = {}
        for office, where in ((a, "sendiri"), (b, "lain")):
            for peran in ("admin", "pimpinan", "operator"):
                for status in ("aktif", "nonaktif"):
                    user = Pengguna(instansi_id=office, username=f"{peran}.{where}.{status}", nama=peran,
                                    password_hash="-", peran=peran, aktif=status == "aktif",
                                    unit_id=units[office, UNIT_OPERATOR] if peran == "operator" else None)
                    session.add(user)
                    users[peran, where, status] = user
        sasaran = Pengguna(instansi_id=a, username="sasaran", nama="Sasaran", password_hash="-", peran="pimpinan")
        session.add(sasaran)
        session.commit()
        indikator, anggaran = {}, {}
        for kode in (UNIT_OPERATOR, UNIT_LAIN):
            unit_id = units[a, kode]
            indikator[kode] = next(
                i.kode for i in session.exec(select(Indikator).where(
                    Indikator.instansi_id == a, Indikator.tahun == TAHUN, Indikator.unit_id == unit_id
                ).order_by(Indikator.kode)) if diisi_tangan(i) and i.jenis == "tunggal"
            )
            anggaran[kode] = session.exec(select(Anggaran.kode).where(
                Anggaran.instansi_id == a, Anggaran.tahun == TAHUN, Anggaran.unit_id == unit_id,
                Anggaran.tingkat == "sub_kegiatan").order_by(Anggaran.urutan)).first()
        versi = versi_berlaku(session, a, TAHUN)
        book = openpyxl.load_workbook(io.BytesIO(export_pk_xlsx(session, versi)))
    info = {row[0].value: row[1] for row in book["info"].iter_rows()}
    info["tahun"].value, info["versi_tanggal"].value, info["versi_nama"].value = 2030, "2030-01-02", "PK Awal"
    buffer = io.BytesIO()
    book.save(buffer)
    draf = copy_tahun(engine, instansi_id=a, dari=TAHUN, ke=2026, tanggal=date(2026, 1, 2))
    return Kantor(engine=engine, a=a, b=b, users=users, indikator=indikator, anggaran=anggaran, versi=versi.id,
                  draf=draf.id, sasaran=sasaran.id, pk_xlsx=buffer.getvalue())


def fingerprint(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table: equal fingerprints mean nothing was written."""
    with engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(t.select()))) for t in SQLModel.metadata.sorted_tables}


class Databases:
    """Per backend: one shared database for the refused calls (they write nothing) and fresh ones for the rest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = two_offices(root)
        self.shared: dict[str, Kantor] = {}
        self.template: Path | None = None
        self.pg: dict[str, Engine] = {}
        self.closers: list[Callable[[], None]] = []

    def _pg(self, name: str) -> Engine:
        if name not in self.pg:
            manager = throwaway_pg_database(f"kinerja_wewenang_{name}")
            url = manager.__enter__()
            self.pg[name] = create_db_engine(url)
            self.closers.append(lambda: manager.__exit__(None, None, None))
        return self.pg[name]

    def shared_kantor(self, backend: str) -> Kantor:
        if backend not in self.shared:
            engine = (create_db_engine(f"sqlite:///{self.root / 'bersama.db'}") if backend == "sqlite"
                      else self._pg("bersama"))
            self.shared[backend] = build_kantor(engine, self.data)
        return self.shared[backend]

    def fresh_kantor(self, backend: str, folder: Path) -> Kantor:
        if backend == "sqlite":
            return build_kantor(create_db_engine(f"sqlite:///{folder / 'baru.db'}"), self.data)
        engine = self._pg("baru")
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as conn:
            if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar():
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return build_kantor(engine, self.data)

    def close(self) -> None:
        for kantor in self.shared.values():
            kantor.engine.dispose()
        for engine in self.pg.values():
            engine.dispose()
        for close in self.closers:
            close()


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("wewenang"))
    yield dbs
    dbs.close()


# --- the write functions, each called as `user` on office A ---------------------------------------------

Act = Callable[[Kantor, Pengguna | None, str], object]

WRITES: dict[str, Act] = {
    "save_realisasi": lambda k, user, unit: save_realisasi(
        k.engine, instansi_id=k.a, tahun=TAHUN, pengguna=user, yakin=True,
        entries=[EntriRealisasi(k.indikator[unit], 1, nilai=Decimal(1))]),
    "save_realisasi_anggaran": lambda k, user, unit: save_realisasi_anggaran(
        k.engine, instansi_id=k.a, tahun=TAHUN, pengguna=user,
        entries=[EntriAnggaran(k.anggaran[unit], 1, realisasi=1000)]),
    "save_targets": lambda k, user, unit: save_targets(
        k.engine, versi_id=k.versi, pengguna=user,
        changes=[UbahTarget(k.indikator[UNIT_OPERATOR], Decimal(7), (None, None, None, None))]),
    "save_pagu": lambda k, user, unit: save_pagu(
        k.engine, versi_id=k.versi, pengguna=user, pagu={k.anggaran[UNIT_OPERATOR]: 987_654_321}),
    "create_perubahan": lambda k, user, unit: create_perubahan(
        k.engine, instansi_id=k.a, tahun=TAHUN, nama="PK Perubahan Uji", tanggal=date(TAHUN, 11, 1),
        berlaku_bulan=12, pengguna=user),
    "publish_versi": lambda k, user, unit: publish_versi(k.engine, versi_id=k.draf, pengguna=user),
    "copy_tahun": lambda k, user, unit: copy_tahun(
        k.engine, instansi_id=k.a, dari=TAHUN, ke=2027, tanggal=date(2027, 1, 2), pengguna=user),
    "save_survei_ikm": lambda k, user, unit: save_survei_ikm(
        k.engine, instansi_id=k.a, tahun=TAHUN, bulan=6, answers=[[4] * 9] * 5, judul="SKM uji", pengguna=user),
    "save_akip": lambda k, user, unit: save_akip(
        k.engine, instansi_id=k.a, tahun=TAHUN, pengguna=user, komponen={
            "perencanaan": Decimal(20), "pengukuran": Decimal(20), "pelaporan": Decimal(10),
            "evaluasi": Decimal(15)}),
    "create_user": lambda k, user, unit: create_user(
        k.engine, instansi_id=k.a, username="pengguna.baru", nama="Pengguna Baru", password="rahasia-123",
        peran="pimpinan", pengguna=user),
    "update_user": lambda k, user, unit: update_user(
        k.engine, user_id=k.sasaran, peran="pimpinan", unit_id=None, aktif=True, nama="Nama Baru", pengguna=user),
    "reset_password": lambda k, user, unit: reset_password(
        k.engine, user_id=k.sasaran, password="sandi-baru-123", pengguna=user),
    # Last: a workbook imports only into the importing admin's own office (kinerja.dokumen.pk_xlsx).
    "import_pk_xlsx": lambda k, user, unit: import_pk_xlsx(k.engine, k.pk_xlsx, "pk2030.xlsx", pengguna=user),
}

# The rule as the office states it, written here independently of kinerja.simpan.wewenang.
MAY = {"save_realisasi": {"admin", "operator"}, "save_realisasi_anggaran": {"admin", "operator"}}
PER_UNIT = {"save_realisasi", "save_realisasi_anggaran"}


def allowed(write: str, peran: str, kantor: str, status: str, unit: str) -> bool:
    if status != "aktif" or kantor != "sendiri" or peran not in MAY.get(write, {"admin"}):
        return False
    return not (peran == "operator" and write in PER_UNIT and unit == UNIT_LAIN)


def cases() -> Iterator[object]:
    for backend in BACKENDS:
        for write in WRITES:
            for peran in ("admin", "pimpinan", "operator"):
                for kantor in ("sendiri", "lain"):
                    for status in ("aktif", "nonaktif"):
                        for unit in (UNIT_OPERATOR, UNIT_LAIN) if write in PER_UNIT else (UNIT_OPERATOR,):
                            label = "-".join([backend, write, peran, f"kantor {kantor}", status]
                                             + ([f"unit {'sendiri' if unit == UNIT_OPERATOR else 'lain'}"]
                                                if write in PER_UNIT else []))
                            yield pytest.param(backend, write, peran, kantor, status, unit, id=label)


@pytest.mark.parametrize(("backend", "write", "peran", "kantor", "status", "unit"), list(cases()))
def test_the_permission_matrix(
    databases: Databases, tmp_path: Path, backend: str, write: str, peran: str, kantor: str, status: str, unit: str
) -> None:
    boleh = allowed(write, peran, kantor, status, unit)
    k = databases.fresh_kantor(backend, tmp_path) if boleh else databases.shared_kantor(backend)
    user = k.users[peran, kantor, status]
    before = fingerprint(k.engine)
    if boleh:
        WRITES[write](k, user, unit)
        assert fingerprint(k.engine) != before, "an allowed write changed nothing"
    else:
        with pytest.raises(ValidationError):
            WRITES[write](k, user, unit)
        assert fingerprint(k.engine) == before, "a refused write left something behind"
    if backend == "sqlite" and boleh:
        k.engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("write", WRITES)
def test_the_system_itself_may_write(databases: Databases, tmp_path: Path, backend: str, write: str) -> None:
    """pengguna=None is the command line run by whoever operates the server, and the demo."""
    k = databases.fresh_kantor(backend, tmp_path)
    before = fingerprint(k.engine)
    WRITES[write](k, None, UNIT_OPERATOR)
    assert fingerprint(k.engine) != before


# --- user management: a unit of another office, and the audit trail ---------------------------------------


@pytest.fixture
def kantor(databases: Databases, engine: Engine, tmp_path: Path) -> Kantor:
    """A fresh two-office database on the `engine` fixture's backend."""
    return build_kantor(engine, databases.data)


def unit_of(k: Kantor, office: int, kode: str) -> int:
    with new_session(k.engine) as session:
        return session.exec(select(Unit.id).where(Unit.instansi_id == office, Unit.kode == kode)).one()


def test_a_user_cannot_be_given_a_unit_of_another_office(kantor: Kantor) -> None:
    admin = kantor.users["admin", "sendiri", "aktif"]
    foreign = unit_of(kantor, kantor.b, UNIT_LAIN)
    before = fingerprint(kantor.engine)
    with pytest.raises(ValidationError, match="Unit tidak ada di instansi ini"):
        create_user(kantor.engine, instansi_id=kantor.a, username="op.asing", nama="Op", password="rahasia-123",
                    peran="operator", unit_id=foreign, pengguna=admin)
    with pytest.raises(ValidationError, match="Unit tidak ada di instansi ini"):
        update_user(kantor.engine, user_id=kantor.sasaran, peran="operator", unit_id=foreign, aktif=True,
                    nama="Sasaran", pengguna=admin)
    assert fingerprint(kantor.engine) == before


def test_an_admin_cannot_lock_themself_out(kantor: Kantor) -> None:
    admin = kantor.users["admin", "sendiri", "aktif"]
    for peran, aktif in (("pimpinan", True), ("admin", False)):
        with pytest.raises(ValidationError, match="akun Anda sendiri"):
            update_user(kantor.engine, user_id=admin.id, peran=peran, unit_id=None, aktif=aktif, nama=admin.nama,
                        pengguna=admin)


def trail(engine: Engine) -> list[Jejak]:
    with new_session(engine) as session:
        return list(session.exec(select(Jejak).where(Jejak.tabel == "pengguna").order_by(Jejak.id)))


def change(k: Kantor, admin: Pengguna, **values: object) -> None:
    current = {"peran": "pimpinan", "unit_id": None, "aktif": True, "nama": "Sasaran"} | values
    update_user(k.engine, user_id=k.sasaran, pengguna=admin, **current)


USER_CHANGES: dict[str, tuple[Callable[[Kantor, Pengguna], object], str, dict | None, dict]] = {
    "dibuat": (lambda k, admin: create_user(k.engine, instansi_id=k.a, username="ahmad.pmd", nama="Ahmad",
                                            password="rahasia-123", peran="operator",
                                            unit_id=unit_of(k, k.a, UNIT_LAIN), pengguna=admin),
               "ahmad.pmd", None, {"nama": "Ahmad", "peran": "operator", "unit": UNIT_LAIN, "status": "aktif"}),
    "peran": (lambda k, admin: change(k, admin, peran="admin"),
              "sasaran", {"peran": "pimpinan"}, {"peran": "admin"}),
    "unit": (lambda k, admin: change(k, admin, unit_id=unit_of(k, k.a, UNIT_LAIN)),
             "sasaran", {"unit": None}, {"unit": UNIT_LAIN}),
    "nonaktif": (lambda k, admin: change(k, admin, aktif=False),
                 "sasaran", {"status": "aktif"}, {"status": "nonaktif"}),
    "kata sandi": (lambda k, admin: reset_password(k.engine, user_id=k.sasaran, password="sandi-rahasia-99",
                                                   pengguna=admin),
                   "sasaran", {}, {"kata_sandi": "diganti"}),
}


@pytest.mark.parametrize("what", USER_CHANGES)
def test_every_user_change_leaves_exactly_one_audit_row(kantor: Kantor, what: str) -> None:
    act, kunci, sebelum, sesudah = USER_CHANGES[what]
    admin = kantor.users["admin", "sendiri", "aktif"]
    act(kantor, admin)
    (row,) = trail(kantor.engine)
    assert (row.instansi_id, row.pengguna, row.kunci) == (kantor.a, admin.username, kunci)
    assert (baca_nilai(row.sebelum) if sebelum is not None else None, baca_nilai(row.sesudah)) == (sebelum, sesudah)
    with new_session(kantor.engine) as session:
        stored_hash = session.exec(select(Pengguna.password_hash).where(Pengguna.username == kunci)).one()
    assert "rahasia" not in row.sesudah + row.sebelum and stored_hash not in row.sesudah + row.sebelum


def test_saving_a_user_unchanged_leaves_no_audit_row(kantor: Kantor) -> None:
    change(kantor, kantor.users["admin", "sendiri", "aktif"])
    assert trail(kantor.engine) == []
