"""Pimpinan's home: how is the office doing s.d. a triwulan, and where is it going wrong?"""

import pandas as pd
import plotly.express as px
import streamlit as st

from kinerja.aturan.capaian import bulan_akhir
from kinerja.aturan.format import format_angka, format_persen, format_rupiah, format_rupiah_singkat, nama_triwulan
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.baca.ringkasan import (
    capaian_per_triwulan,
    capaian_per_unit,
    indikator_table,
    kelengkapan,
    latest_bulan,
    latest_triwulan,
    penyerapan_total,
    skor_khusus,
)
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from pages._tampil import KOLOM_CAPAIAN, WARNA_KATEGORI, style_figure, tabel, tw_label, warna_persen
from pages._ui import engine, instansi, pilih_tahun, pilih_triwulan, require


def persen(value: object) -> str:
    """Format a capaian taken from a table, where 'no data yet' arrives as NaN (not 'NaN,00 %')."""
    return "" if pd.isna(value) else format_persen(value)


user = require()
office = instansi(user)
judul = st.empty()
kiri, kanan = st.columns([1, 1])
with kiri:
    tahun = pilih_tahun(office)
with new_session(engine()) as session, st.spinner("Menghitung capaian..."):
    data_tahun = load_data_tahun(session, office, tahun)
    with kanan:
        triwulan = pilih_triwulan(latest_triwulan(data_tahun.data))
    capaian = compute_capaian_tahun(session, office, tahun, triwulan)
    tren = capaian_per_triwulan(session, office, tahun, triwulan)

judul.title(f"Kinerja {office.nama} {tahun}")
st.caption(f"Capaian {tw_label(triwulan)} · {capaian.data_tahun.versi.nama} · target sesuai Rencana Aksi")
if latest_bulan(data_tahun.data) is None:
    st.info(
        "Belum ada realisasi untuk tahun ini. Langkah berikutnya: admin membuat akun operator tiap seksi "
        "(menu **Pengguna**), lalu operator mengisi realisasi bulanan (menu **Isi realisasi**). "
        "Grafik akan muncul setelah data pertama tersimpan."
    )
    st.stop()

per_unit = capaian_per_unit(capaian)
kantor = per_unit[per_unit["unit"] == capaian.data_tahun.baris[0].unit.kode].iloc[0]
realisasi, pagu, serapan = penyerapan_total(data_tahun, bulan_akhir(triwulan))
skor = skor_khusus(capaian)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Capaian sasaran strategis", persen(kantor["capaian"]) or "–", kantor["kategori"],
          delta_color="off", delta_arrow="off", border=True)
m2.metric("Penyerapan anggaran", format_persen(serapan) or "–",
          f"{format_rupiah_singkat(realisasi)} terserap" if serapan is not None else "belum ada realisasi",
          delta_color="off",
          delta_arrow="off", border=True, help=f"{format_rupiah(realisasi)} dari pagu {format_rupiah(pagu)}")
for col, key, judul_skor in ((m3, "ikm", "IKM"), (m4, "akip", "Nilai AKIP")):
    if s := skor.get(key):
        keterangan = s["label"] or f"target {format_angka(s['target'])}"
        col.metric(judul_skor, format_angka(s["nilai"]) or "belum ada", keterangan, delta_color="off",
                   delta_arrow="off", border=True, help=f"{s['nama']}; target {format_angka(s['target'])}")

per_unit["label"] = per_unit["capaian"].map(lambda v: persen(v) or "belum ada data")
per_unit["panjang"] = per_unit["capaian"].fillna(0)  # a unit without data still gets its row and label
fig = px.bar(per_unit, x="panjang", y="unit_nama", color="kategori", orientation="h", text="label",
             color_discrete_map=WARNA_KATEGORI, labels={"panjang": "Capaian (%)", "unit_nama": ""},
             category_orders={"unit_nama": list(per_unit["unit_nama"])})
fig.add_vline(x=100, line_dash="dot", line_color="#555")
fig.for_each_trace(lambda t: t.update(textposition="outside") if t.name == "Belum ada data" else None)
st.plotly_chart(style_figure(fig, f"Capaian per unit {tw_label(triwulan)} {tahun}"), width="stretch")

tren["triwulan_label"] = tren["triwulan"].map(nama_triwulan)
fig = px.line(tren.dropna(subset=["capaian"]), x="triwulan_label", y="capaian", color="unit_nama", markers=True,
              labels={"capaian": "Capaian (%)", "triwulan_label": "", "unit_nama": "Unit"})
fig.update_yaxes(range=[0, max(110, (tren["capaian"].max() or 0) + 10)])
st.plotly_chart(style_figure(fig, f"Capaian per triwulan {tahun}"), width="stretch")

st.subheader(f"Kelengkapan pengisian s.d. {nama_triwulan(triwulan)}")
st.caption("Persentase indikator dan sub kegiatan yang sudah diisi tiap unit per bulan; 0 berarti belum melapor.")
grid = kelengkapan(data_tahun, bulan_akhir(triwulan))
bulan_cols = [c for c in grid.columns if c not in ("unit", "unit_nama")]
st.dataframe(
    grid.drop(columns="unit").rename(columns={"unit_nama": "Unit"}).set_index("Unit").style.format("{:d} %")
    .map(warna_persen, subset=bulan_cols),
    width="stretch",
)

st.subheader("Indikator dengan capaian terendah")
worst = indikator_table(capaian, office.batas_cek_capaian).drop_duplicates("kode").head(8)
st.dataframe(
    tabel(worst[["unit_nama", "indikator", "capaian_sd_tw", "kategori", "dicek"]], persen=("capaian_sd_tw",)),
    hide_index=True, placeholder="–", width="stretch", column_config=KOLOM_CAPAIAN,
)
st.caption("Daftar lengkap dan rinciannya ada di menu **Capaian indikator** dan **Per unit & indikator**.")
