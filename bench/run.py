"""Measure Kinerja at three sizes on SQLite and PostgreSQL, each figure as a ratio against a floor of the same run.

    python -m bench.run                         # S and M on SQLite and PostgreSQL
    python -m bench.run --size S M L            # all three sizes
    python -m bench.run --size S --smoke        # the CI smoke run: one repetition, seconds
    python -m bench.run --backend sqlite --out /tmp/RESULTS.md --json /tmp/results.json

Every figure is a median of --repeat runs after a warm-up, taken in turns with its floor, so that
a machine busy with other work slows both alike; only the ratios are meant to be compared.
See bench/README.md for what each figure and floor is.
"""

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, event, text
from sqlmodel import select

from bench import lantai
from bench.generate import PG_ADMIN_URL, SIZES, bench_database, generate
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.baca.ringkasan import capaian_per_triwulan
from kinerja.dokumen.ekspor import export_lkjip_xlsx
from kinerja.dokumen.lkjip import build_lkjip
from kinerja.simpan.db import create_db_engine, get_engine, new_session
from kinerja.simpan.models import Indikator, Instansi, Pengguna
from kinerja.simpan.queries import load_realisasi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.wewenang import diisi_tangan

ROOT = Path(__file__).resolve().parent.parent
TAHUN = 2025
WRITERS = 8
GRID_ROWS = 30
FIGURES = {
    "1": "All capaian of one office-year",
    "2": "Home screen (Beranda) rerun, warm",
    "3": "Cost per office as offices grow",
    "3b": "Kabupaten comparison screen, per office (cold)",
    "4": f"Save a {GRID_ROWS}-row grid, {WRITERS} concurrent writers (p50)",
    "5": "LKjIP XLSX export of one office-year",
    "6a": "CLI: kinerja --help",
    "6b": "CLI: kinerja export capaian",
}
AIMS = {"1": 2.0, "2": 1.3, "6a": 2.0, "6b": 2.0}


@dataclass
class Figure:
    size: str
    backend: str
    figure: str
    value_s: float
    floor_s: float
    ratio: float
    aim: float | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return FIGURES[self.figure]


# --- timing helpers ---------------------------------------------------------------------------------------


MODE = {"warmup": 1, "profile": True}  # --smoke: no warm-up, no profiles
LAST: dict[str, float] = {}


def paired(op: Callable[[], object], floor: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return the medians of op and floor, warmed up once each and then timed in turns."""
    for _ in range(MODE["warmup"]):
        op(), floor()
    ops, floors = [], []
    for _ in range(repeat):
        for fn, out in ((op, ops), (floor, floors)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    LAST["ratio_min"] = round(min(ops) / min(floors), 3)  # the least disturbed pair: a check on a busy machine
    return statistics.median(ops), statistics.median(floors)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements an engine executes while open (executemany counts once)."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def year_loads(stmts: list[str]) -> int:
    """How many times a year's agreement rows were read (the join every load_data_tahun makes)."""
    return sum(1 for s in stmts if re.search(r"FROM baris_pk\b", s))


def top_costs(prof: cProfile.Profile | None, n: int = 8) -> list[str]:
    """Name the functions with the most cumulative time inside the project and the libraries it calls."""
    if prof is None:
        return []
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream)
    rows = []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, tt, file, line, func))
    rows.sort(reverse=True)
    out, seen = [], set()
    for ct, tt, file, line, func in rows:
        short = _short(file)
        if short is None or (short, func) in seen or func.startswith("<") or func in ("__exit__", "__enter__"):
            continue
        seen.add((short, func))
        out.append(f"{short}:{line} {func}: {ct * 1000:.0f} ms cumulative ({tt * 1000:.0f} ms own)")
        if len(out) == n:
            break
    return out


def _short(file: str) -> str | None:
    for marker in ("/kinerja/", "/pages/", "/sqlalchemy/", "/pandas/", "/streamlit/", "/plotly/", "/psycopg/",
                   "/xlsxwriter/", "/openpyxl/"):
        if marker in file:
            return marker.strip("/") + "/" + file.split(marker, 1)[1]
    return None


def _profile(fn: Callable[[], object]) -> cProfile.Profile | None:
    if not MODE["profile"]:
        return None
    prof = cProfile.Profile()
    prof.runcall(fn)
    return prof


