"""The grid-diff functions, directly: what an edited grid turns into (and what it never turns into)."""

from decimal import Decimal

import pandas as pd
import pytest

from kinerja.baca.entri import entries_anggaran_from_grid, entries_from_grid, parse_rupiah_grid
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi
from kinerja.simpan.revisi import UbahTarget, changes_from_target_grid

D = Decimal
GRID = pd.DataFrame([
    {"kode": "IK-6.1.1", "indikator": "Dokumen", "satuan": "Dokumen", "jenis": "nilai", "otomatis": "",
     "nilai": "2", "pembilang": "", "penyebut": "", "keterangan": "Renja"},
    {"kode": "IK-6.1", "indikator": "Persen", "satuan": "%", "jenis": "rasio", "otomatis": "",
     "nilai": "", "pembilang": "", "penyebut": "", "keterangan": ""},
])


def edited(grid: pd.DataFrame, kode: str, **cells: str) -> pd.DataFrame:
    after = grid.copy()
    for column, value in cells.items():
        after.loc[after["kode"] == kode, column] = value
    return after


@pytest.mark.parametrize(("kode", "cells", "expected"), [
    ("IK-6.1.1", {"nilai": "3"}, [EntriRealisasi("IK-6.1.1", 3, nilai=D(3), keterangan="Renja")]),
    ("IK-6.1.1", {"nilai": "", "keterangan": ""}, [EntriRealisasi("IK-6.1.1", 3, hapus=True)]),
    ("IK-6.1", {"pembilang": "1.250.000", "penyebut": "1.250.000"},
     [EntriRealisasi("IK-6.1", 3, pembilang=D(1250000), penyebut=D(1250000))]),
    # a keterangan without a value is passed on (and refused by the save), never silently dropped
    ("IK-6.1", {"keterangan": "sudah"}, [EntriRealisasi("IK-6.1", 3, keterangan="sudah")]),
    ("IK-6.1.1", {"nilai": "2"}, []),  # unchanged
    ("IK-6.1.1", {"nilai": " 2 "}, []),  # the same number typed with spaces is no change either
])
def test_a_changed_row_becomes_one_entry(kode, cells, expected):
    entries, problems = entries_from_grid(GRID, edited(GRID, kode, **cells), 3)
    assert (entries, problems) == (expected, [])


def test_a_row_added_to_the_grid_is_never_an_entry():
    """num_rows is fixed, but a crafted request could still send an added row: it must be ignored."""
    added = pd.concat([GRID, pd.DataFrame([{"kode": "IK-2.1.1", "indikator": "", "nilai": "4", "pembilang": "",
                                            "penyebut": "", "keterangan": ""}])], ignore_index=True)
    assert entries_from_grid(GRID, added, 3) == ([], [])
    assert entries_anggaran_from_grid(BUDGET, pd.concat([BUDGET, pd.DataFrame([{
        "kode": "9.9.9", "sub_kegiatan": "", "pagu": 1, "sebelumnya": 0, "realisasi": "5", "keterangan": ""}])],
        ignore_index=True), 3) == ([], [])


def test_a_cell_that_is_not_a_number_is_named_and_the_others_still_checked():
    after = edited(edited(GRID, "IK-6.1.1", nilai="abc"), "IK-6.1", pembilang="1", penyebut="2")
    entries, problems = entries_from_grid(GRID, after, 3)
    assert problems == ["IK-6.1.1 Dokumen: nilai 'abc' bukan angka"]
    assert entries == [EntriRealisasi("IK-6.1", 3, pembilang=D(1), penyebut=D(2))]


BUDGET = pd.DataFrame([{"kode": "6.1.1", "sub_kegiatan": "Penyusunan", "pagu": 15_409_900, "sebelumnya": 0,
                        "realisasi": "", "keterangan": ""}])


@pytest.mark.parametrize(("typed", "expected", "problem"), [
    ("1.250.000", [EntriAnggaran("6.1.1", 3, realisasi=D(1250000))], None),
    ("Rp 250.000", [EntriAnggaran("6.1.1", 3, realisasi=D(250000))], None),
    ("12,5", [], "harus Rupiah bulat"),
    ("-500", [], "tidak boleh negatif"),
])
def test_budget_cells_are_whole_rupiah(typed, expected, problem):
    entries, problems = entries_anggaran_from_grid(BUDGET, edited(BUDGET, "6.1.1", realisasi=typed), 3)
    assert entries == expected
    assert (problem is None and problems == []) or (problem is not None and problem in problems[0])


def test_pagu_grid_reads_whole_rupiah_and_names_bad_cells():
    before = [{"kode": "6.1.1", "pagu": "15409900"}, {"kode": "6.1.2", "pagu": "100"}]
    after = [{"kode": "6.1.1", "pagu": "15.000.000"}, {"kode": "6.1.2", "pagu": "1e9"}]
    changed, problems = parse_rupiah_grid(before, after)
    assert changed == {"6.1.1": 15_000_000}
    assert problems == ["6.1.2: pagu '1e9': tulis angka biasa, tanpa notasi e"]


def test_target_grid_changes_carry_every_cell_of_the_row():
    before = pd.DataFrame([{"kode": "IK-6.1.4", "indikator": "Laporan", "tahunan": "10", "tw1": "", "tw2": "",
                            "tw3": "", "tw4": "", "batas_wajar": "", "bawaan": "", "batas_bawaan": ""}])
    after = before.copy()
    after.loc[0, "tw2"], after.loc[0, "batas_wajar"] = "5", "4"
    assert changes_from_target_grid(before, after) == ([UbahTarget("IK-6.1.4", D(10), (None, D(5), None, None),
                                                                   batas_wajar=D(4))], [])
    after.loc[0, "tahunan"] = "1.234"
    changes, problems = changes_from_target_grid(before, after)
    assert problems == ["IK-6.1.4 Laporan: target tahunan '1.234' bisa dibaca dua cara: tulis 1234 bila maksudnya "
                        "ribuan, atau 1,234 bila titik itu tanda desimal"]
