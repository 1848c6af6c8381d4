"""How far each unit got: the verification status of the last three months, and the completeness grid with
its late ("terlambat") and missing ("belum diisi") months and the evidence files counted. SQLite and PostgreSQL.

The office's deadline is the 10th of the next month; "now" is 20 May 2025, so January to April are past their
deadlines (10 Feb, 10 Mar, 10 Apr, 10 May) and May is not (10 Jun).
"""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.baca.kemajuan import (
    BELUM_DIISI,
    TERLAMBAT,
    bulan_terakhir,
    grid_kelengkapan,
    kelengkapan_tanda,
    kemajuan_unit,
)
from kinerja.simpan.bukti import simpan_bukti
from kinerja.simpan.db import new_session
from kinerja.simpan.jadwal import simpan_hari_batas
from kinerja.simpan.models import Unit
from kinerja.simpan.queries import get_instansi, load_data_tahun
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.verifikasi import ubah_status

TAHUN = 2025
D = Decimal
SEKARANG = datetime(2025, 5, 20, 4, 0, tzinfo=UTC)  # 20 May 2025, 12:00 WITA
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _unit(engine: Engine, kode: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Unit.id).where(Unit.kode == kode)).one()


def _langkah(engine: Engine, kode: str, bulan: int, *aksi: str) -> None:
    for a in aksi:
        ubah_status(engine, unit_id=_unit(engine, kode), tahun=TAHUN, bulan=bulan, aksi=a,
                    catatan="perbaiki" if a == "kembalikan" else "", pengguna=None)


@pytest.fixture
def kantor(seeded: Engine, instansi_id: int, tmp_path: Path) -> Engine:
    """PERENCANAAN (8 indicators + 6 sub kegiatan = 14 entries a month) and PEMUM (3 + 2 = 5) at work."""
    perencanaan, pemum = _unit(seeded, "PERENCANAAN"), _unit(seeded, "PEMUM")
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[
        EntriRealisasi(kode="IK-6.1.4", bulan=b, nilai=D(v)) for b, v in {1: 1, 2: 2, 4: 1, 5: 1}.items()
    ] + [EntriRealisasi(kode="IK-4.1.1", bulan=1, nilai=D(2))])
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN,
                            entries=[EntriAnggaran(kode="6.1.4", bulan=1, realisasi=1_000_000)])
    # February's evidence: a file replaced by a newer one (the old one is history, not counted), and a second file.
    folder = tmp_path / "bukti"
    lama = simpan_bukti(seeded, folder=folder, instansi_id=instansi_id, tahun=TAHUN, unit_id=perencanaan, bulan=2,
                        data=PDF, nama_asli="laporan.pdf")
    simpan_bukti(seeded, folder=folder, instansi_id=instansi_id, tahun=TAHUN, unit_id=perencanaan, bulan=2,
                 data=PDF + b" ", nama_asli="laporan-baru.pdf", ganti_id=lama.id)
    simpan_bukti(seeded, folder=folder, instansi_id=instansi_id, tahun=TAHUN, unit_id=perencanaan, bulan=2,
                 data=PDF + b"  ", nama_asli="daftar-hadir.pdf", kode="IK-6.1.4")
    simpan_bukti(seeded, folder=folder, instansi_id=instansi_id, tahun=TAHUN, unit_id=pemum, bulan=1,
                 data=PDF, nama_asli="notulen.pdf")
    _langkah(seeded, "PERENCANAAN", 1, "ajukan", "verifikasi", "sahkan")
    _langkah(seeded, "PERENCANAAN", 4, "ajukan")
    _langkah(seeded, "PERENCANAAN", 5, "ajukan", "verifikasi")
    _langkah(seeded, "PEMUM", 1, "ajukan", "kembalikan")
    simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10)
    return seeded


@pytest.mark.parametrize(("sampai", "bulan"), [
    (3, [1, 2, 3]), (6, [4, 5, 6]), (2, [1, 2]), (1, [1]), (12, [10, 11, 12]),
])
def test_the_last_three_months_stay_in_the_year(sampai, bulan):
    assert bulan_terakhir(sampai) == bulan


