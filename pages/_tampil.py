"""Shared pieces of how the screens look: kategori colours, number tables, table sizes, messages.

Not a page itself (the router never registers it); Streamlit and pandas display glue only.
"""

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from kinerja.aturan.format import ROMAWI, format_angka, format_persen, format_rupiah
from kinerja.baca.grafik import WARNA_KATEGORI
from kinerja.errors import PerluKonfirmasi, ValidationError

# A row tall enough for a name to wrap onto three lines (the grid wraps text only in rows above 4rem).
BARIS_TINGGI = 68
KEPALA = 40


def tinggi(rows: int, baris: int = BARIS_TINGGI) -> int:
    """Return the height that shows every row of a table without a scrollbar of its own."""
    return KEPALA + max(rows, 1) * baris + 24  # and room for the horizontal scrollbar


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
    if "dicek" in df.columns:
        styler = styler.map(lambda d: "color: #c62828; font-weight: 600" if d else "", subset=["dicek"])
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
    """Show validation problems as one error box (plain text: problems quote what users typed)."""
    st.error(judul + "\n" + "\n".join(f"- {teks_polos(p)}" for p in problems))


def teks_polos(text: str) -> str:
    """Escape the Markdown that could turn text a user typed into a link, an image, HTML, or emphasis."""
    return "".join("\\" + c if c in "\\`*_[]<>#|~$!" else c for c in text)


def kunci_grid(prefix: str, dasar: str) -> str:
    """Return the widget key of a grid: a new key after each save, so the browser's stale edits cannot return."""
    return f"{dasar}_v{st.session_state.get(f'{prefix}_generasi', 0)}"


def pesan_simpan(key: str, editor_key: str) -> None:
    """Show the message a save of this grid left in session_state[key] until the user edits the grid again."""
    saved = st.session_state.get(key)
    if not saved or saved[0] != editor_key:
        return
    if st.session_state.get(editor_key, {}).get("edited_rows"):
        del st.session_state[key]
    else:
        st.success(saved[1])


KOLOM_CAPAIAN = {
    "kode": st.column_config.TextColumn("Kode", width=80), "unit": "Unit",
    "unit_nama": st.column_config.TextColumn("Unit", width=150), "no": st.column_config.TextColumn("No", width=40),
    "sasaran": st.column_config.TextColumn("Sasaran", width=200),
    "indikator": st.column_config.TextColumn("Indikator kinerja", width=150, pinned=True),
    "satuan": st.column_config.TextColumn("Satuan", width=90),
    "target_tahunan": st.column_config.Column("Target tahunan", width=90),
    "target_sd_tw": st.column_config.Column("Target s.d. TW", width=90),
    "realisasi_sd_tw": st.column_config.Column("Realisasi s.d. TW", width=100),
    "pembilang": "Pembilang", "penyebut": "Penyebut",
    "capaian_sd_tw": st.column_config.Column("Capaian s.d. TW", width=100),
    "capaian_tahunan": st.column_config.Column("Capaian tahunan", width=95),
    "kategori": st.column_config.TextColumn("Kategori", width=100),
    "dicek": st.column_config.TextColumn("Perlu dicek", width=120),
}
# The figures first, the names after: at 1366 px (and the key ones on a phone) nothing needs sideways scrolling.
URUT_CAPAIAN = ["indikator", "capaian_sd_tw", "kategori", "dicek", "realisasi_sd_tw", "target_sd_tw", "satuan",
                "target_tahunan", "capaian_tahunan", "unit_nama", "no"]


def simpan_grid(
    label: str,
    prefix: str,
    editor_key: str,
    parse: Callable[[], tuple[Sequence[object], list[str]]],
    save: Callable[[Sequence[object], bool], int],
    pesan: Callable[[int], str],
    periksa: Callable[[Sequence[object]], list[str]] | None = None,
) -> None:
    """Show a grid's Save button: read the edits, save all or nothing, and say what happened.

    The button's key is `{prefix}_simpan`. `parse` returns the changes and the cells that could
    not be read; `periksa` (optional) returns every other problem of the changes without saving,
    so that one click lists every problem at once; `save(changes, yakin)` writes (raising
    ValidationError, or PerluKonfirmasi for values beyond a soft limit) and returns how many
    changed. Values beyond a soft limit are listed with their reasons and saved only after the
    "Ya, angka ini benar" button, exactly as they were listed.
    """
    pending_key = f"{prefix}_konfirmasi"
    pending = st.session_state.get(pending_key)
    if st.button(label, type="primary", key=f"{prefix}_simpan"):
        st.session_state.pop(pending_key, None)
        pending = None
        changes, problems = parse()
        if periksa is not None and changes:
            problems = problems + periksa(changes)
        if problems:
            masalah(problems)
        elif not changes:
            st.info("Tidak ada perubahan untuk disimpan.")
        else:
            _simpan(prefix, editor_key, changes, save, pesan, yakin=False)
    if pending is not None and pending[0] == editor_key:
        _konfirmasi(prefix, editor_key, pending[1], pending[2], parse, save, pesan)
    pesan_simpan(f"{prefix}_pesan", editor_key)


def _simpan(prefix: str, editor_key: str, changes: Sequence[object], save: Callable[[Sequence[object], bool], int],
            pesan: Callable[[int], str], yakin: bool) -> None:
    try:
        n = save(changes, yakin)
    except PerluKonfirmasi as e:
        st.session_state[f"{prefix}_konfirmasi"] = (editor_key, list(changes), e.problems)
        st.rerun()
    except ValidationError as e:
        masalah(e.problems)
    else:
        st.session_state.pop(f"{prefix}_konfirmasi", None)
        st.session_state[f"{prefix}_generasi"] = st.session_state.get(f"{prefix}_generasi", 0) + 1
        st.session_state[f"{prefix}_pesan"] = (kunci_grid(prefix, editor_key.rsplit("_v", 1)[0]), pesan(n))
        st.rerun()


def _konfirmasi(prefix: str, editor_key: str, changes: list[object], alasan: list[str],
                parse: Callable[[], tuple[Sequence[object], list[str]]],
                save: Callable[[Sequence[object], bool], int], pesan: Callable[[int], str]) -> None:
    """Ask whether the values beyond their soft limits are right; save exactly those changes on 'Ya'."""
    if list(parse()[0]) != changes:  # the grid was edited since: ask again on the next Save
        st.session_state.pop(f"{prefix}_konfirmasi", None)
        return
    st.warning("Angka berikut di luar batas wajar. Periksa lagi; simpan hanya bila angkanya memang benar:\n"
               + "\n".join(f"- {teks_polos(a)}" for a in alasan))
    ya, batal = st.columns([1, 4])
    if ya.button("Ya, angka ini benar", type="primary", key=f"{prefix}_yakin"):
        _simpan(prefix, editor_key, changes, save, pesan, yakin=True)
    if batal.button("Batal, saya perbaiki dulu", key=f"{prefix}_batal"):
        st.session_state.pop(f"{prefix}_konfirmasi", None)
        st.rerun()


# Streamlit writes the file uploader's button ("Upload") and its line ("200MB per file • XLSX") in English and
# lets an app set neither; the label (set by each page) says the kinds and the size, these rules say the rest.
GAYA_INDONESIA = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "Pilih berkas"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "atau seret berkas ke sini"; font-size: 0.875rem; }
</style>"""


def gaya_indonesia() -> None:
    """Put the Indonesian words Streamlit does not let an app set into the page (CSS only, no space taken)."""
    st.html(GAYA_INDONESIA)
