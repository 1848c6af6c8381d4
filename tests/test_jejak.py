"""The audit trail: every kind of change leaves exactly one row with the right old and new values.

One writer (kinerja.simpan.jejak.catat_jejak) writes JSON objects; one reader turns them back into values
and into the words of the Riwayat perubahan screen. Runs on SQLite and PostgreSQL.
"""

import csv
import io
import threading
from datetime import UTC, date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from kinerja.simpan.db import new_session
from kinerja.simpan.jejak import (
    baca_nilai,
    describe_kunci,
    export_jejak_csv,
    list_jejak_tahun,
    list_riwayat,
    ringkas_nilai,
)
from kinerja.simpan.models import Instansi, Jejak
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.queries import versi_berlaku
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import UbahTarget, copy_tahun, create_perubahan, publish_versi, save_pagu, save_targets

D = Decimal
TAHUN = 2025


def rows(engine, tabel: str | None = None) -> list[Jejak]:
    """The audit rows (of one table), oldest first."""
    with new_session(engine) as session:
        query = select(Jejak).order_by(Jejak.id)
        if tabel:
            query = query.where(Jejak.tabel == tabel)
        return list(session.exec(query))


def values(row: Jejak) -> tuple[dict | None, dict | None]:
    return baca_nilai(row.sebelum), baca_nilai(row.sesudah)


def versi_id(engine, instansi_id: int) -> int:
    with new_session(engine) as session:
        return versi_berlaku(session, instansi_id, TAHUN).id


def test_a_realisation_added_changed_and_removed_leaves_one_row_each(seeded, instansi_id):
    def save(**kw):
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="operator.satu",
                       entries=[EntriRealisasi("IK-6.1.1", 3, **kw)])

    save(nilai=D(1), keterangan="rapat")
    save(nilai=D(1), keterangan="rapat")  # unchanged: no row
    save(nilai=D(2), keterangan="rapat")
    save(hapus=True)
    trail = rows(seeded, "realisasi")
    assert [(r.aksi, r.kunci, r.pengguna) for r in trail] == [
        ("tambah", "2025/IK-6.1.1/3", "operator.satu"), ("ubah", "2025/IK-6.1.1/3", "operator.satu"),
        ("hapus", "2025/IK-6.1.1/3", "operator.satu"),
    ]
    one = {"nilai": "1", "pembilang": None, "penyebut": None, "keterangan": "rapat"}
    two = {**one, "nilai": "2"}
    assert [values(r) for r in trail] == [(None, one), (one, two), (two, None)]


def test_a_budget_realisation_leaves_one_row_with_old_and_new_rupiah(seeded, instansi_id):
    for rupiah in (1_000_000, 1_250_000):
        save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="bendahara",
                                entries=[EntriAnggaran("6.1.1", 2, realisasi=rupiah)])
    trail = rows(seeded, "realisasi_anggaran")
    assert [values(r) for r in trail] == [
        (None, {"realisasi": 1_000_000, "keterangan": ""}),
        ({"realisasi": 1_000_000, "keterangan": ""}, {"realisasi": 1_250_000, "keterangan": ""}),
    ]


@pytest.mark.parametrize(("ubah", "sebelum", "sesudah"), [
    # the annual target of IK-6.1.4 (10 Laporan) becomes 12; its Rencana Aksi stays the default
    (UbahTarget("IK-6.1.4", D(12), (None, None, None, None)), {"tahunan": "10"}, {"tahunan": "12"}),
    # only the Rencana Aksi changes: one row, the annual target unchanged in it
    (UbahTarget("IK-6.1.4", D(10), (D(2), D(5), D(7), D(10))), {"tw1": None, "tw2": None},
     {"tw1": "2", "tw2": "5"}),
    # only the soft limit of one month's value changes
    (UbahTarget("IK-6.1.4", D(10), (None, None, None, None), batas_wajar=D(4)), {"batas_wajar": None},
     {"batas_wajar": "4"}),
])
def test_a_target_rencana_aksi_or_soft_limit_change_leaves_one_row(seeded, instansi_id, ubah, sebelum, sesudah):
    assert save_targets(seeded, versi_id=versi_id(seeded, instansi_id), changes=[ubah], oleh="perencana") == 1
    [row] = rows(seeded, "target")
    old, new = values(row)
    assert {k: old[k] for k in sebelum} == sebelum
    assert {k: new[k] for k in sesudah} == sesudah
    assert row.kunci.endswith("/IK-6.1.4") and row.pengguna == "perencana"


