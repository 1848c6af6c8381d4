"""Admin: a PK Perubahan — a new version of the year's agreements, in force from a month on."""

from datetime import date

import streamlit as st

from kinerja.aturan.format import nama_bulan
from kinerja.dokumen.dokumen_pk import build_pk_docx, load_isi_pk
from kinerja.dokumen.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.dokumen.unggah import PK_XLSX
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import NotFound, list_tahun, list_units, list_versi
from kinerja.simpan.revisi import copy_tahun, create_perubahan, publish_versi
from pages._tampil import masalah
from pages._ui import engine, instansi, pilih_tahun, require
from pages._unggah import pilih_berkas

user = require()
office = instansi(user)
tahun = pilih_tahun(office, key="revisi_tahun", draf=True)
st.title(f"Versi Perjanjian Kinerja {tahun}")
with new_session(engine()) as session:
    versions = list_versi(session, office.id, tahun)
    years_all = list_tahun(session, office.id, draf=True)
st.dataframe(
    [{"Versi": v.nama, "Ditetapkan": v.tanggal.strftime("%d-%m-%Y"), "Berlaku sejak": nama_bulan(v.berlaku_bulan),
      "Status": v.status} for v in versions],
    hide_index=True, placeholder="–", width="stretch",
)
st.caption("Capaian tiap triwulan dihitung dengan versi yang berlaku di akhir triwulan itu; versi lama tetap disimpan.")

with st.expander("Cetak dokumen Perjanjian Kinerja", icon=":material/print:"):
    versi_cetak = st.selectbox("Versi", versions, index=len(versions) - 1, format_func=lambda v: v.nama,
                               key="cetak_versi")
    with new_session(engine()) as session:
        units = list_units(session, office.id)
        unit = st.selectbox("Unit", units, format_func=lambda u: u.nama, key="cetak_unit")
        try:
            isi = load_isi_pk(session, versi_cetak, unit.kode)
        except NotFound as e:
            isi = None
            st.info(str(e))
    if isi is not None:
        st.download_button("Unduh dokumen PK (.docx)", build_pk_docx(isi), f"pk-{tahun}-{unit.kode.lower()}.docx",
                           key="cetak_docx", icon=":material/description:")

draft = next((v for v in versions if v.status == "draf"), None)
if draft:
    st.info(f"**{draft.nama}** masih draf: ubah target di menu **Target & rencana aksi**, lalu terbitkan.")
    if st.button(f"Terbitkan {draft.nama}", type="primary", key="revisi_terbit"):
        try:
            publish_versi(engine(), versi_id=draft.id, pengguna=user)
        except ValidationError as e:
            masalah(e.problems)
        else:
            st.rerun()
else:
    with st.form("revisi_baru"):
        st.subheader("Buat PK Perubahan")
        nama = st.text_input("Nama", value=f"PK Perubahan {len(versions)}", key="revisi_nama")
        tanggal = st.date_input("Tanggal penetapan", value=date(tahun, 10, 1), format="DD/MM/YYYY",
                                key="revisi_tanggal")
        bulan = st.selectbox("Berlaku sejak bulan", list(range(1, 13)), index=9, format_func=nama_bulan,
                             key="revisi_bulan")
        if st.form_submit_button("Buat draf dari versi terakhir"):
            try:
                create_perubahan(engine(), instansi_id=office.id, tahun=tahun, nama=nama, tanggal=tanggal,
                                 berlaku_bulan=bulan, pengguna=user)
            except ValidationError as e:
                masalah(e.problems)
            else:
                st.rerun()

st.divider()
st.subheader(f"Siapkan tahun {tahun + 1}")
st.caption("Menyalin struktur tahun ini (unit, perjanjian, indikator, pengaturan agregasi, target, pohon anggaran dan "
           "pagu) ke tahun berikutnya sebagai draf PK Awal, tanpa realisasi. Ubah target dan pagunya, lalu terbitkan.")
if st.button(f"Salin {tahun} ke {tahun + 1}", key="revisi_salin", disabled=tahun + 1 in years_all):
    try:
        copy_tahun(engine(), instansi_id=office.id, dari=tahun, ke=tahun + 1, tanggal=date(tahun + 1, 1, 2),
                   pengguna=user)
    except ValidationError as e:
        masalah(e.problems)
    else:
        st.success(f"Draf {tahun + 1} dibuat. Pilih tahun {tahun + 1} di atas untuk mengubah dan menerbitkannya.")

with st.expander("Perjanjian Kinerja dalam Excel (format folder data/)", icon=":material/table:"):
    with new_session(engine()) as session:
        st.download_button(f"Unduh PK {tahun} (.xlsx)", export_pk_xlsx(session, versions[-1]), f"pk-{tahun}.xlsx",
                           key="pk_xlsx_unduh", icon=":material/download:")
    st.caption("Ubah tahun di lembar *info*, isi target dan pagu, lalu unggah: dimuat sebagai draf tahun baru.")
    berkas = pilih_berkas("Unggah PK (.xlsx)", PK_XLSX, ["xlsx"], key="pk_xlsx_unggah")
    if berkas is not None and st.button("Impor sebagai draf", key="pk_xlsx_impor"):
        try:
            st.success(import_pk_xlsx(engine(), berkas.getvalue(), berkas.name, pengguna=user))
        except ValidationError as e:
            masalah(e.problems, "Berkas tidak dimuat:")
