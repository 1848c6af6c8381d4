"""Generate synthetic offices for the benchmark: the 2025 PK's structure, cloned per office and year.

Every office-year is loaded by the app's own loader (kinerja.simpan.seed.load_seed) from the
Mangkutana 2025 folder with a new kode, name and year, so units, officials, versions, budget tree,
indicators, targets and annexes are exactly what `kinerja init` stores. Then a full year is entered:
- a monthly realisation of every indicator typed by hand (counts paced to 70-110 % of the target,
  ratios with pembilang <= penyebut, averages near the target), all within their soft limits;
- a monthly budget realisation of every sub kegiatan, 85-98 % of the pagu over the year;
- an IKM survey (150 respondents, June) and an AKIP score (December).

Two write paths give the same stored rows (tests/test_bench.py compares them):
- `app`: kinerja.simpan.realisasi.save_realisasi / save_realisasi_anggaran and
  kinerja.simpan.penilaian.save_survei_ikm / save_akip, as a user or the CLI would;
- `bulk`: the same rows (values, audit rows, versi 1) in one executemany per table, because the
  app's path (one upsert and one audit insert per month) would make the 300-office size take hours.

Sizes: S = 1 office x 1 year, M = 11 offices x 5 years, L = 300 offices x 5 years. Office 1 is the
real Mangkutana (so `kinerja init` and the app find data/ already loaded), the others synthetic.
"""

import copy
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import Engine, create_engine, insert, text
from sqlmodel import Session, select

from kinerja.aturan.akip import compute_akip
from kinerja.aturan.ikm import compute_ikm
from kinerja.simpan.db import create_db_engine, migrate, new_session, write_session
from kinerja.simpan.jejak import _json
from kinerja.simpan.models import (
    Anggaran,
    Indikator,
    Instansi,
    JawabanIKM,
    Jejak,
    NilaiAKIP,
    Pagu,
    Realisasi,
    RealisasiAnggaran,
    SurveiIKM,
    Target,
    Versi,
    now_utc,
)
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.seed import load_seed, read_seed
from kinerja.simpan.wewenang import diisi_tangan

ROOT = Path(__file__).resolve().parent.parent
SEED_FOLDER = ROOT / "data" / "mangkutana-2025"
SIZES = {"S": (1, 1), "M": (11, 5), "L": (300, 5)}  # offices, years
TAHUN_AKHIR = 2025
OLEH = "bench"
CATATAN = ("", "", "Sesuai jadwal", "Dokumen terlampir")
# Luwu Timur's 11 kecamatan; beyond them the offices are numbered.
KECAMATAN = ("Mangkutana", "Burau", "Wotu", "Tomoni", "Tomoni Timur", "Angkona", "Malili", "Towuti", "Nuha",
             "Wasuponda", "Kalaena")
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
IKM_BULAN, IKM_RESPONDEN, AKIP_BULAN = 6, 150, 12


PEMDA_KODE = "pemda-luwutimur"


def office_kode(i: int) -> tuple[str, str]:
    """Return (kode, nama) of the i-th office (0 = the real Mangkutana)."""
    if i < len(KECAMATAN):
        nama = KECAMATAN[i]
        return nama.lower().replace(" ", "-"), f"Kecamatan {nama}"
    return f"opd-{i:03d}", f"Perangkat Daerah Sintetis {i:03d}"


def years(n: int) -> list[int]:
    return list(range(TAHUN_AKHIR - n + 1, TAHUN_AKHIR + 1))


def clone_seed(base, kode: str, nama: str, tahun: int):  # type: ignore[no-untyped-def]
    """Return the seed with another office and year (dates moved to that year)."""
    seed = copy.copy(base)
    meta = copy.deepcopy(base.meta)
    meta["instansi"]["kode"], meta["instansi"]["nama"] = kode, nama
    meta["tahun"] = tahun
    meta["versi"]["tanggal"] = meta["versi"]["tanggal"].replace(year=tahun)
    for pk in meta["perjanjian"]:
        pk["tanggal"] = pk["tanggal"].replace(year=tahun)
    seed.meta = meta
    return seed


# --- what a year of entries looks like -------------------------------------------------------------------


@dataclass
class Tahunan:
    """One office-year's entries, as the app's write functions take them."""

    instansi_id: int
    tahun: int
    realisasi: list[EntriRealisasi]
    anggaran: list[EntriAnggaran]
    ikm: list[list[int]]
    akip: dict[str, Decimal]


