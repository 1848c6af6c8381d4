"""Budget: pagu vs realisasi per program and per unit, and the absorption curve against the Rencana Aksi."""

import plotly.graph_objects as go
import streamlit as st

from kinerja.aturan.capaian import bulan_akhir
from kinerja.aturan.format import format_persen, format_rupiah
from kinerja.baca.ringkasan import (
    anggaran_per_unit,
    anggaran_table,
    append_jumlah,
    kurva_penyerapan,
    latest_triwulan,
    penyerapan_total,
)
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from pages._tampil import style_figure, tabel, tw_label
from pages._ui import engine, instansi, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2 = st.columns(2)
with c1:
    tahun = pilih_tahun(office, key="anggaran_tahun")
with new_session(engine()) as session:
    data_tahun = load_data_tahun(session, office, tahun)
with c2:
    triwulan = pilih_triwulan(latest_triwulan(data_tahun.data), key="anggaran_tw")
sd_bulan = bulan_akhir(triwulan)

st.title(f"Anggaran {tahun}")
realisasi, pagu, serapan = penyerapan_total(data_tahun, sd_bulan)
if serapan is None:
    st.info("Belum ada realisasi anggaran. Operator tiap unit mengisinya di menu **Isi realisasi anggaran**.")
    st.stop()

kurva = kurva_penyerapan(data_tahun)
fig = go.Figure()
fig.add_scatter(x=kurva["nama_bulan"], y=kurva["penyerapan"], name="Penyerapan kumulatif", mode="lines+markers")
fig.add_scatter(x=kurva["nama_bulan"], y=kurva["rencana_aksi"], name="Rencana Aksi", mode="markers",
                marker={"symbol": "diamond", "size": 12})
fig.update_yaxes(title="% dari pagu", range=[0, 105])
st.plotly_chart(style_figure(fig, f"Penyerapan anggaran kumulatif per bulan {tahun}"), width="stretch")

program = anggaran_table(data_tahun, sd_bulan, "program")
per_unit = anggaran_per_unit(data_tahun, sd_bulan)
hover = [f"Realisasi {format_rupiah(r)}<br>Pagu {format_rupiah(p)}" for r, p in zip(
    per_unit["realisasi"], per_unit["pagu"], strict=True)]
fig = go.Figure(go.Bar(x=per_unit["penyerapan"], y=per_unit["unit_nama"], orientation="h", marker_color="#1565c0",
                       text=per_unit["penyerapan"].map(format_persen), hovertext=hover, hoverinfo="text"))
fig.update_xaxes(title="% dari pagu unit", range=[0, 105])
fig.update_yaxes(autorange="reversed")
st.plotly_chart(style_figure(fig, f"Penyerapan anggaran per unit {tw_label(triwulan)} {tahun}"), width="stretch")

kolom = {"kode": "Kode", "nama": "Program", "unit_nama": "Unit", "pagu": "Pagu", "realisasi": "Realisasi",
         "penyerapan": "Penyerapan", "sisa": "Sisa"}
st.subheader(f"Per program {tw_label(triwulan)}")
st.dataframe(tabel(append_jumlah(program.drop(columns=["unit", "unit_nama"]), "nama"),
                   rupiah=("pagu", "realisasi", "sisa"), persen=("penyerapan",)),
             hide_index=True, placeholder="–", width="stretch", column_config=kolom)
st.subheader(f"Per unit {tw_label(triwulan)}")
st.dataframe(tabel(append_jumlah(per_unit.drop(columns="unit"), "unit_nama"), rupiah=("pagu", "realisasi", "sisa"),
                   persen=("penyerapan",)),
             hide_index=True, placeholder="–", width="stretch", column_config=kolom)
