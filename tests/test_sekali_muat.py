"""Compute once per data version (issue 13): the Beranda reads the year once and derives TW I-IV from it;
a rerun with nothing saved reads only the office's data version, and a save anywhere is seen on the next one.

The figures must not change: every capaian, per-unit trend and absorption derived from the one load
equals what the old path gave (the year loaded again for each triwulan with the version in force at its
end), on the demo's full year, on approved figures only, and in a year with a PK Perubahan from July.
"""

import random
from collections.abc import Iterator
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine, event
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from kinerja.aturan.capaian import bulan_akhir, compute_periode
from kinerja.aturan.format import format_angka, format_persen
from kinerja.baca.laporan import Capaian, capaian_dari, hanya_yang_disahkan, tahun_per_triwulan
from kinerja.baca.ringkasan import capaian_per_triwulan, capaian_per_triwulan_dari, capaian_per_unit, penyerapan_total
from kinerja.baca.singgahan import kosongkan, muat_tahun
from kinerja.demo import _anggaran, _realisasi
from kinerja.simpan.auth import create_user, list_users
from kinerja.simpan.db import create_db_engine, get_engine, new_session
from kinerja.simpan.models import Unit
from kinerja.simpan.penilaian import save_akip
from kinerja.simpan.queries import get_instansi, load_data_tahun
from kinerja.simpan.realisasi import save_realisasi, save_realisasi_anggaran
from kinerja.simpan.verifikasi import ubah_status
from tests._app import open_app
from tests.conftest import BACKENDS, seeded_database
from tests.test_seed import add_revision

TAHUN = 2025
BERANDA = "pages/beranda.py"


def _sahkan(engine: Engine, kode: str, bulan: int) -> None:
    with new_session(engine) as session:
        unit_id = session.exec(select(Unit.id).where(Unit.kode == kode)).one()
    for aksi in ("ajukan", "verifikasi", "sahkan"):
        ubah_status(engine, unit_id=unit_id, tahun=TAHUN, bulan=bulan, aksi=aksi, catatan="", pengguna=None)


def _isi_demo(engine: Engine) -> None:
    """The demo's year (kinerja.demo's realisations, seed 2025).

    Approved: PERENCANAAN's January, February, April and May, and PEMUM's January.
    """
    with new_session(engine) as session:
        office = get_instansi(session)
        data_tahun = load_data_tahun(session, office, TAHUN)
    rng = random.Random(2025)
    save_realisasi(engine, instansi_id=office.id, tahun=TAHUN, entries=_realisasi(data_tahun, rng), oleh="uji")
    save_realisasi_anggaran(engine, instansi_id=office.id, tahun=TAHUN, entries=_anggaran(data_tahun, rng), oleh="uji")
    for bulan in (1, 2, 4, 5):  # not a triwulan's end: submitting that would need its analysis first
        _sahkan(engine, "PERENCANAAN", bulan)
    _sahkan(engine, "PEMUM", 1)


@pytest.fixture(scope="module", params=BACKENDS)
def tahun_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with seeded_database(request.param, tmp_path_factory.mktemp(request.param)) as engine:
        _isi_demo(engine)
        yield engine


def _lama(engine: Engine, triwulan: int, hanya: bool) -> Capaian:
    """The old path: the year loaded again with the version in force at the end of the triwulan."""
    with new_session(engine) as session:
        data_tahun = load_data_tahun(session, get_instansi(session), TAHUN, bulan_akhir(triwulan), hanya)
    return Capaian(data_tahun=data_tahun, triwulan=triwulan, hasil=compute_periode(data_tahun.data, triwulan))


def _tren_lama(engine: Engine, sampai: int, hanya: bool) -> pd.DataFrame:
    frames = []
    for tw in range(1, sampai + 1):
        per_unit = capaian_per_unit(_lama(engine, tw, hanya))
        per_unit["triwulan"] = tw
        frames.append(per_unit)
    return pd.concat(frames, ignore_index=True)


