"""Two people, one cell: the later save of a stale grid is refused and told, never a silent overwrite.

The grids remember the `versi` of each month they show; a save whose month was changed by someone
else since is refused whole, naming the indicator, the month, who changed it and to what. Saves
without a versi (the command line, the Excel template) replace, and under 8 threads hammering the
same and distinct cells every value and every audit row is exact. Runs on SQLite and PostgreSQL.
"""

import threading
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.baca.entri import entries_anggaran_from_grid, entries_from_grid, grid_anggaran, grid_realisasi
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import baca_nilai
from kinerja.simpan.models import Anggaran, Indikator, Instansi, Jejak, Pengguna, Realisasi, RealisasiAnggaran, Unit
from kinerja.simpan.realisasi import (
    EntriRealisasi,
    SudahBerubah,
    save_realisasi,
    save_realisasi_anggaran,
)

TAHUN = 2025
BULAN = 3
D = Decimal


@pytest.fixture
def dua(seeded: Engine, instansi_id: int) -> dict[str, Pengguna]:
    """Two operators of Sub Bagian Perencanaan dan Kepegawaian."""
    with write_session(seeded) as session:
        unit = session.exec(select(Unit).where(Unit.kode == "PERENCANAAN")).one()
        people = {n: Pengguna(instansi_id=instansi_id, username=n, nama=n, password_hash="-", peran="operator",
                              unit_id=unit.id) for n in ("operator.satu", "operator.dua")}
        for p in people.values():
            session.add(p)
        session.flush()
        return {k: Pengguna(**p.model_dump()) for k, p in people.items()}


def buka_grid(engine: Engine, kind: str = "realisasi") -> pd.DataFrame:
    """Load the PERENCANAAN grid of March as the page does."""
    with new_session(engine) as session:
        office = session.exec(select(Instansi)).one()
        unit = session.exec(select(Unit).where(Unit.kode == "PERENCANAAN")).one()
        load = grid_realisasi if kind == "realisasi" else grid_anggaran
        return load(session, office, TAHUN, unit.id, BULAN)


def ketik(before: pd.DataFrame, cells: dict[str, dict[str, str]]) -> pd.DataFrame:
    after = before.copy()
    for kode, values in cells.items():
        for column, text in values.items():
            after.loc[after["kode"] == kode, column] = text
    return after


def simpan(engine: Engine, who: Pengguna, before: pd.DataFrame, cells: dict[str, dict[str, str]]) -> int:
    """Type into a loaded grid and press Simpan, as the page does."""
    entries, problems = entries_from_grid(before, ketik(before, cells), BULAN)
    assert not problems
    return save_realisasi(engine, instansi_id=who.instansi_id, tahun=TAHUN, entries=entries, pengguna=who,
                          yakin=True)


def simpan_anggaran(engine: Engine, who: Pengguna, before: pd.DataFrame, cells: dict[str, dict[str, str]]) -> int:
    entries, problems = entries_anggaran_from_grid(before, ketik(before, cells), BULAN)
    assert not problems
    return save_realisasi_anggaran(engine, instansi_id=who.instansi_id, tahun=TAHUN, entries=entries, pengguna=who)


def stored(engine: Engine, kode: str, bulan: int = BULAN) -> Realisasi | None:
    with new_session(engine) as session:
        return session.exec(select(Realisasi).join(Indikator, Indikator.id == Realisasi.indikator_id)
                            .where(Indikator.kode == kode, Realisasi.bulan == bulan)).first()


def trail(engine: Engine, tabel: str, kunci: str) -> list[Jejak]:
    with new_session(engine) as session:
        return list(session.exec(select(Jejak).where(Jejak.tabel == tabel, Jejak.kunci == kunci).order_by(Jejak.id)))


