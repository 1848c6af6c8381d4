"""Admin: when each month's figures are due, who is late, and reopening a closed or locked month with a reason."""

from collections.abc import Callable
from datetime import date

import streamlit as st

from kinerja.aturan.format import nama_bulan
from kinerja.baca.entri import list_unit_isian
from kinerja.baca.pemeriksaan import format_waktu, keadaan_bulan
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.jadwal import list_batas, list_dibuka, rekap_keterlambatan, simpan_batas_bulan, simpan_hari_batas
from kinerja.simpan.verifikasi import TERKUNCI, buka_isian, ubah_status
from pages._periksa import banner_status, pesan_langkah
from pages._tampil import masalah
from pages._ui import engine, instansi, pilih_bulan, pilih_tahun, require


def _lakukan(write: Callable[[], object], pesan: str) -> None:
    """Run one write; on success rerun with its message, on refusal show why."""
    try:
        write()
    except ValidationError as e:
        masalah(e.problems)
    else:
        st.session_state["periksa_pesan"] = pesan
        st.rerun()


user = require()
office = instansi(user)
st.title("Jadwal & kunci isian")
pesan_langkah()
tahun = pilih_tahun(office, key="jadwal_tahun")
with new_session(engine()) as session:
    units = list_unit_isian(session, office, tahun)
    batas = list_batas(session, office, tahun)
    rekap = rekap_keterlambatan(session, office, tahun, units)
    dibuka = list_dibuka(session, office.id, tahun)

st.subheader("Batas waktu isian")
with st.form("jadwal_hari_form", border=False):
    hari = st.number_input("Realisasi sebuah bulan paling lambat tanggal ... bulan berikutnya (kosong: tanpa batas)",
                           min_value=1, max_value=31, value=office.hari_batas_isian, step=1, placeholder="tanpa batas",
                           key="jadwal_hari")
    if st.form_submit_button("Simpan tanggal batas", key="jadwal_hari_simpan"):
        _lakukan(lambda: simpan_hari_batas(engine(), instansi_id=office.id, hari=hari, pengguna=user),
                 f"Batas waktu isian: tanggal {hari} bulan berikutnya." if hari else "Batas waktu isian dihapus.")
st.dataframe([{"Bulan": nama_bulan(b.bulan), "Batas umum": b.umum, "Batas khusus": b.khusus, "Berlaku": b.batas}
              for b in batas], hide_index=True, width="stretch", placeholder="–", height=13 * 35 + 3,
             column_config={k: st.column_config.DateColumn(k, format="DD-MM-YYYY")
                            for k in ("Batas umum", "Batas khusus", "Berlaku")})
c1, c2 = st.columns(2)
with c1:
    bulan_khusus = st.selectbox("Batas khusus untuk bulan", range(1, 13), format_func=nama_bulan, key="jadwal_bulan")
with c2:
    sekarang = batas[bulan_khusus - 1]
    tanggal = st.date_input("Tanggal batas", value=sekarang.batas or date(tahun, bulan_khusus, 28),
                            format="DD-MM-YYYY", key=f"jadwal_tanggal_{tahun}_{bulan_khusus}")
s1, s2 = st.columns([1, 3])
if s1.button("Simpan batas khusus", key="jadwal_khusus_simpan"):
    _lakukan(lambda: simpan_batas_bulan(engine(), instansi_id=office.id, tahun=tahun, bulan=bulan_khusus,
                                        batas=tanggal, pengguna=user),
             f"Batas isian {nama_bulan(bulan_khusus)} {tahun}: {tanggal:%d-%m-%Y}.")
if sekarang.khusus and s2.button("Kembali ke batas umum", key="jadwal_khusus_hapus"):
    _lakukan(lambda: simpan_batas_bulan(engine(), instansi_id=office.id, tahun=tahun, bulan=bulan_khusus,
                                        batas=None, pengguna=user),
             f"Batas khusus {nama_bulan(bulan_khusus)} {tahun} dihapus.")

st.subheader("Belum mengajukan setelah batas waktu")
telat = rekap[(rekap["jumlah_belum"] > 0) | (rekap["jumlah_terlambat"] > 0)]
if not any(b.batas for b in batas):
    st.info("Belum ada batas waktu isian; tetapkan tanggal batas di atas.")
elif telat.empty:
    st.success("Semua unit sudah mengajukan setiap bulan yang batas waktunya sudah lewat, tepat waktu.")
else:
    st.dataframe(telat.drop(columns="unit"), hide_index=True, width="stretch", placeholder="–", column_config={
        "unit_nama": st.column_config.TextColumn("Unit", width="medium"),
        "belum_diajukan": "Belum diajukan", "terlambat": "Diajukan terlambat",
        "jumlah_belum": "Jumlah belum", "jumlah_terlambat": "Jumlah terlambat"})

st.subheader("Buka kembali isian")
c1, c2 = st.columns([2, 1])
with c1:
    unit = st.selectbox("Unit", units, format_func=lambda u: u.nama, key="jadwal_unit")
with c2:
    bulan = pilih_bulan(tahun, key="jadwal_buka_bulan")
with new_session(engine()) as session:
    keadaan = keadaan_bulan(session, unit, tahun, bulan)
banner_status(keadaan, office, bulan, tahun)
key = f"{unit.id}_{tahun}_{bulan}"
if keadaan.status in TERKUNCI:
    alasan = st.text_area("Alasan membuka kembali (wajib)", key=f"jadwal_alasan_status_{key}")
    if st.button("Buka kembali ke draf", key="jadwal_buka_status", type="primary"):
        _lakukan(lambda: ubah_status(engine(), unit_id=unit.id, tahun=tahun, bulan=bulan, aksi="buka", catatan=alasan,
                                     pengguna=user), f"{nama_bulan(bulan)} {tahun} dibuka kembali sebagai draf.")
elif keadaan.terkunci:
    hari_buka = st.number_input("Dibuka selama (hari)", min_value=1, max_value=60, value=7, step=1,
                                key=f"jadwal_hari_buka_{key}")
    alasan = st.text_area("Alasan membuka kembali (wajib)", key=f"jadwal_alasan_batas_{key}")
    if st.button(f"Buka isian {hari_buka} hari", key="jadwal_buka_batas", type="primary"):
        _lakukan(lambda: buka_isian(engine(), unit_id=unit.id, tahun=tahun, bulan=bulan, hari=int(hari_buka),
                                    alasan=alasan, pengguna=user),
                 f"{nama_bulan(bulan)} {tahun} dibuka {hari_buka} hari untuk unit ini.")
else:
    st.caption("Isian bulan ini terbuka; tidak perlu dibuka kembali.")
if dibuka:
    st.markdown("**Sedang dibuka kembali**")
    st.dataframe([{"Unit": d.unit, "Bulan": nama_bulan(d.bulan), "Sampai": format_waktu(d.sampai, office.zona_waktu),
                   "Alasan": d.alasan, "Oleh": d.oleh} for d in dibuka], hide_index=True, width="stretch")
