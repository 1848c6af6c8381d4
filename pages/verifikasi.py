"""Pimpinan: the unit-months waiting for your check, oldest first; read figures, evidence and threads, then decide."""

import pandas as pd
import streamlit as st

from kinerja.aturan.format import nama_bulan
from kinerja.baca.pemeriksaan import (
    bukti_per_indikator,
    daftar_menunggu,
    keadaan_bulan,
    lama_menunggu,
    lembar_anggaran,
    lembar_indikator,
)
from kinerja.errors import ValidationError
from kinerja.simpan.bukti import list_bukti
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from kinerja.simpan.tanggapan import list_tanggapan
from kinerja.simpan.verifikasi import LABEL, kotak_masuk, ubah_status
from pages._periksa import UMUM, banner_status, daftar_bukti, panel_indikator, pesan_langkah
from pages._tampil import masalah, tabel, teks_polos
from pages._ui import engine, instansi, require

LANGKAH = {"verifikasi": ("Verifikasi", "diverifikasi"), "sahkan": ("Sahkan", "disahkan")}

user = require()
office = instansi(user)
st.title("Verifikasi")
pesan_langkah()
pemeriksa = user.peran == "pimpinan"
if pemeriksa:
    antrean = kotak_masuk(engine(), user)
    st.caption("Isian unit yang menunggu verifikasi atau pengesahan Anda, yang paling lama menunggu di atas.")
else:
    with new_session(engine()) as session:
        antrean = daftar_menunggu(session, office.id)
    st.caption("Semua isian yang menunggu pemeriksaan pimpinan. Admin melihat dan dapat menanggapi; verifikasi dan "
               "pengesahan dilakukan pimpinan yang ditunjuk.")
if not antrean:
    st.info("Tidak ada isian yang menunggu verifikasi atau pengesahan " + ("Anda." if pemeriksa else "saat ini."),
            icon=":material/inbox:")
    st.stop()

st.dataframe([{"Unit": m.unit.nama, "Bulan": f"{nama_bulan(m.bulan)} {m.tahun}", "Status": LABEL[m.status],
               "Langkah": LANGKAH[m.aksi][0], "Menunggu": lama_menunggu(m.sejak)} for m in antrean],
             hide_index=True, width="stretch")
by_key = {(m.unit.id, m.tahun, m.bulan): m for m in antrean}
m = by_key[st.selectbox("Periksa isian", list(by_key), key="ver_pilih", format_func=lambda k: (
    f"{by_key[k].unit.nama} — {nama_bulan(k[2])} {k[1]} ({LABEL[by_key[k].status].lower()}, "
    f"{lama_menunggu(by_key[k].sejak)})"))]

with new_session(engine()) as session:
    data_tahun = load_data_tahun(session, office, m.tahun, m.bulan)
    keadaan = keadaan_bulan(session, m.unit, m.tahun, m.bulan)
    anggaran = lembar_anggaran(session, data_tahun, m.unit.id, m.bulan)
    threads = list_tanggapan(session, office.id, m.tahun, m.bulan)
    bukti = bukti_per_indikator(session, list_bukti(session, instansi_id=office.id, tahun=m.tahun, pengguna=user,
                                                    unit_id=m.unit.id, bulan=m.bulan))
indikator = lembar_indikator(data_tahun, m.unit.id, m.bulan)
bulan = nama_bulan(m.bulan)

st.header(f"{teks_polos(m.unit.nama)} · {bulan} {m.tahun}", divider="gray")
banner_status(keadaan, office, m.bulan, m.tahun, kunci=False)
st.subheader("Indikator")
st.dataframe(
    indikator.assign(
        target=indikator["target"] + " " + indikator["satuan"],
        tanggapan=pd.array([len(threads.get(k, [])) or None for k in indikator["kode"]], dtype="Int64"),
        bukti=pd.array([len(bukti.get(k, [])) or None for k in indikator["kode"]], dtype="Int64")),
    hide_index=True, width="stretch", placeholder="", column_order=[
        "kode", "indikator", "target", "bulan_ini", "sd_bulan", "keterangan", "tanggapan", "bukti"], column_config={
        "kode": st.column_config.TextColumn("Kode", width=72),
        "indikator": st.column_config.TextColumn("Indikator", width="medium"),
        "target": st.column_config.TextColumn("Target tahunan", width=110),
        "bulan_ini": st.column_config.TextColumn(f"Realisasi {bulan}", width=120),
        "sd_bulan": st.column_config.TextColumn(f"s.d. {bulan}", width=120),
        "keterangan": st.column_config.TextColumn("Keterangan", width=140),
        "tanggapan": st.column_config.NumberColumn("Tanggapan", width=84),
        "bukti": st.column_config.NumberColumn("Bukti", width=52)})
if not anggaran.empty:
    st.subheader("Anggaran")
    st.dataframe(tabel(anggaran, rupiah=("pagu", "bulan_ini", "sd_bulan"), persen=("penyerapan",)),
                 hide_index=True, width="stretch", placeholder="–", column_config={
                     "kode": st.column_config.TextColumn("Kode", width=60),
                     "sub_kegiatan": st.column_config.TextColumn("Sub kegiatan", width="medium"),
                     "pagu": st.column_config.TextColumn("Pagu", width=120),
                     "bulan_ini": st.column_config.TextColumn(f"Realisasi {bulan}", width=120),
                     "sd_bulan": st.column_config.TextColumn(f"s.d. {bulan}", width=120),
                     "penyerapan": st.column_config.TextColumn("Penyerapan", width=90),
                     "keterangan": st.column_config.TextColumn("Keterangan", width=150)})

st.subheader("Tanggapan dan bukti per indikator")
ringkas = {r.kode: f"Realisasi {bulan}: **{teks_polos(r.bulan_ini) or '–'}** · s.d. {bulan}: "
                   f"**{teks_polos(r.sd_bulan) or '–'}** · target tahunan {teks_polos(r.target)} {teks_polos(r.satuan)}"
           for r in indikator.itertuples()}
panel_indikator("ver", list(zip(indikator["kode"], indikator["indikator"], strict=True)), threads, bukti, user, office,
                m.tahun, m.bulan, ringkas=ringkas)
st.markdown(f"**{UMUM}**")
if bukti.get(None):
    daftar_bukti("ver", bukti[None], user, office)
else:
    st.caption("Tidak ada berkas untuk seluruh bulan ini.")

if not pemeriksa:
    st.stop()
st.subheader("Keputusan")
label, hasil = LANGKAH[m.aksi]
catatan = st.text_area("Catatan untuk unit (wajib bila dikembalikan)", placeholder="Sebutkan indikator dan apa yang "
                       "harus diperbaiki", key=f"ver_catatan_{m.unit.id}_{m.tahun}_{m.bulan}")
setuju, kembalikan = st.columns([1, 4])
aksi = None
if setuju.button(label, type="primary", key="ver_setuju", icon=":material/check:"):
    aksi = m.aksi
if kembalikan.button("Kembalikan", key="ver_kembalikan", icon=":material/undo:"):
    aksi = "kembalikan"
if aksi:
    try:
        ubah_status(engine(), unit_id=m.unit.id, tahun=m.tahun, bulan=m.bulan, aksi=aksi, catatan=catatan,
                    pengguna=user)
    except ValidationError as e:
        masalah(e.problems, "Belum diputuskan:")
    else:
        kata = hasil if aksi != "kembalikan" else "dikembalikan dengan catatan"
        st.session_state["periksa_pesan"] = f"{teks_polos(m.unit.nama)} {bulan} {m.tahun} {kata}."
        st.rerun()