def entries_tahun(session: Session, instansi_id: int, tahun: int, rng: random.Random) -> Tahunan:
    """Make a full year of plausible entries for one office-year."""
    versi = session.exec(select(Versi).where(Versi.instansi_id == instansi_id, Versi.tahun == tahun)).one()
    rows = session.exec(
        select(Indikator, Target).join(Target, Target.indikator_id == Indikator.id)
        .where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun, Target.versi_id == versi.id)
        .order_by(Indikator.id)
    ).all()
    realisasi = []
    for ind, t in rows:
        if diisi_tangan(ind):
            realisasi += _bulanan(ind, t.tahunan, rng)
    nodes = session.exec(
        select(Anggaran, Pagu).join(Pagu, Pagu.anggaran_id == Anggaran.id)
        .where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun, Pagu.versi_id == versi.id,
               Anggaran.tingkat == "sub_kegiatan").order_by(Anggaran.urutan)
    ).all()
    anggaran = []
    for node, pagu in nodes:
        share = rng.uniform(0.85, 0.98)
        weights = [rng.uniform(0.5, 1.5) for _ in range(12)]
        total = int(pagu.pagu * share)
        for bulan, w in enumerate(weights, start=1):
            anggaran.append(EntriAnggaran(kode=node.kode, bulan=bulan, realisasi=int(total * w / sum(weights))))
    ikm = [[rng.choices((2, 3, 4), weights=(1, 9, 8))[0] for _ in range(9)] for _ in range(IKM_RESPONDEN)]
    akip = {k: Decimal(str(round(rng.uniform(lo, hi), 2)))
            for k, lo, hi in (("perencanaan", 18, 27), ("pengukuran", 15, 25), ("pelaporan", 8, 13),
                              ("evaluasi", 12, 21))}
    return Tahunan(instansi_id, tahun, realisasi, anggaran, ikm, akip)


def _bulanan(ind: Indikator, target: Decimal, rng: random.Random) -> list[EntriRealisasi]:
    """Twelve months of one indicator, of its kind, inside its soft limit."""
    out = []
    if ind.jenis == "rasio":
        for bulan in range(1, 13):
            penyebut = rng.randint(2, 8)
            pembilang = penyebut - rng.choices((0, 1), weights=(5, 1))[0]
            out.append(EntriRealisasi(kode=ind.kode, bulan=bulan, pembilang=Decimal(pembilang),
                                      penyebut=Decimal(penyebut)))
    elif ind.satuan.strip() in ("%", "persen"):
        for bulan in range(1, 13):
            nilai = Decimal(str(round(min(float(target), 100) * rng.uniform(0.7, 1.0), 2)))
            out.append(EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=nilai))
    elif ind.agregasi == "jumlah":
        # Cumulative counts ending between 70 % and 110 % of the target; a month without progress is 0.
        pace, done = rng.uniform(0.7, 1.1), 0
        for bulan in range(1, 13):
            cumulative = max(done, round(float(target) * pace * bulan / 12))
            out.append(EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=Decimal(cumulative - done),
                                      keterangan=rng.choice(CATATAN)))
            done = cumulative
    else:  # rata_rata / terakhir: around the target
        for bulan in range(1, 13):
            nilai = max(0, int(target) - rng.choices((0, 1, 2), weights=(4, 2, 1))[0])
            out.append(EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=Decimal(nilai)))
    return out


# --- the two write paths -----------------------------------------------------------------------------------


def write_app(engine: Engine, t: Tahunan) -> None:
    """Store a year through the app's own write functions (validation, audit, one statement per month)."""
    save_realisasi(engine, instansi_id=t.instansi_id, tahun=t.tahun, entries=t.realisasi, oleh=OLEH, yakin=True)
    save_realisasi_anggaran(engine, instansi_id=t.instansi_id, tahun=t.tahun, entries=t.anggaran, oleh=OLEH)
    save_survei_ikm(engine, instansi_id=t.instansi_id, tahun=t.tahun, bulan=IKM_BULAN, answers=t.ikm,
                    judul="SKM Semester I", populasi=1200, oleh=OLEH)
    save_akip(engine, instansi_id=t.instansi_id, tahun=t.tahun, bulan=AKIP_BULAN, komponen=dict(t.akip), oleh=OLEH)


