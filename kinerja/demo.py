"""A separate demo database: the real PK with a plausible year of made-up realisations."""

import os
import random
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlmodel import select

from kinerja.simpan.auth import create_first_admin, create_user
from kinerja.simpan.db import create_db_engine, new_session, write_session
from kinerja.simpan.models import Instansi
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.queries import DataTahun, get_instansi, list_tahun, list_units, load_data_tahun
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.riwayat import EntriRiwayat, EntriTargetRenstra, simpan_riwayat, simpan_target_renstra
from kinerja.simpan.seed import init_database
from kinerja.simpan.wewenang import diisi_tangan

# Units that are late: their last months stay empty, so the completeness grid has something to show.
TERLAMBAT = {"TRANTIB": 11, "PELAYANAN": 12}
CATATAN = ("", "", "Sesuai jadwal", "Dokumen terlampir")


class DemoError(ValueError):
    """The demo database cannot be made where asked."""


WAL = ("-wal", "-shm", "-journal")


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _same_file(a: Path, b: Path) -> bool:
    """Tell whether two paths name one file: after symlinks and `..`, or by inode when both exist."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _demo_problem(path: Path) -> str | None:
    """Return why an existing file may not be replaced by a demo, or None when it is an earlier demo.

    It is read from a copy (with its WAL), so not even SQLite's -wal/-shm files appear beside it:
    replaced only when it is a Kinerja database whose every office is demo data and whose every
    user belongs to a demo office.
    """
    refused = f"{path} sudah ada dan bukan basis data demo Kinerja; tidak diubah. Pilih nama berkas lain."
    with tempfile.TemporaryDirectory(prefix="kinerja-demo-") as tmp:
        copy = Path(tmp) / "periksa.db"
        try:
            shutil.copyfile(path, copy)
            if Path(f"{path}-wal").is_file():
                shutil.copyfile(f"{path}-wal", f"{copy}-wal")
            conn = sqlite3.connect(copy)
        except (OSError, sqlite3.Error):
            return refused
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "instansi", "pengguna"} <= tables:
                return refused
            offices = conn.execute("SELECT demo FROM instansi").fetchall()
            others = conn.execute(
                "SELECT count(*) FROM pengguna WHERE instansi_id NOT IN (SELECT id FROM instansi WHERE demo)"
            ).fetchone()[0]
        except sqlite3.Error:
            return refused
        finally:
            conn.close()
    if not offices or not all(demo for (demo,) in offices) or others:
        return (f"{path} berisi data sebenarnya (bukan data demo); tidak diubah. "
                "Pilih nama berkas lain untuk basis data demo.")
    return None


def _check_target(url: str, real_url: str) -> Path:
    """Return the demo's SQLite file once it is sure that replacing it cannot touch real data."""
    path = _sqlite_path(url)
    if path is None:
        raise DemoError("basis data demo harus berupa berkas SQLite (sqlite:///nama.db)")
    real = _sqlite_path(real_url)
    if make_url(url) == make_url(real_url) or (real is not None and _same_file(path, real)):
        raise DemoError("basis data demo tidak boleh sama dengan basis data sebenarnya "
                        f"({real_url}); pilih berkas lain, mis. sqlite:///kinerja-demo.db")
    if path.is_dir():
        raise DemoError(f"{path} adalah folder; sebutkan nama berkas basis data demo")
    if path.exists():
        if problem := _demo_problem(path):
            raise DemoError(problem)
    else:
        stray = [f"{path}{s}" for s in WAL if Path(f"{path}{s}").exists()]
        if stray:
            raise DemoError(f"{', '.join(stray)} ada tanpa basis datanya; tidak diubah. Periksa dan hapus sendiri "
                            "bila memang sisa demo.")
    return path


