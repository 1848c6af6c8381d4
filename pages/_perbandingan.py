"""The comparison of one indicator with earlier years and its progress toward the end-of-Renstra target."""

import streamlit as st

from kinerja.baca.perbandingan import Perbandingan, baris_tahun, kalimat_arah, list_perbandingan, ringkasan_renstra
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi
from pages._tampil import teks_polos
from pages._ui import engine


def tampil_perbandingan(p: Perbandingan) -> None:
    """Show realisasi and capaian N-3 .. N with naik / turun / tetap, and the tingkat kemajuan toward the Renstra."""
    st.subheader("Perbandingan dengan tahun sebelumnya dan Renstra")
    if p.tahun:
        st.dataframe(baris_tahun(p), hide_index=True, width="stretch", key=f"perbandingan_{p.kode}")
    st.markdown(teks_polos(kalimat_arah(p)))
    renstra = ringkasan_renstra(p)
    if not renstra:
        st.caption("Target Renstra akhir periode belum diisi (admin: halaman Renstra & riwayat).")
        return
    for kolom, (label, nilai) in zip(st.columns(len(renstra)), renstra, strict=True):
        kolom.metric(label, nilai)
    st.caption("Tingkat kemajuan = realisasi tahun ini terhadap target Renstra akhir periode "
               "(target Renstra adalah tingkat per tahun, bukan jumlah lima tahun).")


def tampil_perbandingan_indikator(office: Instansi, tahun: int, triwulan: int, kode: str,
                                  hanya_disahkan: bool = False) -> None:
    """Compute and show the comparison of one indicator of `tahun` s.d. `triwulan` (nothing if it has none)."""
    with new_session(engine()) as session:
        p = list_perbandingan(session, office, tahun, triwulan, hanya_disahkan).get(kode)
    if p is not None:
        tampil_perbandingan(p)
