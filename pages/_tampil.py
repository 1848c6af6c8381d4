"""Shared pieces of how the screens look: kategori colours, charts, number tables, messages.

Not a page itself (the router never registers it); Streamlit and pandas display glue only.
"""

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from kinerja.errors import ValidationError
from kinerja.format import ROMAWI, format_angka, format_persen, format_rupiah

# One colour per kategori, on every page and chart.
WARNA_KATEGORI = {
    "Sangat Tinggi": "#1a7f37",
    "Tinggi": "#7cb342",
    "Sedang": "#f2b705",
    "Rendah": "#ef6c00",
    "Sangat Rendah": "#c62828",
    "Belum ada data": "#9e9e9e",
}


def style_figure(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    """Give a Plotly figure Indonesian separators, a title that says what and when, and a tidy layout."""
    fig.update_layout(
        title=title, separators=",.", height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend_title_text="", plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
    )
    fig.update_yaxes(gridcolor="#e0e0e0")
    return fig


def tw_label(triwulan: int) -> str:
    """Return 's.d. Triwulan II' style text."""
    return f"s.d. Triwulan {ROMAWI[triwulan]}"


def tabel(
    df: pd.DataFrame, angka: tuple[str, ...] = (), persen: tuple[str, ...] = (), rupiah: tuple[str, ...] = ()
) -> Styler:
    """Return a Styler that shows numbers the Indonesian way (sorting still uses the numbers)."""
    fmt = {c: (lambda v: format_angka(v) if pd.notna(v) else "") for c in angka}
    fmt |= {c: (lambda v: format_persen(v) if pd.notna(v) else "") for c in persen}
    fmt |= {c: (lambda v: format_rupiah(v) if pd.notna(v) else "") for c in rupiah}
    styler = df.style.format(fmt, na_rep="")
    if "kategori" in df.columns:
        styler = styler.map(lambda k: f"color: {WARNA_KATEGORI.get(k, '#333')}; font-weight: 600", subset=["kategori"])
    return styler


def warna_persen(value: object) -> str:
    """Return a background colour from red (0 %) through amber to green (100 %)."""
    if not isinstance(value, int | float) or pd.isna(value):
        return ""
    if value >= 100:
        return "background-color: #c8e6c9"
    if value >= 50:
        return "background-color: #fff3c4"
    return "background-color: #ffcdd2"


def masalah(problems: list[str], judul: str = "Tidak disimpan. Perbaiki dulu:") -> None:
    """Show validation problems as one error box."""
    st.error(judul + "\n" + "\n".join(f"- {p}" for p in problems))


def pesan_simpan(key: str, editor_key: str) -> None:
    """Show the message a save of this grid left in session_state[key], until the grid is edited again.

    A saved grid is reset, and the browser then reruns the page once more by itself: a message
    shown for one run only would be gone before anyone could read it.
    """
    saved = st.session_state.get(key)
    if not saved or saved[0] != editor_key:
        return
    if st.session_state.get(editor_key, {}).get("edited_rows"):
        del st.session_state[key]
    else:
        st.success(saved[1])


KOLOM_CAPAIAN = {
    "kode": "Kode", "unit": "Unit", "unit_nama": st.column_config.TextColumn("Unit", width="medium"), "no": "No",
    "sasaran": "Sasaran",
    "indikator": st.column_config.TextColumn("Indikator kinerja", width="medium"), "satuan": "Satuan",
    "target_tahunan": "Target tahunan",
    "target_sd_tw": "Target s.d. TW", "realisasi_sd_tw": "Realisasi s.d. TW", "pembilang": "Pembilang",
    "penyebut": "Penyebut", "capaian_sd_tw": "Capaian s.d. TW", "capaian_tahunan": "Capaian tahunan",
    "kategori": "Kategori",
}


def simpan_grid(
    label: str,
    prefix: str,
    editor_key: str,
    parse: Callable[[], tuple[Sequence[object], list[str]]],
    save: Callable[[Sequence[object]], int],
    pesan: Callable[[int], str],
) -> None:
    """Show a grid's Save button: read the edits, save all or nothing, keep the message through the rerun.

    The button's key is `{prefix}_simpan`; `parse` returns the changes and the cells that could
    not be read, `save` writes the changes (raising ValidationError) and returns how many changed.
    """
    if st.button(label, type="primary", key=f"{prefix}_simpan"):
        changes, problems = parse()
        if problems:
            masalah(problems)
        elif not changes:
            st.info("Tidak ada perubahan untuk disimpan.")
        else:
            try:
                n = save(changes)
            except ValidationError as e:
                masalah(e.problems)
            else:
                st.session_state.pop(editor_key, None)
                st.session_state[f"{prefix}_pesan"] = (editor_key, pesan(n))
                st.rerun()
    pesan_simpan(f"{prefix}_pesan", editor_key)
