"""A month emptied and entered again never goes back to versi 1: a grid loaded before the emptying is told that
someone else saved, instead of silently replacing the new value. Indicators and budget; SQLite and PostgreSQL.
"""

import pytest

from kinerja.simpan.realisasi import SudahBerubah
from tests import test_konkurensi_grid
from tests.test_konkurensi_grid import BULAN, buka_grid, simpan, simpan_anggaran, stored

dua = test_konkurensi_grid.dua  # the fixture: two operators of PERENCANAAN


def test_a_grid_loaded_before_the_month_was_emptied_and_entered_again_is_refused(seeded, dua):
    satu, kedua = dua["operator.satu"], dua["operator.dua"]
    simpan(seeded, kedua, buka_grid(seeded), {"IK-6.1.1": {"nilai": "5"}})  # versi 1
    lama = buka_grid(seeded)  # operator.satu opens the page: 5, versi 1
    assert lama.set_index("kode").loc["IK-6.1.1", ["nilai", "versi"]].tolist() == ["5", 1]

    simpan(seeded, kedua, buka_grid(seeded), {"IK-6.1.1": {"nilai": ""}})  # operator.dua empties the month
    assert stored(seeded, "IK-6.1.1") is None
    simpan(seeded, kedua, buka_grid(seeded), {"IK-6.1.1": {"nilai": "9"}})  # ... and enters 9 again
    # writes of this month so far: insert, emptying, insert = 3 audit rows, so the new row is versi 3, not 1
    assert (stored(seeded, "IK-6.1.1").nilai, stored(seeded, "IK-6.1.1").versi) == (9, 3)

    with pytest.raises(SudahBerubah) as refused:  # operator.satu types 7 over the 5 it saw
        simpan(seeded, satu, lama, {"IK-6.1.1": {"nilai": "7"}})
    assert refused.value.problems == [
        "IK-6.1.1 Maret sudah diubah oleh operator.dua menjadi 9 setelah Anda membuka halaman; periksa lalu "
        "simpan lagi"]
    assert stored(seeded, "IK-6.1.1").nilai == 9


def test_the_versi_keeps_climbing_over_changes_emptyings_and_entries(seeded, dua):
    kedua = dua["operator.dua"]
    # 1 insert (versi 1), change (2), emptying, insert (4), change (5): one more per write, the gap included
    for nilai, versi in (("1", 1), ("2", 2), ("", None), ("3", 4), ("4", 5)):
        simpan(seeded, kedua, buka_grid(seeded), {"IK-6.1.1": {"nilai": nilai}})
        row = stored(seeded, "IK-6.1.1")
        assert (row.versi if row else None) == versi
    assert stored(seeded, "IK-6.1.4") is None and stored(seeded, "IK-6.1.1", BULAN + 1) is None


def test_the_budget_grid_is_refused_the_same_way(seeded, dua):
    satu, kedua = dua["operator.satu"], dua["operator.dua"]
    simpan_anggaran(seeded, kedua, buka_grid(seeded, "anggaran"), {"6.1.1": {"realisasi": "1000000"}})
    lama = buka_grid(seeded, "anggaran")
    simpan_anggaran(seeded, kedua, buka_grid(seeded, "anggaran"), {"6.1.1": {"realisasi": ""}})
    simpan_anggaran(seeded, kedua, buka_grid(seeded, "anggaran"), {"6.1.1": {"realisasi": "900000"}})
    with pytest.raises(SudahBerubah) as refused:
        simpan_anggaran(seeded, satu, lama, {"6.1.1": {"realisasi": "1200000"}})
    assert "6.1.1 Maret sudah diubah oleh operator.dua menjadi Rp 900.000" in refused.value.problems[0]
