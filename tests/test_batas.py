"""Plausibility: the soft limits of one month's value, the capaian ceiling, and the hard limits of a save."""

from decimal import Decimal

import pytest

from kinerja.aturan.batas import BatasWajar, batas_wajar, label_dicek, melebihi, perlu_dicek
from kinerja.errors import PerluKonfirmasi, ValidationError
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi

D = Decimal


@pytest.mark.parametrize(("satuan", "agregasi", "jenis", "target", "ditetapkan", "maks"), [
    ("Dokumen", "jumlah", "tunggal", D(3), None, D(3)),  # one month alone beyond the whole year's target
    ("Orang/bulan", "rata_rata", "tunggal", D(25), None, D(50)),  # an average: twice the target
    ("Nilai", "terakhir", "tunggal", D("87.5"), None, D(175)),  # a latest value: twice the target
    ("%", "terakhir", "tunggal", D(80), None, D(100)),  # a percentage typed as one value: 100
    ("Dokumen", "jumlah", "tunggal", D(3), D(7), D(7)),  # the admin's own limit wins
    ("%", "jumlah", "tunggal", D(80), D(120), D(120)),
])
def test_soft_limit_of_one_month(satuan, agregasi, jenis, target, ditetapkan, maks):
    assert batas_wajar(satuan, agregasi, jenis, target, ditetapkan).maks == maks


@pytest.mark.parametrize(("satuan", "agregasi", "jenis", "target"), [
    ("%", "jumlah", "rasio", D(100)),  # ratios have their hard limit (pembilang <= penyebut) instead
    ("Dokumen", "jumlah", "tunggal", D(0)),  # a target of 0 gives no default
    ("Dokumen", "jumlah", "tunggal", None),
])
def test_no_soft_limit(satuan, agregasi, jenis, target):
    assert batas_wajar(satuan, agregasi, jenis, target, None) is None


@pytest.mark.parametrize(("value", "expected"), [(D(3), False), (D("3.0001"), True), (None, False)])
def test_beyond_means_strictly_above(value, expected):
    assert melebihi(value, BatasWajar(D(3), "")) is expected


@pytest.mark.parametrize(("capaian", "ambang", "dicek"), [
    (D(200), D(200), False), (D("200.01"), D(200), True), (D(150), D(120), True), (None, D(200), False),
])
def test_capaian_above_the_ceiling_is_flagged(capaian, ambang, dicek):
    assert perlu_dicek(capaian, ambang) is dicek
    assert (label_dicek(capaian, ambang) != "") is dicek


def test_label_names_the_ceiling():
    assert label_dicek(D(250), D(200)) == "perlu dicek (di atas 200,00 %)"


def _save(engine, instansi_id, yakin=False, **kw):
    return save_realisasi(engine, instansi_id=instansi_id, tahun=2025, yakin=yakin, entries=[EntriRealisasi(**kw)])


def test_a_value_beyond_the_soft_limit_needs_confirmation_and_is_then_saved(seeded, instansi_id):
    # IK-6.1.1: 3 Dokumen a year; 4 in one month is beyond it, 3 is not.
    assert _save(seeded, instansi_id, kode="IK-6.1.1", bulan=1, nilai=D(3)) == 1
    with pytest.raises(PerluKonfirmasi) as refused:
        _save(seeded, instansi_id, kode="IK-6.1.1", bulan=2, nilai=D(4))
    assert refused.value.problems == [
        "IK-6.1.1 Jumlah dokumen perencanaan perangkat daerah yang disusun (Februari): 4 Dokumen: nilai satu bulan "
        "melebihi target setahun (3 Dokumen)"]
    assert _save(seeded, instansi_id, yakin=True, kode="IK-6.1.1", bulan=2, nilai=D(4)) == 1


@pytest.mark.parametrize(("entri", "pesan"), [
    (dict(kode="IK-IKM", bulan=6, nilai=D(90)), "diisi dari halaman IKM"),  # only the survey sets the IKM
    (dict(kode="IK-AKIP", bulan=12, nilai=D(70)), "diisi dari halaman AKIP"),
    (dict(kode="IK-6.1.1", bulan=1, nilai=D(1), keterangan="a\x00b"), "karakter kendali"),
    (dict(kode="IK-6.1.1", bulan=1, nilai=D(1), keterangan="x" * 1001), "paling panjang 1000 karakter"),
    (dict(kode="IK-6.1.1", bulan=1, keterangan="sudah"), "keterangan diisi tanpa nilai"),
    (dict(kode="IK-6.1.1", bulan=1, nilai=D("1e308")), "terlalu besar"),
    (dict(kode="IK-6.1.1", bulan=1, nilai=D("1e16")), "terlalu besar"),
    (dict(kode="IK-6.1.1", bulan=1, nilai=D("NaN")), "bukan angka"),
    (dict(kode="IK-6.1", bulan=1, pembilang=D(5), penyebut=D(3)), "lebih besar dari penyebut"),
    (dict(kode="IK-6.1.1", bulan=True, nilai=D(1)), "bulan harus 1 sampai 12"),
])
def test_hard_limits_refuse_even_when_confirmed(seeded, instansi_id, entri, pesan):
    with pytest.raises(ValidationError) as refused:
        _save(seeded, instansi_id, yakin=True, **entri)
    assert not isinstance(refused.value, PerluKonfirmasi)
    assert pesan in "\n".join(refused.value.problems)