@contextmanager
def profile_threads() -> Iterator[cProfile.Profile]:
    """Profile the threads started while open (AppTest runs each script run in a thread of its own)."""
    prof = cProfile.Profile()

    def start(*_args: object) -> None:
        sys.setprofile(None)
        prof.enable()

    threading.setprofile(start)
    try:
        yield prof
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]


# --- the figures ------------------------------------------------------------------------------------------------


def _office(engine: Engine, kode: str = "mangkutana") -> Instansi:
    with new_session(engine) as session:
        return session.exec(select(Instansi).where(Instansi.kode == kode)).one()


def all_capaian(engine: Engine, office: Instansi, tahun: int) -> None:
    """What figure 1 measures: capaian s.d. TW IV and the capaian of every triwulan."""
    with new_session(engine) as session:
        compute_capaian_tahun(session, office, tahun, 4)
        capaian_per_triwulan(session, office, tahun, 4)


FLOOR_SQL = {
    "baris": """SELECT b.*, p.unit_id, i.*, t.tahunan, t.tw1, t.tw2, t.tw3, t.tw4 FROM baris_pk b
        JOIN perjanjian p ON p.id = b.perjanjian_id JOIN versi v ON v.id = p.versi_id
        JOIN indikator i ON i.id = b.indikator_id JOIN target t ON t.indikator_id = i.id AND t.versi_id = v.id
        WHERE v.instansi_id = :i AND v.tahun = :t""",
    "anggaran": """SELECT a.*, g.pagu FROM anggaran a JOIN pagu g ON g.anggaran_id = a.id
        JOIN versi v ON v.id = g.versi_id WHERE v.instansi_id = :i AND v.tahun = :t""",
    "unit": "SELECT * FROM unit WHERE instansi_id = :i",
    "realisasi": """SELECT i.kode, r.* FROM realisasi r JOIN indikator i ON i.id = r.indikator_id
        WHERE i.instansi_id = :i AND i.tahun = :t""",
    "realisasi_anggaran": """SELECT a.kode, r.* FROM realisasi_anggaran r JOIN anggaran a ON a.id = r.anggaran_id
        WHERE a.instansi_id = :i AND a.tahun = :t""",
}


def read_rows(engine: Engine, instansi_id: int, tahun: int) -> dict[str, pd.DataFrame]:
    """The floor of figure 1: only reading the year's rows into DataFrames."""
    with engine.connect() as conn:
        return {k: pd.read_sql(text(q), conn, params={"i": instansi_id, "t": tahun}) for k, q in FLOOR_SQL.items()}


def figure_capaian(size: str, backend: str, engine: Engine, repeat: int) -> list[Figure]:
    office = _office(engine)
    rows = read_rows(engine, office.id, TAHUN)
    op, floor = paired(lambda: all_capaian(engine, office, TAHUN), lambda: read_rows(engine, office.id, TAHUN),
                       repeat)
    with statements(engine) as stmts:
        all_capaian(engine, office, TAHUN)
    with statements(engine) as floor_stmts:
        read_rows(engine, office.id, TAHUN)
    prof = _profile(lambda: all_capaian(engine, office, TAHUN))
    with new_session(engine) as session:
        offices = session.exec(select(Instansi.id)).all()
    extra = {"ratio_min": LAST["ratio_min"], "sql_per_compute": len(stmts), "sql_floor": len(floor_stmts),
             "year_loads": year_loads(stmts),
             "rows_read": {k: len(v) for k, v in rows.items()}, "offices_in_db": len(offices),
             "profile": top_costs(prof)}
    return [Figure(size, backend, "1", op, floor, op / floor, AIMS["1"], extra)]


def _akun(engine: Engine, office: Instansi) -> Pengguna:
    from argon2 import PasswordHasher

    from kinerja.simpan import auth

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # bench accounts only
    with new_session(engine) as session:
        user = session.exec(select(Pengguna).where(Pengguna.username == "bench.pimpinan")).first()
    if user is not None:
        return user
    admin = auth.create_first_admin(engine, instansi_id=office.id, username="bench.admin", nama="Admin Bench",
                                    password="bench-rahasia-123")
    return auth.create_user(engine, instansi_id=office.id, username="bench.pimpinan", nama="Pimpinan Bench",
                            password="bench-rahasia-123", peran="pimpinan", pengguna=admin)


def _apptest_setup() -> None:
    """What tests/_app.py's navigation_only and quick fixtures do, for the whole process."""
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "_bench", False):
        return
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]
    PagesManager._bench = True  # type: ignore[attr-defined]
    found = manifest_scanner.scan_component_manifests()
    manifest_scanner.scan_component_manifests = lambda *a, **k: found


