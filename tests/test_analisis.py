"""The analysis per indicator and triwulan: who writes which field, the lock, versi, the audit trail,
and the rule that an indicator at Sedang or below needs its analysis before the month is submitted.

Runs on SQLite and PostgreSQL (the `seeded` fixture).
"""

from decimal import Decimal

import pytest
from sqlmodel import select

from kinerja.errors import ValidationError
from kinerja.simpan.analisis import EntriAnalisis, SudahBerubah, analisis_kurang, load_analisis, save_analisis
from kinerja.simpan.db import new_session
from kinerja.simpan.jejak import baca_nilai, list_riwayat
from kinerja.simpan.models import Instansi, Jejak, Pengguna, Unit
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.verifikasi import DIAJUKAN, status_of, ubah_status
from tests.conftest import buat_orang

TAHUN = 2025
D = Decimal


@pytest.fixture
def orang(seeded, instansi_id) -> dict[str, Pengguna]:
    """Admin, the Camat (pimpinan), and the operators of PEMUM and PERENCANAAN."""
    return buat_orang(seeded, instansi_id, {
        "admin": ("admin", "admin", None), "camat": ("camat", "pimpinan", "CAMAT"),
        "sekcam": ("sekcam", "pimpinan", "SEKCAM"), "kasi.pmd": ("kasi.pmd", "pimpinan", "PMD"),
        "pemum": ("op.pemum", "operator", "PEMUM"), "perencanaan": ("op.perencanaan", "operator", "PERENCANAAN"),
    })


def unit_id(engine, kode: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Unit.id).where(Unit.kode == kode)).one()


def tulis(engine, who, *entries, triwulan: int = 1) -> int:
    return save_analisis(engine, instansi_id=who.instansi_id if who else instansi(engine), tahun=TAHUN,
                         triwulan=triwulan, entries=list(entries), pengguna=who)


def instansi(engine) -> int:
    with new_session(engine) as session:
        return session.exec(select(Instansi.id)).first()


def stored(engine, kode: str, triwulan: int = 1):
    with new_session(engine) as session:
        return load_analisis(session, instansi(engine), TAHUN, triwulan).get(kode)


# IK-4.1.1 belongs to PEMUM, IK-6.1.1 to PERENCANAAN.
@pytest.mark.parametrize(("siapa", "kode", "field", "boleh"), [
    ("pemum", "IK-4.1.1", "faktor_penghambat", True),  # operator, own unit, unit field
    ("pemum", "IK-6.1.1", "faktor_penghambat", False),  # operator, other unit
    ("pemum", "IK-4.1.1", "rekomendasi_pimpinan", False),  # operator cannot recommend
    ("camat", "IK-4.1.1", "faktor_penghambat", False),  # pimpinan cannot overwrite the unit's fields
    ("camat", "IK-4.1.1", "rekomendasi_pimpinan", True),
    ("camat", "IK-6.1.1", "rekomendasi_pimpinan", True),
    ("sekcam", "IK-4.1.1", "rekomendasi_pimpinan", True),  # the Sekretaris Camat verifies PEMUM by default
    ("kasi.pmd", "IK-4.1.1", "rekomendasi_pimpinan", False),  # a pimpinan who neither verifies nor approves PEMUM
    ("admin", "IK-4.1.1", "faktor_penghambat", True),
    ("admin", "IK-4.1.1", "rekomendasi_pimpinan", True),
])
def test_who_may_write_which_field(seeded, orang, siapa, kode, field, boleh):
    entri = EntriAnalisis(kode, **{field: "hujan deras di bulan Maret"})
    if boleh:
        assert tulis(seeded, orang[siapa], entri) == 1
        assert getattr(stored(seeded, kode), field) == "hujan deras di bulan Maret"
    else:
        with pytest.raises(ValidationError):
            tulis(seeded, orang[siapa], entri)
        assert stored(seeded, kode) is None


