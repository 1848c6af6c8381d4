"""Tiered verification (draf -> diajukan -> diverifikasi -> disahkan, or dikembalikan) and input windows.

Every step x role, allowed and refused; returning needs a note; reopening needs a reason and is in the
trail; a locked or closed month refuses every write path. Runs on SQLite and PostgreSQL.
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from kinerja.baca.entri import grid_realisasi
from kinerja.dokumen.impor import parse_realisasi_csv
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import baca_nilai
from kinerja.simpan.models import (
    Anggaran,
    BarisPK,
    BatasIsian,
    Indikator,
    Instansi,
    Jejak,
    Pagu,
    Pengguna,
    Perjanjian,
    Target,
    Unit,
)
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import create_perubahan, publish_versi
from kinerja.simpan.tanggapan import list_tanggapan, tambah_tanggapan
from kinerja.simpan.verifikasi import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DISAHKAN,
    DIVERIFIKASI,
    DRAF,
    anggaran_diganti,
    batas_waktu,
    buka_isian,
    indikator_diganti,
    kotak_masuk,
    status_of,
    ubah_status,
    unit_pengesah,
    unit_verifikator,
)
from tests.conftest import buat_orang

TAHUN = 2025
D = Decimal


@pytest.fixture
def orang(seeded, instansi_id) -> dict[str, Pengguna]:
    """The office's people: admin, Camat and Sekcam (pimpinan of their units), two operators."""
    return buat_orang(seeded, instansi_id, {
        "admin": ("admin", "admin", None), "camat": ("camat", "pimpinan", "CAMAT"),
        "sekcam": ("sekcam", "pimpinan", "SEKCAM"), "kasi": ("kasi.pemum", "pimpinan", "PEMUM"),
        "perencanaan": ("op.perencanaan", "operator", "PERENCANAAN"), "pemum": ("op.pemum", "operator", "PEMUM"),
    })


def unit_id(engine, kode: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Unit.id).where(Unit.kode == kode)).one()


def step(engine, kode: str, aksi: str, who: Pengguna | None, bulan: int = 3, catatan: str = ""):
    return ubah_status(engine, unit_id=unit_id(engine, kode), tahun=TAHUN, bulan=bulan, aksi=aksi, catatan=catatan,
                       pengguna=who)


def status(engine, kode: str, bulan: int = 3) -> str:
    with new_session(engine) as session:
        row = status_of(session, unit_id(engine, kode), TAHUN, bulan)
    return row.status if row else DRAF


def test_default_verifier_is_the_sekretariat_and_approver_the_pimpinan_unit(seeded, instansi_id):
    with new_session(seeded) as session:
        units = {u.kode: u for u in session.exec(select(Unit).where(Unit.instansi_id == instansi_id))}
    everyone = list(units.values())
    assert unit_verifikator(units["PERENCANAAN"], everyone).kode == "SEKCAM"
    assert unit_verifikator(units["PEMUM"], everyone).kode == "SEKCAM"
    assert unit_verifikator(units["SEKCAM"], everyone).kode == "CAMAT"  # the sekretariat is checked by the head
    assert unit_pengesah(units["PERENCANAAN"], everyone).kode == "CAMAT"
    units["PEMUM"].verifikator_unit_id = units["CAMAT"].id  # the admin's choice wins
    assert unit_verifikator(units["PEMUM"], everyone).kode == "CAMAT"


def test_a_month_goes_from_draf_to_disahkan_and_each_step_is_in_the_trail(seeded, orang):
    step(seeded, "PERENCANAAN", "ajukan", orang["perencanaan"])
    assert status(seeded, "PERENCANAAN") == DIAJUKAN
    step(seeded, "PERENCANAAN", "verifikasi", orang["sekcam"])
    assert status(seeded, "PERENCANAAN") == DIVERIFIKASI
    step(seeded, "PERENCANAAN", "sahkan", orang["camat"])
    assert status(seeded, "PERENCANAAN") == DISAHKAN
    with new_session(seeded) as session:
        trail = session.exec(select(Jejak).where(Jejak.tabel == "status_bulan").order_by(Jejak.id)).all()
    assert [(r.pengguna, baca_nilai(r.sebelum)["status"], baca_nilai(r.sesudah)["status"]) for r in trail] == [
        ("op.perencanaan", DRAF, DIAJUKAN), ("sekcam", DIAJUKAN, DIVERIFIKASI), ("camat", DIVERIFIKASI, DISAHKAN)]
    assert {r.kunci for r in trail} == {f"{TAHUN}/3/PERENCANAAN"}


