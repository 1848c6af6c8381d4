"""A save is a few statements whatever its size, writes the same audit rows as one month at a time, all or nothing.

Saving a grid used to cost an upsert and an audit insert per month (91 statements for 30 rows). Now a
batch is checked, its months read once under the lock, then written with one delete, one upsert and
one audit insert. Runs on SQLite and PostgreSQL.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, event
from sqlmodel import select

from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.models import Anggaran, Indikator, Jejak, Realisasi, RealisasiAnggaran, Unit
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import (
    EntriAnggaran,
    EntriRealisasi,
    SudahBerubah,
    save_realisasi,
    save_realisasi_anggaran,
)
from kinerja.simpan.seed import init_database
from kinerja.simpan.wewenang import diisi_tangan
from tests.conftest import SEED_2025, buat_orang

D = Decimal
TAHUN = 2025


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements sent while open; an executemany is one statement."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def umumkeu(engine: Engine) -> list[Indikator]:
    """The first 20 of the 21 indicators the Sub Bagian Umum dan Keuangan types (a ratio, then counts)."""
    with new_session(engine) as session:
        query = select(Indikator).join(Unit, Unit.id == Indikator.unit_id).where(
            Unit.kode == "UMUMKEU", Indikator.tahun == TAHUN).order_by(Indikator.id)
        found = [i for i in session.exec(query) if diisi_tangan(i)]
    assert len(found) == 21
    return found[:20]


def grid(indikator: list[Indikator], months: range, n: int = 1, keterangan: str = "") -> list[EntriRealisasi]:
    """One entry per indicator and month: n for a count, n of 2n for the ratio."""
    return [EntriRealisasi(i.kode, b, keterangan=keterangan, **(
        {"pembilang": D(n), "penyebut": D(2 * n)} if i.jenis == "rasio" else {"nilai": D(n)}))
        for i in indikator for b in months]


def realisasi_rows(engine: Engine) -> list[tuple[str, int, int]]:
    """(instansi_id, kode, bulan) of every month stored."""
    with new_session(engine) as session:
        return sorted(session.exec(select(Indikator.instansi_id, Indikator.kode, Realisasi.bulan)
                                   .join(Indikator, Indikator.id == Realisasi.indikator_id)).all())


def trail(engine: Engine, tabel: str) -> list[tuple[str, str, str, str, str, int | None, str]]:
    """The audit rows of a table in the order written: (aksi, kunci, sebelum, sesudah, who, office, alasan)."""
    with new_session(engine) as session:
        return [(r.aksi, r.kunci, r.sebelum, r.sesudah, r.pengguna, r.instansi_id, r.alasan) for r in session.exec(
            select(Jejak).where(Jejak.tabel == tabel).order_by(Jejak.id))]


# --- statements ---------------------------------------------------------------------------------------------

def test_a_grid_of_60_months_costs_the_statements_of_one_of_30(seeded, instansi_id):
    """The same unit and the same three months: 10 indicators (30 rows), then all 20 (60 rows)."""
    inds = umumkeu(seeded)
    with statements(seeded) as thirty:
        assert save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=grid(inds[:10], range(1, 4)),
                              oleh="uji", yakin=True) == 30
    # the first 30 months changed (an update each), 30 more new (an insert each)
    with statements(seeded) as sixty:
        assert save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=grid(inds, range(1, 4), n=2),
                              oleh="uji", yakin=True) == 60
    assert len(sixty) == len(thirty)
    # Month by month this was an upsert and an audit insert per row, 2 x 30 = 60 for these rows alone. What is
    # left is per save (BEGIN, the indicators, one locked read, the versi count, one upsert, one audit insert,
    # the data version) and per month or unit touched (the PK version in force, the lock and deadline checks).
    assert len(thirty) <= 30
    assert sum("INSERT INTO realisasi" in s for s in sixty) == 1
    assert sum("INSERT INTO jejak" in s for s in sixty) == 1
    assert len(trail(seeded, "realisasi")) == 90  # still one audit row per month written


def test_emptying_months_is_one_statement_however_many(seeded, instansi_id):
    inds = umumkeu(seeded)
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=grid(inds, range(1, 4)), oleh="uji",
                   yakin=True)
    counts = []
    for chosen in (inds[:5], inds[5:]):  # 15 months emptied, then 45
        with statements(seeded) as seen:
            written = save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="uji", entries=[
                EntriRealisasi(e.kode, e.bulan, hapus=True) for e in grid(chosen, range(1, 4))])
        assert written == 3 * len(chosen)
        assert sum(s.startswith("DELETE FROM realisasi") for s in seen) == 1
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert realisasi_rows(seeded) == []


def test_a_budget_grid_of_30_months_costs_the_statements_of_one_of_15(seeded, instansi_id):
    with new_session(seeded) as session:
        subs = session.exec(select(Anggaran.kode).join(Unit, Unit.id == Anggaran.unit_id).where(
            Unit.kode == "UMUMKEU", Anggaran.tahun == TAHUN, Anggaran.tingkat == "sub_kegiatan")
            .order_by(Anggaran.id)).all()
    counts = []
    for chosen in (subs[:5], subs[5:15]):
        with statements(seeded) as seen:
            save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="uji", entries=[
                EntriAnggaran(k, b, 1000) for k in chosen for b in range(1, 4)])
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert len(trail(seeded, "realisasi_anggaran")) == 45


# --- the audit rows -----------------------------------------------------------------------------------------

SEBELUM_LAMA = [EntriRealisasi("IK-6.1.1", 3, nilai=D(1), keterangan="rapat"),
                EntriRealisasi("IK-6.1", 3, pembilang=D(2), penyebut=D(4)),
                EntriRealisasi("IK-6.1.2", 3, nilai=D(7))]
BATCH = [EntriRealisasi("IK-6.1.1", 3, nilai=D(2), keterangan="rapat"),  # changed
         EntriRealisasi("IK-6.1", 3, hapus=True),  # emptied
         EntriRealisasi("IK-6.1.2", 3, nilai=D("7.0")),  # unchanged (7.0 is 7): no row
         EntriRealisasi("IK-6.1.1", 4, nilai=D(3)),  # new
         EntriRealisasi("IK-6.1.2", 4, hapus=True)]  # emptying a month never entered: no row


def test_a_batch_leaves_the_audit_rows_worked_out_by_hand(seeded, instansi_id):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.lama", yakin=True, entries=SEBELUM_LAMA)
    assert save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.baru", yakin=True, entries=BATCH) == 3
    # JSON objects with sorted keys; a Decimal as its shortest text ("1", not "1.0000"), an empty value null
    tunggal = '{{"keterangan": "{}", "nilai": "{}", "pembilang": null, "penyebut": null}}'
    assert trail(seeded, "realisasi")[3:] == [
        ("ubah", "2025/IK-6.1.1/3", tunggal.format("rapat", 1), tunggal.format("rapat", 2), "op.baru", instansi_id, ""),
        ("hapus", "2025/IK-6.1/3", '{"keterangan": "", "nilai": null, "pembilang": "2", "penyebut": "4"}', "",
         "op.baru", instansi_id, ""),
        ("tambah", "2025/IK-6.1.1/4", "", tunggal.format("", 3), "op.baru", instansi_id, ""),
    ]
    with new_session(seeded) as session:
        versi = dict(session.exec(select(Realisasi.bulan, Realisasi.versi).join(Indikator).where(
            Indikator.kode == "IK-6.1.1")).all())
    assert versi == {3: 2, 4: 1}  # changed once since its insert; inserted


def test_a_batch_leaves_the_rows_one_save_per_month_leaves(seeded, instansi_id):
    """The same changes in month 3 as one batch and in month 5 one entry per save: the same rows."""
    def in_month(entries: list[EntriRealisasi], bulan: int) -> list[EntriRealisasi]:
        return [EntriRealisasi(e.kode, e.bulan + bulan - 3, e.nilai, e.pembilang, e.penyebut, e.keterangan,
                               hapus=e.hapus) for e in entries]

    for bulan in (3, 5):
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.lama", yakin=True,
                       entries=in_month(SEBELUM_LAMA, bulan))
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.baru", yakin=True, entries=BATCH)
    for e in in_month(BATCH, 5):
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.baru", yakin=True, entries=[e])
    rows = [r for r in trail(seeded, "realisasi") if r[4] == "op.baru"]
    batch = [r for r in rows if r[1].split("/")[2] in ("3", "4")]
    one_by_one = [r for r in rows if r[1].split("/")[2] in ("5", "6")]
    assert len(batch) == 3
    assert [(r[0], r[1].replace("/5", "/3").replace("/6", "/4"), *r[2:]) for r in one_by_one] == batch


def test_a_budget_batch_leaves_the_audit_rows_worked_out_by_hand(seeded, instansi_id):
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="bendahara", entries=[
        EntriAnggaran("6.1.1", 2, 100_000), EntriAnggaran("6.1.2", 2, 50_000, keterangan="uang muka")])
    assert save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="bendahara", entries=[
        EntriAnggaran("6.1.1", 2, 150_000, keterangan="SPJ"), EntriAnggaran("6.1.2", 2, None, hapus=True),
        EntriAnggaran("6.1.3", 2, 75_000)]) == 3
    # Rupiah are whole numbers: JSON numbers, not texts
    assert trail(seeded, "realisasi_anggaran")[2:] == [
        ("ubah", "2025/6.1.1/2", '{"keterangan": "", "realisasi": 100000}',
         '{"keterangan": "SPJ", "realisasi": 150000}', "bendahara", instansi_id, ""),
        ("hapus", "2025/6.1.2/2", '{"keterangan": "uang muka", "realisasi": 50000}', "", "bendahara", instansi_id,
         ""),
        ("tambah", "2025/6.1.3/2", "", '{"keterangan": "", "realisasi": 75000}', "bendahara", instansi_id, ""),
    ]


# --- all or nothing -----------------------------------------------------------------------------------------

def test_one_bad_row_among_30_writes_nothing_and_is_named(seeded, instansi_id):
    entries = [EntriRealisasi(e.kode, e.bulan, e.nilai, e.pembilang, e.penyebut, lokasi=f"baris {n}")
               for n, e in enumerate(grid(umumkeu(seeded)[:10], range(1, 4)), start=2)]
    bad = entries[17]  # IK-6.5.2 (Paket, a count) in March, on row 19
    entries[17] = EntriRealisasi(bad.kode, bad.bulan, nilai=D("1.5"), lokasi=bad.lokasi)
    with pytest.raises(ValidationError) as refused:
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="uji", yakin=True, entries=entries)
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith("baris 19: IK-6.5.2 ") and "Maret" in refused.value.problems[0]
    assert realisasi_rows(seeded) == []
    assert trail(seeded, "realisasi") == []


def test_one_month_changed_by_someone_else_among_30_writes_nothing(seeded, instansi_id):
    inds = umumkeu(seeded)[:10]
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.satu", yakin=True, entries=[
        EntriRealisasi(inds[4].kode, 2, nilai=D(9))])
    # the grid was opened before op.satu saved: every month empty (versi 0)
    entries = [EntriRealisasi(e.kode, e.bulan, e.nilai, e.pembilang, e.penyebut, versi=0)
               for e in grid(inds, range(1, 4))]
    with pytest.raises(SudahBerubah) as refused:
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.dua", yakin=True, entries=entries)
    assert refused.value.problems == [f"{inds[4].kode} Februari sudah diubah oleh op.satu menjadi 9 setelah Anda "
                                      "membuka halaman; periksa lalu simpan lagi"]
    assert realisasi_rows(seeded) == [(instansi_id, inds[4].kode, 2)]
    assert len(trail(seeded, "realisasi")) == 1


def test_one_sub_kegiatan_over_its_pagu_among_many_writes_nothing(seeded, instansi_id):
    entries = [EntriAnggaran("6.1.1", b, 1000) for b in range(1, 13)] + [EntriAnggaran("6.1.2", 1, 10**13)]
    with pytest.raises(ValidationError, match="6.1.2 .*melebihi pagu"):
        save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="uji", entries=entries)
    with new_session(seeded) as session:
        assert session.exec(select(RealisasiAnggaran)).all() == []
    assert trail(seeded, "realisasi_anggaran") == []


# --- another office's rows ----------------------------------------------------------------------------------

@pytest.fixture
def offices(engine: Engine, tmp_path: Path) -> tuple[int, int]:
    """Two offices from the same PK (the same kodes); the other one also has an indicator and a
    sub-kegiatan of its own kode ("IK-LAIN", "9.9.9")."""
    data = tmp_path / "data"
    shutil.copytree(SEED_2025, data / "mangkutana-2025")
    shutil.copytree(SEED_2025, data / "lain-2025")
    meta = yaml.safe_load((data / "lain-2025" / "pk.yaml").read_text(encoding="utf-8"))
    meta["instansi"].update(kode="lain", nama="Kecamatan Lain")
    (data / "lain-2025" / "pk.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    init_database(engine, data)
    with write_session(engine) as session:
        a, b = (get_instansi(session, kode).id for kode in ("mangkutana", "lain"))
        for model, kode, baru in ((Indikator, "IK-6.1.1", "IK-LAIN"), (Anggaran, "6.1.1", "9.9.9")):
            row = session.exec(select(model).where(model.instansi_id == b, model.kode == kode)).one()
            row.kode = baru
            session.add(row)
    return a, b


def test_kodes_both_offices_use_are_saved_to_the_office_named_only(engine, offices):
    a, b = offices
    admin = buat_orang(engine, a, {"admin": ("admin.a", "admin", None)})["admin"]
    save_realisasi(engine, instansi_id=a, tahun=TAHUN, pengguna=admin, yakin=True,
                   entries=[EntriRealisasi("IK-6.1.2", 1, nilai=D(2)), EntriRealisasi("IK-6.1.4", 1, nilai=D(1))])
    save_realisasi_anggaran(engine, instansi_id=a, tahun=TAHUN, pengguna=admin,
                            entries=[EntriAnggaran("6.1.2", 1, 5000)])
    assert realisasi_rows(engine) == [(a, "IK-6.1.2", 1), (a, "IK-6.1.4", 1)]
    with new_session(engine) as session:
        owners = session.exec(select(Anggaran.instansi_id).join(RealisasiAnggaran)).all()
    assert owners == [a]


@pytest.mark.parametrize("save", ["realisasi", "anggaran"])
def test_another_offices_kode_or_office_is_refused_even_to_an_admin(engine, offices, save):
    a, b = offices
    admin = buat_orang(engine, a, {"admin": ("admin.a", "admin", None)})["admin"]

    def simpan(instansi_id: int, kode: str):  # type: ignore[no-untyped-def]
        if save == "realisasi":
            return save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, pengguna=admin, yakin=True, entries=[
                EntriRealisasi("IK-6.1.2", 1, nilai=D(2)), EntriRealisasi(kode, 1, nilai=D(1), lokasi="baris 3")])
        return save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=TAHUN, pengguna=admin, entries=[
            EntriAnggaran("6.1.2", 1, 5000), EntriAnggaran(kode, 1, 1000, lokasi="baris 3")])

    lain = "IK-LAIN" if save == "realisasi" else "9.9.9"  # exists in the other office only
    jenis = "indikator" if save == "realisasi" else "anggaran"
    with pytest.raises(ValidationError) as refused:
        simpan(a, lain)
    assert refused.value.problems == [f"baris 3: kode {jenis} '{lain}' tidak dikenal"]
    with pytest.raises(ValidationError) as refused:
        simpan(b, lain)  # into the other office itself, with a kode it has
    assert refused.value.problems == ["pengguna hanya dapat mengubah data instansinya sendiri"]
    assert realisasi_rows(engine) == []
    with new_session(engine) as session:
        assert session.exec(select(RealisasiAnggaran)).all() == []
        assert session.exec(select(Jejak).where(Jejak.tabel.in_(["realisasi", "realisasi_anggaran"]))).all() == []