def test_a_field_sent_back_unchanged_needs_no_permission(seeded, orang):
    tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", faktor_penghambat="SDM kurang"))
    # The Camat's screen sends the unit's fields as shown plus the recommendation: only the latter is a write.
    tulis(seeded, orang["camat"], EntriAnalisis("IK-4.1.1", faktor_penghambat="SDM kurang",
                                                rekomendasi_pimpinan="Tambah tenaga"))
    a = stored(seeded, "IK-4.1.1")
    assert (a.faktor_penghambat, a.rekomendasi_pimpinan, a.diisi_oleh, a.versi) == (
        "SDM kurang", "Tambah tenaga", "camat", 2)


def test_text_limits_unknown_indicator_and_other_year(seeded, orang):
    with pytest.raises(ValidationError, match="paling panjang 2000"):
        tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", upaya="x" * 2001))
    with pytest.raises(ValidationError, match="karakter kendali"):
        tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", upaya="a\x00b"))
    with pytest.raises(ValidationError, match="tidak dikenal di tahun 2025"):
        tulis(seeded, orang["admin"], EntriAnalisis("IK-TIDAK-ADA", upaya="a"))
    with pytest.raises(ValidationError, match="tidak dikenal di tahun 2024"):
        save_analisis(seeded, instansi_id=orang["admin"].instansi_id, tahun=2024, triwulan=1,
                      entries=[EntriAnalisis("IK-4.1.1", upaya="a")], pengguna=orang["admin"])
    with pytest.raises(ValidationError, match="triwulan harus 1 sampai 4"):
        tulis(seeded, orang["admin"], EntriAnalisis("IK-4.1.1", upaya="a"), triwulan=5)
    assert stored(seeded, "IK-4.1.1") is None


def test_a_stale_versi_is_refused_naming_who_changed_it(seeded, orang):
    tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", upaya="rapat koordinasi", versi=0))
    assert stored(seeded, "IK-4.1.1").versi == 1
    tulis(seeded, orang["admin"], EntriAnalisis("IK-4.1.1", upaya="rapat koordinasi desa", versi=1))
    with pytest.raises(SudahBerubah, match="sudah diubah oleh admin"):
        tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", upaya="lain", versi=1))
    assert stored(seeded, "IK-4.1.1").upaya == "rapat koordinasi desa"
    with pytest.raises(SudahBerubah, match="pengguna lain"):  # someone created it after the page showed none
        tulis(seeded, orang["camat"], EntriAnalisis("IK-6.1.1", rekomendasi_pimpinan="a", versi=0),
              EntriAnalisis("IK-6.1.2", rekomendasi_pimpinan="b", versi=3))
    assert stored(seeded, "IK-6.1.1") is None  # nothing of the refused batch was written


def test_every_change_is_in_the_audit_trail_with_before_and_after(seeded, orang):
    tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", faktor_pendorong="dukungan desa"), triwulan=2)
    tulis(seeded, orang["camat"], EntriAnalisis("IK-4.1.1", rekomendasi_pimpinan="pertahankan"), triwulan=2)
    tulis(seeded, orang["camat"], EntriAnalisis("IK-4.1.1", rekomendasi_pimpinan="pertahankan"), triwulan=2)  # no-op
    with new_session(seeded) as session:
        rows = session.exec(select(Jejak).where(Jejak.tabel == "analisis").order_by(Jejak.id)).all()
        riwayat = list_riwayat(session, session.get(Instansi, orang["admin"].instansi_id), tabel="analisis")
    assert [(r.pengguna, r.kunci, r.aksi) for r in rows] == [
        ("op.pemum", "2025/IK-4.1.1/TW2", "tambah"), ("camat", "2025/IK-4.1.1/TW2", "ubah")]
    assert baca_nilai(rows[1].sebelum)["rekomendasi_pimpinan"] == ""
    assert baca_nilai(rows[1].sesudah)["rekomendasi_pimpinan"] == "pertahankan"
    assert riwayat[0].data == "Analisis triwulan"
    assert riwayat[0].item.startswith("IK-4.1.1") and riwayat[0].item.endswith("triwulan II 2025")


