"""The Beranda's "Berisiko tidak tercapai" list (not a page: pages/beranda.py calls `tampil_berisiko`)."""

import streamlit as st

from kinerja.aturan.format import nama_bulan
from kinerja.baca.peringatan import METODE, load_peringatan, tabel_berisiko
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi
from pages._tampil import BARIS_TINGGI, tinggi
from pages._ui import engine


def tampil_berisiko(office: Instansi, tahun: int, hanya_disahkan: bool = False) -> None:
    """Show what will miss its annual target at the current pace, by how much, who is responsible, since when."""
    with new_session(engine()) as session:
        peringatan = load_peringatan(session, office, tahun, hanya_disahkan)
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
