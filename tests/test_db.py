"""The database under the app: SQLite settings, concurrent operators, and the audit trail."""

import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from kinerja.simpan.db import create_db_engine, migrate, new_session, write_session
from kinerja.simpan.models import Anggaran, Jejak, Realisasi, RealisasiAnggaran
from kinerja.simpan.queries import list_anggaran, load_realisasi, versi_berlaku
from kinerja.simpan.realisasi import (
    EntriAnggaran,
    EntriRealisasi,
    ValidationError,
    save_realisasi,
    save_realisasi_anggaran,
)

D = Decimal


def test_sqlite_file_runs_with_wal_and_foreign_keys(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'kinerja.db'}")
    migrate(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_realisation_of_an_indicator_that_does_not_exist_is_refused_by_the_database(engine):
    with pytest.raises(IntegrityError), write_session(engine) as session:
        session.add(Realisasi(indikator_id=999_999, bulan=1, nilai=D(1)))
    with new_session(engine) as session:
        assert session.exec(select(Realisasi)).all() == []


def run_together(jobs: list) -> list[Exception]:
    """Start every job at the same moment in its own thread; return what they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[Exception] = []

    def run(job) -> None:
        barrier.wait()
        try:
            job()
        except Exception as e:  # collected, and asserted on by the caller
            errors.append(e)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


# Six operators, each on their own indicator, and two more on the same indicator (odd / even months).
OWN = ["IK-4.1.1", "IK-5.1.1", "IK-2.1.2", "IK-5.1.2", "IK-3.1.1", "IK-6.1.4"]
SAME = "IK-6.2.2"


def test_concurrent_writers_never_lose_each_others_writes(seeded, instansi_id):
    expected: dict[str, dict[int, Decimal]] = {}

    def operator(kode: str, months: list[int], base: int):
        def job() -> None:
            for bulan in months:  # one save per month: many small transactions interleaving
                # Values far above the targets on purpose (distinct per writer): the operators confirmed them.
                save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, oleh=f"op-{kode}-{base}", yakin=True,
                               entries=[EntriRealisasi(kode=kode, bulan=bulan, nilai=D(base + bulan))])
        for bulan in months:
            expected.setdefault(kode, {})[bulan] = D(base + bulan)
        return job

    jobs = [operator(kode, list(range(1, 13)), 100 * i) for i, kode in enumerate(OWN)]
    jobs += [operator(SAME, [1, 3, 5, 7, 9, 11], 1000), operator(SAME, [2, 4, 6, 8, 10, 12], 2000)]

    assert run_together(jobs) == []

    with new_session(seeded) as session:
        saved = load_realisasi(session, instansi_id, 2025)
        jejak = session.exec(select(Jejak).where(Jejak.tabel == "realisasi")).all()
    assert {k: {b: e.nilai for b, e in months.items()} for k, months in saved.items()} == expected
    assert len(jejak) == 6 * 12 + 12  # one audit row per write, none lost either


def test_concurrent_budget_writers_never_lose_each_others_writes(seeded, instansi_id):
    subs = ["6.5.1", "6.5.2", "6.5.3", "6.5.4"]

    def operator(kode: str):
        def job() -> None:
            for bulan in range(1, 13):
                save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025, entries=[
                    EntriAnggaran(kode=kode, bulan=bulan, realisasi=1000 * bulan),
                ])
        return job

    assert run_together([operator(k) for k in subs]) == []
    with new_session(seeded) as session:
        rows = session.exec(select(RealisasiAnggaran)).all()
    assert len(rows) == 4 * 12
    assert sorted({r.realisasi for r in rows}) == [1000 * b for b in range(1, 13)]


def test_concurrent_budget_imports_cannot_together_exceed_the_pagu(seeded, instansi_id):
    with new_session(seeded) as session:
        pagu = {n.node.kode: n.pagu for n in list_anggaran(session, versi_berlaku(session, instansi_id, 2025))}
    # Several attempts on different sub-kegiatan, so that a race shows up even on a lucky schedule.
    for kode in ("1.1.1", "2.1.1", "3.1.1", "4.1.1"):
        amount = pagu[kode] // 5 + 1  # at most 4 of the 8 months fit in the pagu

        def month(bulan: int, kode: str = kode, amount: int = amount):
            def job() -> None:
                save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025, entries=[
                    EntriAnggaran(kode=kode, bulan=bulan, realisasi=amount),
                ])
            return job

        errors = run_together([month(b) for b in range(1, 9)])
        assert all(isinstance(e, ValidationError) for e in errors), errors
        with new_session(seeded) as session:
            spent = sum(session.exec(
                select(RealisasiAnggaran.realisasi)
                .join(Anggaran, Anggaran.id == RealisasiAnggaran.anggaran_id)
                .where(Anggaran.kode == kode)
            ).all())
        assert spent <= pagu[kode], (kode, spent, pagu[kode])
        assert len(errors) == 4, kode  # exactly the 4 months that fit were saved


# --- audit trail --------------------------------------------------------------------------------


def jejak_of(engine, kunci: str) -> list[Jejak]:
    with new_session(engine) as session:
        return list(session.exec(select(Jejak).where(Jejak.kunci == kunci).order_by(Jejak.id)))


def test_every_change_leaves_an_audit_row_with_before_and_after(seeded, instansi_id):
    def save(**kw) -> int:
        return save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, oleh="meri", entries=[
            EntriRealisasi(kode="IK-6.1.1", bulan=2, **kw),
        ])

    assert save(nilai=D(1)) == 1
    assert save(nilai=D(2), keterangan="koreksi") == 1
    assert save(nilai=D(2), keterangan="koreksi") == 0  # unchanged: nothing rewritten, nothing logged
    assert save(hapus=True) == 1

    tambah, ubah, hapus = jejak_of(seeded, "2025/IK-6.1.1/2")
    assert [j.aksi for j in (tambah, ubah, hapus)] == ["tambah", "ubah", "hapus"]
    assert {j.pengguna for j in (tambah, ubah, hapus)} == {"meri"}
    assert {j.tabel for j in (tambah, ubah, hapus)} == {"realisasi"}
    assert all(j.instansi_id == instansi_id for j in (tambah, ubah, hapus))

    assert tambah.sebelum == ""
    assert D(json.loads(tambah.sesudah)["nilai"]) == 1
    assert D(json.loads(ubah.sebelum)["nilai"]) == 1
    assert D(json.loads(ubah.sesudah)["nilai"]) == 2
    assert json.loads(ubah.sesudah)["keterangan"] == "koreksi"
    assert D(json.loads(hapus.sebelum)["nilai"]) == 2
    assert hapus.sesudah == ""
    assert tambah.waktu <= ubah.waktu <= hapus.waktu

    with new_session(seeded) as session:
        assert session.exec(select(Realisasi)).all() == []


def test_budget_changes_are_audited_and_a_refused_batch_leaves_no_audit_row(seeded, instansi_id):
    def save(rupiah: int) -> None:
        save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025, oleh="mansyur", entries=[
            EntriAnggaran(kode="6.2.1", bulan=1, realisasi=rupiah),
        ])

    save(180_000_000)
    save(181_500_000)
    with pytest.raises(ValidationError):
        save(-1)

    tambah, ubah = jejak_of(seeded, "2025/6.2.1/1")
    assert (tambah.tabel, tambah.aksi, tambah.pengguna) == ("realisasi_anggaran", "tambah", "mansyur")
    assert json.loads(tambah.sesudah)["realisasi"] == 180_000_000
    assert json.loads(ubah.sebelum)["realisasi"] == 180_000_000
    assert json.loads(ubah.sesudah)["realisasi"] == 181_500_000


def test_the_default_database_is_the_file_the_readme_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """An office that upgrades keeps its data: the default file name never changes behind the README's back."""
    from kinerja.config import Settings

    monkeypatch.delenv("KINERJA_DATABASE_URL", raising=False)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`KINERJA_DATABASE_URL` (default `sqlite:///kinerja.db`)" in readme
    assert Settings().database_url == "sqlite:///kinerja.db"
