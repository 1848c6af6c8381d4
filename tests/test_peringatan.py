"""The early warning on a stored year (kinerja.baca.peringatan) and the anggaran kas it can use.

Runs on SQLite and PostgreSQL (the `seeded` fixture). Every figure is worked out in the comment beside it.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.baca.peringatan import load_peringatan, tabel_berisiko
from kinerja.cli import app
from kinerja.dokumen.impor_kas import parse_anggaran_kas_csv
from kinerja.errors import ValidationError
from kinerja.simpan.anggaran_kas import EntriKas, load_anggaran_kas, save_anggaran_kas
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.models import Instansi, Jejak, Pengguna, Unit
from kinerja.simpan.queries import load_data_tahun
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran

TAHUN = 2025
D = Decimal
PAGU_611 = 15_409_900  # 6.1.1 Penyusunan Dokumen Perencanaan Perangkat Daerah (PERENCANAAN)


@pytest.fixture
def operator(seeded, instansi_id) -> Pengguna:
    with write_session(seeded) as session:
        unit = session.exec(select(Unit).where(Unit.kode == "PERENCANAAN")).one()
        p = Pengguna(username="op", nama="op", peran="operator", unit_id=unit.id, instansi_id=instansi_id,
                     password_hash="-")
        session.add(p)
        session.flush()
        return Pengguna(**p.model_dump())


def peringatan(engine):
    with new_session(engine) as session:
        return load_peringatan(session, load_data_tahun(session, session.exec(select(Instansi)).first(), TAHUN))


def isi_triwulan_satu(engine, instansi_id: int) -> None:
    # IK-6.1.4 (10 Laporan): 0, 0, 1. IK-6.1.1 (3 Dokumen): 1 in March. 6.1.1: Rp 1.000.000 a month.
    save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, entries=[
        EntriRealisasi("IK-6.1.4", 1, nilai=D(0)), EntriRealisasi("IK-6.1.4", 2, nilai=D(0)),
        EntriRealisasi("IK-6.1.4", 3, nilai=D(1)), EntriRealisasi("IK-6.1.1", 3, nilai=D(1))])
    save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=TAHUN,
                            entries=[EntriAnggaran("6.1.1", b, realisasi=1_000_000) for b in (1, 2, 3)])


def test_nothing_entered_projects_nothing(seeded):
    p = peringatan(seeded)
    assert (p.sd_bulan, p.berisiko) == (None, [])
    assert {b.kode for b in p.belum_ada_data} >= {"IK-6.1.4", "6.1.1"}


def test_the_at_risk_list_of_a_first_triwulan(seeded, instansi_id):
    isi_triwulan_satu(seeded, instansi_id)
    p = peringatan(seeded)
    assert p.sd_bulan == 3
    found = {r.kode: r for r in p.berisiko}
    # IK-6.1.4: 1 × 12 / 3 = 4 Laporan against 10: 6 short (60 %); Jan and Feb project 0, so at risk since January.
    r = found["IK-6.1.4"]
    assert (r.proyeksi.nilai, r.proyeksi.target, r.proyeksi.kurang, r.proyeksi.kurang_persen, r.sejak, r.unit) == (
        D(4), D(10), D(6), D(60), 1, "Sub Bagian Perencanaan dan Kepegawaian")
    # IK-6.1.1: 1 × 12 / 3 = 4 Dokumen against 3: not at risk.
    assert "IK-6.1.1" not in found
    # 6.1.1: planned s.d. March = 25 % of Rp 15.409.900 = Rp 3.852.475; 3.000.000 / 3.852.475 × 15.409.900
    # = Rp 12.000.000: Rp 3.409.900 short = 22,13 % of the pagu; every month since January projects the same.
    b = found["6.1.1"]
    assert (b.jenis, b.proyeksi.nilai, b.proyeksi.kurang, b.sejak) == ("Anggaran", D(12_000_000), D(3_409_900), 1)
    row = tabel_berisiko(p).set_index("Kode").loc["6.1.1"]
    assert (row["Proyeksi akhir tahun"], row["Target tahunan"], row["Meleset dari target"], row["Meleset (% target)"],
            row["Berisiko sejak"]) == ("Rp 12.000.000", "Rp 15.409.900", "Rp 3.409.900", "22,13 %", "Januari")
    assert "IK-6.2.1" in {x.kode for x in p.belum_ada_data}  # an indicator with no data is listed, not projected


def test_an_anggaran_kas_that_plans_the_slow_start_takes_the_line_off_the_list(seeded, instansi_id, tmp_path: Path,
                                                                                monkeypatch):
    isi_triwulan_satu(seeded, instansi_id)
    # 1.000.000 in each of January..November (11 juta) and 4.409.900 in December: 15.409.900 = the pagu.
    rows = [f"6.1.1,{b},1.000.000" for b in range(1, 12)] + ["6.1.1,12,4.409.900"]
    csv = tmp_path / "kas.csv"
    csv.write_text("kode,bulan,rencana\n" + "\n".join(rows) + "\n")
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["import", "anggaran-kas", str(csv), "--tahun", "2025"])
    assert result.exit_code == 0, result.output
    assert "12 bulan anggaran kas disimpan" in result.output
    with new_session(seeded) as session:
        assert load_anggaran_kas(session, instansi_id, TAHUN)["6.1.1"][12] == 4_409_900
        assert len(session.exec(select(Jejak).where(Jejak.tabel == "anggaran_kas")).all()) == 12
    # planned s.d. March = 3.000.000 = spent: 3 / 3 × 15.409.900 = the pagu, not at risk any more
    assert "6.1.1" not in {r.kode for r in peringatan(seeded).berisiko}


def test_anggaran_kas_may_not_exceed_the_pagu_and_only_the_admin_enters_it(seeded, instansi_id, operator):
    # 6.1.2 pagu Rp 6.155.700; 12 × 600.000 = 7.200.000
    entries = [EntriKas("6.1.2", b, 600_000) for b in range(1, 13)]
    with pytest.raises(ValidationError, match="Rp 7.200.000 melebihi pagu Rp 6.155.700"):
        save_anggaran_kas(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=entries)
    save_anggaran_kas(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=entries[:10])  # 6.000.000 fits
    with pytest.raises(ValidationError, match="melebihi pagu"):  # with what is stored, one more month is too much
        save_anggaran_kas(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriKas("6.1.2", 11, 600_000)])
    with pytest.raises(ValidationError, match="per sub kegiatan, bukan per kegiatan"):
        save_anggaran_kas(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriKas("6.1", 1, 1)])
    with pytest.raises(ValidationError, match="hanya admin"):
        save_anggaran_kas(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriKas("6.1.1", 1, 1)],
                          pengguna=operator)
    with new_session(seeded) as session:
        assert sum(load_anggaran_kas(session, instansi_id, TAHUN)["6.1.2"].values()) == 6_000_000


def test_the_csv_reads_rupiah_through_the_one_parser():
    entries = parse_anggaran_kas_csv(b"kode,bulan,rencana\n6.1.1,1,1.250.000\n6.1.1,2,300000\n", "kas.csv")
    assert [(e.kode, e.bulan, e.rencana) for e in entries] == [("6.1.1", 1, 1_250_000), ("6.1.1", 2, 300_000)]
    with pytest.raises(ValidationError, match="kas.csv baris 2: rencana"):
        parse_anggaran_kas_csv(b"kode,bulan,rencana\n6.1.1,1,\"12,5\"\n", "kas.csv")  # no sen
    with pytest.raises(ValidationError, match="kolom wajib tidak ada: rencana"):
        parse_anggaran_kas_csv(b"kode,bulan\n6.1.1,1\n", "kas.csv")
