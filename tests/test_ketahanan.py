"""Faults and concurrency: an import killed mid-write leaves all or nothing; people saving at once all get through.

The kill test runs the real command (`python -m kinerja.cli import ikm`, 100.000 respondents) as its own
process against a copy of a seeded database and SIGKILLs it while it writes: once at the moment its
uncommitted rows are on disk, and a few times after random delays. Every time the database must be exactly
as before, or exactly as after a complete import; never in between. The concurrency tests run nine people
saving at once in threads, as Streamlit serves its sessions; on SQLite they queue for the write lock.
"""

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import select

from kinerja.simpan.db import SQLITE_BUSY_TIMEOUT_S, create_db_engine, new_session, write_session
from kinerja.simpan.jejak import baca_nilai
from kinerja.simpan.models import Anggaran, Indikator, Jejak, Pagu, Realisasi, RealisasiAnggaran, Target
from kinerja.simpan.penilaian import MAKS_RESPONDEN
from kinerja.simpan.queries import versi_berlaku
from kinerja.simpan.realisasi import (
    EntriAnggaran,
    EntriRealisasi,
    save_realisasi,
    save_realisasi_anggaran,
    write_realisasi,
)
from kinerja.simpan.revisi import UbahTarget, save_targets
from kinerja.simpan.seed import init_database
from tests._jalur import dump
from tests.conftest import BACKENDS, DATA, PG_URL, ROOT, throwaway_pg_database

D = Decimal
TAHUN = 2025
WAKTU = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?")


def tanpa_waktu(lines: list[str]) -> list[str]:
    """A dump with its timestamps blanked: two complete imports differ only in when they ran."""
    return [WAKTU.sub("<waktu>", line) for line in lines]


# --- a seeded database, copied fresh for every run of the command --------------------------------------


@dataclass
class Asal:
    """A seeded database that is never written to, and a way to get a fresh copy of it."""

    backend: str
    folder: Path
    url: str

    @contextmanager
    def salinan(self) -> Iterator[Engine]:
        """A fresh copy with the same rows and the same next ids: SQLite file copy, or PostgreSQL TEMPLATE."""
        name = f"salinan_{uuid.uuid4().hex[:10]}"
        if self.backend == "sqlite":
            path = self.folder / f"{name}.db"
            shutil.copyfile(self.folder / "asal.db", path)
            engine = create_db_engine(f"sqlite:///{path}")
            try:
                yield engine
            finally:
                engine.dispose()
            return
        admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
        source = self.url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        engine = create_db_engine(PG_URL.rsplit("/", 1)[0] + "/" + name)
        try:
            yield engine
        finally:
            engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def asal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Asal]:
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{tmp_path / 'asal.db'}")
        init_database(engine, DATA)
        engine.dispose()  # the last connection folds the WAL back into the file: one file to copy
        assert not (tmp_path / "asal.db-wal").exists()
        yield Asal("sqlite", tmp_path, "")
        return
    with throwaway_pg_database("kinerja_asal") as url:
        engine = create_db_engine(url)
        init_database(engine, DATA)
        engine.dispose()
        yield Asal("postgresql", tmp_path, url)


# --- SIGKILL in the middle of an import ------------------------------------------------------------


# SQLite: the largest survey an import accepts, big enough that the open transaction spills pages into the
# WAL file before its commit. PostgreSQL writes more slowly: a quarter of it keeps its write seconds long.
RESPONDEN = {"sqlite": MAKS_RESPONDEN, "postgresql": 25_000}