def test_a_pagu_change_leaves_one_row_even_though_its_parents_are_summed_again(seeded, instansi_id):
    save_pagu(seeded, versi_id=versi_id(seeded, instansi_id), pagu={"6.1.1": 15_000_000}, oleh="perencana")
    [row] = rows(seeded, "pagu")
    assert values(row) == ({"pagu": 15_409_900}, {"pagu": 15_000_000})


def test_versions_leave_a_row_when_made_published_or_copied(seeded, instansi_id):
    versi = create_perubahan(seeded, instansi_id=instansi_id, tahun=TAHUN, nama="PK Perubahan 2",
                             tanggal=date(TAHUN, 11, 1), berlaku_bulan=11, oleh="perencana")
    publish_versi(seeded, versi_id=versi.id, oleh="perencana")
    copy_tahun(seeded, instansi_id=instansi_id, dari=TAHUN, ke=TAHUN + 1, tanggal=date(TAHUN + 1, 1, 2))
    trail = rows(seeded, "versi")
    assert [(r.aksi, r.kunci) for r in trail] == [("tambah", f"{TAHUN}/2"), ("ubah", f"{TAHUN}/2"),
                                                  ("tambah", f"{TAHUN + 1}/0")]
    assert values(trail[1]) == ({"nama": "PK Perubahan 2", "status": "draf"},
                                {"nama": "PK Perubahan 2", "status": "terbit"})
    assert values(trail[2])[1]["disalin_dari"] == f"PK Perubahan 2 {TAHUN}"


def test_an_ikm_survey_leaves_one_survey_row_and_one_realisation_row(seeded, instansi_id):
    # 2 respondents: all 4s and all 3s -> NRR 3,5 per unsur -> IKM 3,5 x 25 = 87,5
    save_survei_ikm(seeded, instansi_id=instansi_id, tahun=TAHUN, bulan=6, answers=[[4] * 9, [3] * 9],
                    judul="SKM I", oleh="admin")
    [survei] = rows(seeded, "survei_ikm")
    assert values(survei) == (None, {"ikm": "87.5", "judul": "SKM I", "responden": 2})
    [realisasi] = rows(seeded, "realisasi")
    assert realisasi.kunci == "2025/IK-IKM/6" and values(realisasi)[1]["nilai"] == "87.5"


def test_an_akip_score_saved_twice_records_the_old_components(seeded, instansi_id):
    first = {"perencanaan": D("22.61"), "pengukuran": D("20.05"), "pelaporan": D("10.40"), "evaluasi": D("17.32")}
    save_akip(seeded, instansi_id=instansi_id, tahun=TAHUN, komponen=first, oleh="admin")
    save_akip(seeded, instansi_id=instansi_id, tahun=TAHUN, komponen=first | {"evaluasi": D("18")}, oleh="admin")
    trail = rows(seeded, "nilai_akip")
    assert [r.aksi for r in trail] == ["tambah", "ubah"]
    old, new = values(trail[1])
    assert (old["evaluasi"], new["evaluasi"]) == ("17.32", "18")
    # 22,61 + 20,05 + 10,40 + 17,32 = 70,38, then 22,61 + 20,05 + 10,40 + 18 = 71,06
    realisasi = rows(seeded, "realisasi")
    assert [values(r)[1]["nilai"] for r in realisasi] == ["70.38", "71.06"]


def test_every_row_holds_json_objects(seeded, instansi_id):
    save_pagu(seeded, versi_id=versi_id(seeded, instansi_id), pagu={"6.1.1": 15_000_000})
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(1))])
    for row in rows(seeded):
        for stored in (row.sebelum, row.sesudah):
            assert stored == "" or isinstance(baca_nilai(stored), dict)


def test_eight_writers_on_one_cell_leave_an_unbroken_chain_of_old_and_new(seeded, instansi_id):
    """8 writers x 10 saves of the same month: each row's 'sebelum' is exactly the previous row's 'sesudah'."""
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh=f"op{n}", yakin=True, entries=[
                    EntriRealisasi("IK-6.2.2", 5, nilai=D(1000 * (n + 1) + i + 1))])
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    trail = rows(seeded, "realisasi")
    assert len(trail) == 80  # every value is distinct, so every save is a change
    assert values(trail[0])[0] is None
    for previous, row in zip(trail, trail[1:], strict=False):
        assert values(row)[0] == values(previous)[1]