@pytest.mark.parametrize(("aksi", "sebelum", "siapa", "boleh"), [
    ("ajukan", [], "perencanaan", True),
    ("ajukan", [], "admin", True),  # an admin may submit on the unit's behalf
    ("ajukan", [], "pemum", False),  # another unit's operator
    ("ajukan", [], "camat", False),  # pimpinan do not fill in
    ("verifikasi", ["ajukan"], "sekcam", True),
    ("verifikasi", ["ajukan"], "camat", False),  # not this unit's verifier
    ("verifikasi", ["ajukan"], "kasi", False),  # a pimpinan of another unit
    ("verifikasi", ["ajukan"], "admin", False),
    ("verifikasi", ["ajukan"], "perencanaan", False),  # nobody verifies their own figures
    ("verifikasi", [], "sekcam", False),  # nothing submitted yet
    ("sahkan", ["ajukan", "verifikasi"], "camat", True),
    ("sahkan", ["ajukan", "verifikasi"], "sekcam", False),
    ("sahkan", ["ajukan"], "camat", False),  # not verified yet
    ("kembalikan", ["ajukan"], "sekcam", True),
    ("kembalikan", ["ajukan"], "camat", False),  # at diajukan the verifier returns it
    ("kembalikan", ["ajukan", "verifikasi"], "camat", True),
    ("kembalikan", ["ajukan", "verifikasi"], "sekcam", False),
    ("buka", ["ajukan", "verifikasi", "sahkan"], "admin", True),
    ("buka", ["ajukan", "verifikasi", "sahkan"], "camat", False),
    ("buka", [], "admin", False),  # a draft is not locked
    ("ajukan", ["ajukan"], "perencanaan", False),  # already submitted
])
def test_who_may_take_which_step(seeded, orang, aksi, sebelum, siapa, boleh):
    by = {"ajukan": orang["perencanaan"], "verifikasi": orang["sekcam"], "sahkan": orang["camat"]}
    for done in sebelum:
        step(seeded, "PERENCANAAN", done, by[done])
    was = status(seeded, "PERENCANAAN")
    catatan = "alasan" if aksi in ("kembalikan", "buka") else ""
    if boleh:
        step(seeded, "PERENCANAAN", aksi, orang[siapa], catatan=catatan)
        assert status(seeded, "PERENCANAAN") != was
    else:
        with pytest.raises(ValidationError):
            step(seeded, "PERENCANAAN", aksi, orang[siapa], catatan=catatan)
        assert status(seeded, "PERENCANAAN") == was


def test_returning_needs_a_note_that_the_operator_can_read_then_resubmit(seeded, orang):
    step(seeded, "PERENCANAAN", "ajukan", orang["perencanaan"])
    with pytest.raises(ValidationError, match="catatan harus diisi"):
        step(seeded, "PERENCANAAN", "kembalikan", orang["sekcam"])
    step(seeded, "PERENCANAAN", "kembalikan", orang["sekcam"], catatan="IK-6.1.1: lampirkan Renja")
    with new_session(seeded) as session:
        row = status_of(session, unit_id(seeded, "PERENCANAAN"), TAHUN, 3)
    assert (row.status, row.catatan) == (DIKEMBALIKAN, "IK-6.1.1: lampirkan Renja")
    save_realisasi(seeded, instansi_id=orang["admin"].instansi_id, tahun=TAHUN, pengguna=orang["perencanaan"],
                   entries=[EntriRealisasi("IK-6.1.1", 3, nilai=D(1))])  # a returned month can be fixed
    step(seeded, "PERENCANAAN", "ajukan", orang["perencanaan"])
    assert status(seeded, "PERENCANAAN") == DIAJUKAN


