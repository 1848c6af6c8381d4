"""Admin: the audit trail — who changed what and when, from what to what; per indicator, user, unit, year; CSV."""

import streamlit as st

from kinerja.simpan.auth import list_users
from kinerja.simpan.db import new_session
from kinerja.simpan.jejak import TABEL_LABEL, export_jejak_csv, list_jejak_tahun, list_riwayat
from kinerja.simpan.queries import list_tahun, list_units
from pages._tampil import BARIS_TINGGI
from pages._ui import engine, instansi, require

user = require()
office = instansi(user)
st.title("Riwayat perubahan")
st.caption(f"Setiap perubahan tercatat dan tidak dapat diubah atau dihapus, juga oleh basis datanya sendiri: "
           f"siapa, kapan, nilai sebelum dan sesudah, dan alasannya. Waktu setempat (zona {office.zona_waktu}).")
with new_session(engine()) as session:
    years = list_tahun(session, office.id, draf=True)
    units = {u.kode: u.nama for u in list_units(session, office.id)}
c1, c2, c3, c4 = st.columns(4)
tahun = c1.selectbox("Tahun", years, key="riwayat_tahun")
pilihan = {"": "Semua", **TABEL_LABEL}
tabel = c2.selectbox("Jenis data", list(pilihan), format_func=pilihan.get, key="riwayat_tabel")
unit = c3.selectbox("Unit", ["", *units], format_func=lambda k: units.get(k, "Semua"), key="riwayat_unit")
oleh = c4.text_input("Pengguna", key="riwayat_oleh", placeholder="nama pengguna")
kode = st.text_input("Riwayat satu indikator atau sub kegiatan (kode)", key="riwayat_kode",
                     placeholder="mis. IK-6.1.1: nilai tiap bulan, tanggapan, bukti, dan langkah verifikasi unitnya")
with new_session(engine()) as session:
    rows = list_riwayat(session, office, tabel or None, oleh=oleh.strip() or None, tahun=tahun,
                        unit_kode=unit or None, kode=kode.strip() or None)
if not rows:
    st.info("Tidak ada perubahan tercatat untuk pilihan ini.")
else:
    st.caption(f"{len(rows)} perubahan terakhir (paling banyak 500).")
    # Names in place of codes: the user's full name (the username after it) and the unit's name.
    nama = {p.username: f"{p.nama} ({p.username})" for p in list_users(engine(), office.id)}

    def item(text: str) -> str:
        kode, sep, rest = text.partition(" — ")
        return f"{units[kode]}{sep}{rest}" if sep and kode in units else text

    st.dataframe(
        [{"Waktu": r.waktu, "Pengguna": nama.get(r.pengguna, r.pengguna), "Data": r.data, "Item": item(r.item),
          "Aksi": r.aksi, "Sebelum": r.sebelum, "Sesudah": r.sesudah, "Alasan": r.alasan} for r in rows],
        hide_index=True, width="stretch", placeholder="–", row_height=BARIS_TINGGI, key="riwayat_tabel_jejak",
        column_config={"Waktu": st.column_config.TextColumn("Waktu", width=150, pinned=True),
                       "Item": st.column_config.TextColumn("Item", width=220),
                       "Sebelum": st.column_config.TextColumn("Sebelum", width=180),
                       "Sesudah": st.column_config.TextColumn("Sesudah", width=180)},
    )


def _csv() -> bytes:
    with new_session(engine()) as session:
        return export_jejak_csv(list_jejak_tahun(session, office.id, tahun))


st.download_button(f"Unduh seluruh jejak {tahun} (CSV)", _csv, file_name=f"jejak-{tahun}.csv", mime="text/csv",
                   key="riwayat_unduh", on_click="ignore", icon=":material/download:")
