"""Monthly entry of a unit's budget realisation per sub-kegiatan, in whole Rupiah; then submit it for checking."""

import streamlit as st

from kinerja.aturan.angka import RUPIAH, parse_angka
from kinerja.aturan.format import format_rupiah, nama_bulan
from kinerja.baca.entri import entries_anggaran_from_grid, grid_anggaran
from kinerja.baca.pemeriksaan import bukti_per_indikator, keadaan_bulan, kelengkapan_bulan
from kinerja.simpan.bukti import list_bukti
from kinerja.simpan.db import new_session
from kinerja.simpan.realisasi import periksa_realisasi_anggaran, save_realisasi_anggaran
from pages._periksa import (
    UMUM,
    bagian_bukti,
    banner_status,
    pesan_langkah,
    simpan_atau_muat_ulang,
    tampil_bentrok,
    tombol_ajukan,
    versi_dilihat,
)
from pages._tampil import BARIS_TINGGI, kunci_grid, simpan_grid, teks_polos, tinggi
from pages._ui import engine, instansi, pilih_isian, require

user = require()
office = instansi(user)
tahun, bulan, unit = pilih_isian(user, office, "ang")

st.title(f"Realisasi anggaran {teks_polos(unit.nama)}")
st.caption(f"{nama_bulan(bulan)} {tahun}. Rupiah yang dibelanjakan bulan ini per sub kegiatan, boleh ditulis "
           "1250000, 1.250.000 atau Rp 1.250.000. Kosongkan sel untuk menghapus.")
with new_session(engine()) as session:
    before = grid_anggaran(session, office, tahun, unit.id, bulan)
    keadaan = keadaan_bulan(session, unit, tahun, bulan)
    lengkap = kelengkapan_bulan(session, office.id, tahun, unit.id, bulan)
    bukti = bukti_per_indikator(session, list_bukti(session, instansi_id=office.id, tahun=tahun, pengguna=user,
                                                    unit_id=unit.id, bulan=bulan))
pesan_langkah()
banner_status(keadaan, office, bulan, tahun)
if before.empty:
    st.info("Unit ini tidak mengelola sub kegiatan.")
    st.stop()

# Rupiah the Indonesian way in every cell, the typed one too ("Rp 10.745.500"; the parser reads it back, and
# reads 10745500 or 10.745.500 just as well).
before = before.assign(realisasi=[format_rupiah(parse_angka(v, RUPIAH)) for v in before["realisasi"]])
shown = before.drop(columns="versi").assign(pagu=before["pagu"].map(format_rupiah),
                                            sebelumnya=before["sebelumnya"].map(format_rupiah))
editor_key = kunci_grid("ang", f"grid_anggaran_{unit.id}_{tahun}_{bulan}")
tampil_bentrok("ang", editor_key)
before = versi_dilihat("ang", editor_key, before)
after = st.data_editor(
    # A locked month gets a grid of its own key: edits typed before it was locked are not shown as if kept.
    shown, key=f"{editor_key}_terkunci" if keadaan.terkunci else editor_key, hide_index=True, width="stretch",
    num_rows="fixed", row_height=BARIS_TINGGI, height=tinggi(len(shown)),
    disabled=True if keadaan.terkunci else ["kode", "sub_kegiatan", "pagu", "sebelumnya"],
    # Kode and the name stay pinned while the Keterangan is typed; the Rupiah typed into come first after them.
    column_order=["kode", "sub_kegiatan", "realisasi", "keterangan", "sebelumnya", "pagu"],
    column_config={
        "kode": st.column_config.TextColumn("Kode", width=64, pinned=True),
        "sub_kegiatan": st.column_config.TextColumn("Sub kegiatan", width=170, pinned=True),
        "pagu": st.column_config.TextColumn("Pagu", width=135),
        "sebelumnya": st.column_config.TextColumn("Realisasi s.d. bulan lalu", width=135),
        "realisasi": st.column_config.TextColumn("Realisasi bulan ini (Rp)", width=150),
        "keterangan": st.column_config.TextColumn("Keterangan", width=180),
    },
)
if keadaan.terkunci is None:
    simpan_grid(
        "Simpan", "ang", editor_key, lambda: entries_anggaran_from_grid(before, after, bulan),
        lambda entries, _yakin: simpan_atau_muat_ulang("ang", editor_key, lambda: save_realisasi_anggaran(
            engine(), instansi_id=office.id, tahun=tahun, entries=entries, pengguna=user)),
        lambda n: f"{n} isian anggaran {nama_bulan(bulan)} tersimpan.",
        periksa=lambda entries: periksa_realisasi_anggaran(engine(), instansi_id=office.id, tahun=tahun,
                                                           entries=entries, pengguna=user),
    )
tombol_ajukan("ang", keadaan, unit, tahun, bulan, user, lengkap, editor_key)

st.subheader("Bukti dukung bulan ini")
bagian_bukti("ang", {None: UMUM}, bukti, user, office, unit, tahun, bulan, unggah=keadaan.terkunci is None)