def _elements(at: Any) -> dict[str, int]:
    return {"plotly_chart": len(at.get("plotly_chart")), "dataframe": len(at.dataframe), "metric": len(at.metric),
            "title": len(at.title), "selectbox": len(at.selectbox)}


def figure_beranda(size: str, backend: str, url: str, repeat: int) -> list[Figure]:
    from streamlit.testing.v1 import AppTest

    from kinerja.simpan import auth

    _apptest_setup()
    os.environ["KINERJA_DATABASE_URL"] = url
    engine = get_engine(url)  # the app's own engine (pages._ui.engine() returns this one)
    office = _office(engine)
    user = _akun(engine, office)
    token = auth.create_session(engine, user.id)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["sesi"] = token
    at.run()
    if at.exception or not any(office.nama in t.value for t in at.title):
        raise RuntimeError(f"Beranda tidak tampil: {at.exception or [t.value for t in at.title]}")
    lantai.MEMO.clear()
    lantai.STATE["user"] = user
    floor_at = AppTest.from_file(str(ROOT / "bench" / "_beranda_lantai.py"), default_timeout=120)
    floor_at.run()
    if floor_at.exception:
        raise RuntimeError(f"lantai Beranda gagal: {floor_at.exception}")

    def rerun(t: Any) -> Callable[[], None]:
        def go() -> None:
            t.run()
            if t.exception:
                raise RuntimeError(str(t.exception))
        return go

    op, floor = paired(rerun(at), rerun(floor_at), repeat)
    ratio_min = LAST["ratio_min"]
    with statements(engine) as stmts:
        at.run()
    with statements(engine) as floor_stmts:
        floor_at.run()
    prof = None
    if MODE["profile"]:
        with profile_threads() as prof:
            at.run()
    real, drawn = _elements(at), _elements(floor_at)
    extra = {"ratio_min": ratio_min, "sql_per_rerun": len(stmts), "sql_floor": len(floor_stmts),
             "year_loads": year_loads(stmts),
             "elements": real, "elements_floor": drawn, "same_elements": real == drawn, "profile": top_costs(prof)}
    return [Figure(size, backend, "2", op, floor, op / floor, AIMS["2"], extra)]


def figure_per_office(size: str, backend: str, cap: Figure, baseline: Figure | None) -> Figure:
    """Figure 3: the cost of figure 1 relative to the same figure on the 1-office database of this run."""
    base = baseline or cap
    extra = {"sql_per_compute": cap.extra["sql_per_compute"], "offices_in_db": cap.extra["offices_in_db"],
             "relative_to": f"{base.size} ({base.extra['offices_in_db']} offices)",
             "ratio_to_floor": round(cap.ratio, 2), "comparison_screen": "figure 3b"}
    return Figure(size, backend, "3", cap.value_s, base.value_s, cap.value_s / base.value_s, None, extra)


def figure_perbandingan(size: str, backend: str, engine: Engine, repeat: int) -> list[Figure]:
    """Figure 3b: the kabupaten comparison of every office of the pemda, cold (no summary cached), per office,
    against the floor of only reading each office's rows; the warm rerun (nothing saved) goes in the details."""
    from kinerja.baca import kabupaten

    with new_session(engine) as session:
        offices = list(session.exec(select(Instansi).where(Instansi.jenis != "pemda").order_by(Instansi.id)))

    def cold() -> None:
        with new_session(engine) as session:
            kabupaten.bandingkan_instansi(session, offices, TAHUN, 4)

    def floor() -> None:
        for office in offices:
            read_rows(engine, office.id, TAHUN)

    runs = repeat if len(offices) < 50 else 1  # 300 offices: one cold pass takes tens of seconds
    op, fl = paired(cold, floor, runs)
    with statements(engine) as stmts:
        cold()
    kabupaten._ringkasan_versi.cache_clear()
    kabupaten.bandingkan_tersimpan(engine, offices, TAHUN, 4)  # fills the cache
    start = time.perf_counter()
    with statements(engine) as warm_stmts:
        kabupaten.bandingkan_tersimpan(engine, offices, TAHUN, 4)
    warm = time.perf_counter() - start
    n = len(offices)
    extra = {"offices": n, "repetitions": runs, "cold_total_s": round(op, 2), "sql_per_office": len(stmts) / n,
             "warm_rerun_ms_all_offices": round(warm * 1000, 1), "warm_sql": len(warm_stmts)}
    return [Figure(size, backend, "3b", op / n, fl / n, op / fl, None, extra)]


