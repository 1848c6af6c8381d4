"""Kinerja unit saya: the operator's own unit as the Camat sees it — targets, Rencana Aksi, capaian per triwulan
in the kategori colours, the unit's line against the others, and the year month by month."""

import streamlit as st

from kinerja.baca import grafik
from kinerja.baca.ringkasan import capaian_per_triwulan, latest_triwulan
from kinerja.baca.unit_saya import rencana_dan_capaian, tahun_unit
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from pages._tampil import BARIS_TINGGI, WARNA_KATEGORI, teks_polos, tinggi
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_unit_isian, require

user = require()
office = instansi(user)
hanya = pilih_cakupan(user)
c1, c2 = st.columns([1, 2])
with c1:
    tahun = pilih_tahun(office, key="unitsaya_tahun")
with c2:
    unit = pilih_unit_isian(user, office, tahun, key="unitsaya_unit")
with new_session(engine()) as session:
    data_tahun = load_data_tahun(session, office, tahun, hanya_disahkan=hanya)
    tabel, kategori = rencana_dan_capaian(session, office, tahun, unit.id, hanya)
    tren = capaian_per_triwulan(session, office, tahun, latest_triwulan(data_tahun.data), hanya)
bulanan = tahun_unit(data_tahun, unit.id)

st.title(f"Kinerja {teks_polos(unit.nama)} {tahun}")
catatan_cakupan(hanya)
st.caption("Target, Rencana Aksi (target s.d. triwulan) dan capaian s.d. tiap triwulan, dengan warna kategori "
           "yang sama seperti yang dilihat pimpinan. Kosong = belum ada realisasi.")
if tabel.empty:
    st.info("Unit ini tidak punya indikator dalam perjanjian kinerja tahun ini.")
    st.stop()
warna = kategori.map(lambda k: f"color: {WARNA_KATEGORI[k]}; font-weight: 600" if k else "")
st.dataframe(
    tabel.style.apply(lambda _: warna, axis=None), hide_index=True, width="stretch", placeholder="–",
    row_height=BARIS_TINGGI, height=tinggi(len(tabel)), key="unitsaya_tabel",
    column_order=["indikator", *[c for c in tabel.columns if c.startswith("Capaian")], "target", "satuan",
                  *[c for c in tabel.columns if c.startswith("Rencana")], "no"],
    column_config={"indikator": st.column_config.TextColumn("Indikator kinerja", width=170, pinned=True),
                   "target": st.column_config.TextColumn("Target tahunan", width=80),
                   "satuan": st.column_config.TextColumn("Satuan", width=80),
                   "no": st.column_config.TextColumn("No", width=40)},
)
st.caption("Kategori capaian: Sangat Tinggi ≥ 91 %, Tinggi ≥ 76 %, Sedang ≥ 66 %, Rendah ≥ 51 %, "
           "Sangat Rendah di bawahnya.")

if (fig := grafik.capaian_per_triwulan(tren, tahun, sorot=unit.nama)) is not None:
    st.plotly_chart(fig, width="stretch", key="unitsaya_grafik")

st.subheader(f"Realisasi per bulan {tahun}")
st.caption("Seperti templat Excel: satu kolom per bulan, nilai yang diisi tiap bulan (rasio: pembilang/penyebut). "
           "Untuk mengubah, buka menu **Isi realisasi**.")
if bulanan.empty:
    st.info("Unit ini tidak punya indikator yang diisi sendiri.")
else:
    st.dataframe(bulanan, hide_index=True, width="stretch", placeholder="", row_height=BARIS_TINGGI,
                 height=tinggi(len(bulanan)), key="unitsaya_bulanan",
                 column_config={"kode": st.column_config.TextColumn("Kode", width=80),
                                "indikator": st.column_config.TextColumn("Indikator", width=170, pinned=True),
                                "satuan": st.column_config.TextColumn("Satuan", width=80)},
                 column_order=["indikator", *[c for c in bulanan.columns if c not in ("kode", "indikator", "satuan")],
                               "satuan", "kode"])