def write_paths(engine, instansi_id: int, who: Pengguna | None):
    """Every way a realisation of PERENCANAAN's March can be written."""
    yield "langsung", lambda: save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, pengguna=who,
                                             entries=[EntriRealisasi("IK-6.1.1", 3, nilai=D(1))])
    yield "csv", lambda: save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, pengguna=who,
                                        entries=parse_realisasi_csv(
                                            b"kode,bulan,nilai,pembilang,penyebut\nIK-6.1.1,3,1,,\n", "r.csv"))
    yield "anggaran", lambda: save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=TAHUN, pengguna=who,
                                                      entries=[EntriAnggaran("6.1.1", 3, realisasi=1000)])


@pytest.mark.parametrize("tahap", [["ajukan"], ["ajukan", "verifikasi"], ["ajukan", "verifikasi", "sahkan"]])
def test_a_submitted_verified_or_approved_month_refuses_every_write_until_reopened(seeded, orang, tahap):
    by = {"ajukan": orang["perencanaan"], "verifikasi": orang["sekcam"], "sahkan": orang["camat"]}
    for done in tahap:
        step(seeded, "PERENCANAAN", done, by[done])
    instansi_id = orang["admin"].instansi_id
    for who in (orang["perencanaan"], orang["admin"], None):  # the operator, the admin, and the command line
        for path, write in write_paths(seeded, instansi_id, who):
            with pytest.raises(ValidationError, match="terkunci; minta admin membukanya kembali") as refused:
                write()
            assert "Sub Bagian Perencanaan dan Kepegawaian Maret 2025" in str(refused.value), path
    with pytest.raises(ValidationError, match="alasan"):
        step(seeded, "PERENCANAAN", "buka", orang["admin"])
    step(seeded, "PERENCANAAN", "buka", orang["admin"], catatan="salah ketik IK-6.1.1")
    for _, write in write_paths(seeded, instansi_id, orang["perencanaan"]):
        write()
    with new_session(seeded) as session:
        buka = session.exec(select(Jejak).where(Jejak.tabel == "status_bulan").order_by(Jejak.id.desc())).first()
    assert (buka.pengguna, buka.alasan, baca_nilai(buka.sesudah)) == ("admin", "salah ketik IK-6.1.1",
                                                                      {"status": DRAF})


def test_other_months_and_units_stay_open(seeded, orang):
    step(seeded, "PERENCANAAN", "ajukan", orang["perencanaan"], bulan=3)
    save_realisasi(seeded, instansi_id=orang["admin"].instansi_id, tahun=TAHUN, pengguna=orang["perencanaan"],
                   entries=[EntriRealisasi("IK-6.1.1", 4, nilai=D(1))])
    save_realisasi(seeded, instansi_id=orang["admin"].instansi_id, tahun=TAHUN, pengguna=orang["pemum"],
                   entries=[EntriRealisasi("IK-4.1.1", 3, nilai=D(1))])


def test_the_inbox_lists_what_waits_for_each_pimpinan_oldest_first(seeded, orang):
    step(seeded, "PERENCANAAN", "ajukan", orang["perencanaan"], bulan=2)
    step(seeded, "PEMUM", "ajukan", orang["pemum"], bulan=1)
    step(seeded, "PERENCANAAN", "ajukan", orang["perencanaan"], bulan=3)
    step(seeded, "PERENCANAAN", "verifikasi", orang["sekcam"], bulan=2)
    sekcam = [(m.unit.kode, m.bulan, m.aksi) for m in kotak_masuk(seeded, orang["sekcam"])]
    assert sekcam == [("PEMUM", 1, "verifikasi"), ("PERENCANAAN", 3, "verifikasi")]
    assert [(m.unit.kode, m.bulan, m.aksi) for m in kotak_masuk(seeded, orang["camat"])] == [
        ("PERENCANAAN", 2, "sahkan")]
    assert kotak_masuk(seeded, orang["perencanaan"]) == []