def _assert_sama_dengan_jalur_lama(engine: Engine) -> None:
    for hanya in (False, True):
        with new_session(engine) as session:
            office = get_instansi(session)
            semua = load_data_tahun(session, office, TAHUN)  # as the Beranda: once, every entry
            angka = hanya_yang_disahkan(session, semua) if hanya else semua
            per_tw = {sampai: tahun_per_triwulan(session, angka, sampai) for sampai in range(1, 5)}
            lama_penyerapan = load_data_tahun(session, office, TAHUN, hanya_disahkan=True) if hanya else semua
        with new_session(engine) as session:
            terhitung = muat_tahun(engine, get_instansi(session).id, TAHUN, hanya)  # the screens' cached year
        for tw in range(1, 5):
            lama, baru = _lama(engine, tw, hanya), capaian_dari(per_tw[4][tw], tw)
            assert terhitung.capaian(tw).hasil == lama.hasil, (tw, hanya)
            assert terhitung.capaian(tw).data_tahun.versi.id == lama.data_tahun.versi.id, (tw, hanya)
            pd.testing.assert_frame_equal(terhitung.tren(tw), _tren_lama(engine, tw, hanya))
            pd.testing.assert_frame_equal(terhitung.per_unit(tw), capaian_per_unit(lama))
            assert baru.data_tahun.versi.id == lama.data_tahun.versi.id, (tw, hanya)
            assert baru.hasil == lama.hasil, (tw, hanya)
            assert baru.rows() == lama.rows(), (tw, hanya)
            assert baru.hanya_disahkan is hanya
            pd.testing.assert_frame_equal(capaian_per_triwulan_dari(per_tw[tw]), _tren_lama(engine, tw, hanya))
            assert (penyerapan_total(angka, bulan_akhir(tw))
                    == penyerapan_total(lama_penyerapan, bulan_akhir(tw))), (tw, hanya)


def test_one_load_gives_the_old_figures_for_every_triwulan(tahun_demo):
    _assert_sama_dengan_jalur_lama(tahun_demo)
    # the approved-only figures really differ from all figures, so the comparison above covers both
    assert _lama(tahun_demo, 2, True).hasil != _lama(tahun_demo, 2, False).hasil


def test_one_load_keeps_each_triwulan_under_its_own_version_after_a_pk_perubahan(tahun_demo):
    # Jumlah dokumen perencanaan IK-6.1.1: 3 Dokumen a year, 6 in the PK Perubahan in force from July.
    add_revision(tahun_demo, berlaku_bulan=7, targets={"IK-6.1.1": 6})
    with new_session(tahun_demo) as session:
        per_tw = tahun_per_triwulan(session, load_data_tahun(session, get_instansi(session), TAHUN), 4)
    assert per_tw[1] is per_tw[2] and per_tw[3] is per_tw[4]  # one DataTahun per version, not per triwulan
    assert [per_tw[tw].versi.nama for tw in (2, 3)] != [per_tw[3].versi.nama] * 2
    assert capaian_dari(per_tw[2], 2).hasil["IK-6.1.1"].target_tahunan == 3  # June: the first version
    assert capaian_dari(per_tw[3], 3).hasil["IK-6.1.1"].target_tahunan == 6  # from July: the revision
    _assert_sama_dengan_jalur_lama(tahun_demo)


def test_the_old_signature_still_answers_with_the_version_of_each_triwulan(tahun_demo):
    with new_session(tahun_demo) as session:
        tren = capaian_per_triwulan(session, get_instansi(session), TAHUN, 4)
    pd.testing.assert_frame_equal(tren, _tren_lama(tahun_demo, 4, False))


# --- the Beranda rerun reads the year once ------------------------------------------------------------


class Hitung:
    """Count the SQL statements that read a year's agreement rows and its realisations."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.sql = engine, []
        event.listen(engine, "before_cursor_execute", self._catat)

    def _catat(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        self.sql.append(" ".join(statement.split()).lower())

    def reset(self) -> None:
        self.sql.clear()

    def baca(self, tabel: str) -> int:
        """SELECTs whose FROM or JOIN names this table (not a subquery of another table's read)."""
        return sum(s.startswith("select") and (f"from {tabel} " in s or f"join {tabel} " in s) for s in self.sql)

    def versi(self) -> int:
        """SELECTs of an office's data version (kinerja.simpan.versi.versi_data)."""
        return sum(s.startswith("select instansi.versi_data from instansi ") for s in self.sql)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._catat)


