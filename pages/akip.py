"""Admin: the Nilai AKIP from the Inspektorat's LHE, by its four components, with the predikat."""

import streamlit as st

from kinerja.aturan.akip import KOMPONEN, baca_komponen, check_komponen, compute_akip
from kinerja.aturan.format import format_angka, nama_bulan
from kinerja.errors import ValidationError
from kinerja.simpan.penilaian import save_akip
from pages._tampil import masalah
from pages._ui import engine, instansi, pilih_bulan, pilih_tahun, require

user = require()
office = instansi(user)
c1, c2 = st.columns(2)
with c1:
    tahun = pilih_tahun(office, key="akip_tahun")
with c2:
    bulan = pilih_bulan(tahun, key="akip_bulan")
st.title("Nilai AKIP")
st.caption("PermenPANRB 88/2021. Predikat: > 90 AA; > 80 A; > 70 BB; > 60 B; > 50 CC; > 30 C; lainnya D.")

# Text fields read by the one number parser: a number_input would refuse 31 in English and leave the field
# empty, so the admin would read "harus diisi" instead of what is wrong.
teks = {key: st.text_input(f"{label} (maks. {bobot})", key=f"akip_{key}", placeholder="mis. 22,61")
        for key, label, bobot in KOMPONEN}
nilai, salah = baca_komponen(teks)
keterangan = st.text_input("Keterangan (nomor dan tanggal LHE)", key="akip_keterangan")

if not salah and not check_komponen(nilai):
    hasil = compute_akip(**nilai)
    a, b = st.columns(2)
    a.metric("Nilai AKIP", format_angka(hasil.total))
    b.metric("Predikat", f"{hasil.predikat} ({hasil.arti})")
if st.button(f"Simpan sebagai realisasi {nama_bulan(bulan)} {tahun}", type="primary", key="akip_simpan"):
    try:
        if salah:
            raise ValidationError(salah)
        hasil = save_akip(engine(), instansi_id=office.id, tahun=tahun, komponen=nilai, bulan=bulan,
                          keterangan=keterangan, pengguna=user)
    except ValidationError as e:
        masalah(e.problems)
    else:
        st.success(f"Nilai AKIP {format_angka(hasil.total)} ({hasil.predikat}) tersimpan.")
