"""Admin: the IKM survey — upload the answers (CSV/XLSX) or type the counts; see IKM and mutu before saving."""

import pandas as pd
import streamlit as st

from kinerja.aturan.format import format_angka, nama_bulan
from kinerja.aturan.ikm import UNSUR, compute_ikm, compute_ikm_from_counts, sampel_minimum
from kinerja.dokumen.impor import parse_ikm
from kinerja.dokumen.unggah import IKM_XLSX
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.penilaian import list_survei, save_survei_ikm
from pages._tampil import masalah
from pages._ui import engine, instansi, pilih_bulan, pilih_tahun, require
from pages._unggah import baca_unggahan, pilih_berkas

user = require()
office = instansi(user)
c1, c2, c3 = st.columns(3)
with c1:
    tahun = pilih_tahun(office, key="ikm_tahun")
with c2:
    bulan = pilih_bulan(tahun, key="ikm_bulan")
with c3:
    populasi = st.number_input("Populasi penerima layanan", min_value=0, value=0, step=100, key="ikm_populasi")
st.title("Survei Kepuasan Masyarakat (IKM)")
st.caption("PermenPANRB 14/2017: 9 unsur, jawaban 1-4. IKM = rata-rata NRR × 25. Mutu: A ≥ 88,31; B ≥ 76,61; "
           "C ≥ 65,00; D di bawahnya.")

with new_session(engine()) as session:
    tersimpan = list_survei(session, office.id, tahun)
if tersimpan:
    st.dataframe(
        [{"Survei": r["survei"], "Bulan": nama_bulan(r["bulan"]), "Responden": r["responden"],
          "IKM": format_angka(r["ikm"]), "Mutu": r["mutu"], "Diisi oleh": r["oleh"]} for r in tersimpan],
        hide_index=True, width="stretch",
    )
    st.caption("Realisasi IKM tiap bulan adalah survei terakhir yang disimpan untuk bulan itu.")

cara = st.radio("Cara mengisi", ["Unggah jawaban responden", "Ketik jumlah jawaban per unsur"], horizontal=True,
                key="ikm_cara")
answers = counts = hasil = None
if cara.startswith("Unggah"):
    berkas = pilih_berkas("Berkas CSV atau XLSX: satu baris per responden, kolom u1..u9", IKM_XLSX, ["csv", "xlsx"],
                          key="ikm_berkas")
    if berkas is not None:
        try:
            answers = baca_unggahan(berkas, parse_ikm, kunci="ikm_berkas")
        except ValidationError as e:
            masalah(e.problems, "Berkas tidak dapat dipakai:")
        else:
            hasil = compute_ikm(answers)
else:
    kosong = pd.DataFrame({"unsur": [f"U{i} {n}" for i, n in enumerate(UNSUR, 1)], "1": 0, "2": 0, "3": 0, "4": 0})
    tabel = st.data_editor(kosong, key="ikm_rekap", hide_index=True, disabled=["unsur"], width="stretch",
                           column_config={str(k): st.column_config.NumberColumn(str(k), min_value=0, step=1)
                                          for k in range(1, 5)})
    counts = tabel[["1", "2", "3", "4"]].fillna(0).astype(int).values.tolist()
    if sum(map(sum, counts)):
        hasil = compute_ikm_from_counts(counts)

if hasil is not None and hasil.nilai is not None:
    mutu, kinerja = hasil.mutu
    a, b, c = st.columns(3)
    a.metric("IKM", format_angka(hasil.nilai))
    b.metric("Mutu pelayanan", f"{mutu} ({kinerja})")
    c.metric("Responden", format_angka(hasil.responden))
    if populasi:
        minimum = sampel_minimum(int(populasi))
        (st.success if hasil.responden >= minimum else st.warning)(
            f"Sampel minimum (Krejcie-Morgan) untuk populasi {format_angka(populasi)}: {minimum} responden.")
    st.dataframe(pd.DataFrame({"Unsur": UNSUR, "NRR": [format_angka(float(n), 2, 3) if n else "" for n in hasil.nrr]}),
                 hide_index=True, placeholder="–", width="stretch")
    if st.button(f"Simpan sebagai realisasi IKM {nama_bulan(bulan)} {tahun}", type="primary", key="ikm_simpan"):
        try:
            save_survei_ikm(engine(), instansi_id=office.id, tahun=tahun, bulan=bulan, answers=answers,
                            counts=None if answers is not None else counts, populasi=int(populasi) or None,
                            judul=f"{nama_bulan(bulan)} {tahun}", pengguna=user)
        except ValidationError as e:
            masalah(e.problems)
        else:
            st.success(f"IKM {format_angka(hasil.nilai)} tersimpan sebagai realisasi {nama_bulan(bulan)} {tahun}.")