def test_the_second_of_two_saves_of_one_cell_is_refused_and_names_who_and_what(seeded, dua):
    satu, kedua = dua["operator.satu"], dua["operator.dua"]
    grid_satu, grid_dua = buka_grid(seeded), buka_grid(seeded)  # both open the page
    assert simpan(seeded, satu, grid_satu, {"IK-6.1.1": {"nilai": "5"}}) == 1
    with pytest.raises(SudahBerubah) as refused:  # the later save typed 9 over the 5 it never saw
        simpan(seeded, kedua, grid_dua, {"IK-6.1.1": {"nilai": "9"}, "IK-6.1.4": {"nilai": "2"}})
    assert refused.value.problems == [
        "IK-6.1.1 Maret sudah diubah oleh operator.satu menjadi 5 setelah Anda membuka halaman; periksa lalu "
        "simpan lagi"]
    assert stored(seeded, "IK-6.1.1").nilai == 5
    assert stored(seeded, "IK-6.1.4") is None  # nothing of the refused batch is written
    assert len(trail(seeded, "realisasi", f"{TAHUN}/IK-6.1.1/{BULAN}")) == 1

    again = buka_grid(seeded)  # the page reloads the grid: the other person's value is what it shows
    assert again.set_index("kode").loc["IK-6.1.1", "nilai"] == "5"
    simpan(seeded, kedua, again, {"IK-6.1.1": {"nilai": "9"}, "IK-6.1.4": {"nilai": "2"}})
    row = stored(seeded, "IK-6.1.1")
    assert (row.nilai, row.diisi_oleh, row.versi) == (9, "operator.dua", 2)
    assert [baca_nilai(j.sesudah)["nilai"] for j in trail(seeded, "realisasi", f"{TAHUN}/IK-6.1.1/{BULAN}")] == [
        "5", "9"]


def test_a_ratio_changed_or_a_cell_emptied_by_the_other_is_told_too(seeded, dua):
    satu, kedua = dua["operator.satu"], dua["operator.dua"]
    simpan(seeded, satu, buka_grid(seeded), {"IK-6.1.2": {"nilai": "1"}})
    grid_satu, grid_dua = buka_grid(seeded), buka_grid(seeded)
    simpan(seeded, satu, grid_satu, {"IK-6.1": {"pembilang": "3", "penyebut": "4", "keterangan": "rapat"},
                                     "IK-6.1.2": {"nilai": ""}})
    with pytest.raises(SudahBerubah) as refused:
        simpan(seeded, kedua, grid_dua, {"IK-6.1": {"pembilang": "1", "penyebut": "4"}, "IK-6.1.2": {"nilai": "2"}})
    assert refused.value.problems == [
        "IK-6.1 Maret sudah diubah oleh operator.satu menjadi pembilang 3 dan penyebut 4 (keterangan: rapat) "
        "setelah Anda membuka halaman; periksa lalu simpan lagi",
        "IK-6.1.2 Maret sudah dikosongkan oleh operator.satu setelah Anda membuka halaman; periksa lalu simpan lagi",
    ]
    assert stored(seeded, "IK-6.1.2") is None and stored(seeded, "IK-6.1").pembilang == 3


def test_typing_the_same_value_as_the_other_loses_nothing_and_is_not_refused(seeded, dua):
    grid_satu, grid_dua = buka_grid(seeded), buka_grid(seeded)
    simpan(seeded, dua["operator.satu"], grid_satu, {"IK-6.1.1": {"nilai": "5"}})
    assert simpan(seeded, dua["operator.dua"], grid_dua, {"IK-6.1.1": {"nilai": "5"}, "IK-6.1.4": {"nilai": "1"}}) == 1
    assert stored(seeded, "IK-6.1.1").versi == 1 and stored(seeded, "IK-6.1.4").nilai == 1


def test_the_command_line_replaces_without_a_versi_and_every_write_bumps_it(seeded, instansi_id):
    for n, nilai in enumerate((1, 2, 3), start=1):
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, yakin=True,
                       entries=[EntriRealisasi("IK-6.1.1", BULAN, nilai=D(nilai))])
        assert stored(seeded, "IK-6.1.1").versi == n
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN,
                   entries=[EntriRealisasi("IK-6.1.1", BULAN, nilai=D(3))])  # unchanged: not rewritten
    assert stored(seeded, "IK-6.1.1").versi == 3


def test_the_budget_grid_refuses_a_stale_save_the_same_way(seeded, dua):
    satu, kedua = dua["operator.satu"], dua["operator.dua"]
    grid_satu, grid_dua = buka_grid(seeded, "anggaran"), buka_grid(seeded, "anggaran")
    simpan_anggaran(seeded, satu, grid_satu, {"6.1.1": {"realisasi": "1.250.000"}})
    with pytest.raises(SudahBerubah) as refused:
        simpan_anggaran(seeded, kedua, grid_dua, {"6.1.1": {"realisasi": "900.000"}, "6.1.2": {"realisasi": "1000"}})
    assert refused.value.problems == [
        "6.1.1 Maret sudah diubah oleh operator.satu menjadi Rp 1.250.000 setelah Anda membuka halaman; periksa "
        "lalu simpan lagi"]
    with new_session(seeded) as session:
        rows = {(a.kode, r.realisasi, r.versi) for a, r in session.exec(
            select(Anggaran, RealisasiAnggaran).join(RealisasiAnggaran, RealisasiAnggaran.anggaran_id == Anggaran.id))}
    assert rows == {("6.1.1", 1_250_000, 1)}
    again = buka_grid(seeded, "anggaran")
    assert again.set_index("kode").loc["6.1.1", "realisasi"] == "1250000"
    simpan_anggaran(seeded, kedua, again, {"6.1.1": {"realisasi": "900.000"}})
    with new_session(seeded) as session:
        row = session.exec(select(RealisasiAnggaran)).one()
    assert (row.realisasi, row.diisi_oleh, row.versi) == (900_000, "operator.dua", 2)