@pytest.fixture
def beranda_demo(demo_db: Engine, navigation_only: None, quick: None) -> Iterator[tuple[AppTest, Hitung]]:
    with new_session(demo_db) as session:
        office = get_instansi(session)
    admin = next(u for u in list_users(demo_db, office.id) if u.peran == "admin")
    camat = create_user(demo_db, instansi_id=office.id, username="camat.muat", nama="Camat Muat",
                        password="Sekali-Muat-2025!", peran="pimpinan", pengguna=admin)
    at = open_app(camat, BERANDA)
    assert not at.exception, at.exception
    hitung = Hitung(get_engine())  # the engine the app itself uses
    try:
        yield at, hitung
    finally:
        hitung.close()


def test_a_beranda_rerun_reads_the_year_once_cold_and_only_its_data_version_warm(beranda_demo):
    at, hitung = beranda_demo
    kosongkan()  # cold: nothing of this office computed yet in this app process
    hitung.reset()
    at.run()
    assert not at.exception, at.exception
    # 1 read of the agreement rows and of the realisations for the whole page: the figures, each triwulan's
    # version, the completeness grid and the at-risk list all come from one load. It was 6 before issue 13
    # (the page, compute_capaian_tahun, capaian_per_triwulan's 4), then 2 (the at-risk list loaded it again).
    assert hitung.baca("baris_pk") == 1, hitung.sql
    assert hitung.baca("realisasi") == 1, hitung.sql
    assert hitung.baca("realisasi_anggaran") == 1, hitung.sql
    assert hitung.versi() == 1, hitung.sql

    hitung.reset()
    at.run()
    assert not at.exception, at.exception
    # warm, nothing saved since: the year is not read at all, nor the statuses, evidence or anggaran kas;
    # one SELECT of the office's data version decides that
    for tabel in ("baris_pk", "realisasi", "realisasi_anggaran", "status_bulan", "bukti", "anggaran_kas"):
        assert hitung.baca(tabel) == 0, (tabel, hitung.sql)
    assert hitung.versi() == 1, hitung.sql

    hitung.reset()
    at.toggle(key="hanya_disahkan").set_value(True).run()
    assert not at.exception, at.exception
    # approved only: the rows come from the load of every entry; the realisations once, approved months only
    assert hitung.baca("baris_pk") == 0, hitung.sql
    assert hitung.baca("realisasi") == 1, hitung.sql
    assert hitung.baca("realisasi_anggaran") == 1, hitung.sql
    hitung.reset()
    at.run()
    assert (hitung.baca("realisasi"), hitung.baca("realisasi_anggaran"), hitung.versi()) == (0, 0, 1), hitung.sql


def test_a_save_by_another_app_process_is_on_the_next_beranda_rerun(beranda_demo, demo_db):
    at, hitung = beranda_demo
    akip = next(m for m in at.metric if m.label == "Nilai AKIP")
    assert akip.value == format_angka(Decimal("70.38"))  # the demo's LHE: 22,61 + 20,05 + 10,40 + 17,32
    lain = create_db_engine(demo_db.url.render_as_string(hide_password=False))  # another process's engine
    with new_session(lain) as session:
        office_id = get_instansi(session).id
    save_akip(lain, instansi_id=office_id, tahun=TAHUN, komponen={
        "perencanaan": Decimal("25"), "pengukuran": Decimal("22"), "pelaporan": Decimal("11"),
        "evaluasi": Decimal("18")})
    lain.dispose()
    hitung.reset()
    at.run()
    assert not at.exception, at.exception
    akip = next(m for m in at.metric if m.label == "Nilai AKIP")
    assert akip.value == format_angka(Decimal("76"))  # 25 + 22 + 11 + 18, not the 70,38 computed before
    assert hitung.baca("baris_pk") == 1, hitung.sql  # the new data version: the year read again, once


def test_the_beranda_shows_the_same_figures_as_the_old_path(beranda_demo, demo_db):
    at, _ = beranda_demo
    triwulan = 4  # the demo fills the whole year
    lama = capaian_per_unit(_lama(demo_db, triwulan, False))
    kantor = lama.iloc[0]
    metric = next(m for m in at.metric if m.label == "Capaian sasaran strategis")
    assert metric.value == format_persen(kantor["capaian"])  # the office unit's mean capaian by the old path
    assert metric.delta == kantor["kategori"]
