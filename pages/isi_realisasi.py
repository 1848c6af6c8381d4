"""Monthly entry of a unit's realisations: one grid, one Save, all of it or nothing; then submit it for checking."""

import pandas as pd
import streamlit as st

from kinerja.aturan.format import nama_bulan
from kinerja.baca.entri import entries_from_grid, grid_realisasi
from kinerja.baca.pemeriksaan import bukti_per_indikator, keadaan_bulan, kelengkapan_bulan
from kinerja.baca.unit_saya import info_formulir
from kinerja.dokumen.templat_analisis import parse_analisis_template, preview_analisis
from kinerja.dokumen.templat_baca import parse_template, preview_changes
from kinerja.dokumen.templat_buat import MIME, build_template
from kinerja.dokumen.unggah import TEMPLAT
from kinerja.errors import ValidationError
from kinerja.simpan.analisis import save_templat
from kinerja.simpan.bukti import list_bukti
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from kinerja.simpan.realisasi import periksa_realisasi, save_realisasi
from kinerja.simpan.tanggapan import list_tanggapan
from pages._formulir import formulir_realisasi
from pages._periksa import (
    UMUM,
    bagian_bukti,
    banner_status,
    panel_indikator,
    pesan_langkah,
    simpan_atau_muat_ulang,
    tampil_bentrok,
    tombol_ajukan,
    versi_dilihat,
)
from pages._tampil import BARIS_TINGGI, kunci_grid, masalah, simpan_grid, teks_polos, tinggi
from pages._ui import engine, instansi, pilih_isian, require
from pages._unggah import pilih_berkas

# Widths that fit the grid beside the sidebar on a 1366 px screen, the counts included.
# The name is pinned and wraps; the cells typed into come right after it, the rest follows.
KOLOM = {"kode": ("Kode", 72), "indikator": ("Indikator", 170), "satuan": ("Satuan", 72), "jenis": ("Diisi", 52),
         "nilai": ("Nilai", 64), "pembilang": ("Pembilang", 88), "penyebut": ("Penyebut", 84),
         "keterangan": ("Keterangan", 130), "otomatis": ("Otomatis", 130)}
KOLOM_URUT = ["indikator", "nilai", "pembilang", "penyebut", "keterangan", "satuan", "jenis", "otomatis", "tanggapan",
              "bukti", "kode"]

user = require()
office = instansi(user)
tahun, bulan, unit = pilih_isian(user, office, "isi")

st.title(f"Realisasi {teks_polos(unit.nama)}")
st.caption(f"{nama_bulan(bulan)} {tahun}. Isi nilai bulan ini saja (bukan kumulatif); indikator persentase diisi "
           "pembilang dan penyebut. Angka boleh ditulis 12,5. Kosongkan sel untuk menghapus isian bulan itu.")
with new_session(engine()) as session:
    before = grid_realisasi(session, office, tahun, unit.id, bulan)
    keadaan = keadaan_bulan(session, unit, tahun, bulan)
    lengkap = kelengkapan_bulan(session, office.id, tahun, unit.id, bulan)
    threads = list_tanggapan(session, office.id, tahun, bulan)
    bukti = bukti_per_indikator(session, list_bukti(session, instansi_id=office.id, tahun=tahun, pengguna=user,
                                                    unit_id=unit.id, bulan=bulan))
pesan_langkah()
banner_status(keadaan, office, bulan, tahun)
if before.empty:
    st.info("Unit ini tidak punya indikator yang diisi sendiri; indikatornya dihitung dari unit di bawahnya.")
    st.stop()

otomatis = before["otomatis"] != ""
editor_key = kunci_grid("isi", f"grid_realisasi_{unit.id}_{tahun}_{bulan}")
tampil_bentrok("isi", editor_key)
before = versi_dilihat("isi", editor_key, before)
shown = before.drop(columns="versi").assign(
    tanggapan=pd.array([len(threads.get(k, [])) or None for k in before["kode"]], dtype="Int64"),
    bukti=pd.array([len(bukti.get(k, [])) or None for k in before["kode"]], dtype="Int64"),
)
if st.toggle("Mode formulir (ponsel)", key="isi_formulir",
             help="Satu indikator per layar, dengan tombol sebelumnya dan berikutnya: untuk layar kecil."):
    with new_session(engine()) as session:
        info = info_formulir(load_data_tahun(session, office, tahun, bulan), unit.id, bulan)
    after = formulir_realisasi("isi", editor_key, before, info, terkunci=keadaan.terkunci is not None)