@pytest.mark.parametrize(("hari", "tahun", "bulan", "batas"), [
    (10, 2025, 3, date(2025, 4, 10)),
    (10, 2025, 12, date(2026, 1, 10)),  # December's figures are due in January of the next year
    (31, 2025, 1, date(2025, 2, 28)),  # a day past the end of a short month is its last day
    (None, 2025, 3, None),  # no deadline until the admin sets one
])
def test_deadline_of_a_month(hari, tahun, bulan, batas):
    assert batas_waktu(Instansi(kode="x", nama="x", kabupaten="x", hari_batas_isian=hari), tahun, bulan) == batas


def test_a_month_past_its_deadline_is_closed_until_reopened_for_that_unit(seeded, orang):
    instansi_id = orang["admin"].instansi_id
    with write_session(seeded) as session:
        office = session.get(Instansi, instansi_id)
        office.hari_batas_isian = 10  # every month of 2025 is past its deadline now (the tests run after 2026-01-10)
        session.add(office)
        session.add(BatasIsian(instansi_id=instansi_id, tahun=TAHUN, bulan=5, batas=date(2099, 1, 1)))
    for path, write in write_paths(seeded, instansi_id, orang["perencanaan"]):
        with pytest.raises(ValidationError, match=r"batas waktu isian .* \(10-04-2025\) sudah lewat") as refused:
            write()
        assert "minta admin membukanya kembali" in str(refused.value), path
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, pengguna=orang["perencanaan"],
                   entries=[EntriRealisasi("IK-6.1.1", 5, nilai=D(1))])  # May's deadline was moved by the admin
    with pytest.raises(ValidationError):
        buka_isian(seeded, unit_id=unit_id(seeded, "PERENCANAAN"), tahun=TAHUN, bulan=3, hari=7, alasan="x",
                   pengguna=orang["camat"])
    buka_isian(seeded, unit_id=unit_id(seeded, "PERENCANAAN"), tahun=TAHUN, bulan=3, hari=7,
               alasan="SPJ terlambat dari bendahara", pengguna=orang["admin"])
    for _, write in write_paths(seeded, instansi_id, orang["perencanaan"]):
        write()
    with pytest.raises(ValidationError, match="sudah lewat"):  # opened for PERENCANAAN only
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, pengguna=orang["pemum"],
                       entries=[EntriRealisasi("IK-4.1.1", 3, nilai=D(1))])


def test_a_response_per_indicator_month_is_answered_and_the_thread_is_kept(seeded, orang):
    instansi_id = orang["admin"].instansi_id

    def say(who: str, isi: str, kode: str = "IK-6.1.1") -> None:
        tambah_tanggapan(seeded, instansi_id=instansi_id, tahun=TAHUN, kode=kode, bulan=3, isi=isi,
                         pengguna=orang[who])

    say("sekcam", "Mohon lampirkan dokumen Renja.")
    say("perencanaan", "Sudah dilampirkan.")
    say("camat", "Baik.")  # the approver of the unit too
    with pytest.raises(ValidationError, match="hanya unit pengisi"):
        say("pemum", "bukan urusan saya")  # another unit's operator
    with pytest.raises(ValidationError, match="hanya unit pengisi"):
        say("kasi", "bukan atasan unit ini")
    with pytest.raises(ValidationError, match="tanggapan kosong"):
        say("sekcam", "   ")
    with new_session(seeded) as session:
        threads = list_tanggapan(session, instansi_id, TAHUN, 3)
    assert [(p.oleh, p.isi) for p in threads["IK-6.1.1"]] == [
        ("sekcam", "Mohon lampirkan dokumen Renja."), ("op.perencanaan", "Sudah dilampirkan."), ("camat", "Baik.")]
    assert set(threads) == {"IK-6.1.1"}


# --- a PK revision that drops a row closes its later months, and says so ---------------------------------------


