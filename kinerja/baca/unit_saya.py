"""What an operator sees of their own unit: targets, Rencana Aksi and capaian per triwulan, the year month by
month, and what the phone form shows beside each indicator (target, last month)."""

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlmodel import Session

from kinerja.aturan.batas import perlu_dicek
from kinerja.aturan.capaian import TRIWULAN, Bulanan, target_sd_triwulan, triwulan_dari_bulan
from kinerja.aturan.format import ROMAWI, format_angka, format_persen, format_sel, nama_bulan, nama_bulan_singkat
from kinerja.baca.grafik import TANDA_DICEK
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.baca.ringkasan import latest_triwulan
from kinerja.simpan.models import Instansi
from kinerja.simpan.queries import DataTahun, load_data_tahun


def _tw(t: int) -> str:
    return f"TW {ROMAWI[t]}"


def rencana_dan_capaian(session: Session, instansi: Instansi, tahun: int, unit_id: int,
                        hanya_disahkan: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return one row per agreement row of the unit: target, Rencana Aksi s.d. TW I-IV, capaian s.d. each
    triwulan up to the latest one with data; and, of the same shape, the kategori of each capaian cell."""
    data_tahun = load_data_tahun(session, instansi, tahun, hanya_disahkan=hanya_disahkan)
    sampai = latest_triwulan(data_tahun.data)
    hasil = {tw: compute_capaian_tahun(session, instansi, tahun, tw, hanya_disahkan).hasil
             for tw in range(1, sampai + 1)}
    defs = {i.kode: i for i in data_tahun.data.indikator}
    rows, kategori = [], []
    for b in data_tahun.baris:
        if b.unit.id != unit_id:
            continue
        ind = defs[b.indikator.kode]
        row: dict[str, object] = {"no": b.no, "indikator": b.indikator.nama, "satuan": b.indikator.satuan,
                                  "target": format_angka(b.target.tahunan)}
        warna: dict[str, object] = {c: "" for c in row}
        for t in TRIWULAN:
            row[f"Rencana Aksi {_tw(t)}"] = format_angka(target_sd_triwulan(ind, t))
            warna[f"Rencana Aksi {_tw(t)}"] = ""
        for t in TRIWULAN:
            h = hasil.get(t, {}).get(ind.kode)
            teks = format_persen(h.capaian_sd_tw) if h else ""
            if h and perlu_dicek(h.capaian_sd_tw, instansi.batas_cek_capaian):
                teks += f" {TANDA_DICEK}"  # above the office's ceiling: questioned, not celebrated
            row[f"Capaian {_tw(t)}"] = teks
            warna[f"Capaian {_tw(t)}"] = (h.kategori or "") if h else ""
        rows.append(row)
        kategori.append(warna)
    return pd.DataFrame(rows), pd.DataFrame(kategori)


def _bulanan(e: Bulanan | None, jenis: str) -> str:
    if e is None:
        return ""
    if jenis == "rasio":
        return f"{format_angka(e.pembilang, 0, 4)}/{format_angka(e.penyebut, 0, 4)}"
    return format_angka(e.nilai, 0, 4)


def tahun_unit(data_tahun: DataTahun, unit_id: int) -> pd.DataFrame:
    """Return the unit's entered indicators with their 12 months side by side (rasio as pembilang/penyebut),
    as the Excel template lays them out."""
    rows, seen = [], set()
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.unit_id != unit_id or ind.sumber != "input" or ind.kode in seen:
            continue
        seen.add(ind.kode)
        entries = data_tahun.data.realisasi.get(ind.kode, {})
        row: dict[str, object] = {"kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan}
        row |= {nama_bulan_singkat(m): _bulanan(entries.get(m), ind.jenis) for m in range(1, 13)}
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class InfoFormulir:
    """What the phone form shows beside an indicator: its targets and last month's entry."""

    target_tahunan: str
    target_sd_tw: str
    bulan_lalu: str


def info_formulir(data_tahun: DataTahun, unit_id: int, bulan: int) -> dict[str, InfoFormulir]:
    """Return, per indicator the unit owns, the annual target, the target s.d. the month's triwulan, and what
    was entered the month before (`bulan - 1`; 'belum diisi' when nothing, '' in January)."""
    defs = {i.kode: i for i in data_tahun.data.indikator}
    tw = triwulan_dari_bulan(bulan)
    out = {}
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.unit_id != unit_id or ind.kode in out:
            continue
        lalu = ""
        if bulan > 1:
            e = data_tahun.data.realisasi.get(ind.kode, {}).get(bulan - 1)
            lalu = f"{nama_bulan(bulan - 1)}: " + (_isian(e, ind.jenis) if e else "belum diisi")
        out[ind.kode] = InfoFormulir(
            target_tahunan=f"{format_angka(b.target.tahunan)} {ind.satuan}",
            target_sd_tw=f"{format_angka(target_sd_triwulan(defs[ind.kode], tw))} {ind.satuan}",
            bulan_lalu=lalu,
        )
    return out


def _isian(e: Bulanan, jenis: str) -> str:
    if jenis == "rasio":
        return f"pembilang {format_sel(e.pembilang)}, penyebut {format_sel(e.penyebut)}"
    return format_sel(e.nilai if e.nilai is not None else Decimal(0))
