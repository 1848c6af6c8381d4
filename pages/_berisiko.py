"""The Beranda's lists of what goes wrong: the lowest capaian and "Berisiko tidak tercapai" (not a page:
pages/beranda.py calls `tampil_terendah` and `tampil_berisiko`)."""

import textwrap

import pandas as pd
import streamlit as st

from kinerja.aturan.format import nama_bulan
from kinerja.baca.peringatan import METODE, Peringatan, tabel_berisiko
from pages._tampil import BARIS_TINGGI, KOLOM_CAPAIAN, tabel, tinggi

# The lowest list's columns. The name is not pinned, so at 1366 px it takes its share of the spare width (the grid
# gives each unpinned column the same extra); on a 390 px phone name, Capaian and Kategori (160 + 100 + 95 px) end
# inside the screen and only the unit needs a swipe.
KOLOM_TERENDAH = KOLOM_CAPAIAN | {
    "indikator": st.column_config.TextColumn("Indikator kinerja", width=160),
    "kategori": st.column_config.TextColumn("Kategori", width=95),
}
LEBAR_NAMA_LAPTOP = 260  # px the name gets at 1366 px: 160 + (906 - 505) / 4 spare
PX_PER_HURUF, PX_PER_BARIS, PADDING, BARIS_MAKS = 6.8, 18, 16, 6  # 14 px text: about 36 letters in 260 px


def tinggi_baris_nama(names: pd.Series, lebar_px: int = LEBAR_NAMA_LAPTOP) -> int:
    """Return a row height that shows the longest name whole at the laptop's column width (at most BARIS_MAKS lines),
    wrapping at word boundaries as the grid does."""
    per_baris = max(1, int((lebar_px - PADDING) / PX_PER_HURUF))
    lines = max((len(textwrap.wrap(str(n), per_baris)) for n in names), default=1)
    return max(BARIS_TINGGI, min(lines, BARIS_MAKS) * PX_PER_BARIS + PADDING)


def tampil_terendah(worst: pd.DataFrame, periode: str) -> None:
    """Show the indicators below the Tinggi band, lowest first: name, capaian, kategori (its flag if any), unit."""
    st.subheader(f"Indikator dengan capaian di bawah Tinggi (< 76 %) {periode}")
    if worst.empty:
        st.success("Tidak ada indikator dengan capaian di bawah kategori Tinggi.")
        return
    dicek = ["dicek"] if worst["dicek"].astype(bool).any() else []  # no empty column taking the names' room
    baris = tinggi_baris_nama(worst["indikator"])
    st.dataframe(
        tabel(worst[["indikator", "capaian_sd_tw", "kategori", *dicek, "unit_nama"]], persen=("capaian_sd_tw",)),
        hide_index=True, placeholder="–", width="stretch", column_config=KOLOM_TERENDAH, row_height=baris,
        height=tinggi(len(worst), baris), key="beranda_terendah",
    )


def tampil_berisiko(peringatan: Peringatan) -> None:
    """Show what will miss its annual target at the current pace, by how much, who is responsible, since when."""
    st.subheader("Berisiko tidak tercapai")
    st.caption(METODE)
    if peringatan.sd_bulan is None:
        st.info("Belum ada realisasi: belum ada yang dapat diproyeksikan.")
        return
    table = tabel_berisiko(peringatan)
    if table.empty:
        st.success(f"Dengan laju s.d. {nama_bulan(peringatan.sd_bulan)}, semua indikator dan sub kegiatan yang sudah "
                   "ada datanya diproyeksikan mencapai target tahunannya.")
    else:
        st.caption(f"{len(table)} indikator dan sub kegiatan, yang kekurangannya terbesar di atas.")
        st.dataframe(table, hide_index=True, width="stretch", row_height=BARIS_TINGGI,
                     height=tinggi(min(len(table), 8)), key="beranda_berisiko",  # a long list scrolls
                     column_config={"Uraian": st.column_config.TextColumn(width=220, pinned=True)})
    if peringatan.belum_ada_data:
        with st.expander(f"Belum ada data, tidak diproyeksikan ({len(peringatan.belum_ada_data)})"):
            st.dataframe([{"Jenis": b.jenis, "Kode": b.kode, "Uraian": b.nama, "Unit penanggung jawab": b.unit}
                          for b in peringatan.belum_ada_data], hide_index=True, width="stretch",
                         key="beranda_belum_ada_data")