def test_the_unit_fields_lock_with_the_triwulans_last_month_but_the_recommendation_does_not(seeded, orang):
    ubah_status(seeded, unit_id=unit_id(seeded, "PEMUM"), tahun=TAHUN, bulan=3, aksi="ajukan",
                pengguna=orang["pemum"])
    for who in ("pemum", "admin"):
        with pytest.raises(ValidationError, match="terkunci"):
            tulis(seeded, orang[who], EntriAnalisis("IK-4.1.1", faktor_pendorong="terlambat"))
    tulis(seeded, orang["camat"], EntriAnalisis("IK-4.1.1", rekomendasi_pimpinan="evaluasi jadwal"))
    tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", faktor_pendorong="boleh"), triwulan=2)  # June is open
    tulis(seeded, orang["perencanaan"], EntriAnalisis("IK-6.1.1", faktor_pendorong="boleh"))  # other unit is open
    assert stored(seeded, "IK-4.1.1").rekomendasi_pimpinan == "evaluasi jadwal"


def test_sedang_or_below_at_a_triwulan_end_needs_penghambat_and_tindak_lanjut_before_submission(seeded, orang):
    pemum = unit_id(seeded, "PEMUM")
    # IK-4.1.1: 12 Dokumen a year, default Rencana Aksi 3 s.d. TW I; 2 entered -> 2 / 3 × 100 = 66,67 % (Sedang).
    save_realisasi(seeded, instansi_id=orang["admin"].instansi_id, tahun=TAHUN, pengguna=orang["pemum"],
                   entries=[EntriRealisasi("IK-4.1.1", 2, nilai=D(2))])
    with new_session(seeded) as session:
        assert analisis_kurang(session, pemum, TAHUN, 2) == []  # not a triwulan's end
        kurang = analisis_kurang(session, pemum, TAHUN, 3)
    assert len(kurang) == 1 and kurang[0].startswith("IK-4.1.1 ")
    assert "66,67 % (Sedang)" in kurang[0] and "faktor penghambat dan rencana tindak lanjut" in kurang[0]
    with pytest.raises(ValidationError, match="IK-4.1.1") as refused:
        ubah_status(seeded, unit_id=pemum, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=orang["pemum"])
    assert refused.value.problems == kurang
    tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", faktor_penghambat="berkas desa terlambat"))
    with pytest.raises(ValidationError, match="isi rencana tindak lanjut di halaman"):  # one of two is not enough
        ubah_status(seeded, unit_id=pemum, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=orang["pemum"])
    tulis(seeded, orang["pemum"], EntriAnalisis("IK-4.1.1", rencana_tindak_lanjut="jemput bola ke desa"))
    ubah_status(seeded, unit_id=pemum, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=orang["pemum"])
    with new_session(seeded) as session:
        assert status_of(session, pemum, TAHUN, 3).status == DIAJUKAN


@pytest.mark.parametrize(("entri", "perlu"), [
    (EntriRealisasi("IK-4.1.1", 3, nilai=D(3)), False),  # 3 / 3 (TW I of 12) × 100 = 100 %: Sangat Tinggi
    (EntriRealisasi("IK-4.1.1", 3, nilai=D(1)), True),  # 1 / 3 × 100 = 33,33 %: Sangat Rendah
    (EntriRealisasi("IK-4.1", 3, pembilang=D(76), penyebut=D(100)), False),  # 76 / 100 × 100 = 76 %: Tinggi
    (EntriRealisasi("IK-4.1", 3, pembilang=D(7599), penyebut=D(10000)), True),  # 75,99 %: Sedang
    (EntriRealisasi("IK-4.1", 3, pembilang=D(66), penyebut=D(100)), True),  # 66 %: Sedang, the band's floor
])
def test_the_rule_follows_the_kategori_band(seeded, orang, entri, perlu):
    save_realisasi(seeded, instansi_id=orang["admin"].instansi_id, tahun=TAHUN, pengguna=orang["pemum"],
                   entries=[entri])
    with new_session(seeded) as session:
        kurang = analisis_kurang(session, unit_id(seeded, "PEMUM"), TAHUN, 3)
    assert [k.split(" ")[0] for k in kurang] == ([entri.kode] if perlu else [])