def _grids(engine: Engine, offices: list[Instansi]) -> list[tuple[int, list[EntriRealisasi]]]:
    """Eight grids of 30 indicator-months, each a month of its own office (or of the one office)."""
    grids = []
    with new_session(engine) as session:
        for w in range(WRITERS):
            office = offices[w % len(offices)]
            bulan = 1 + (w // len(offices)) % 12
            query = select(Indikator).where(Indikator.instansi_id == office.id, Indikator.tahun == TAHUN)
            inds = [i for i in session.exec(query.order_by(Indikator.id)) if diisi_tangan(i)]
            stored = load_realisasi(session, office.id, TAHUN)
            entries = []
            for ind in inds[:GRID_ROWS]:
                b = stored[ind.kode][bulan]
                entries.append(EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=b.nilai, pembilang=b.pembilang,
                                              penyebut=b.penyebut, keterangan=b.keterangan))
            grids.append((office.id, entries))
    return grids


def _with_keterangan(entries: list[EntriRealisasi], putaran: int) -> list[EntriRealisasi]:
    """The same grid with another note on every row, so that every row is written and audited."""
    return [EntriRealisasi(kode=e.kode, bulan=e.bulan, nilai=e.nilai, pembilang=e.pembilang, penyebut=e.penyebut,
                           keterangan=f"bench putaran {putaran}") for e in entries]


def figure_writers(size: str, backend: str, engine: Engine, repeat: int) -> list[Figure]:
    with new_session(engine) as session:
        offices = list(session.exec(select(Instansi).where(Instansi.jenis != "pemda").order_by(Instansi.id)).all())
    grids = _grids(engine, offices)
    putaran = iter(range(10**6))

    def save(instansi_id: int, entries: list[EntriRealisasi]) -> float:
        start = time.perf_counter()
        save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, entries=_with_keterangan(entries, next(putaran)),
                       oleh="bench", yakin=True)
        return time.perf_counter() - start

    alone = [save(*grids[0]) for _ in range(repeat + 1)][1:]
    latencies: list[float] = []
    errors: list[BaseException] = []
    for r in range(repeat + 1):
        barrier = threading.Barrier(WRITERS)
        found: list[float] = []

        def writer(g: tuple[int, list[EntriRealisasi]], barrier: threading.Barrier = barrier,
                   found: list[float] = found) -> None:
            barrier.wait()
            try:
                found.append(save(*g))
            except BaseException as e:  # reported below: a failed save is a result, not a crash
                errors.append(e)

        threads = [threading.Thread(target=writer, args=(g,)) for g in grids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if r:
            latencies += found
    if errors:
        raise RuntimeError(f"{len(errors)} penyimpanan gagal: {errors[0]!r}")
    with statements(engine) as stmts:
        save(*grids[0])
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    floor = statistics.median(alone)
    extra = {"p50_s": p50, "p99_s": p99, "p99_ratio": p99 / floor, "samples": len(latencies),
             "sql_per_save": len(stmts), "writers": WRITERS, "rows": GRID_ROWS}
    return [Figure(size, backend, "4", p50, floor, p50 / floor, None, extra)]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def figure_lkjip(size: str, backend: str, engine: Engine, repeat: int) -> list[Figure]:
    office = _office(engine)

    def build() -> object:
        with new_session(engine) as session:
            return build_lkjip(session, office, TAHUN, 4, date(TAHUN, 12, 31))

    def export() -> bytes:
        return export_lkjip_xlsx(build())

    op, floor = paired(export, build, repeat)
    with statements(engine) as stmts:
        build()
    prof = _profile(export)
    extra = {"ratio_min": LAST["ratio_min"], "xlsx_bytes": len(export()), "sql_build": len(stmts),
             "year_loads": year_loads(stmts),
             "profile": top_costs(prof)}
    return [Figure(size, backend, "5", op, floor, op / floor, None, extra)]


def _kinerja_command() -> list[str]:
    script = Path(sys.executable).parent / "kinerja"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinerja.cli"]


def figure_cli(size: str, backend: str, url: str, repeat: int) -> list[Figure]:
    env = {**os.environ, "KINERJA_DATABASE_URL": url}

    def run(cmd: list[str]) -> Callable[[], None]:
        def go() -> None:
            done = subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)
            if done.returncode:
                raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.decode()[-500:]}")
        return go

    kinerja = _kinerja_command()
    commands = {"6a": kinerja + ["--help"], "6b": kinerja + ["export", "capaian", "--instansi", "mangkutana"],
                "bare": [sys.executable, "-c", "import sqlalchemy"]}
    for _ in range(MODE["warmup"]):
        for cmd in commands.values():
            run(cmd)()
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for k, cmd in commands.items():
            start = time.perf_counter()
            run(cmd)()
            times[k].append(time.perf_counter() - start)
    floor = statistics.median(times["bare"])
    figures = []
    for fig in ("6a", "6b"):
        op = statistics.median(times[fig])
        extra = {"command": " ".join(["kinerja"] + commands[fig][len(kinerja):]),
                 "ratio_min": round(min(times[fig]) / min(times["bare"]), 3)}
        figures.append(Figure(size, backend, fig, op, floor, op / floor, AIMS[fig], extra))
    if not MODE["profile"]:
        return figures
    imports = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kinerja.cli"], capture_output=True,
                             text=True, env=env, cwd=ROOT).stderr
    figures[-1].extra["heaviest_imports"] = _heaviest_imports(imports)
    return figures


