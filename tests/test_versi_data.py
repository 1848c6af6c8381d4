"""An office's data version (issue 13): every write bumps it in its own transaction; the screens' cache keys on it.

The offices are tests/test_banyak_instansi.py's kabupaten: Mangkutana (A) and Burau (B) under Luwu Timur,
Sabbang (C) under Luwu Utara, each the 2025 seed. Every write function is called by A's own people on A:
A's `versi_data` goes up by exactly one and no other office's moves. A refused write, a sign-in and a page run
move nothing. The cache (kinerja.baca.singgahan) answers a second call with one SELECT of the version, and
sees a save made through another engine (another app process) on the very next call. SQLite always;
PostgreSQL too with KINERJA_TEST_POSTGRES_URL.
"""

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, event, update

from bench.generate import clone_seed
from kinerja.baca import singgahan
from kinerja.dokumen.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.errors import ValidationError
from kinerja.simpan import auth
from kinerja.simpan.analisis import EntriAnalisis, save_analisis, save_templat
from kinerja.simpan.anggaran_kas import EntriKas, save_anggaran_kas
from kinerja.simpan.auth import (
    create_session,
    create_user,
    reset_password,
    revoke_session,
    update_user,
    user_from_session,
)
from kinerja.simpan.bukti import simpan_bukti
from kinerja.simpan.db import create_db_engine, migrate, new_session, write_session
from kinerja.simpan.jadwal import simpan_batas_bulan, simpan_hari_batas
from kinerja.simpan.masuk import masuk
from kinerja.simpan.models import Pengguna, Sesi, Unit, now_utc
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.profil import IsiProfil, simpan_profil
from kinerja.simpan.queries import versi_berlaku
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import (
    UbahTarget,
    copy_tahun,
    create_perubahan,
    publish_versi,
    save_pagu,
    save_targets,
    simpan_batas_cek,
)
from kinerja.simpan.riwayat import (
    EntriRiwayat,
    EntriTargetRenstra,
    simpan_periode_renstra,
    simpan_riwayat,
    simpan_target_renstra,
)
from kinerja.simpan.seed import load_seed, read_seed
from kinerja.simpan.tanggapan import tambah_tanggapan
from kinerja.simpan.verifikasi import buka_isian, ubah_status
from kinerja.simpan.versi import versi_data
from tests.conftest import BACKENDS, SEED_2025, throwaway_pg_database
from tests.test_banyak_instansi import LINTAS, PDF, Kabupaten, build_kabupaten

TAHUN = 2025
KANTOR = ("timur", "utara", "a", "b", "c")  # every office of the database, the two pemda included
SANDI = "Versi-Data-Rahasia-2025!"


@pytest.fixture(autouse=True)
def quick_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its real cost is for production passwords."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module", params=BACKENDS)
def kab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kabupaten]:
    """One database per backend for the module; each test reads the versions before and after its own write."""
    root = tmp_path_factory.mktemp("versi")
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{root / 'versi.db'}")
        migrate(engine)
        yield build_kabupaten(engine, root / "bukti")
        engine.dispose()
        return
    with throwaway_pg_database("kinerja_versi") as url:
        engine = create_db_engine(url)
        migrate(engine)
        try:
            yield build_kabupaten(engine, root / "bukti")
        finally:
            engine.dispose()


def versions(k: Kabupaten) -> dict[str, int]:
    return {key: versi_data(k.engine, k.office[key]) for key in KANTOR}


