"""The benchmark (bench/): its smoke run reports every figure, and its fast write path stores what the app stores.

No timing is asserted here: the smoke run's numbers on a shared CI machine mean nothing, only its shape does.
"""

import json
import math
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.generate import generate
from kinerja.simpan.db import create_db_engine
from tests.conftest import BACKENDS, PG_URL, ROOT, throwaway_pg_database

FIGURES = {"1", "2", "3", "3b", "4", "5", "6a", "6b"}


@contextmanager
def _database(backend: str, folder: Path, name: str):  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        yield f"sqlite:///{folder / name}.db"
    else:
        with throwaway_pg_database("kinerja_bench") as url:
            yield url


def _bench_databases() -> set[str]:
    engine = create_db_engine(PG_URL.rsplit("/", 1)[0] + "/postgres")
    with engine.connect() as conn:
        names = set(conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_s\\_%'")).scalars())
    engine.dispose()
    return names


@pytest.mark.parametrize("backend", BACKENDS)
def test_smoke_run_reports_every_figure_as_a_positive_ratio(backend: str, tmp_path: Path) -> None:
    out, figures_json = tmp_path / "RESULTS.md", tmp_path / "results.json"
    committed = ROOT / "bench" / "RESULTS.md"
    before = committed.read_bytes() if committed.exists() else None
    pg_before = _bench_databases() if backend == "postgresql" else set()
    cmd = [sys.executable, "-m", "bench.run", "--size", "S", "--smoke", "--backend", backend, "--out", str(out),
           "--json", str(figures_json), "--folder", str(tmp_path)]
    if backend == "postgresql":
        cmd += ["--pg-url", PG_URL]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]

    found = json.loads(figures_json.read_text(encoding="utf-8"))
    figures = {f["figure"]: f for f in found["figures"]}
    assert set(figures) == FIGURES
    for f in figures.values():
        assert (f["size"], f["backend"]) == ("S", backend)
        for key in ("value_s", "floor_s", "ratio"):
            assert math.isfinite(f[key]) and f[key] > 0, (f["figure"], key, f[key])
    # The floor of the home screen draws the same elements and reads nothing from the database.
    assert figures["2"]["extra"]["same_elements"], figures["2"]["extra"]
    assert figures["2"]["extra"]["elements"]["plotly_chart"] >= 1
    assert figures["2"]["extra"]["sql_floor"] == 0
    assert figures["1"]["extra"]["year_loads"] >= 1 and figures["1"]["extra"]["sql_per_compute"] > 0
    assert figures["1"]["extra"]["rows_read"]["realisasi"] > 0
    assert figures["4"]["extra"]["samples"] == 8 and figures["4"]["extra"]["p99_s"] >= figures["4"]["extra"]["p50_s"]
    assert found["generation"][0]["rows"]["instansi"] == 2  # the office and the pemda it belongs to
    # The comparison screen covers the pemda's one office; a warm rerun reads only the offices' data versions
    # (one SELECT, and SQLite's BEGIN).
    assert figures["3b"]["extra"]["offices"] == 1 and figures["3b"]["extra"]["warm_sql"] <= 2
    assert figures["4"]["extra"]["sql_per_save"] > 10  # every writer saves a real grid, not the pemda's empty one

    report = out.read_text(encoding="utf-8")
    for f in figures.values():
        assert f"| S | {backend} | {f['figure']} {f['name']} |" in report
    assert "## Machine" in report and "## Generation" in report
    # Written where asked, never over the committed results; no throw-away database left behind.
    assert (committed.read_bytes() if committed.exists() else None) == before
    if backend == "postgresql":
        assert _bench_databases() == pg_before


STORED = {
    "realisasi": """SELECT i.kode, i.tahun, r.bulan, r.nilai, r.pembilang, r.penyebut, r.keterangan, r.diisi_oleh,
        r.versi FROM realisasi r JOIN indikator i ON i.id = r.indikator_id""",
    "realisasi_anggaran": """SELECT a.kode, a.tahun, r.bulan, r.realisasi, r.keterangan, r.diisi_oleh, r.versi
        FROM realisasi_anggaran r JOIN anggaran a ON a.id = r.anggaran_id""",
    "jejak": "SELECT instansi_id, pengguna, tabel, kunci, aksi, sebelum, sesudah, alasan FROM jejak",
    "nilai_akip": """SELECT instansi_id, tahun, bulan, perencanaan, pengukuran, pelaporan, evaluasi, keterangan,
        diisi_oleh FROM nilai_akip""",
    "survei": """SELECT s.instansi_id, s.tahun, s.bulan, s.judul, s.populasi, s.diisi_oleh, j.responden,
        j.u1, j.u2, j.u3, j.u4, j.u5, j.u6, j.u7, j.u8, j.u9
        FROM jawaban_ikm j JOIN survei_ikm s ON s.id = j.survei_id""",
}


def _stored(url: str) -> dict[str, list[tuple]]:
    engine = create_db_engine(url)
    with engine.connect() as conn:
        found = {k: sorted(tuple(r) for r in conn.execute(text(q))) for k, q in STORED.items()}
    engine.dispose()
    return found


@pytest.mark.parametrize("backend", BACKENDS)
def test_bulk_generation_stores_exactly_what_the_app_write_path_stores(backend: str, tmp_path: Path) -> None:
    with _database(backend, tmp_path, "app") as app_url, _database(backend, tmp_path, "bulk") as bulk_url:
        generate(app_url, "S", path="app", log=lambda _: None)
        generate(bulk_url, "S", path="bulk", log=lambda _: None)
        app, bulk = _stored(app_url), _stored(bulk_url)
    # A full year: 44 indicators typed by hand x 12 months + the IKM and the AKIP month = 530 rows;
    # 35 sub kegiatan x 12 months = 420; one audit row each (950), plus the survey's and the AKIP score's.
    assert len(app["realisasi"]) == 44 * 12 + 2
    assert len(app["realisasi_anggaran"]) == 35 * 12
    assert len(app["jejak"]) == 530 + 420 + 2
    assert len(app["survei"]) == 150 and len(app["nilai_akip"]) == 1
    for table in STORED:
        assert bulk[table] == app[table], table