@pytest.mark.parametrize(("tabel", "kunci", "expected"), [
    ("realisasi", "2025/IK-6.1.1/3", "IK-6.1.1 Jumlah dokumen — Maret 2025"),
    ("realisasi_anggaran", "2025/6.1.1/12", "6.1.1 Penyusunan — Desember 2025"),
    ("status_bulan", "2025/3/PERENCANAAN", "PERENCANAAN — Maret 2025"),
    ("target", "2025/1/IK-6.1.1", "IK-6.1.1 Jumlah dokumen — tahun 2025, versi 1"),
    ("versi", "2026/0", "Tahun 2026, versi 0"),
    ("nilai_akip", "2025", "Tahun 2025"),
    ("survei_ikm", "2025/6", "Juni 2025"),
    ("pengguna", "operator.satu", "operator.satu"),
    ("analisis", "2025/IK-6.1.1/TW2", "IK-6.1.1 Jumlah dokumen — triwulan II 2025"),
    ("target_renstra", "IK-6.1.1/2026", "IK-6.1.1 Jumlah dokumen — tahun 2026"),
    ("riwayat_realisasi", "IK-6.1.1/2023", "IK-6.1.1 Jumlah dokumen — tahun 2023"),
])
def test_keys_read_as_words(tabel, kunci, expected):
    names = {"IK-6.1.1": "Jumlah dokumen", "6.1.1": "Penyusunan"}
    assert describe_kunci(tabel, kunci, names) == expected


def test_values_read_the_indonesian_way():
    assert ringkas_nilai('{"nilai": "1250000.5", "keterangan": "", "penyebut": null}') == "nilai: 1.250.000,5"
    assert ringkas_nilai("") == ""
    assert ringkas_nilai("1000") == "nilai: 1.000"  # a bare number written before the one writer


def test_riwayat_shows_local_time_of_the_office(seeded, instansi_id):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(1))])
    with new_session(seeded) as session:
        office = session.get(Instansi, instansi_id)
        [shown] = list_riwayat(session, office)
        stored = session.exec(select(Jejak)).one().waktu
    utc = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    wita = utc.astimezone(ZoneInfo("Asia/Makassar"))  # UTC+8, no daylight saving
    assert wita.utcoffset().total_seconds() == 8 * 3600
    assert shown.waktu == f"{wita:%d-%m-%Y %H:%M} WITA"


@pytest.mark.parametrize("statement", [
    "UPDATE jejak SET sesudah = '{\"nilai\": \"99\"}'",
    "DELETE FROM jejak",
])
def test_the_database_itself_refuses_to_change_or_remove_the_trail(seeded, instansi_id, statement):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(1))])
    before = [(r.id, r.sebelum, r.sesudah) for r in rows(seeded)]
    with pytest.raises(DBAPIError, match="hanya dapat ditambah"), seeded.begin() as conn:
        conn.execute(text(statement))
    assert [(r.id, r.sebelum, r.sesudah) for r in rows(seeded)] == before


def test_the_trail_of_a_year_exports_as_csv_with_the_contract_columns(seeded, instansi_id):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, oleh="op.satu",
                   entries=[EntriRealisasi("IK-6.1.1", 1, nilai=D(1), keterangan="=HYPERLINK(1)")])
    copy_tahun(seeded, instansi_id=instansi_id, dari=TAHUN, ke=TAHUN + 1, tanggal=date(TAHUN + 1, 1, 2))
    with new_session(seeded) as session:
        rows_2025 = list_jejak_tahun(session, instansi_id, TAHUN)
        rows_2026 = list_jejak_tahun(session, instansi_id, TAHUN + 1)
    assert [r.tabel for r in rows_2025] == ["realisasi"] and [r.tabel for r in rows_2026] == ["versi"]
    data = export_jejak_csv(rows_2025)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == ["waktu", "pengguna", "aksi", "tabel", "kunci", "sebelum", "sesudah", "alasan"]
    assert parsed[1][1:5] == ["op.satu", "tambah", "realisasi", "2025/IK-6.1.1/1"]
    assert '"keterangan": "=HYPERLINK(1)"' in parsed[1][6] and parsed[1][6].startswith("{")