@pytest.fixture(scope="module")
def survei(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """A survey CSV of n respondents, 9 answers each (made once per size)."""
    made: dict[int, Path] = {}

    def make(n: int) -> Path:
        if n not in made:
            rng = random.Random(2025)
            lines = [",".join(f"u{i}" for i in range(1, 10))]
            lines += [",".join(rng.choice("1234") for _ in range(9)) for _ in range(n)]
            made[n] = tmp_path_factory.mktemp("survei") / f"survei-{n}.csv"
            made[n].write_text("\n".join(lines) + "\n", encoding="utf-8")
        return made[n]

    return make


def start_import(engine: Engine, csv: Path) -> subprocess.Popen:
    env = os.environ | {"KINERJA_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    env.pop("KINERJA_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kinerja.cli", "import", "ikm", str(csv), "--tahun", str(TAHUN), "--bulan", "6"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


class Pengamat:
    """Watch a database from outside for the import's write transaction, without taking part in it.

    SQLite: the write lock is held (a BEGIN IMMEDIATE with no wait fails), and `frames_on_disk` once pages of
    the open transaction have spilled into the WAL file. PostgreSQL: a backend of this database is inside a
    transaction inserting the respondents.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.path = Path(engine.url.database) if engine.dialect.name == "sqlite" else None
        if self.path is not None:
            self.probe = sqlite3.connect(self.path, timeout=0, isolation_level=None)
            self.wal_at_start = self._wal_size()

    def _wal_size(self) -> int:
        wal = Path(f"{self.path}-wal")
        return wal.stat().st_size if wal.exists() else 0

    def writing(self) -> tuple[bool, bool]:
        """Return (a write transaction is open, some of its pages are already on disk)."""
        if self.path is not None:
            try:
                self.probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # "database is locked": someone holds the write lock
                return True, self._wal_size() > self.wal_at_start
            self.probe.execute("ROLLBACK")
            return False, False
        with self.engine.connect() as conn:
            busy = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND query ILIKE 'INSERT INTO jawaban_ikm%'"
            )).scalar_one()
        return busy > 0, busy > 0

    def others_gone(self, timeout: float = 20.0) -> None:
        """Wait until the killed client's server backend has ended (PostgreSQL notices the closed socket)."""
        if self.path is not None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND pid <> pg_backend_pid()")).scalar_one() == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("the killed import's server backend did not end")

    def close(self) -> None:
        if self.path is not None:
            self.probe.close()


@dataclass
class Lari:
    """How a run of the import ended, as seen from outside."""

    code: int  # the exit code; -9 when killed
    writing: bool  # its write transaction was open at the end (at the kill)
    on_disk: bool  # pages of that open transaction were on disk
    window: float  # seconds from the start of its (last) write transaction to the kill or the commit


def run_and_kill(engine: Engine, csv: Path, when: Callable[[float, bool], bool]) -> Lari:
    """Start the import and SIGKILL it as soon as `when(seconds into its write, pages on disk)` says so."""
    watcher = Pengamat(engine)
    process = start_import(engine, csv)
    since: float | None = None
    writing = on_disk = False
    window = 0.0
    try:
        while process.poll() is None:
            writing, on_disk = watcher.writing()
            now = time.monotonic()
            if writing:
                since = now if since is None else since
                window = now - since
            else:
                since = None  # SQLite: the start-up check holds the lock for a moment; the import's write comes later
            if writing and when(window, on_disk):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        process.communicate(timeout=600)
        watcher.others_gone()
    finally:
        if process.poll() is None:
            process.kill()
        watcher.close()
    return Lari(process.returncode, writing, on_disk, window)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_an_import_killed_while_writing_leaves_the_database_as_before_or_complete(
    asal: Asal, survei: Callable[[int], Path]
):
    csv = survei(RESPONDEN[asal.backend])
    with asal.salinan() as engine:
        before = tanpa_waktu(dump(engine))
        full = run_and_kill(engine, csv, lambda seconds, on_disk: False)
        assert full.code == 0
        complete = tanpa_waktu(dump(engine))
    assert complete != before
    # One transaction of the whole survey takes a while; pieces committed one by one would each be short.
    assert full.window > 0.2, f"the import's last write took {full.window:.2f} s: does it commit in pieces?"

    # Killed the moment the import's uncommitted rows reach the disk: the database must be as before.
    with asal.salinan() as engine:
        run = run_and_kill(engine, csv, lambda seconds, on_disk: on_disk)
        assert run.code == -signal.SIGKILL and run.writing and run.on_disk, "never caught the import writing"
        assert tanpa_waktu(dump(engine)) == before, "half an import is in the database"

    # Killed at random moments early in, late in and just past its write: before, or complete, never between.
    rng = random.Random()
    outcomes = []
    for low, high in ((0.1, 0.5), (0.5, 0.95), (0.95, 1.3)):
        delay = rng.uniform(low, high) * full.window
        with asal.salinan() as engine:
            run = run_and_kill(engine, csv, lambda seconds, on_disk, d=delay: seconds >= d)
            after = tanpa_waktu(dump(engine))
        state = "before" if after == before else "complete" if after == complete else "in between"
        outcomes.append((f"{delay:.2f} s of {full.window:.2f}", run.code, state))
        assert state != "in between", outcomes
        assert run.code in (0, -signal.SIGKILL) and (run.code == -signal.SIGKILL or state == "complete"), outcomes


# --- one writer waits for another ---------------------------------------------------------------------


def test_a_save_that_must_wait_for_another_waits_and_keeps_both(seeded: Engine, instansi_id: int):
    """A long save holds the lock; a second save of the same month waits for it instead of failing, and
    its audit row starts from the first save's value (nothing lost, nothing overwritten unseen)."""
    holding = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with write_session(seeded) as session:
                write_realisasi(session, instansi_id=instansi_id, tahun=TAHUN, oleh="pertama", yakin=True,
                                entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(1))])
                session.flush()
                holding.set()
                time.sleep(2.0)
        except BaseException as e:  # reported below, in the test's own thread
            errors.append(e)
            holding.set()

    thread = threading.Thread(target=first)
    thread.start()
    assert holding.wait(30)
    start = time.monotonic()
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="kedua", yakin=True,
                   entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(2))])
    waited = time.monotonic() - start
    thread.join(30)
    assert errors == []
    assert waited >= 1.0, "the second save did not wait for the first"
    trail = jejak(seeded, "realisasi", f"{TAHUN}/IK-6.1.1/1")
    assert [(j.pengguna, baca_nilai(j.sebelum), baca_nilai(j.sesudah)["nilai"]) for j in trail] == [
        ("pertama", None, "1"),
        ("kedua", {"keterangan": "", "nilai": "1", "pembilang": None, "penyebut": None}, "2"),
    ]
    if seeded.dialect.name == "sqlite":  # and it would have waited a minute, not sqlite3's default 5 s
        with write_session(seeded) as session:
            timeout = session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar_one()
        assert timeout == SQLITE_BUSY_TIMEOUT_S * 1000 >= 60_000


