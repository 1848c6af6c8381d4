"""Every chart of the screens, as pure functions: a frame in, a Plotly figure out (None when there is no data).

Rules every chart keeps: its title says what it shows and for which period; a line stops at the
last month with data instead of running flat to December; counts and percentages never share an
axis; a capaian flagged "perlu dicek" says so; kategori have one colour everywhere.
"""

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kinerja.aturan.capaian import KATEGORI, IndikatorDef, target_sd_triwulan, triwulan_dari_bulan
from kinerja.aturan.format import ROMAWI, format_persen, format_rupiah, nama_bulan

# One colour per kategori, on every page and chart.
WARNA_KATEGORI = {
    "Sangat Tinggi": "#1a7f37",
    "Tinggi": "#7cb342",
    "Sedang": "#f2b705",
    "Rendah": "#ef6c00",
    "Sangat Rendah": "#c62828",
    "Belum ada data": "#9e9e9e",
}
BATAS_TINGGI = float(KATEGORI[1][0])  # 76: the lower edge of the Tinggi band
BIRU, ABU = "#1565c0", "#c7c7c7"
BULAN = [nama_bulan(b) for b in range(1, 13)]
TANDA_DICEK = "⚠ perlu dicek"


def judul(apa: str, periode: str, lebar: int = 42) -> tuple[str, str]:
    """Return a chart's title, wrapped (to fit a phone) instead of cut, and its subtitle: the period it shows."""
    return "<br>".join(textwrap.wrap(apa, lebar) or [apa]), periode


def rapikan(fig: go.Figure, title: tuple[str, str], height: int = 380, legend_atas: bool = True,
            ruang: int = 0) -> go.Figure:
    """Indonesian separators, a left-aligned title clear of the chart toolbar, the legend clear of the axes.

    `ruang`: extra pixels under the subtitle (the panel titles of small multiples).
    """
    text, periode = title
    extra = 20 * text.count("<br>")
    top = 56 + extra + (30 if legend_atas else 0) + ruang
    total = height + top
    fig.update_layout(
        # Plotly anchors a title of several lines by its first line: move it down by the lines below it.
        title={"text": text, "subtitle": {"text": periode, "font": {"size": 12, "color": "#555"}}, "x": 0,
               "xanchor": "left", "xref": "container", "y": 1 - (4 + extra) / total, "yref": "container",
               "yanchor": "top",
               "pad": {"t": 6, "l": 4}, "font": {"size": 15}},
        separators=",.", height=total, margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend_title_text="", plot_bgcolor="white",
        legend=({"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0} if legend_atas
                else {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0}),
    )
    fig.update_yaxes(gridcolor="#e0e0e0", automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def capaian_per_unit(per_unit: pd.DataFrame, periode: str) -> go.Figure | None:
    """Horizontal bars of each unit's capaian, coloured by kategori, 100 % marked; None without any capaian."""
    if per_unit.empty or per_unit["capaian"].isna().all():
        return None
    df = per_unit.assign(
        label=[format_persen(v) if pd.notna(v) else "belum ada data" for v in per_unit["capaian"]],
        panjang=per_unit["capaian"].fillna(0),
    )
    fig = go.Figure()
    for kategori, warna in WARNA_KATEGORI.items():
        part = df[df["kategori"] == kategori]
        if part.empty:
            continue
        fig.add_bar(x=part["panjang"], y=part["unit_nama"], orientation="h", name=kategori, marker_color=warna,
                    text=part["label"], textposition="outside" if kategori == "Belum ada data" else "auto",
                    hovertemplate="%{y}: %{text}<extra>" + kategori + "</extra>")
    fig.add_vline(x=100, line_dash="dot", line_color="#555")
    fig.update_yaxes(categoryorder="array", categoryarray=list(df["unit_nama"])[::-1], title=None)
    fig.update_xaxes(title="Capaian (%)", range=[0, max(110.0, float(df["panjang"].max()) + 15)])
    return rapikan(fig, judul("Capaian per unit", periode), height=40 * len(df) + 60)


def capaian_per_instansi(per_instansi: pd.DataFrame, periode: str) -> go.Figure | None:
    """The offices' bars (kinerja.baca.kabupaten), the best capaian on top; None without any capaian."""
    df = per_instansi.sort_values("capaian", ascending=False, na_position="last", kind="stable")
    fig = capaian_per_unit(df.rename(columns={"instansi": "unit_nama"}), periode)
    return None if fig is None else fig.update_layout(title_text="Capaian sasaran strategis per instansi")


KOLOM_PANEL = 2  # two panels a row read at 1366 px and on a 390 px phone alike (Streamlit cannot tell the width)
TINGGI_PANEL, JARAK_PANEL = 140, 56  # pixels: a panel, and the gap above the next row's titles
LEBAR_JUDUL_PANEL = 26  # characters of a panel title's line: about 165 px at 11 px, half a phone's width


def judul_panel(unit: str) -> str:
    """Return a panel's title on at most two lines, shortened with '…' only beyond them."""
    lines = textwrap.wrap(unit, LEBAR_JUDUL_PANEL) or [unit]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LEBAR_JUDUL_PANEL, placeholder="…")]
    return "<br>".join(lines)