def _heaviest_imports(report: str, n: int = 6) -> list[str]:
    """The top-level packages that cost kinerja.cli the most import time (from python -X importtime)."""
    total: dict[str, int] = {}
    for line in report.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if m:  # each module's own time, summed per top-level package
            package = m.group(3).split(".")[0]
            total[package] = total.get(package, 0) + int(m.group(1))
    top = sorted(total.items(), key=lambda kv: -kv[1])[:n]
    return [f"{name}: {us / 1000:.0f} ms" for name, us in top]


# --- one size on one backend --------------------------------------------------------------------------------


@dataclass
class Generation:
    size: str
    backend: str
    seconds: float
    rows: dict[str, int]


def run_size(size: str, backend: str, repeat: int, folder: Path, pg_url: str, keep: bool, log: Callable,
             baseline: dict[str, Figure]) -> tuple[Generation, list[Figure]]:
    with bench_database(backend, folder, size, pg_url, keep) as url:
        log(f"[{size}/{backend}] membuat data ...")
        g = generate(url, size, log=log)
        log(f"[{size}/{backend}] {g.offices} instansi x {len(g.years)} tahun dalam {g.seconds:.1f} s: {g.rows}")
        engine = create_db_engine(url)
        figures: list[Figure] = []
        try:
            steps: list[tuple[str, Callable[[], list[Figure]]]] = [
                ("1", lambda: figure_capaian(size, backend, engine, repeat)),
                ("5", lambda: figure_lkjip(size, backend, engine, repeat)),
                ("2", lambda: figure_beranda(size, backend, url, repeat)),
                ("3b", lambda: figure_perbandingan(size, backend, engine, repeat)),
                ("6", lambda: figure_cli(size, backend, url, repeat)),
                ("4", lambda: figure_writers(size, backend, engine, repeat)),  # last: it writes
            ]
            for name, step in steps:
                start = time.perf_counter()
                figures += step()
                log(f"[{size}/{backend}] gambar {name}: {time.perf_counter() - start:.1f} s")
                if name == "1":
                    cap = figures[-1]
                    if size == "S":
                        baseline[backend] = cap
                    figures.append(figure_per_office(size, backend, cap, baseline.get(backend)))
        finally:
            engine.dispose()
            get_engine(url).dispose()
        return Generation(size, backend, g.seconds, g.rows), figures


# --- the report ----------------------------------------------------------------------------------------------


def machine(pg_url: str, backends: list[str]) -> dict[str, str]:
    info = {"cpu": str(os.cpu_count()), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "date": datetime.now().strftime("%Y-%m-%d %H:%M")}
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        info["ram"] = f"{pages / 2**30:.1f} GiB"
    except (ValueError, OSError):
        info["ram"] = "?"
    try:
        load = os.getloadavg()
        info["load"] = f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    except OSError:
        info["load"] = "?"
    if "postgresql" in backends:
        engine = create_db_engine(pg_url)
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    return info


def table(figures: list[Figure]) -> str:
    lines = ["| Size | Database | Figure | Value | Floor | Ratio | Aim |",
             "|---|---|---|---:|---:|---:|---|"]
    for f in figures:
        aim = f"≤ {f.aim:g}× {'✓' if f.ratio <= f.aim else '✗'}" if f.aim else "–"
        lines.append(f"| {f.size} | {f.backend} | {f.figure} {f.name} | {f.value_s * 1000:.1f} ms | "
                     f"{f.floor_s * 1000:.1f} ms | {f.ratio:.2f}× | {aim} |")
    return "\n".join(lines)