# --- nine people saving at the same time ---------------------------------------------------------------


ROUNDS = 12
WRITERS = 8


def jejak(engine: Engine, tabel: str, kunci: str | None = None) -> list[Jejak]:
    with new_session(engine) as session:
        query = select(Jejak).where(Jejak.tabel == tabel)
        if kunci is not None:
            query = query.where(Jejak.kunci == kunci)
        return list(session.exec(query.order_by(Jejak.id)))


def assert_unbroken(trail: list[Jejak], count: int) -> None:
    """Each change starts from the value the previous one left: no write was lost or overwritten unseen."""
    assert len(trail) == count
    assert trail[0].sebelum == ""
    for previous, row in zip(trail, trail[1:], strict=False):
        assert row.sebelum == previous.sesudah, (previous.pengguna, row.pengguna)


def test_eight_writers_and_an_admin_at_once_lose_nothing_and_wait_instead_of_failing(
    seeded: Engine, instansi_id: int
):
    with new_session(seeded) as session:
        kodes = list(session.exec(
            select(Indikator.kode).where(Indikator.tahun == TAHUN, Indikator.sumber == "input",
                                         Indikator.jenis == "tunggal", Indikator.nilai_khusus.is_(None))
            .order_by(Indikator.kode)))[:WRITERS + 1]
        versi = versi_berlaku(session, instansi_id, TAHUN, 12)
        subs = [kode for kode, pagu in session.exec(
            select(Anggaran.kode, Pagu.pagu).join(Pagu, Pagu.anggaran_id == Anggaran.id)
            .where(Pagu.versi_id == versi.id, Anggaran.tingkat == "sub_kegiatan", Pagu.pagu >= 10_000_000)
            .order_by(Anggaran.kode))][:WRITERS + 1]
        targets = {ind.kode: t.tahunan for t, ind in session.exec(
            select(Target, Indikator).join(Indikator, Indikator.id == Target.indikator_id)
            .where(Target.versi_id == versi.id, Indikator.kode.in_(kodes[:WRITERS])))}
    assert len(kodes) == len(subs) == WRITERS + 1
    shared, shared_sub = kodes[WRITERS], subs[WRITERS]
    start = threading.Barrier(WRITERS + 1)
    errors: list[str] = []

    def writer(i: int) -> None:
        oleh = f"penulis-{i}"
        try:
            start.wait()
            for r in range(1, ROUNDS + 1):
                save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh=oleh, yakin=True, entries=[
                    EntriRealisasi(kodes[i], r, nilai=D(r)), EntriRealisasi(shared, 1, nilai=D(100 * (i + 1) + r))])
                save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh=oleh, entries=[
                    EntriAnggaran(subs[i], r, 1000 + r), EntriAnggaran(shared_sub, 1, 10_000 * (i + 1) + r)])
        except Exception as e:
            errors.append(f"{oleh}: {e!r}")

    def admin() -> None:
        try:
            start.wait()
            for r in range(1, ROUNDS + 1):
                save_targets(seeded, versi_id=versi.id, oleh="admin", changes=[
                    UbahTarget(kode, targets[kode] + r, (None, None, None, None)) for kode in kodes[:WRITERS]])
        except Exception as e:
            errors.append(f"admin: {e!r}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)] + [threading.Thread(target=admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []  # no "database is locked", no deadlock, no refused save

    with new_session(seeded) as session:
        months = {(k, b): v for k, b, v in session.exec(
            select(Indikator.kode, Realisasi.bulan, Realisasi.nilai)
            .join(Realisasi, Realisasi.indikator_id == Indikator.id))}
        rupiah = {(k, b): v for k, b, v in session.exec(
            select(Anggaran.kode, RealisasiAnggaran.bulan, RealisasiAnggaran.realisasi)
            .join(RealisasiAnggaran, RealisasiAnggaran.anggaran_id == Anggaran.id))}
        final_targets = {ind.kode: t.tahunan for t, ind in session.exec(
            select(Target, Indikator).join(Indikator, Indikator.id == Target.indikator_id)
            .where(Target.versi_id == versi.id, Indikator.kode.in_(kodes[:WRITERS])))}

    for i in range(WRITERS):  # every writer's own months: all twelve, each once in the trail, by its writer
        assert {b: months[(kodes[i], b)] for b in range(1, ROUNDS + 1)} == {r: D(r) for r in range(1, ROUNDS + 1)}
        assert {b: rupiah[(subs[i], b)] for b in range(1, ROUNDS + 1)} == {r: 1000 + r for r in range(1, ROUNDS + 1)}
        for tabel, kode in (("realisasi", kodes[i]), ("realisasi_anggaran", subs[i])):
            trail = [j for j in jejak(seeded, tabel) if j.kunci.startswith(f"{TAHUN}/{kode}/")]
            assert sorted((j.kunci, j.pengguna, j.aksi) for j in trail) == sorted(
                (f"{TAHUN}/{kode}/{r}", f"penulis-{i}", "tambah") for r in range(1, ROUNDS + 1))

    # The month everyone wrote: 96 changes in one unbroken chain, and the value is the last one's.
    trail = jejak(seeded, "realisasi", f"{TAHUN}/{shared}/1")
    assert_unbroken(trail, WRITERS * ROUNDS)
    assert sorted(D(baca_nilai(j.sesudah)["nilai"]) for j in trail) == sorted(
        D(100 * (i + 1) + r) for i in range(WRITERS) for r in range(1, ROUNDS + 1))
    assert months[(shared, 1)] == D(baca_nilai(trail[-1].sesudah)["nilai"])
    trail = jejak(seeded, "realisasi_anggaran", f"{TAHUN}/{shared_sub}/1")
    assert_unbroken(trail, WRITERS * ROUNDS)
    assert rupiah[(shared_sub, 1)] == baca_nilai(trail[-1].sesudah)["realisasi"]

    # The admin's targets: the last round's, and one audit row per indicator per round.
    assert final_targets == {kode: targets[kode] + ROUNDS for kode in kodes[:WRITERS]}
    for kode in kodes[:WRITERS]:
        trail = [j for j in jejak(seeded, "target") if j.kunci.endswith(f"/{kode}")]
        assert len(trail) == ROUNDS and {j.pengguna for j in trail} == {"admin"}
        for previous, row in zip(trail, trail[1:], strict=False):
            assert row.sebelum == previous.sesudah
