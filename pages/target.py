"""Admin: annual targets and the cumulative Rencana Aksi per triwulan of each indicator."""

from decimal import Decimal

import streamlit as st

from kinerja.aturan.angka import AngkaError, parse_angka
from kinerja.aturan.format import format_sel
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import list_baris
from kinerja.simpan.revisi import changes_from_target_grid, save_targets, simpan_batas_cek, target_grid
from pages._tampil import kunci_grid, masalah, simpan_grid
from pages._ui import engine, instansi, pilih_versi, require

user = require()
office = instansi(user)
tahun, versi = pilih_versi(office, "target")
with new_session(engine()) as session:
    before = target_grid(list_baris(session, versi))

st.title(f"Target dan Rencana Aksi {tahun}")
st.caption("Rencana Aksi = target kumulatif s.d. triwulan. Kosongkan TW I-IV untuk memakai nilai bawaan "
           "(jumlah dan anggaran: target × triwulan / 4; lainnya: target tahunan). *Batas wajar* adalah nilai "
           "satu bulan yang masih dianggap wajar; di atasnya operator diminta memastikan angkanya. Kosongkan untuk "
           "memakai bawaan (jumlah: target setahun; rata-rata dan terakhir: dua kali target; persentase: 100).")
if versi.status == "terbit":
    st.warning("Versi ini sudah terbit. Perubahan target di tengah tahun sebaiknya lewat **PK Perubahan**, "
               "agar capaian yang sudah dilaporkan tidak berubah.")
editor_key = kunci_grid("target", f"grid_target_{versi.id}")
after = st.data_editor(
    before, key=editor_key, hide_index=True, width="stretch", num_rows="fixed",
    disabled=["kode", "indikator", "satuan", "unit", "bawaan", "batas_bawaan"],
    column_config={"kode": "Kode", "indikator": st.column_config.TextColumn("Indikator", width="large"),
                   "satuan": "Satuan", "unit": "Unit", "tahunan": "Target tahunan", "tw1": "s.d. TW I",
                   "tw2": "s.d. TW II", "tw3": "s.d. TW III", "tw4": "s.d. TW IV", "bawaan": "Bawaan TW I-IV",
                   "batas_wajar": "Batas wajar / bulan", "batas_bawaan": "Batas bawaan"},
)
simpan_grid(
    "Simpan target", "target", editor_key, lambda: changes_from_target_grid(before, after),
    lambda changes, _yakin: save_targets(engine(), versi_id=versi.id, changes=changes, pengguna=user),
    lambda n: f"{n} target tersimpan.",
)

with st.expander("Batas cek capaian", icon=":material/rule:"):
    st.caption("Capaian di atas batas ini ditandai *perlu dicek* di layar pimpinan, di samping kategorinya.")
    teks = st.text_input("Batas (%)", value=format_sel(office.batas_cek_capaian), key="target_batas_cek")
    if st.button("Simpan batas", key="target_batas_simpan"):
        try:
            simpan_batas_cek(engine(), instansi_id=office.id, nilai=parse_angka(teks) or Decimal(0), pengguna=user)
        except (ValidationError, AngkaError) as e:
            masalah(getattr(e, "problems", [str(e)]))
        else:
            st.success(f"Batas cek capaian {teks} % tersimpan.")