# --- stress ---------------------------------------------------------------------------------------

THREADS = 8
SAVES = 200


def _input_indicators(engine: Engine, n: int) -> list[str]:
    with new_session(engine) as session:
        kodes = session.exec(select(Indikator.kode).where(
            Indikator.tahun == TAHUN, Indikator.sumber == "input", Indikator.jenis == "tunggal",
            Indikator.nilai_khusus.is_(None)).order_by(Indikator.id)).all()  # type: ignore[union-attr]
    assert len(kodes) >= n
    return list(kodes[:n])


def _run(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _check_trail(engine: Engine, kode: str, writes: int) -> None:
    """The audit rows of a cell: one per write, each starting from the value the previous one left."""
    rows = trail(engine, "realisasi", f"{TAHUN}/{kode}/{BULAN}")
    assert len(rows) == writes
    assert rows[0].sebelum == ""
    for prev, row in zip(rows, rows[1:], strict=False):
        assert baca_nilai(row.sebelum) == baca_nilai(prev.sesudah)
    final = stored(engine, kode)
    assert (final.versi, D(baca_nilai(rows[-1].sesudah)["nilai"])) == (writes, final.nilai)


@pytest.mark.parametrize("sel", ["berbeda", "sama"])
def test_eight_threads_of_command_line_saves_leave_exact_values_and_trail(seeded, instansi_id, sel):
    """8 x 200 saves without a versi (as the CLI does): distinct cells, or all on the same cell."""
    kodes = _input_indicators(seeded, THREADS) if sel == "berbeda" else ["IK-6.1.1"] * THREADS
    escaped: list[BaseException] = []

    def work(t: int) -> None:
        for i in range(1, SAVES + 1):
            nilai = i if sel == "berbeda" else t * 1000 + i  # on one cell every value is distinct
            try:
                save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh=f"cli:t{t}", yakin=True,
                               entries=[EntriRealisasi(kodes[t], BULAN, nilai=D(nilai))])
            except BaseException as e:  # noqa: BLE001 - the test reports whatever escaped
                escaped.append(e)
                return

    _run([threading.Thread(target=work, args=(t,)) for t in range(THREADS)])
    assert all(isinstance(e, ValidationError) for e in escaped), escaped
    assert escaped == []  # and with valid values, not even a refusal
    if sel == "berbeda":
        for kode in kodes:
            assert stored(seeded, kode).nilai == SAVES
            _check_trail(seeded, kode, SAVES)
    else:
        _check_trail(seeded, "IK-6.1.1", THREADS * SAVES)
        assert stored(seeded, "IK-6.1.1").nilai % 1000 == SAVES  # the last save is some thread's last


def test_eight_threads_saving_from_grids_never_lose_an_update(seeded, instansi_id):
    """Each thread loads the cell, types a new value, saves with the versi it saw: refused, or it replaced
    exactly the value it saw (a save that replaced a value its author never saw is a lost update)."""
    escaped: list[BaseException] = []
    seen: dict[Decimal, Decimal | None] = {}  # value saved -> the value its author saw when loading

    def work(t: int) -> None:
        for i in range(1, 51):
            row = stored(seeded, "IK-6.1.1")
            nilai = D(t * 1000 + i)
            try:
                save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh=f"grid:t{t}", yakin=True,
                               entries=[EntriRealisasi("IK-6.1.1", BULAN, nilai=nilai, versi=row.versi if row else 0)])
            except SudahBerubah:
                continue
            except BaseException as e:  # noqa: BLE001
                escaped.append(e)
                return
            seen[nilai] = row.nilai if row else None

    _run([threading.Thread(target=work, args=(t,)) for t in range(THREADS)])
    assert escaped == []
    assert len(seen) > THREADS  # some saves got through, more than one each
    _check_trail(seeded, "IK-6.1.1", len(seen))  # every accepted save, and only those, is in the value's history
    for row in trail(seeded, "realisasi", f"{TAHUN}/IK-6.1.1/{BULAN}"):
        before = baca_nilai(row.sebelum)
        assert seen[D(baca_nilai(row.sesudah)["nilai"])] == (D(before["nilai"]) if before else None)