def create_demo(url: str, real_url: str, data_dir: Path, seed: int = 2025) -> Engine:
    """(Re)create the demo database at `url` and fill it; never the real database, never a file of real data.

    An existing file at `url` is replaced only when it is itself a demo database (see `_demo_problem`).
    """
    path = _check_target(url, real_url)
    for suffix in ("", *WAL):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = create_db_engine(url)
    init_database(engine, data_dir)
    with write_session(engine) as session:
        for office in session.exec(select(Instansi)):
            office.demo = True
            session.add(office)
    with new_session(engine) as session:
        office = get_instansi(session)
        tahun = list_tahun(session, office.id)[0]
        data_tahun = load_data_tahun(session, office, tahun)
    rng = random.Random(seed)
    save_realisasi(engine, instansi_id=office.id, tahun=tahun, entries=_realisasi(data_tahun, rng), oleh="demo")
    save_realisasi_anggaran(engine, instansi_id=office.id, tahun=tahun, entries=_anggaran(data_tahun, rng), oleh="demo")
    answers = [[rng.choices((2, 3, 4), weights=(1, 9, 8))[0] for _ in range(9)] for _ in range(150)]
    save_survei_ikm(engine, instansi_id=office.id, tahun=tahun, bulan=6, answers=answers, judul="SKM Semester I",
                    populasi=1200, oleh="demo")
    save_akip(engine, instansi_id=office.id, tahun=tahun, bulan=12, oleh="demo", komponen={
        "perencanaan": Decimal("22.61"), "pengukuran": Decimal("20.05"),
        "pelaporan": Decimal("10.40"), "evaluasi": Decimal("17.32"),
    })
    targets, riwayat = _renstra_contoh(data_tahun, random.Random(seed + 1))
    simpan_target_renstra(engine, instansi_id=office.id, entries=targets, periode=RENSTRA_CONTOH, oleh="demo")
    simpan_riwayat(engine, instansi_id=office.id, entries=riwayat, oleh="demo")
    _akun_demo(engine, office.id)
    return engine


@dataclass(frozen=True)
class AkunDemo:
    """A demo account, shown on the demo's sign-in screen (and only there) so a trainee can try every role."""

    username: str
    nama: str
    peran: str
    unit: str | None
    password: str
    keterangan: str


AKUN_DEMO = (
    AkunDemo("admin.demo", "Admin Demo", "admin", None, "demo-admin-2025", "mengatur pengguna, target, jadwal"),
    AkunDemo("camat.demo", "Camat Demo", "pimpinan", "CAMAT", "demo-camat-2025", "pimpinan: Beranda, verifikasi"),
    AkunDemo("operator.demo", "Operator Perencanaan Demo", "operator", "PERENCANAAN", "demo-operator-2025",
             "mengisi realisasi Sub Bagian Perencanaan"),
)


def _akun_demo(engine: Engine, instansi_id: int) -> None:
    """Create one account per role (admin, the Camat, an operator of one seksi) with the passwords of AKUN_DEMO."""
    with new_session(engine) as session:
        units = {u.kode: u.id for u in list_units(session, instansi_id)}
    admin = create_first_admin(engine, instansi_id=instansi_id, username=AKUN_DEMO[0].username,
                               nama=AKUN_DEMO[0].nama, password=AKUN_DEMO[0].password)
    for a in AKUN_DEMO[1:]:
        create_user(engine, instansi_id=instansi_id, username=a.username, nama=a.nama, password=a.password,
                    peran=a.peran, unit_id=units[a.unit] if a.unit else None, pengguna=admin)


# The demo's Renstra period and earlier years; AKIP and IKM follow the seed's story (the 2025 Renstra
# AKIP target is 71,60; IKM had already passed its Renstra target in 2024).
RENSTRA_CONTOH = (2021, 2026)
KHUSUS_CONTOH = {
    "akip": ((66, 67.2, 68.5, 70, 71.6, 73), (62.47, 65.1, 67.35, 70.02)),
    "ikm": ((80, 81, 82, 83, 84, 85), (81.2, 83.45, 85.1, 87.62)),
}


