"""A separate demo database: the real PK with a plausible year of made-up realisations."""

import random
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlmodel import select

from kinerja.db import create_db_engine, new_session, write_session
from kinerja.models import Instansi
from kinerja.penilaian import save_akip, save_survei_ikm
from kinerja.queries import Tahunan, get_instansi, list_tahun, load_tahunan
from kinerja.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.seed import init_database
from kinerja.wewenang import diisi_tangan

# Units that are late: their last months stay empty, so the completeness grid has something to show.
TERLAMBAT = {"TRANTIB": 11, "PELAYANAN": 12}
CATATAN = ("", "", "Sesuai jadwal", "Dokumen terlampir")


class DemoError(ValueError):
    """The demo database cannot be made where asked."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.drivername.startswith("sqlite") and parsed.database else None


def create_demo(url: str, real_url: str, data_dir: Path, seed: int = 2025) -> Engine:
    """(Re)create the demo database at `url` and fill it; never the real database."""
    if make_url(url) == make_url(real_url):
        raise DemoError("basis data demo tidak boleh sama dengan basis data sebenarnya")
    path = _sqlite_path(url)
    if path is None:
        raise DemoError("basis data demo harus berupa berkas SQLite (sqlite:///nama.db)")
    for suffix in ("", "-wal", "-shm"):
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
        tahunan = load_tahunan(session, office, tahun)
    rng = random.Random(seed)
    save_realisasi(engine, instansi_id=office.id, tahun=tahun, entries=_realisasi(tahunan, rng), oleh="demo")
    save_realisasi_anggaran(engine, instansi_id=office.id, tahun=tahun, entries=_anggaran(tahunan, rng), oleh="demo")
    answers = [[rng.choices((2, 3, 4), weights=(1, 9, 8))[0] for _ in range(9)] for _ in range(150)]
    save_survei_ikm(engine, instansi_id=office.id, tahun=tahun, bulan=6, answers=answers, judul="SKM Semester I",
                    populasi=1200, oleh="demo")
    save_akip(engine, instansi_id=office.id, tahun=tahun, bulan=12, oleh="demo", komponen={
        "perencanaan": Decimal("22.61"), "pengukuran": Decimal("20.05"),
        "pelaporan": Decimal("10.40"), "evaluasi": Decimal("17.32"),
    })
    return engine


def _last_month(unit: str) -> int:
    return TERLAMBAT.get(unit, 12) - (1 if unit in TERLAMBAT else 0)


def _realisasi(tahunan: Tahunan, rng: random.Random) -> list[EntriRealisasi]:
    entries, seen = [], set()
    units = {b.unit.id: b.unit.kode for b in tahunan.baris}
    for b in tahunan.baris:
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


def _anggaran(tahunan: Tahunan, rng: random.Random) -> list[EntriAnggaran]:
    entries = []
    for n in tahunan.anggaran:
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