@pytest.mark.parametrize(("sampai", "perencanaan", "pemum"), [
    (3, {"Jan": "Disahkan", "Feb": "Draf", "Mar": "Draf"}, {"Jan": "Dikembalikan", "Feb": "Draf", "Mar": "Draf"}),
    (6, {"Apr": "Diajukan", "Mei": "Diverifikasi", "Jun": "Draf"}, {"Apr": "Draf", "Mei": "Draf", "Jun": "Draf"}),
])
def test_progress_per_unit_uses_the_verification_words(kantor, sampai, perencanaan, pemum):
    with new_session(kantor) as session:
        df = kemajuan_unit(session, load_data_tahun(session, get_instansi(session), TAHUN), sampai)
    rows = {r["unit"]: r for r in df.to_dict("records")}
    assert list(df.columns) == ["unit", "unit_nama", *perencanaan]
    assert {k: rows["PERENCANAAN"][k] for k in perencanaan} == perencanaan
    assert {k: rows["PEMUM"][k] for k in pemum} == pemum
    assert df["unit"].is_unique  # a unit is listed once


@pytest.mark.parametrize(("unit", "bulan", "persen", "bukti", "tanda", "teks"), [
    # January: IK-6.1.4 and sub kegiatan 6.1.4 entered, 2 of 14 = 14,3 -> 14 %; approved, so never late.
    ("PERENCANAAN", 1, 14, 0, "", "14 %"),
    # February: IK-6.1.4 only, 1 of 14 = 7,1 -> 7 %; past 10 March and a draft: late. Two current files
    # (laporan-baru.pdf, which replaced laporan.pdf, and daftar-hadir.pdf).
    ("PERENCANAAN", 2, 7, 2, TERLAMBAT, f"7 % · 2 bukti · {TERLAMBAT}"),
    # March: nothing entered, past 10 April: missing.
    ("PERENCANAAN", 3, 0, 0, BELUM_DIISI, f"0 % · {BELUM_DIISI}"),
    # April: 1 of 14, submitted on time enough: past 10 May but diajukan, so no mark.
    ("PERENCANAAN", 4, 7, 0, "", "7 %"),
    # May: 1 of 14, a draft, but its deadline (10 June) has not come.
    ("PERENCANAAN", 5, 7, 0, "", "7 %"),
    # PEMUM January: IK-4.1.1, 1 of 5 = 20 %; returned (dikembalikan) and not submitted again: late; one file.
    ("PEMUM", 1, 20, 1, TERLAMBAT, f"20 % · 1 bukti · {TERLAMBAT}"),
    ("PEMUM", 4, 0, 0, BELUM_DIISI, f"0 % · {BELUM_DIISI}"),
    ("PEMUM", 5, 0, 0, "", "0 %"),
])
def test_completeness_marks_late_and_missing_months_and_counts_evidence(kantor, unit, bulan, persen, bukti, tanda,
                                                                        teks):
    with new_session(kantor) as session:
        df = kelengkapan_tanda(session, load_data_tahun(session, get_instansi(session), TAHUN), 5, SEKARANG)
    row = df[(df["unit"] == unit) & (df["bulan"] == bulan)].iloc[0]
    assert (row["persen"], row["bukti"], row["tanda"], row["teks"]) == (persen, bukti, tanda, teks)


def test_without_a_deadline_nothing_is_late(seeded, instansi_id):
    with new_session(seeded) as session:
        df = kelengkapan_tanda(session, load_data_tahun(session, get_instansi(session), TAHUN), 12, SEKARANG)
    assert set(df["tanda"]) == {""} and set(df["persen"]) == {0}


def test_the_grid_is_units_by_months_with_the_cell_texts(kantor):
    with new_session(kantor) as session:
        df = kelengkapan_tanda(session, load_data_tahun(session, get_instansi(session), TAHUN), 3, SEKARANG)
    teks, persen = grid_kelengkapan(df)
    assert list(teks.columns) == ["Jan", "Feb", "Mar"] and list(persen.columns) == ["Jan", "Feb", "Mar"]
    assert teks.loc["Sub Bagian Perencanaan dan Kepegawaian", "Feb"] == f"7 % · 2 bukti · {TERLAMBAT}"
    assert persen.loc["Sub Bagian Perencanaan dan Kepegawaian", "Jan"] == 14
    assert list(teks.index) == list(dict.fromkeys(df["unit_nama"]))  # the units in their order
