"""Monthly entry of a unit's realisations: one grid, one Save, all of it or nothing."""

import streamlit as st

from kinerja.db import new_session
from kinerja.entri import entries_from_grid, grid_realisasi
from kinerja.errors import ValidationError
from kinerja.format import nama_bulan
from kinerja.realisasi import periksa_realisasi, save_realisasi
from kinerja.template import MIME, build_template, parse_template, preview_changes
from pages._tampil import kunci_grid, masalah, simpan_grid, teks_polos
from pages._ui import engine, instansi, pilih_isian, require

user = require("admin", "operator")
office = instansi(user)
tahun, bulan, unit = pilih_isian(user, office, "isi")

st.title(f"Realisasi {unit.nama}")
st.caption(f"{nama_bulan(bulan)} {tahun}. Isi nilai bulan ini saja (bukan kumulatif); indikator persentase diisi "
           "pembilang dan penyebut. Angka boleh ditulis 12,5. Kosongkan sel untuk menghapus isian bulan itu.")
with new_session(engine()) as session:
    before = grid_realisasi(session, office, tahun, unit.id, bulan)
if before.empty:
    st.info("Unit ini tidak punya indikator yang diisi sendiri; indikatornya dihitung dari unit di bawahnya.")
    st.stop()

locked = before["otomatis"] != ""
editor_key = kunci_grid("isi", f"grid_realisasi_{unit.id}_{tahun}_{bulan}")
after = st.data_editor(
    before, key=editor_key, hide_index=True, width="stretch", num_rows="fixed",
    disabled=["kode", "indikator", "satuan", "jenis", "otomatis"],
    column_order=[c for c in before.columns if c != "otomatis" or locked.any()],
    column_config={
        "kode": "Kode", "indikator": st.column_config.TextColumn("Indikator", width="medium"), "satuan": "Satuan",
        "jenis": "Diisi", "nilai": "Nilai", "pembilang": "Pembilang", "penyebut": "Penyebut",
        "keterangan": st.column_config.TextColumn("Keterangan", width="medium"), "otomatis": "Otomatis",
    },
)
if locked.any():
    st.caption("Baris bertanda *Otomatis* dihitung sistem (turunan, penyerapan anggaran, IKM/AKIP) dan tidak diisi.")

simpan_grid(
    "Simpan", "isi", editor_key, lambda: entries_from_grid(before, after, bulan),
    lambda entries, yakin: save_realisasi(engine(), instansi_id=office.id, tahun=tahun, entries=entries,
                                          pengguna=user, yakin=yakin),
    lambda n: f"{n} isian {nama_bulan(bulan)} tersimpan.",
    periksa=lambda entries: periksa_realisasi(engine(), instansi_id=office.id, tahun=tahun, entries=entries,
                                              pengguna=user)[0],
)

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
berkas = st.file_uploader("Unggah templat yang sudah diisi", type=["xlsx"],
                          key=f"isi_templat_{st.session_state.get('isi_templat_n', 0)}")
if berkas is None:
    st.stop()
try:
    with new_session(eng) as session:
        allowed = None if user.peran == "admin" else {user.unit_id}
        entries = parse_template(berkas.getvalue(), session, office, tahun, allowed, name=berkas.name)
        changes = preview_changes(session, office, tahun, entries)
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
        n = save_realisasi(eng, instansi_id=office.id, tahun=tahun, entries=entries, pengguna=user, yakin=yakin)
    except ValidationError as e:
        masalah(e.problems)
    else:
        st.session_state["isi_templat_n"] = st.session_state.get("isi_templat_n", 0) + 1
        st.session_state["isi_generasi"] = st.session_state.get("isi_generasi", 0) + 1
        st.session_state["isi_pesan"] = (kunci_grid("isi", f"grid_realisasi_{unit.id}_{tahun}_{bulan}"),
                                         f"{n} isian dari {berkas.name} tersimpan.")
        st.rerun()
