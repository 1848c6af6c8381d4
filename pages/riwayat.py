"""Admin: the audit trail — who changed which realisation, target, pagu or version, when, from what to what."""

import json
from decimal import Decimal, InvalidOperation

import streamlit as st

from kinerja.db import new_session
from kinerja.format import format_angka
from kinerja.queries import list_jejak
from pages._ui import engine, instansi, require

TABEL = {"": "Semua", "realisasi": "Realisasi", "realisasi_anggaran": "Realisasi anggaran", "target": "Target",
         "pagu": "Pagu", "versi": "Versi perjanjian"}

user = require("admin")
office = instansi(user)
st.title("Riwayat perubahan")
st.caption("Setiap perubahan tercatat dan tidak dapat diubah: siapa, kapan, nilai sebelum dan sesudah. "
           "Menampilkan 500 perubahan terakhir.")
tabel = st.selectbox("Jenis data", list(TABEL), format_func=TABEL.get, key="riwayat_tabel")
with new_session(engine()) as session:
    rows = list_jejak(session, office.id, tabel or None)
if not rows:
    st.info("Belum ada perubahan yang tercatat.")
    st.stop()


def _ringkas(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return ", ".join(f"{k}: {_angka(v)}" for k, v in data.items() if v not in (None, ""))


def _angka(value: object) -> str:
    try:
        return format_angka(Decimal(str(value)), 0, 4)
    except InvalidOperation:
        return str(value)


st.dataframe(
    [{"Waktu (UTC)": r.waktu.strftime("%d-%m-%Y %H:%M"), "Pengguna": r.pengguna, "Data": TABEL.get(r.tabel, r.tabel),
      "Kunci": r.kunci, "Aksi": r.aksi, "Sebelum": _ringkas(r.sebelum), "Sesudah": _ringkas(r.sesudah)} for r in rows],
    hide_index=True, width="stretch", placeholder="–",
)