def _renstra_contoh(data_tahun: DataTahun, rng: random.Random) -> tuple[list[EntriTargetRenstra], list[EntriRiwayat]]:
    """Make Renstra targets 2021-2026 and realisations 2021-2024 (sumber "contoh") for every indicator."""
    targets, riwayat, seen = [], [], set()
    years = range(RENSTRA_CONTOH[0], RENSTRA_CONTOH[1] + 1)
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.kode in seen:
            continue
        seen.add(ind.kode)
        if ind.nilai_khusus in KHUSUS_CONTOH:
            per_tahun, realisasi = (tuple(Decimal(str(v)) for v in t) for t in KHUSUS_CONTOH[ind.nilai_khusus])
        else:
            target = b.target.tahunan
            per_tahun = tuple(target for _ in years)
            low = 0.85 if ind.satuan == "%" else 0.8
            digits = 1 if ind.satuan == "%" else 0
            realisasi = tuple(min(target, Decimal(str(round(float(target) * rng.uniform(low, 1.05), digits))))
                              for _ in range(4))
        targets += [EntriTargetRenstra(kode=ind.kode, tahun=y, target=t) for y, t in zip(years, per_tahun, strict=True)]
        riwayat += [EntriRiwayat(kode=ind.kode, tahun=y, realisasi=r, capaian=None, sumber="contoh")
                    for y, r in zip(years, realisasi, strict=False)]
    return targets, riwayat


def _last_month(unit: str) -> int:
    return TERLAMBAT.get(unit, 12) - (1 if unit in TERLAMBAT else 0)


def _realisasi(data_tahun: DataTahun, rng: random.Random) -> list[EntriRealisasi]:
    entries, seen = [], set()
    units = {b.unit.id: b.unit.kode for b in data_tahun.baris}
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.kode in seen or not diisi_tangan(ind):
            continue
        seen.add(ind.kode)
        last = _last_month(units[ind.unit_id])
        if ind.jenis == "rasio":
            for bulan in range(1, last + 1):
                penyebut = rng.randint(2, 6)
                pembilang = penyebut - rng.choices((0, 1), weights=(5, 1))[0]
                entries.append(EntriRealisasi(kode=ind.kode, bulan=bulan, pembilang=Decimal(pembilang),
                                              penyebut=Decimal(penyebut)))
        elif ind.agregasi == "rata_rata":
            target = int(b.target.tahunan)
            for bulan in range(1, last + 1):
                entries.append(EntriRealisasi(kode=ind.kode, bulan=bulan,
                                              nilai=Decimal(target - rng.choices((0, 1), weights=(4, 1))[0])))
        else:
            # Cumulative counts that end between 70 % and 110 % of the target.
            target = float(b.target.tahunan)
            pace = rng.uniform(0.7, 1.1)
            done = 0
            for bulan in range(1, last + 1):
                # A month without progress is reported as 0, as operators are asked to.
                cumulative = max(done, round(target * pace * bulan / 12))
                entries.append(EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=Decimal(cumulative - done),
                                              keterangan=rng.choice(CATATAN)))
                done = cumulative
    return entries


def _anggaran(data_tahun: DataTahun, rng: random.Random) -> list[EntriAnggaran]:
    entries = []
    for n in data_tahun.anggaran:
        if n.node.tingkat != "sub_kegiatan":
            continue
        last = _last_month(n.unit.kode)
        share = rng.uniform(0.85, 0.98)
        weights = [rng.uniform(0.5, 1.5) for _ in range(last)]
        total = int(n.pagu * share * last / 12)
        amounts = [int(total * w / sum(weights)) for w in weights]
        for bulan, rupiah in enumerate(amounts, start=1):
            entries.append(EntriAnggaran(kode=n.node.kode, bulan=bulan, realisasi=rupiah))
    return entries
