"""Pimpinan's home: how is the office doing s.d. a triwulan, and where is it going wrong?"""

import pandas as pd
import streamlit as st

from kinerja.aturan.capaian import bulan_akhir
from kinerja.aturan.format import format_angka, format_persen, format_rupiah, format_rupiah_singkat, nama_triwulan
from kinerja.baca import grafik, singgahan
from kinerja.baca.kemajuan import grid_kelengkapan
from kinerja.baca.ringkasan import indikator_table, latest_bulan, latest_triwulan, penyerapan_total, skor_khusus
from pages._berisiko import tampil_berisiko, tampil_terendah
from pages._tampil import tw_label, warna_persen
from pages._ui import catatan_cakupan, engine, instansi, pilih_cakupan, pilih_tahun, pilih_triwulan, require

WARNA_STATUS = {"Draf": "", "Diajukan": "background-color: #fff3c4", "Diverifikasi": "background-color: #dcedc8",
                "Disahkan": "background-color: #c8e6c9", "Dikembalikan": "background-color: #ffcdd2"}


def persen(value: object) -> str:
    """Format a capaian taken from a table, where 'no data yet' arrives as NaN (not 'NaN,00 %')."""
    return "" if pd.isna(value) else format_persen(value)


user = require()
office = instansi(user)
hanya = pilih_cakupan(user)
judul = st.empty()
kiri, kanan = st.columns([1, 1])
with kiri:
    tahun = pilih_tahun(office)
with st.spinner("Menghitung capaian..."):
    # Computed once per data version of the office (issue 13): a rerun with nothing saved reads only the version.
    terhitung = singgahan.muat_tahun(engine(), office.id, tahun, hanya)
    data_tahun, angka = terhitung.semua, terhitung.angka  # every entry (triwulan offered, completeness); figures
    with kanan:
        triwulan = pilih_triwulan(latest_triwulan(data_tahun.data))
    capaian, tren = terhitung.capaian(triwulan), terhitung.tren(triwulan)
    kemajuan = singgahan.kemajuan(engine(), terhitung, bulan_akhir(triwulan))
    lengkap = singgahan.kelengkapan(engine(), terhitung, bulan_akhir(triwulan))

judul.title(f"Kinerja {office.nama} {tahun}")
st.caption(f"Capaian {tw_label(triwulan)} · {capaian.data_tahun.versi.nama} · target sesuai Rencana Aksi")
catatan_cakupan(hanya)
if latest_bulan(data_tahun.data) is None:
    st.info(
        "Belum ada realisasi untuk tahun ini. Langkah berikutnya: admin membuat akun operator tiap seksi "
        "(menu **Pengguna**), lalu operator mengisi realisasi bulanan (menu **Isi realisasi**). "
        "Grafik akan muncul setelah data pertama tersimpan."
    )
    st.stop()

per_unit = terhitung.per_unit(triwulan)
kantor = per_unit[per_unit["unit"] == capaian.data_tahun.baris[0].unit.kode].iloc[0]
realisasi, pagu, serapan = penyerapan_total(angka, bulan_akhir(triwulan))
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

if (fig := grafik.capaian_per_unit(per_unit, f"{tw_label(triwulan)} {tahun}")) is not None:
    st.plotly_chart(fig, width="stretch", key="beranda_unit")
if (fig := grafik.capaian_per_triwulan(tren, tahun)) is not None:
    st.plotly_chart(fig, width="stretch", key="beranda_triwulan")

st.subheader("Kemajuan verifikasi")
st.caption("Status isian tiap unit tiga bulan terakhir s.d. akhir triwulan yang dipilih: draf, diajukan, "
           "diverifikasi, disahkan, atau dikembalikan untuk diperbaiki.")
st.dataframe(kemajuan.drop(columns="unit").rename(columns={"unit_nama": "Unit"}).set_index("Unit").style
             .map(lambda v: WARNA_STATUS.get(v, "")), width="stretch", key="beranda_kemajuan")

st.subheader(f"Kelengkapan pengisian s.d. {nama_triwulan(triwulan)}")
st.caption("Persentase indikator dan sub kegiatan yang sudah diisi tiap unit per bulan, dengan jumlah berkas bukti "
           "dukung. *Terlambat*: batas waktu isian lewat dan belum diajukan; *belum diisi*: lewat batas dan kosong.")
teks, persen_grid = grid_kelengkapan(lengkap)
st.dataframe(teks.style.apply(lambda _: persen_grid.map(warna_persen), axis=None), width="stretch",
             key="beranda_kelengkapan")

tampil_terendah(grafik.indikator_terendah(indikator_table(capaian, office.batas_cek_capaian)), tw_label(triwulan))
st.caption("Daftar lengkap dan rinciannya ada di menu **Capaian indikator** dan **Per unit & indikator**.")
tampil_berisiko(singgahan.peringatan(engine(), terhitung))