else:
    after = st.data_editor(
        # A locked month gets a grid of its own key: edits typed before it was locked are not shown as if kept.
        shown, key=f"{editor_key}_terkunci" if keadaan.terkunci else editor_key, hide_index=True, width="stretch",
        num_rows="fixed", placeholder="", row_height=BARIS_TINGGI, height=tinggi(len(shown)),
        disabled=True if keadaan.terkunci else ["kode", "indikator", "satuan", "jenis", "otomatis", "tanggapan",
                                                "bukti"],
        column_order=[c for c in KOLOM_URUT if c != "otomatis" or otomatis.any()],
        column_config={k: st.column_config.TextColumn(label, width=w, pinned=k == "indikator")
                       for k, (label, w) in KOLOM.items()} | {
            "tanggapan": st.column_config.NumberColumn("Tanggapan", width=84, help="Pesan atasan dan jawaban Anda"),
            "bukti": st.column_config.NumberColumn("Bukti", width=52, help="Berkas bukti dukung indikator ini")},
    )
if otomatis.any():
    st.caption("Baris bertanda *Otomatis* dihitung sistem (turunan, penyerapan anggaran, IKM/AKIP) dan tidak diisi.")

if keadaan.terkunci is None:
    simpan_grid(
        "Simpan", "isi", editor_key, lambda: entries_from_grid(before, after, bulan),
        lambda entries, yakin: simpan_atau_muat_ulang("isi", editor_key, lambda: save_realisasi(
            engine(), instansi_id=office.id, tahun=tahun, entries=entries, pengguna=user, yakin=yakin)),
        lambda n: f"{n} isian {nama_bulan(bulan)} tersimpan.",
        periksa=lambda entries: periksa_realisasi(engine(), instansi_id=office.id, tahun=tahun, entries=entries,
                                                  pengguna=user)[0],
    )
tombol_ajukan("isi", keadaan, unit, tahun, bulan, user, lengkap, editor_key)

st.subheader("Tanggapan dan bukti dukung")
panel_indikator("isi", list(zip(before["kode"], before["indikator"], strict=True)), threads, bukti, user, office,
                tahun, bulan)
pilihan = dict(zip(before["kode"], before["kode"] + " " + before["indikator"], strict=True))
bagian_bukti("isi", {None: UMUM, **pilihan}, bukti, user, office, unit, tahun, bulan, unggah=keadaan.terkunci is None)

if not (before["otomatis"] == "").any():
    st.stop()
st.subheader("Isi lewat Excel")
st.caption("Unduh templat setahun unit ini, isi per bulan, lalu unggah kembali. Sel kosong tidak mengubah isian.")
eng = engine()


def _templat() -> bytes:
    with new_session(eng) as session:
        return build_template(session, office, tahun, [unit.kode])


st.download_button("Unduh templat Excel", _templat, file_name=f"realisasi-{tahun}-{unit.kode}.xlsx", mime=MIME,
                   key="isi_templat_unduh", on_click="ignore")
berkas = pilih_berkas("Unggah templat .xlsx yang sudah diisi", TEMPLAT, ["xlsx"],
                      key=f"isi_templat_{st.session_state.get('isi_templat_n', 0)}")
if berkas is None:
    st.stop()
try:
    with new_session(eng) as session:
        allowed = None if user.peran == "admin" else {user.unit_id}
        entries = parse_template(berkas.getvalue(), session, office, tahun, allowed, name=berkas.name)
        changes = preview_changes(session, office, tahun, entries)
        analisis = parse_analisis_template(berkas.getvalue(), session, office, tahun, allowed, name=berkas.name)
        changes += preview_analisis(session, office, tahun, analisis)  # the "Analisis <unit>" sheets
except ValidationError as e:
    masalah(e.problems, "Berkas tidak diimpor, tidak ada yang disimpan. Perbaiki dulu:")
    st.stop()
if not changes:
    st.info("Berkas ini tidak mengubah isian apa pun.")
    st.stop()
st.dataframe(changes, hide_index=True, placeholder="–", width="stretch", column_config={
    "kode": "Kode", "indikator": "Indikator", "bulan": "Bulan", "lama": "Lama", "baru": "Baru"})
_, peringatan = periksa_realisasi(eng, instansi_id=office.id, tahun=tahun, entries=entries, pengguna=user)
yakin = False
if peringatan:
    st.warning("Angka berikut di luar batas wajar. Periksa lagi berkasnya; simpan hanya bila angkanya memang benar:\n"
               + "\n".join(f"- {teks_polos(p)}" for p in peringatan))
    yakin = st.checkbox("Ya, angka ini benar", key="isi_templat_yakin")
if st.button(f"Simpan semua ({len(changes)} perubahan)", type="primary", key="isi_templat_simpan",
             disabled=bool(peringatan) and not yakin):
    try:
        n = sum(save_templat(eng, instansi_id=office.id, tahun=tahun, realisasi=entries, analisis=analisis,
                             pengguna=user, yakin=yakin))
    except ValidationError as e:
        masalah(e.problems)
    else:
        st.session_state["isi_templat_n"] = st.session_state.get("isi_templat_n", 0) + 1
        st.session_state["isi_generasi"] = st.session_state.get("isi_generasi", 0) + 1
        st.session_state["isi_pesan"] = (kunci_grid("isi", f"grid_realisasi_{unit.id}_{tahun}_{bulan}"),
                                         f"{n} isian dari {berkas.name} tersimpan.")
        st.rerun()