def naik(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Which offices' versions moved, and by how much."""
    return {key: after[key] - before[key] for key in KANTOR if after[key] != before[key]}


def _a(k: Kabupaten) -> int:
    return k.office["a"]


def _pk_a_2031(k: Kabupaten) -> bytes:
    """A's agreements as a workbook for 2031 (a year A does not have yet)."""
    with new_session(k.engine) as session:
        book = openpyxl.load_workbook(io.BytesIO(export_pk_xlsx(session, versi_berlaku(session, _a(k), TAHUN))))
    info = {row[0].value: row[1] for row in book["info"].iter_rows()}
    info["tahun"].value, info["versi_tanggal"].value, info["versi_nama"].value = 2031, "2031-01-02", "PK Awal"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


Act = Callable[[Kabupaten, Pengguna | None, Path], object]
# name -> (who of office A acts on A, None: the system itself, as the command line; the call)
SENDIRI: dict[str, tuple[str | None, Act]] = {
    "save_realisasi": ("operator.a", lambda k, u, f: save_realisasi(
        k.engine, instansi_id=_a(k), tahun=TAHUN, pengguna=u, yakin=True,
        entries=[EntriRealisasi(k.indikator, 1, nilai=Decimal(1))])),
    "save_realisasi_anggaran": ("operator.a", lambda k, u, f: save_realisasi_anggaran(
        k.engine, instansi_id=_a(k), tahun=TAHUN, pengguna=u,
        entries=[EntriAnggaran(k.sub_kegiatan, 2, realisasi=1000)])),
    "save_templat": ("admin.a", lambda k, u, f: save_templat(
        k.engine, instansi_id=_a(k), tahun=TAHUN, pengguna=u, yakin=True,
        realisasi=[EntriRealisasi(k.indikator, 1, nilai=Decimal(2))], analisis={})),
    "save_analisis": ("operator.a", lambda k, u, f: save_analisis(
        k.engine, instansi_id=_a(k), tahun=TAHUN, triwulan=1, pengguna=u,
        entries=[EntriAnalisis(k.indikator, faktor_pendorong="Rapat rutin")])),
    "save_analisis rekomendasi": ("admin.a", lambda k, u, f: save_analisis(
        k.engine, instansi_id=_a(k), tahun=TAHUN, triwulan=1, pengguna=u,
        entries=[EntriAnalisis(k.indikator, rekomendasi_pimpinan="Percepat")])),
    "save_targets": ("admin.a", lambda k, u, f: save_targets(
        k.engine, versi_id=k.versi["a"], pengguna=u,
        changes=[UbahTarget(k.indikator, Decimal(7), (None, None, None, None))])),
    "save_pagu": ("admin.a", lambda k, u, f: save_pagu(
        k.engine, versi_id=k.versi["a"], pengguna=u, pagu={k.sub_kegiatan: 987_654_321})),
    "publish_versi": ("admin.a", lambda k, u, f: publish_versi(k.engine, versi_id=k.draf["a"], pengguna=u)),
    "create_perubahan": ("admin.a", lambda k, u, f: create_perubahan(
        k.engine, instansi_id=_a(k), tahun=TAHUN, nama="PK Perubahan", tanggal=date(TAHUN, 11, 1),
        berlaku_bulan=12, pengguna=u)),
    "copy_tahun": ("admin.a", lambda k, u, f: copy_tahun(
        k.engine, instansi_id=_a(k), dari=TAHUN, ke=2027, tanggal=date(2027, 1, 2), pengguna=u)),
    "simpan_batas_cek": ("admin.a", lambda k, u, f: simpan_batas_cek(
        k.engine, instansi_id=_a(k), nilai=Decimal(150), pengguna=u)),
    "save_survei_ikm": ("admin.a", lambda k, u, f: save_survei_ikm(
        k.engine, instansi_id=_a(k), tahun=TAHUN, bulan=6, answers=[[4] * 9] * 5, judul="SKM", pengguna=u)),
    "save_akip": ("admin.a", lambda k, u, f: save_akip(
        k.engine, instansi_id=_a(k), tahun=TAHUN, pengguna=u, komponen={
            "perencanaan": Decimal(20), "pengukuran": Decimal(20), "pelaporan": Decimal(10),
            "evaluasi": Decimal(15)})),
    "simpan_profil": ("admin.a", lambda k, u, f: simpan_profil(
        k.engine, instansi_id=_a(k), isi=IsiProfil(alamat="Jl. Poros Mangkutana"), pengguna=u)),
    "simpan_periode_renstra": ("admin.a", lambda k, u, f: simpan_periode_renstra(
        k.engine, instansi_id=_a(k), awal=2021, akhir=2026, pengguna=u)),
    "simpan_target_renstra": ("admin.a", lambda k, u, f: simpan_target_renstra(
        k.engine, instansi_id=_a(k), entries=[EntriTargetRenstra(k.indikator, 2026, "5")], pengguna=u)),
    "simpan_riwayat": ("admin.a", lambda k, u, f: simpan_riwayat(
        k.engine, instansi_id=_a(k), entries=[EntriRiwayat(k.indikator, 2024, "5", "100")], pengguna=u)),
    "save_anggaran_kas": ("admin.a", lambda k, u, f: save_anggaran_kas(
        k.engine, instansi_id=_a(k), tahun=TAHUN, entries=[EntriKas(k.sub_kegiatan, 1, 1000)], pengguna=u)),
    "simpan_hari_batas": ("admin.a", lambda k, u, f: simpan_hari_batas(
        k.engine, instansi_id=_a(k), hari=10, pengguna=u)),
    "simpan_batas_bulan": ("admin.a", lambda k, u, f: simpan_batas_bulan(
        k.engine, instansi_id=_a(k), tahun=TAHUN, bulan=3, batas=date(TAHUN, 4, 20), pengguna=u)),
    "ubah_status ajukan": ("operator.a", lambda k, u, f: ubah_status(
        k.engine, unit_id=k.unit["a"], tahun=TAHUN, bulan=2, aksi="ajukan", pengguna=u)),
    # December was submitted when the kabupaten was built; the verifier's step, taken by the system here
    "ubah_status verifikasi": (None, lambda k, u, f: ubah_status(
        k.engine, unit_id=k.unit["a"], tahun=TAHUN, bulan=12, aksi="verifikasi", pengguna=u)),
    "buka_isian": ("admin.a", lambda k, u, f: buka_isian(
        k.engine, unit_id=k.unit["a"], tahun=TAHUN, bulan=1, hari=3, alasan="Salah ketik", pengguna=u)),
    "tambah_tanggapan": ("admin.a", lambda k, u, f: tambah_tanggapan(
        k.engine, instansi_id=_a(k), tahun=TAHUN, kode=k.indikator, bulan=1, isi="Lengkapi bukti", pengguna=u)),
    "simpan_bukti": ("operator.a", lambda k, u, f: simpan_bukti(
        k.engine, folder=f, instansi_id=_a(k), tahun=TAHUN, unit_id=k.unit["a"], bulan=1, data=PDF,
        nama_asli="notulen.pdf", pengguna=u)),
    "create_user": ("admin.a", lambda k, u, f: create_user(
        k.engine, instansi_id=_a(k), username="baru.a", nama="Baru", password=SANDI, peran="pimpinan",
        pengguna=u)),
    "update_user": ("admin.a", lambda k, u, f: update_user(
        k.engine, user_id=k.users["operator.a"].id, peran="operator", unit_id=k.unit["a"], aktif=True,
        nama="Operator Perencanaan", pengguna=u)),
    "reset_password": ("admin.a", lambda k, u, f: reset_password(
        k.engine, user_id=k.users["pimpinan.a"].id, password=SANDI, pengguna=u)),
    "import_pk_xlsx": ("admin.a", lambda k, u, f: import_pk_xlsx(k.engine, _pk_a_2031(k), "pk-a.xlsx", pengguna=u)),
}


def test_every_refused_write_in_the_other_table_is_here_done_rightly() -> None:
    """The same write functions as test_banyak_instansi's refusals: each is also tried as an allowed write."""
    assert {n.split(" ")[0] for n in LINTAS} <= {n.split(" ")[0] for n in SENDIRI}


@pytest.mark.parametrize("name", list(SENDIRI))
def test_a_write_bumps_its_own_office_once_and_no_other(kab: Kabupaten, name: str, tmp_path: Path) -> None:
    who, act = SENDIRI[name]
    before = versions(kab)
    act(kab, kab.users[who] if who else None, tmp_path)
    assert naik(before, versions(kab)) == {"a": 1}  # A's version + 1; B next to it, C and the pemda unchanged


@pytest.mark.parametrize("name", list(LINTAS))
def test_a_refused_write_bumps_nothing(kab: Kabupaten, name: str, tmp_path: Path) -> None:
    who, act, _ = LINTAS[name]  # A's people aimed at B: refused inside the transaction, rolled back
    before = versions(kab)
    with pytest.raises(ValidationError):
        act(kab, kab.users[who], tmp_path)
    assert naik(before, versions(kab)) == {}


def test_loading_a_seed_year_into_an_office_bumps_that_office(kab: Kabupaten) -> None:
    # `kinerja init` with a new data/ folder: the 2028 PK of Mangkutana (A), an office already in the database
    seed = clone_seed(read_seed(SEED_2025), "mangkutana", "Kecamatan Mangkutana", 2028)
    before = versions(kab)
    with write_session(kab.engine) as session:
        assert load_seed(session, seed).id == _a(kab)
    assert naik(before, versions(kab)) == {"a": 1}


def test_a_refused_value_in_ones_own_office_bumps_nothing(kab: Kabupaten) -> None:
    before = versions(kab)
    with pytest.raises(ValidationError):  # month 13 does not exist: nothing is written
        save_realisasi(kab.engine, instansi_id=_a(kab), tahun=TAHUN, pengguna=kab.users["operator.a"],
                       entries=[EntriRealisasi(kab.indikator, 13, nilai=Decimal(1))])
    assert naik(before, versions(kab)) == {}


def test_signing_in_and_page_runs_bump_nothing(kab: Kabupaten) -> None:
    user = create_user(kab.engine, instansi_id=_a(kab), username="camat.versi", nama="Camat", password=SANDI,
                       peran="pimpinan", pengguna=kab.users["admin.a"])
    before = versions(kab)
    assert masuk(kab.engine, username="camat.versi", password="bukan-sandinya").pengguna is None  # counts a failure
    assert masuk(kab.engine, username="camat.versi", password=SANDI).pengguna is not None  # resets the count
    assert masuk(kab.engine, username="tidak.ada", password=SANDI).pengguna is None
    token = create_session(kab.engine, user.id)
    assert user_from_session(kab.engine, token) is not None
    with write_session(kab.engine) as session:  # a minute later: the page run writes the session's last action
        session.execute(update(Sesi).values(terakhir_aktif=now_utc() - timedelta(minutes=2)))
    assert naik(before, versions(kab)) == {}  # (that update itself is a sesi row: no data either)
    assert user_from_session(kab.engine, token) is not None
    revoke_session(kab.engine, token)  # Keluar: the session ends and the audit trail notes it
    assert naik(before, versions(kab)) == {}


def test_a_change_whose_office_is_unknown_bumps_every_office(kab: Kabupaten, caplog: pytest.LogCaptureFixture) -> None:
    before = versions(kab)
    with caplog.at_level(logging.WARNING, logger="kinerja"), write_session(kab.engine) as session:
        # a statement that names no office, outside any write function: safe is every office
        session.execute(update(Unit).where(Unit.id == kab.unit["c"]).values(nama=Unit.nama))
    assert naik(before, versions(kab)) == dict.fromkeys(KANTOR, 1)
    assert "semua instansi" in caplog.text


# --- the cache ---------------------------------------------------------------------------------------------


@contextmanager
def hitung_sql(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements sent through an engine, lower-case, on one line each."""
    sql: list[str] = []

    def catat(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        sql.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", catat)
    try:
        yield sql
    finally:
        event.remove(engine, "before_cursor_execute", catat)


def _bacaan_tahun(sql: list[str]) -> list[str]:
    """The statements that read a year (its rows, targets, realisations, versions) rather than a version number."""
    return [s for s in sql if s.startswith("select") and "versi_data from instansi" not in s]


def _versi(sql: list[str]) -> int:
    return sum(s.startswith("select instansi.versi_data from instansi ") for s in sql)


def _nilai(terhitung: singgahan.TahunTerhitung, kode: str, bulan: int) -> Decimal | None:
    entri = terhitung.semua.data.realisasi.get(kode, {}).get(bulan)
    return entri.nilai if entri else None


def test_a_second_call_at_the_same_version_reads_only_the_version(kab: Kabupaten) -> None:
    singgahan.kosongkan()
    pertama = singgahan.muat_tahun(kab.engine, _a(kab), TAHUN)
    with hitung_sql(kab.engine) as sql:
        lagi = singgahan.muat_tahun(kab.engine, _a(kab), TAHUN)
        # every row of the cached year reads without a session: no lazy load goes to the database
        teks = [(b.indikator.nama, b.unit.nama, b.target.tahunan, b.indikator.satuan) for b in lagi.semua.baris]
        tw = [lagi.capaian(t).data_tahun.versi.nama for t in (1, 2, 3, 4)]
    assert lagi is pertama
    assert _versi(sql) == 1 and _bacaan_tahun(sql) == [], sql
    assert len(teks) == 66 and tw  # the seed's 66 agreement rows


def test_a_save_through_another_engine_is_seen_on_the_next_call(kab: Kabupaten) -> None:
    """Two app processes on one database: each with its own engine, the cache in one of them."""
    singgahan.kosongkan()
    kode, burau = kab.indikator, kab.office["b"]  # Burau: no deadlines set, so March is still open
    sebelum_b = singgahan.muat_tahun(kab.engine, burau, TAHUN)
    sebelum_a = singgahan.muat_tahun(kab.engine, _a(kab), TAHUN)
    lain = create_db_engine(kab.engine.url.render_as_string(hide_password=False))
    try:
        save_realisasi(lain, instansi_id=burau, tahun=TAHUN, yakin=True,
                       entries=[EntriRealisasi(kode, 3, nilai=Decimal(4))])
    finally:
        lain.dispose()
    with hitung_sql(kab.engine) as sql:
        sesudah_b = singgahan.muat_tahun(kab.engine, burau, TAHUN)
    assert _nilai(sebelum_b, kode, 3) is None
    assert _nilai(sesudah_b, kode, 3) == Decimal(4)  # the value just saved, not the year kept before
    assert sesudah_b.versi_data == sebelum_b.versi_data + 1
    assert any("from baris_pk" in s or "join baris_pk" in s for s in sql)  # read again, at the new version
    with hitung_sql(kab.engine) as sql:
        sesudah_a = singgahan.muat_tahun(kab.engine, _a(kab), TAHUN)
    assert sesudah_a is sebelum_a and _bacaan_tahun(sql) == []  # Mangkutana's year is still kept: it did not change


def test_the_parts_of_a_screen_are_kept_with_the_year_and_redone_after_a_save(kab: Kabupaten) -> None:
    singgahan.kosongkan()
    burau = kab.office["b"]
    terhitung = singgahan.muat_tahun(kab.engine, burau, TAHUN)
    kemajuan = singgahan.kemajuan(kab.engine, terhitung, 12)
    with hitung_sql(kab.engine) as sql:
        lagi = singgahan.kemajuan(kab.engine, singgahan.muat_tahun(kab.engine, burau, TAHUN), 12)
    assert _bacaan_tahun(sql) == [] and lagi.equals(kemajuan)
    lagi.loc[0, "unit_nama"] = "diubah pemanggil"  # a caller's copy: what is kept stays as computed
    assert singgahan.kemajuan(kab.engine, terhitung, 12).equals(kemajuan)
    desember = kemajuan.set_index("unit").loc["PERENCANAAN", "Des"]
    ubah_status(kab.engine, unit_id=kab.unit["b"], tahun=TAHUN, bulan=12, aksi="kembalikan", catatan="Lengkapi")
    sesudah = singgahan.kemajuan(kab.engine, singgahan.muat_tahun(kab.engine, burau, TAHUN), 12)
    # December was submitted when the kabupaten was built; the verifier sent it back just now
    assert (desember, sesudah.set_index("unit").loc["PERENCANAAN", "Des"]) == ("Diajukan", "Dikembalikan")


def test_approved_only_figures_are_kept_apart_from_all_figures(kab: Kabupaten) -> None:
    singgahan.kosongkan()
    semua = singgahan.muat_tahun(kab.engine, _a(kab), TAHUN)
    hanya = singgahan.muat_tahun(kab.engine, _a(kab), TAHUN, hanya_disahkan=True)
    assert hanya is not semua and hanya.semua is semua.semua  # one load of every entry, filtered for approved
    assert hanya.angka.hanya_disahkan and not semua.angka.hanya_disahkan
    assert hanya.angka.data.realisasi == {}  # no month of A is approved: no approved realisation at all
    assert semua.angka.data.realisasi[kab.indikator]
