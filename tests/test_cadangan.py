"""Backup while the app writes, change, restore: the first state comes back; a wrong file is refused."""

import sqlite3
import threading
from decimal import Decimal

import pytest
from sqlalchemy import create_engine
from sqlmodel import select

from kinerja.simpan.cadangan import CadanganError, backup, restore
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Jejak, Realisasi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.versi import versi_data
from tests._jalur import dump, dump_data
from tests.conftest import seeded_database

D = Decimal


def realisasi_and_trail(engine) -> tuple[int, int]:
    with new_session(engine) as session:
        return (len(session.exec(select(Realisasi)).all()),
                len(session.exec(select(Jejak).where(Jejak.tabel == "realisasi")).all()))


def test_backup_while_writing_then_restore_gives_back_that_state(seeded, instansi_id, tmp_path):
    stop = threading.Event()
    saved: list[int] = []

    def writer() -> None:  # an operator saving month after month while the backup runs
        n = 0
        while not stop.is_set() and n < 400:
            n += 1
            save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, yakin=True,
                           entries=[EntriRealisasi("IK-6.2.2", n % 12 + 1, nilai=D(n))])
            saved.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    while len(saved) < 20:
        threading.Event().wait(0.01)
    out = backup(seeded, tmp_path / "cadangan.bak")
    stop.set()
    thread.join(timeout=60)
    assert out.stat().st_size > 0

    sebelum = versi_data(seeded, instansi_id)
    restore(seeded, out)
    assert versi_data(seeded, instansi_id) > sebelum  # a running app's cached figures are stale at once
    first = dump_data(seeded)
    months, trail = realisasi_and_trail(seeded)
    assert 1 <= months <= 12 and trail >= months  # consistent: every stored month has its audit rows

    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, yakin=True,
                   entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(1))])  # a change after the backup
    sebelum = versi_data(seeded, instansi_id)
    assert dump_data(seeded) != first
    restore(seeded, out)
    # The restored version would repeat one the app cached with the change in it: it must be past it.
    assert versi_data(seeded, instansi_id) > sebelum
    assert dump_data(seeded) == first  # the change is gone, and the state is exactly the backup's
    if seeded.dialect.name == "sqlite":
        salinan = tmp_path / "salinan.db"
        with sqlite3.connect(out) as src, sqlite3.connect(salinan) as dst:
            src.backup(dst)
            dst.execute("UPDATE instansi SET versi_data = 0")
            dst.commit()
            assert list(dst.iterdump()) == first



@pytest.mark.parametrize("isi", [b"bukan basis data", b""])
def test_a_file_that_is_not_a_kinerja_backup_is_refused_and_nothing_changes(seeded, tmp_path, isi):
    berkas = tmp_path / "asing.bak"
    berkas.write_bytes(isi)
    before = dump(seeded)
    with pytest.raises(CadanganError):
        restore(seeded, berkas)
    assert dump(seeded) == before


@pytest.fixture
def sqlite_seeded(tmp_path):
    """A seeded SQLite database: these cases are about SQLite files (PostgreSQL takes pg_dump files, above)."""
    with seeded_database("sqlite", tmp_path) as engine:
        yield engine


def test_a_sqlite_database_of_another_application_is_refused(sqlite_seeded, tmp_path):
    seeded = sqlite_seeded
    other = tmp_path / "lain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE catatan (isi TEXT)")
    before = dump(seeded)
    with pytest.raises(CadanganError, match="bukan cadangan basis data Kinerja"):
        restore(seeded, other)
    assert dump(seeded) == before


def test_a_backup_from_a_newer_version_is_refused(sqlite_seeded, tmp_path):
    seeded = sqlite_seeded
    out = backup(seeded, tmp_path / "baru.bak")
    engine = create_engine(f"sqlite:///{out}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    before = dump(seeded)
    with pytest.raises(CadanganError, match="lebih baru dari aplikasi ini"):
        restore(seeded, out)
    assert dump(seeded) == before