@dataclass
class Bulk:
    """Rows gathered for one executemany per table (written by `flush`)."""

    realisasi: list[dict] = field(default_factory=list)
    anggaran: list[dict] = field(default_factory=list)
    jejak: list[dict] = field(default_factory=list)
    survei: list[tuple[dict, list[dict]]] = field(default_factory=list)
    akip: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.realisasi) + len(self.anggaran)


def _q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def gather_bulk(session: Session, t: Tahunan, bulk: Bulk) -> None:
    """Add the rows the app's write path would store for this year (the same values and audit rows)."""
    ind_id = {k: i for k, i in session.exec(select(Indikator.kode, Indikator.id).where(
        Indikator.instansi_id == t.instansi_id, Indikator.tahun == t.tahun))}
    khusus = {j: k for j, k in session.exec(select(Indikator.nilai_khusus, Indikator.kode).where(
        Indikator.instansi_id == t.instansi_id, Indikator.tahun == t.tahun, Indikator.nilai_khusus.is_not(None)))}  # type: ignore[union-attr]
    node_id = {k: i for k, i in session.exec(select(Anggaran.kode, Anggaran.id).where(
        Anggaran.instansi_id == t.instansi_id, Anggaran.tahun == t.tahun))}
    now = now_utc()

    def jejak(tabel: str, kunci: str, sesudah: dict) -> None:
        bulk.jejak.append({"waktu": now, "instansi_id": t.instansi_id, "pengguna": OLEH, "tabel": tabel,
                           "kunci": kunci, "aksi": "tambah", "sebelum": "", "sesudah": _json(sesudah), "alasan": ""})

    def realisasi(e: EntriRealisasi) -> None:
        after = {"nilai": e.nilai, "pembilang": e.pembilang, "penyebut": e.penyebut, "keterangan": e.keterangan}
        bulk.realisasi.append({"indikator_id": ind_id[e.kode], "bulan": e.bulan, **after, "diisi_oleh": OLEH,
                               "diubah_pada": now, "versi": 1})
        jejak("realisasi", f"{t.tahun}/{e.kode}/{e.bulan}", after)

    for e in t.realisasi:
        realisasi(e)
    for e in t.anggaran:
        after = {"realisasi": int(e.realisasi or 0), "keterangan": e.keterangan}
        bulk.anggaran.append({"anggaran_id": node_id[e.kode], "bulan": e.bulan, **after, "diisi_oleh": OLEH,
                              "diubah_pada": now, "versi": 1})
        jejak("realisasi_anggaran", f"{t.tahun}/{e.kode}/{e.bulan}", after)
    # save_survei_ikm: the survey, its respondents, its audit row, then the IKM indicator's month.
    hasil = compute_ikm(t.ikm)
    nilai = _q4(hasil.nilai)
    survei = {"instansi_id": t.instansi_id, "tahun": t.tahun, "bulan": IKM_BULAN, "judul": "SKM Semester I",
              "populasi": 1200, "diisi_oleh": OLEH, "dibuat_pada": now}
    jawaban = [{"responden": n, **{f"u{i}": a for i, a in enumerate(row, start=1)}}
               for n, row in enumerate(t.ikm, start=1)]
    bulk.survei.append((survei, jawaban))
    jejak("survei_ikm", f"{t.tahun}/{IKM_BULAN}", {"judul": "SKM Semester I", "responden": hasil.responden,
                                                    "ikm": nilai})
    realisasi(EntriRealisasi(kode=khusus["ikm"], bulan=IKM_BULAN, nilai=nilai,
                             keterangan=f"Survei IKM SKM Semester I: {hasil.responden} responden"))
    # save_akip: the score, its audit row, then the AKIP indicator's month.
    total = compute_akip(**t.akip).total
    bulk.akip.append({"instansi_id": t.instansi_id, "tahun": t.tahun, "bulan": AKIP_BULAN, **t.akip,
                      "keterangan": "", "diisi_oleh": OLEH, "diubah_pada": now})
    jejak("nilai_akip", str(t.tahun), {**t.akip, "bulan": AKIP_BULAN, "keterangan": ""})
    realisasi(EntriRealisasi(kode=khusus["akip"], bulan=AKIP_BULAN, nilai=total, keterangan="Nilai LHE AKIP"))