def report(info: dict[str, str], generations: list[Generation], figures: list[Figure], command: str, repeat: int,
           extra_text: str) -> str:
    gen = "\n".join(f"| {g.size} | {g.backend} | {g.seconds:.1f} s | "
                    + ", ".join(f"{k} {v:,}" for k, v in g.rows.items()) + " |" for g in generations)
    details = []
    for f in figures:
        keep = {k: v for k, v in f.extra.items() if k != "profile"}
        details.append(f"- {f.size}/{f.backend} figure {f.figure}: " + "; ".join(
            f"{k} = {v:.3f}" if isinstance(v, float) else f"{k} = {v}" for k, v in keep.items()))
    profiles = []
    for f in figures:
        if f.extra.get("profile") and f.size == max((x.size for x in figures), key="SML".index):
            profiles.append(f"**{f.size}/{f.backend}, figure {f.figure}** ({f.name}):\n\n" +
                            "\n".join(f"- {p}" for p in f.extra["profile"]))
    return f"""# Kinerja benchmark: results

Made by `{command}`.

## Machine

- Date: {info['date']}
- CPU: {info['cpu']} cores; RAM: {info['ram']}; load average (1/5/15 min) at the end: {info['load']}
- Python {info['python']}; SQLite {info['sqlite']}; PostgreSQL {info.get('postgresql', '–')}; {info['platform']}
- Repetitions: median of {repeat} after one warm-up, taken in turns with the floor.

## Generation

| Size | Database | Time | Rows |
|---|---|---:|---|
{gen}

## Figures

{table(figures)}

## Details per figure

{chr(10).join(details)}

## Profiles (cProfile, the largest size measured)

{(chr(10) * 2).join(profiles) if profiles else '–'}
{extra_text}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", nargs="+", choices=list(SIZES), default=["S", "M"])
    parser.add_argument("--backend", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions per figure (median)")
    parser.add_argument("--smoke", action="store_true", help="CI: one repetition; sizes as given (use S)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", PG_ADMIN_URL),
                        help="any database of the PostgreSQL server; bench_* databases are made next to it")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument("--folder", type=Path, default=None, help="where SQLite files go (default: a temp folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--append", type=Path, default=None, help="a Markdown file whose text ends RESULTS.md")
    parser.add_argument("--render", type=Path, default=None, help="only write --out again from a --json of a run")
    args = parser.parse_args(argv)
    extra_text = args.append.read_text(encoding="utf-8") if args.append else ""
    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        figures = [Figure(**{k: v for k, v in f.items() if k != "name"}) for f in saved["figures"]]
        generations = [Generation(**g) for g in saved["generation"]]
        args.out.write_text(report(saved["machine"], generations, figures, saved["command"], saved["repeat"],
                                   extra_text), encoding="utf-8")
        return 0
    if args.smoke:
        args.repeat = 1
        MODE.update(warmup=0, profile=False)
    sizes = sorted(args.size, key="SML".index)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    generations: list[Generation] = []
    figures: list[Figure] = []
    baseline: dict[str, Figure] = {}
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("KINERJA_BUKTI_DIR", str(Path(tmp) / "bukti"))
        for size in sizes:
            for backend in args.backend:
                g, figs = run_size(size, backend, args.repeat, folder, args.pg_url, args.keep, log, baseline)
                generations.append(g)
                figures += figs
                if args.json:  # after every size, so that a long run that fails later keeps what it measured
                    args.json.write_text(json.dumps({
                        "machine": {}, "command": "", "repeat": args.repeat, "partial": True,
                        "generation": [asdict(g) for g in generations],
                        "figures": [{**asdict(f), "name": f.name} for f in figures]}, default=str), encoding="utf-8")
    order = ["1", "2", "3", "3b", "4", "5", "6a", "6b"]
    figures.sort(key=lambda f: (order.index(f.figure), "SML".index(f.size), f.backend))
    print(table(figures))
    info = machine(args.pg_url, args.backend)
    command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(info, generations, figures, command, args.repeat, extra_text), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": info, "command": command, "repeat": args.repeat,
            "generation": [asdict(g) for g in generations],
            "figures": [{**asdict(f), "name": f.name} for f in figures],
        }, indent=1, default=str), encoding="utf-8")
    log(f"ditulis: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