@pytest.fixture
def perubahan_tanpa_6_1_4(seeded, instansi_id):
    """PK Perubahan 2, in force from October, leaves out indicator IK-6.1.4 and sub kegiatan 6.1.4.

    The app has no screen that drops a row yet; a revision loaded that way (or edited by the admin in the
    database) is what this lock is for. October's IK-6.1.4 value was entered before the revision.
    """
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[EntriRealisasi("IK-6.1.4", 10, nilai=D(3))])
    versi = create_perubahan(seeded, instansi_id=instansi_id, tahun=TAHUN, nama="PK Perubahan 2",
                             tanggal=date(2025, 10, 1), berlaku_bulan=10)
    with write_session(seeded) as session:
        ind = session.exec(select(Indikator).where(Indikator.kode == "IK-6.1.4")).one()
        node = session.exec(select(Anggaran).where(Anggaran.kode == "6.1.4")).one()
        for row in session.exec(select(BarisPK).join(Perjanjian, Perjanjian.id == BarisPK.perjanjian_id).where(
                Perjanjian.versi_id == versi.id, BarisPK.indikator_id == ind.id)).all():
            session.delete(row)
        session.delete(session.exec(select(Target).where(Target.versi_id == versi.id,
                                                         Target.indikator_id == ind.id)).one())
        session.delete(session.exec(select(Pagu).where(Pagu.versi_id == versi.id, Pagu.anggaran_id == node.id)).one())
    publish_versi(seeded, versi_id=versi.id)
    return seeded


ALASAN_DIGANTI = "diganti oleh PK Perubahan 2 yang berlaku sejak Oktober: tidak ada lagi di perjanjian kinerja"


@pytest.mark.parametrize(("bulan", "diganti"), [(9, False), (10, True), (12, True)])
def test_a_row_dropped_by_a_revision_is_closed_from_its_month_on(perubahan_tanpa_6_1_4, instansi_id, bulan, diganti):
    engine = perubahan_tanpa_6_1_4
    with new_session(engine) as session:
        ind_id = session.exec(select(Indikator.id).where(Indikator.kode == "IK-6.1.4")).one()
        node_id = session.exec(select(Anggaran.id).where(Anggaran.kode == "6.1.4")).one()
        assert indikator_diganti(session, instansi_id, TAHUN, bulan) == ({ind_id: ALASAN_DIGANTI} if diganti else {})
        assert anggaran_diganti(session, instansi_id, TAHUN, bulan) == ({node_id: ALASAN_DIGANTI} if diganti else {})
    writes = {
        "langsung": lambda: save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN,
                                           entries=[EntriRealisasi("IK-6.1.4", bulan, nilai=D(1))]),
        "csv": lambda: save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, entries=parse_realisasi_csv(
            f"kode,bulan,nilai,pembilang,penyebut\nIK-6.1.4,{bulan},1,,\n".encode(), "r.csv")),
        "anggaran": lambda: save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=TAHUN,
                                                    entries=[EntriAnggaran("6.1.4", bulan, realisasi=1000)]),
    }
    for path, write in writes.items():
        if diganti:
            with pytest.raises(ValidationError, match=ALASAN_DIGANTI) as refused:
                write()
            assert "tidak dapat diisi" in str(refused.value), path
        else:
            write()
    # the other rows of the unit stay open in the same month
    save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN,
                   entries=[EntriRealisasi("IK-6.1.1", bulan, nilai=D(1))])


def test_the_grid_shows_a_dropped_indicator_read_only_with_the_reason(perubahan_tanpa_6_1_4, instansi_id):
    with new_session(perubahan_tanpa_6_1_4) as session:
        office = session.get(Instansi, instansi_id)
        unit = session.exec(select(Unit).where(Unit.kode == "PERENCANAAN")).one()
        oktober = grid_realisasi(session, office, TAHUN, unit.id, 10).set_index("kode")
        september = grid_realisasi(session, office, TAHUN, unit.id, 9).set_index("kode")
    assert oktober.loc["IK-6.1.4", "otomatis"] == f"tidak diisi: {ALASAN_DIGANTI}"
    assert oktober.loc["IK-6.1.4", "nilai"] == "3"  # entered before the revision, still shown
    assert oktober.loc["IK-6.1.1", "otomatis"] == ""  # the rows still in the agreement are open
    assert september.loc["IK-6.1.4", "otomatis"] == ""  # September is under the earlier version