def flush_bulk(engine: Engine, bulk: Bulk) -> None:
    """Write the gathered rows in one transaction, one executemany per table."""
    with write_session(engine) as session:
        for rows, model in ((bulk.realisasi, Realisasi), (bulk.anggaran, RealisasiAnggaran), (bulk.akip, NilaiAKIP),
                            (bulk.jejak, Jejak)):
            if rows:
                session.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        jawaban = []
        for survei, rows in bulk.survei:
            survei_id = session.execute(insert(SurveiIKM.__table__).values(**survei)  # type: ignore[attr-defined]
                                        .returning(SurveiIKM.__table__.c.id)).scalar_one()  # type: ignore[attr-defined]
            jawaban += [{**r, "survei_id": survei_id} for r in rows]
        if jawaban:
            session.execute(insert(JawabanIKM.__table__), jawaban)  # type: ignore[attr-defined]
    bulk.__init__()  # type: ignore[misc]


# --- a whole database ------------------------------------------------------------------------------------------


@dataclass
class Generated:
    url: str
    size: str
    offices: int
    years: list[int]
    seconds: float
    rows: dict[str, int]


def generate(url: str, size: str, *, path: str = "bulk", seed: int = 2025, log=print) -> Generated:  # type: ignore[no-untyped-def]
    """Fill an empty database at `url` with a size's offices and years; return what was made and how long."""
    n_offices, n_years = SIZES[size]
    tahun_list = years(n_years)
    start = time.perf_counter()
    engine = create_db_engine(url)
    try:
        migrate(engine)
        base = read_seed(SEED_FOLDER)
        bulk = Bulk()
        with write_session(engine) as session:  # every office belongs to one pemda: the comparison screen's scope
            pemda = Instansi(kode=PEMDA_KODE, nama="Pemerintah Kabupaten Luwu Timur", kabupaten="Luwu Timur",
                             jenis="pemda")
            session.add(pemda)
            session.flush()
            pemda_id = pemda.id
        for i in range(n_offices):
            kode, nama = office_kode(i)
            with write_session(engine) as session:  # the app's loader, one office with all its years
                instansi_id = None
                for tahun in tahun_list:
                    office = load_seed(session, clone_seed(base, kode, nama, tahun))
                    office.induk_id = pemda_id
                    instansi_id = office.id
            with new_session(engine) as session:
                for tahun in tahun_list:
                    t = entries_tahun(session, instansi_id, tahun, random.Random(f"{seed}/{kode}/{tahun}"))
                    if path == "app":
                        write_app(engine, t)
                    else:
                        gather_bulk(session, t, bulk)
            if len(bulk) > 50_000 or i == n_offices - 1:
                flush_bulk(engine, bulk)
            if n_offices > 20 and (i + 1) % 50 == 0:
                log(f"  {size}: {i + 1}/{n_offices} instansi, {time.perf_counter() - start:.0f} s")
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        rows = count_rows(engine)
    finally:
        engine.dispose()
    return Generated(url, size, n_offices, tahun_list, time.perf_counter() - start, rows)


def count_rows(engine: Engine) -> dict[str, int]:
    tables = ("instansi", "indikator", "realisasi", "realisasi_anggaran", "jawaban_ikm", "jejak")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def office_ids(url: str) -> dict[str, int]:
    engine = create_db_engine(url)
    with new_session(engine) as session:
        found = {i.kode: i.id for i in session.exec(select(Instansi))}
    engine.dispose()
    return found


# --- throw-away databases --------------------------------------------------------------------------------------


@contextmanager
def bench_database(backend: str, folder: Path, name: str, pg_admin_url: str = PG_ADMIN_URL,
                   keep: bool = False) -> Iterator[str]:
    """Yield the URL of a new empty database (a SQLite file in `folder`, or bench_* on PostgreSQL)."""
    if backend == "sqlite":
        path = folder / f"bench_{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    db = f"bench_{name}_{date.today():%Y%m%d}_{random.randrange(16**6):06x}".lower()
    admin = create_engine(pg_admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    try:
        yield pg_admin_url.rsplit("/", 1)[0] + "/" + db
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Generate a benchmark database (kept).")
    parser.add_argument("--size", choices=SIZES, default="S")
    parser.add_argument("--url", required=True, help="an empty database, e.g. sqlite:///bench_M.db")
    parser.add_argument("--path", choices=("bulk", "app"), default="bulk")
    args = parser.parse_args()
    g = generate(args.url, args.size, path=args.path)
    print(f"{g.size}: {g.offices} instansi x {len(g.years)} tahun in {g.seconds:.1f} s; {g.rows}")


if __name__ == "__main__":
    main()
