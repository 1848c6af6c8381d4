"""A page per unit and per indicator: rows of its agreement, monthly trend, keterangan, Penjelasan."""

import streamlit as st

from kinerja.baca import grafik, singgahan
from kinerja.baca.ringkasan import indikator_table, latest_bulan, latest_triwulan, tren_indikator
from kinerja.simpan.queries import list_penjelasan
from pages._perbandingan import tampil_perbandingan_indikator
from pages._tampil import BARIS_TINGGI, KOLOM_CAPAIAN, tabel, teks_polos, tinggi
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    tahun = pilih_tahun(office, key="unit_tahun")
terhitung = singgahan.muat_tahun(engine(), office.id, tahun, pilih_cakupan(user))  # once per data version
data_tahun = terhitung.angka
with c2:
    triwulan = pilih_triwulan(latest_triwulan(data_tahun.data), key="unit_tw")
capaian = terhitung.capaian(triwulan)
units = {b.unit.kode: b.unit.nama for b in data_tahun.baris}
with c3:
    unit = st.selectbox("Unit", list(units), format_func=units.get, key="unit_pilih")

table = indikator_table(capaian, office.batas_cek_capaian)
table = table[table["unit"] == unit].sort_values("no", key=lambda s: s.str.zfill(3))
st.title(teks_polos(units[unit]))
catatan_cakupan(data_tahun.hanya_disahkan)
st.dataframe(
    tabel(table[["indikator", "capaian_sd_tw", "kategori", "dicek", "realisasi_sd_tw", "target_sd_tw", "satuan",
                 "no"]],
          angka=("target_sd_tw", "realisasi_sd_tw"), persen=("capaian_sd_tw",)),
    hide_index=True, placeholder="–", width="stretch", column_config=KOLOM_CAPAIAN, row_height=BARIS_TINGGI,
    height=tinggi(len(table)), key="unit_tabel",
)

pilihan = dict(zip(table["kode"], table["no"] + ". " + table["indikator"], strict=True))
kode = st.selectbox("Indikator", list(pilihan), format_func=pilihan.get, key="unit_indikator")
ind = next(b.indikator for b in data_tahun.baris if b.indikator.kode == kode)
tren = tren_indikator(data_tahun, kode)
definisi = next(i for i in data_tahun.data.indikator if i.kode == kode)
fig = grafik.tren_indikator(tren, definisi, ind.nama, ind.satuan, tahun, latest_bulan(data_tahun.data),
                            dicek=table.loc[table["kode"] == kode, "dicek"].iloc[0])
if fig is None:
    sumber = {"input": "operator unitnya mengisi realisasi bulanan",
              "turunan": "indikator di bawahnya punya capaian",
              "anggaran": "realisasi anggaran sub kegiatannya diisi"}[ind.sumber]
    if ind.nilai_khusus:
        sumber = "admin menyimpan survei IKM atau nilai AKIP"
    st.info(f"Belum ada realisasi untuk indikator ini. Grafik muncul setelah {sumber}.")
else:
    st.plotly_chart(fig, width="stretch", key="unit_grafik")

tampil_perbandingan_indikator(office, tahun, triwulan, kode, data_tahun.hanya_disahkan)
catatan = [(b, e.keterangan) for b, e in sorted(data_tahun.data.realisasi.get(kode, {}).items()) if e.keterangan]
if catatan:
    # Keterangan is typed by operators: shown as plain cells, never as Markdown (no images, links or headings).
    st.subheader("Keterangan")
    st.dataframe([{"Bulan": tren["nama_bulan"][b - 1], "Keterangan": k} for b, k in catatan],
                 hide_index=True, width="stretch", key="unit_keterangan")
penjelasan = singgahan.bagian(engine(), terhitung, "penjelasan", lambda s: list_penjelasan(s, ind.id), ind.id)
if not penjelasan:
    st.caption("Perjanjian kinerja tidak memuat penjelasan untuk indikator ini.")
for p in penjelasan:
    with st.expander(f"Penjelasan (lampiran PK {teks_polos(p.unit_nama)})"):
        for label, text in (("Uraian sasaran", p.uraian_sasaran), ("Uraian", p.uraian), ("Relevansi", p.relevansi),
                            ("Formulasi", p.formulasi), ("Sumber data", p.sumber_data),
                            ("Penjelasan target", p.penjelasan_target)):
            if text:
                st.markdown(f"**{label}**")
                st.text(text)
