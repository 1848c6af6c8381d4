"""Admin: the Renstra period, its targets per year, the figures of years before the app, and every comparison."""

from collections.abc import Callable

import streamlit as st

from kinerja.baca.grid_renstra import (
    entri_riwayat_grid,
    entri_target_grid,
    grid_riwayat,
    grid_target_renstra,
    list_indikator_renstra,
    list_tahun_riwayat,
)
from kinerja.baca.perbandingan import list_perbandingan, load_riwayat, load_target_renstra, tabel_perbandingan
from kinerja.dokumen.impor_riwayat import RENSTRA_CSV, RIWAYAT_CSV, parse_renstra_csv, parse_riwayat_csv
from kinerja.dokumen.unggah import Batas
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.riwayat import simpan_periode_renstra, simpan_riwayat, simpan_target_renstra
from pages._tampil import kunci_grid, masalah, simpan_grid
from pages._ui import engine, instansi, pilih_tahun, require
from pages._unggah import baca_unggahan, pilih_berkas

user = require()
office = instansi(user)
with new_session(engine()) as session:
    indikator = list_indikator_renstra(session, office)
    targets = load_target_renstra(session, office.id)
    riwayat = load_riwayat(session, office.id)
    tahun_riwayat = list_tahun_riwayat(session, office.id)
st.title("Renstra & riwayat")
INFO = {"kode": "Kode", "indikator": st.column_config.TextColumn("Indikator", width="medium"), "satuan": "Satuan"}


def unggah(label: str, kunci: str, baca: Callable[[bytes, str], list], batas: Batas,
           simpan: Callable[[list], int]) -> None:
    """Offer a CSV upload, check it whole, and save it on a click."""
    berkas = pilih_berkas(label, batas, ["csv"], key=kunci)
    if berkas is None:
        return
    try:
        entries = baca_unggahan(berkas, baca, kunci=kunci)
    except ValidationError as e:
        masalah(e.problems, "Berkas tidak dapat dipakai:")
        return
    if st.button(f"Simpan {len(entries)} baris dari berkas", type="primary", key=f"{kunci}_simpan"):
        try:
            n = simpan(entries)
        except ValidationError as e:
            masalah(e.problems)
        else:
            st.success(f"{n} baris disimpan dari {berkas.name}.")


periode, target_tab, riwayat_tab, banding_tab = st.tabs(
    ["Periode", "Target Renstra", "Riwayat realisasi", "Perbandingan"])
with periode:
    a, b = st.columns(2)
    awal = a.number_input("Tahun awal Renstra", 2000, 2100, value=office.renstra_awal, step=1, key="renstra_awal")
    akhir = b.number_input("Tahun akhir Renstra", 2000, 2100, value=office.renstra_akhir, step=1, key="renstra_akhir")
    if st.button("Simpan periode", type="primary", key="renstra_periode_simpan"):
        try:
            simpan_periode_renstra(engine(), instansi_id=office.id, awal=None if awal is None else int(awal),
                                   akhir=None if akhir is None else int(akhir), pengguna=user)
        except ValidationError as e:
            masalah(e.problems)
        else:
            st.rerun()

with target_tab:
    if office.renstra_awal is None or office.renstra_akhir is None:
        st.info("Atur dulu periode Renstra (tab Periode).")
    else:
        years = list(range(office.renstra_awal, office.renstra_akhir + 1))
        st.caption(f"Target Renstra {years[0]}-{years[-1]} per tahun, sebagai tingkat tahun itu (bukan jumlah). "
                   "Target tahun yang punya PK di aplikasi diambil dari PK bila belum diisi di sini.")
        before = grid_target_renstra(indikator, targets, years)
        editor_key = kunci_grid("renstra_target", "grid_renstra_target")
        after = st.data_editor(before, key=editor_key, hide_index=True, width="stretch",
                               disabled=list(INFO), column_config=INFO)
        simpan_grid(
            "Simpan target Renstra", "renstra_target", editor_key,
            lambda: (entri_target_grid(before, after, years), []),
            lambda entries, _yakin: simpan_target_renstra(engine(), instansi_id=office.id, entries=entries,
                                                          pengguna=user),
            lambda n: f"{n} target Renstra disimpan.",
        )
    unggah("Atau unggah CSV: kolom kode,tahun,target", "renstra_csv", parse_renstra_csv, RENSTRA_CSV,
           lambda e: simpan_target_renstra(engine(), instansi_id=office.id, entries=e, pengguna=user))

with riwayat_tab:
    if not tahun_riwayat:
        st.info("Belum ada perjanjian kinerja di aplikasi.")
    else:
        tahun = st.selectbox("Tahun", tahun_riwayat, key="riwayat_tahun")
        st.caption("Realisasi tahun sebelum aplikasi dipakai, mis. dari LKjIP. Capaian boleh dikosongkan: dihitung "
                   "dari target Renstra tahun itu bila ada. Kosongkan realisasi dan capaian untuk menghapus.")
        before_r = grid_riwayat(indikator, riwayat, tahun)
        riwayat_key = kunci_grid("renstra_riwayat", f"grid_riwayat_{tahun}")
        after_r = st.data_editor(before_r, key=riwayat_key, hide_index=True, width="stretch", disabled=list(INFO),
                                 column_config={**INFO, "realisasi": "Realisasi", "capaian": "Capaian (%)",
                                                "sumber": "Sumber (mis. LKjIP 2023)"})
        simpan_grid(
            "Simpan riwayat", "renstra_riwayat", riwayat_key,
            lambda: (entri_riwayat_grid(before_r, after_r, tahun), []),
            lambda entries, _yakin: simpan_riwayat(engine(), instansi_id=office.id, entries=entries, pengguna=user),
            lambda n: f"{n} baris riwayat {tahun} disimpan.",
        )
    unggah("Atau unggah CSV: kolom kode,tahun,realisasi,capaian,sumber", "riwayat_csv", parse_riwayat_csv,
           RIWAYAT_CSV, lambda e: simpan_riwayat(engine(), instansi_id=office.id, entries=e, pengguna=user))

with banding_tab:
    tahun_n = pilih_tahun(office, key="renstra_banding_tahun")
    if tahun_n is None:
        st.info("Belum ada perjanjian kinerja yang terbit untuk dibandingkan.")
        st.stop()
    with new_session(engine()) as session:
        rows = tabel_perbandingan(list_perbandingan(session, office, tahun_n), tahun_n)
    kolom = {**INFO, "arah": "Naik/turun", "selisih": "Selisih", "target_renstra_akhir": "Target Renstra akhir",
             "tingkat_kemajuan": "Tingkat kemajuan", "sisa": "Sisa"}
    kolom |= {f"capaian_{y}": f"Capaian {y}" for y in range(tahun_n - 3, tahun_n + 1)}
    st.dataframe(rows, hide_index=True, width="stretch", placeholder="–", column_config=kolom)
    st.caption("Naik/turun: capaian tahun ini dibanding tahun lalu (capaian sudah memperhitungkan polaritas; bila "
               "capaian tidak ada, realisasi). Selisih dalam poin capaian. Tingkat kemajuan = realisasi tahun ini "
               "terhadap target Renstra akhir periode.")
