"""The Beranda's lowest list: names that read whole at 1366 px, the figures beside them, no empty column."""

import pandas as pd
import pytest
from sqlalchemy import Engine

from pages._berisiko import BARIS_TINGGI, PADDING, PX_PER_BARIS, tinggi_baris_nama
from tests._app import add_users, open_app

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")
# the seed's longest name, 177 letters
SINERGI = ("Jumlah Laporan Koordinasi/Sinergi dengan Perangkat Daerah yang Tugas dan Fungsinya di Bidang Penegakan "
           "Peraturan Perundang-Undangan dan/atau Kepolisian Negara Republik Indonesia")


@pytest.mark.parametrize(("names", "tinggi"), [
    # short names keep the shared row height of every grid (three lines)
    (["Nilai AKIP"], BARIS_TINGGI),
    # 177 letters wrap at word boundaries into 6 lines of at most 35 letters: 6 x 18 + 16 = 124 px
    ([SINERGI, "Nilai AKIP"], 6 * PX_PER_BARIS + PADDING),
    # a name of 400 letters is capped at 6 lines; the row does not grow without end
    (["kata " * 80], 6 * PX_PER_BARIS + PADDING),
])
def test_a_row_is_tall_enough_for_the_longest_name(names: list[str], tinggi: int) -> None:
    assert tinggi_baris_nama(pd.Series(names)) == tinggi


def test_the_lowest_list_shows_name_capaian_kategori_and_unit_without_an_empty_flag_column(demo_db: Engine) -> None:
    at = open_app(add_users(demo_db).pimpinan, "pages/beranda.py")
    assert not at.exception
    # the demo year s.d. Triwulan IV: 7 indicators below 76 %, lowest first; none above the ceiling, so no
    # "Perlu dicek" column takes the names' room
    worst = next(d for d in at.dataframe if "indikator" in d.value.columns and "unit_nama" in d.value.columns
                 and len(d.value.columns) <= 5)
    df = worst.value
    assert list(df.columns) == ["indikator", "capaian_sd_tw", "kategori", "unit_nama"]
    assert (df["capaian_sd_tw"] < 76).all() and df["capaian_sd_tw"].is_monotonic_increasing
    assert worst.proto.row_height == tinggi_baris_nama(df["indikator"]) > BARIS_TINGGI
