"""The phone form of the monthly entry: one indicator per screen, with previous / next.

It edits the same rows as the grid and returns them as the grid would (`after`), so the page saves
through the same `simpan_grid` path: the same parser, checks, soft-limit confirmation, locks and versi.
"""

import pandas as pd
import streamlit as st

from kinerja.baca.unit_saya import InfoFormulir
from pages._tampil import teks_polos


def formulir_realisasi(prefix: str, editor_key: str, before: pd.DataFrame, info: dict[str, InfoFormulir],
                       terkunci: bool) -> pd.DataFrame:
    """Show one indicator of `before` as a form; return `before` with that indicator's inputs in it."""
    n = len(before)
    pos_key = f"{prefix}_formulir_pos"
    pos = min(st.session_state.get(pos_key, 0), n - 1)
    kiri, tengah, kanan = st.columns([1, 2, 1], vertical_alignment="center")
    if kiri.button("‹ Sebelumnya", key=f"{prefix}_formulir_mundur", disabled=pos == 0, width="stretch"):
        pos -= 1
    if kanan.button("Berikutnya ›", key=f"{prefix}_formulir_maju", disabled=pos == n - 1, width="stretch"):
        pos += 1
    st.session_state[pos_key] = pos
    tengah.markdown(f"<div style='text-align:center'>Indikator {pos + 1} dari {n}</div>", unsafe_allow_html=True)
    row = before.iloc[pos]
    kode = row["kode"]
    keterangan = info.get(kode)
    st.markdown(f"**{teks_polos(row['indikator'])}**  \n{teks_polos(kode)} · satuan {teks_polos(row['satuan'])}")
    if keterangan is not None:
        st.caption(f"Target tahunan {teks_polos(keterangan.target_tahunan)} · target s.d. triwulan ini "
                   f"{teks_polos(keterangan.target_sd_tw)}"
                   + (f"  \nBulan lalu — {teks_polos(keterangan.bulan_lalu)}" if keterangan.bulan_lalu else ""))
    after = before.copy()
    if row["otomatis"]:
        st.info(f"Dihitung sistem, tidak diisi: {row['otomatis']}.")
        return after
    kolom = ["pembilang", "penyebut"] if row["jenis"] == "rasio" else ["nilai"]
    label = {"nilai": "Nilai bulan ini", "pembilang": "Pembilang bulan ini", "penyebut": "Penyebut bulan ini"}
    for c in [*kolom, "keterangan"]:
        after.loc[after.index[pos], c] = st.text_input(
            label.get(c, "Keterangan"), value=str(row[c]), key=f"{editor_key}_formulir_{kode}_{c}", disabled=terkunci,
            placeholder="mis. 12,5" if c != "keterangan" else "", help="Kosongkan untuk menghapus isian bulan ini."
            if c != "keterangan" else None)
    return after
