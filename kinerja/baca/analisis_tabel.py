"""The Analisis triwulan screen's table: each indicator of a unit with its figures s.d. a triwulan and its analysis."""

import pandas as pd
from sqlmodel import Session

from kinerja.aturan.capaian import bulan_akhir, compute_periode
from kinerja.aturan.format import format_angka, format_persen
from kinerja.simpan.analisis import KATEGORI_WAJIB, KOLOM, KOLOM_PIMPINAN, KOLOM_UNIT, EntriAnalisis, load_analisis
from kinerja.simpan.models import Instansi, Unit
from kinerja.simpan.queries import DataTahun, load_data_tahun

ANGKA = ["target_sd_tw", "realisasi_sd_tw", "capaian_sd_tw"]
WAJIB_DIISI = "wajib diisi"


def unit_analisis(data_tahun: DataTahun) -> list[Unit]:
    """Return the units that own indicators, in the office's order (the choices of the screen)."""
    owners = {b.indikator.unit_id for b in data_tahun.baris}
    units = {b.unit.id: b.unit for b in data_tahun.baris} | {n.unit.id: n.unit for n in data_tahun.anggaran}
    return sorted((units[i] for i in owners if i in units), key=lambda u: u.urutan)


def tabel_analisis(session: Session, instansi: Instansi, tahun: int, triwulan: int, unit_id: int) -> pd.DataFrame:
    """Return one row per indicator the unit owns: target, realisasi, capaian and kategori s.d. the triwulan,
    whether its analysis is required (Sedang or below), its five fields and the versi they were read at."""
    data_tahun = load_data_tahun(session, instansi, tahun, bulan_akhir(triwulan))
    hasil = compute_periode(data_tahun.data, triwulan)
    stored = load_analisis(session, instansi.id, tahun, triwulan)
    rows = []
    for ind in data_tahun.indikator_unit(unit_id):
        h, a = hasil[ind.kode], stored.get(ind.kode)
        rows.append({
            "kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan,
            **{k: (float(v) if v is not None else None)
               for k, v in zip(ANGKA, (h.target_sd_tw, h.realisasi, h.capaian_sd_tw), strict=True)},
            "kategori": h.kategori or "", "wajib": WAJIB_DIISI if h.kategori in KATEGORI_WAJIB else "",
            **{k: (getattr(a, k) if a else "") for k in KOLOM}, "versi": a.versi if a else 0,
        })
    columns = ["kode", "indikator", "satuan", *ANGKA, "kategori", "wajib", *KOLOM, "versi"]
    return pd.DataFrame(rows, columns=columns)


def tampilan(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the table with its figures as Indonesian text ('66,67 %'), the versi dropped."""
    def angka(v: object) -> str:
        return "" if pd.isna(v) else format_angka(v)

    return frame.drop(columns="versi").assign(
        target_sd_tw=frame["target_sd_tw"].map(angka), realisasi_sd_tw=frame["realisasi_sd_tw"].map(angka),
        capaian_sd_tw=frame["capaian_sd_tw"].map(lambda v: "" if pd.isna(v) else format_persen(v)))


def _teks(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def entri_dari_grid(before: pd.DataFrame, after: pd.DataFrame, pimpinan: bool, unit: bool) -> list[EntriAnalisis]:
    """Return the analyses the user changed: only the fields their role writes, with the versi they saw."""
    kolom = [*(KOLOM_UNIT if unit else ()), *((KOLOM_PIMPINAN,) if pimpinan else ())]
    old = before.set_index("kode")
    entries = []
    for _, row in after.iterrows():
        kode = row["kode"]
        if kode not in old.index:
            continue
        changed = {k: _teks(row[k]) for k in kolom if _teks(row[k]) != _teks(old.loc[kode, k])}
        if changed:
            entries.append(EntriAnalisis(kode=kode, versi=int(old.loc[kode, "versi"]), **changed))
    return entries
