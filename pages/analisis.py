"""Analisis triwulan: the unit explains each indicator's figures; the pimpinan adds a recommendation."""

import streamlit as st

from kinerja.aturan.capaian import ROMAWI, bulan_akhir
from kinerja.baca.analisis_tabel import WAJIB_DIISI, entri_dari_grid, tabel_analisis, tampilan, unit_analisis
from kinerja.baca.ringkasan import latest_triwulan
from kinerja.simpan.analisis import KOLOM_PIMPINAN, KOLOM_UNIT, LABEL_KOLOM, save_analisis
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import load_data_tahun
from kinerja.simpan.verifikasi import alasan_terkunci
from pages._periksa import simpan_atau_muat_ulang, tampil_bentrok, versi_dilihat
from pages._tampil import BARIS_TINGGI, kunci_grid, simpan_grid, teks_polos, tinggi
from pages._ui import engine, instansi, pilih_tahun, pilih_triwulan, require

user = require()
office = instansi(user)
c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    tahun = pilih_tahun(office, key="analisis_tahun")
with new_session(engine()) as session:
    data_tahun = load_data_tahun(session, office, tahun)
    units = unit_analisis(data_tahun)
with c2:
    triwulan = pilih_triwulan(latest_triwulan(data_tahun.data), key="analisis_triwulan", label="Triwulan")
with c3:
    if user.peran == "operator":
        unit = next((u for u in units if u.id == user.unit_id), None)
        st.text_input("Unit", unit.nama if unit else "-", disabled=True, key="analisis_unit_saya")
    else:
        unit = st.selectbox("Unit", units, format_func=lambda u: u.nama, key="analisis_unit")

st.title(f"Analisis triwulan {ROMAWI[triwulan]} {tahun}")
if unit is None:
    st.info("Unit Anda tidak memiliki indikator pada tahun ini.")
    st.stop()
st.caption(f"{teks_polos(unit.nama)}. Capaian s.d. triwulan {ROMAWI[triwulan]} menurut Rencana Aksi. Indikator "
           f"bertanda *{WAJIB_DIISI}* (kategori Sedang ke bawah, capaian < 76 %) harus diisi faktor penghambat dan "
           "rencana tindak lanjutnya sebelum bulan terakhir triwulan dapat diajukan.")
with new_session(engine()) as session:
    before = tabel_analisis(session, office, tahun, triwulan, unit.id)
    terkunci = alasan_terkunci(session, unit, tahun, bulan_akhir(triwulan))
isi_unit = user.peran in ("admin", "operator") and terkunci is None
isi_rekomendasi = user.peran in ("admin", "pimpinan")
if terkunci and user.peran != "pimpinan":
    st.info(f"Isian unit terkunci: {teks_polos(terkunci)}. Rekomendasi pimpinan tetap dapat ditulis.")

editor_key = kunci_grid("analisis", f"grid_analisis_{unit.id}_{tahun}_{triwulan}")
tampil_bentrok("analisis", editor_key)
before = versi_dilihat("analisis", editor_key, before)
terbuka = [*(KOLOM_UNIT if isi_unit else ()), *((KOLOM_PIMPINAN,) if isi_rekomendasi else ())]
teks = {k: st.column_config.TextColumn(LABEL_KOLOM[k], width=190, max_chars=2000) for k in (*KOLOM_UNIT,
                                                                                             KOLOM_PIMPINAN)}
after = st.data_editor(
    tampilan(before), key=editor_key, hide_index=True, width="stretch", num_rows="fixed",
    row_height=BARIS_TINGGI, height=tinggi(len(before)), placeholder="",
    disabled=[c for c in before.columns if c not in terbuka],
    column_order=["indikator", "wajib", "capaian_sd_tw", "kategori", "realisasi_sd_tw", "target_sd_tw", "satuan",
                  *KOLOM_UNIT, KOLOM_PIMPINAN, "kode"],
    column_config=teks | {
        "kode": st.column_config.TextColumn("Kode", width=72),
        "indikator": st.column_config.TextColumn("Indikator", width=170, pinned=True),
        "wajib": st.column_config.TextColumn("Analisis", width=90),
        "capaian_sd_tw": st.column_config.TextColumn("Capaian s.d. TW", width=95),
        "kategori": st.column_config.TextColumn("Kategori", width=100),
        "realisasi_sd_tw": st.column_config.TextColumn("Realisasi s.d. TW", width=95),
        "target_sd_tw": st.column_config.TextColumn("Target s.d. TW", width=90),
        "satuan": st.column_config.TextColumn("Satuan", width=72),
    },
)
if terbuka:
    simpan_grid(
        "Simpan analisis", "analisis", editor_key,
        lambda: (entri_dari_grid(before, after, pimpinan=isi_rekomendasi, unit=isi_unit), []),
        lambda entries, _yakin: simpan_atau_muat_ulang("analisis", editor_key, lambda: save_analisis(
            engine(), instansi_id=office.id, tahun=tahun, triwulan=triwulan, entries=entries, pengguna=user)),
        lambda n: f"Analisis {n} indikator tersimpan.",
    )