def capaian_per_triwulan(tren: pd.DataFrame, tahun: int, sorot: str | None = None) -> go.Figure | None:
    """Small multiples, two panels a row: one panel per unit, its line in blue, the other units in grey behind it.

    `sorot` (a unit_nama) draws one panel only: that unit against the others. None without any capaian.
    """
    data = tren.dropna(subset=["capaian"])
    if data.empty:
        return None
    units = list(dict.fromkeys(tren["unit_nama"]))
    panels = [sorot] if sorot else units
    cols = 1 if sorot else min(KOLOM_PANEL, len(panels))
    rows = -(-len(panels) // cols)
    tinggi_plot = rows * TINGGI_PANEL + (rows - 1) * JARAK_PANEL
    titles = [judul_panel(u) for u in panels]
    fig = make_subplots(rows=rows, cols=cols, shared_yaxes=True, shared_xaxes=True,
                        vertical_spacing=JARAK_PANEL / tinggi_plot if rows > 1 else 0.0, horizontal_spacing=0.06,
                        subplot_titles=titles)
    sampai = int(tren["triwulan"].max())
    x_all = [f"TW {ROMAWI[t]}" for t in range(1, sampai + 1)]
    for i, unit in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        for other in units:
            if other == unit:
                continue
            part = data[data["unit_nama"] == other]
            fig.add_scatter(x=[f"TW {ROMAWI[t]}" for t in part["triwulan"]], y=part["capaian"], mode="lines",
                            line={"color": ABU, "width": 1}, showlegend=False, hoverinfo="skip", row=r, col=c)
        part = data[data["unit_nama"] == unit]
        fig.add_scatter(x=[f"TW {ROMAWI[t]}" for t in part["triwulan"]], y=part["capaian"], mode="lines+markers",
                        line={"color": BIRU, "width": 3}, name=unit, showlegend=False,
                        hovertemplate=unit.replace("%", "%%") + "<br>%{x}: %{y:.2f} %<extra></extra>", row=r, col=c)
    top = max(110.0, float(data["capaian"].max()) + 10)
    fig.update_yaxes(range=[0, top], gridcolor="#e0e0e0")
    fig.update_xaxes(categoryorder="array", categoryarray=x_all, tickangle=0)
    fig.update_annotations(font_size=11)
    fig.update_yaxes(title="Capaian (%)", row=1, col=1)
    apa = ("Capaian per triwulan: unit ini (biru) dan unit lain (abu-abu)" if sorot
           else "Capaian per triwulan, satu panel per unit (biru; unit lain abu-abu)")
    dua_baris = any("<br>" in t for t in titles[:cols])  # the first row's titles need room under the subtitle
    return rapikan(fig, judul(apa, f"s.d. Triwulan {ROMAWI[sampai]} {tahun}"), height=tinggi_plot + 30,
                   legend_atas=False, ruang=38 if dua_baris else 24)


def bulan_terakhir_indikator(tren: pd.DataFrame, sumber: str, bulan_data: int | None) -> int | None:
    """Return the last month the cumulative line may reach: the indicator's own last entry (input),
    or the last month with any data of the year (`bulan_data`) for computed indicators."""
    if sumber == "input":
        ada = tren[tren[["nilai", "pembilang", "penyebut"]].notna().any(axis=1)]
        return int(ada["bulan"].max()) if not ada.empty else None
    known = tren[tren["realisasi_sd"].notna()]
    if known.empty:
        return None
    last = int(known["bulan"].max())
    return min(last, bulan_data) if bulan_data else last


def tren_indikator(tren: pd.DataFrame, ind: IndikatorDef, nama: str, satuan: str, tahun: int,
                   bulan_data: int | None = None, dicek: str = "") -> go.Figure | None:
    """One indicator month by month: what was entered each month (bars), the realisasi s.d. the month
    (a line that ends at the last month with data) and the Rencana Aksi target s.d. triwulan (steps).

    A rasio's monthly pembilang (a count) gets its own axis on the right; the realisasi and the
    target, in the indicator's own unit, share the left one. None when there is nothing to draw.
    """
    last = bulan_terakhir_indikator(tren, ind.sumber, bulan_data)
    if last is None:
        return None
    rasio = ind.jenis == "rasio"
    fig = make_subplots(specs=[[{"secondary_y": rasio and ind.sumber == "input"}]])
    if ind.sumber == "input":
        kolom, label = (("pembilang", "Pembilang bulan ini (jumlah)") if rasio
                        else ("nilai", f"Nilai bulan ini ({satuan})"))
        fig.add_bar(x=BULAN, y=tren[kolom], name=label, marker_color="#90caf9", secondary_y=rasio)
        if rasio:
            fig.update_yaxes(title="Pembilang (jumlah)", secondary_y=True, showgrid=False, rangemode="tozero")
    sd = tren[tren["bulan"] <= last]
    fig.add_scatter(x=[BULAN[b - 1] for b in sd["bulan"]], y=sd["realisasi_sd"], name="Realisasi s.d. bulan",
                    mode="lines+markers", connectgaps=True, line={"color": BIRU, "width": 3}, secondary_y=False)
    target = [float(target_sd_triwulan(ind, triwulan_dari_bulan(b))) for b in range(1, 13)]
    fig.add_scatter(x=BULAN, y=target, name="Target Rencana Aksi s.d. triwulan", mode="lines",
                    line={"color": "#555", "dash": "dash", "shape": "hv", "width": 2}, secondary_y=False)
    fig.update_yaxes(title=satuan, secondary_y=False, rangemode="tozero")
    fig.update_xaxes(categoryorder="array", categoryarray=BULAN)
    periode = f"per bulan {tahun}, data s.d. {nama_bulan(last)}"
    if dicek:
        periode += f" · <b style='color:#c62828'>{TANDA_DICEK} {dicek.removeprefix('perlu dicek ')}</b>"
    return rapikan(fig, judul(f"{nama} ({satuan})", periode))


def penyerapan_kumulatif(kurva: pd.DataFrame, tahun: int) -> go.Figure | None:
    """The office's absorption s.d. each month (ending at the last month with data) against the Rencana Aksi."""
    ada = kurva.dropna(subset=["penyerapan"])
    if ada.empty:
        return None
    fig = go.Figure()
    fig.add_scatter(x=ada["nama_bulan"], y=ada["penyerapan"], name="Penyerapan s.d. bulan", mode="lines+markers",
                    line={"color": BIRU, "width": 3},
                    text=[format_rupiah(r) for r in ada["realisasi"]], hovertemplate="%{x}: %{y:.2f} %<br>%{text}")
    ra = kurva.dropna(subset=["rencana_aksi"])
    steps = [float(ra["rencana_aksi"].iloc[triwulan_dari_bulan(b) - 1]) for b in range(1, 13)] if len(ra) == 4 else []
    if steps:
        fig.add_scatter(x=BULAN, y=steps, name="Target Rencana Aksi s.d. triwulan", mode="lines",
                        line={"color": "#555", "dash": "dash", "shape": "hv", "width": 2})
    fig.update_yaxes(title="% dari pagu", range=[0, 105])
    fig.update_xaxes(categoryorder="array", categoryarray=BULAN)
    last = ada["nama_bulan"].iloc[-1]
    return rapikan(fig, judul("Penyerapan anggaran kumulatif", f"per bulan {tahun}, data s.d. {last}"))


def penyerapan_per_unit(per_unit: pd.DataFrame, periode: str) -> go.Figure | None:
    """Horizontal bars of each unit's absorption (% of its own pagu); None without budget data."""
    if per_unit.empty or per_unit["penyerapan"].isna().all():
        return None
    hover = [f"Realisasi {format_rupiah(r)}<br>Pagu {format_rupiah(p)}" for r, p in zip(
        per_unit["realisasi"], per_unit["pagu"], strict=True)]
    fig = go.Figure(go.Bar(x=per_unit["penyerapan"], y=per_unit["unit_nama"], orientation="h", marker_color=BIRU,
                           text=[format_persen(v) for v in per_unit["penyerapan"]], hovertext=hover,
                           hoverinfo="text", showlegend=False))
    fig.update_xaxes(title="% dari pagu unit", range=[0, 110])
    fig.update_yaxes(autorange="reversed")
    return rapikan(fig, judul("Penyerapan anggaran per unit", periode), height=40 * len(per_unit) + 60,
                   legend_atas=False)


def indikator_terendah(table: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """Return the `n` lowest capaian below the Tinggi band (< 76 %), one row per indicator, lowest first.

    Indicators without a capaian are not "low": they are missing, and the completeness grid shows them.
    """
    low = table[table["capaian_sd_tw"].notna() & (table["capaian_sd_tw"] < BATAS_TINGGI)]
    return low.drop_duplicates("kode").sort_values("capaian_sd_tw", kind="stable").head(n).reset_index(drop=True)
