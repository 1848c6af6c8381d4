"""The operator's monthly entry grids, and turning an edited grid back into entries."""

import math
from decimal import Decimal

import pandas as pd
from sqlmodel import Session, select

from kinerja.capaian import compute_periode, triwulan_dari_bulan
from kinerja.models import Instansi, RealisasiAnggaran
from kinerja.queries import load_tahunan
from kinerja.realisasi import EntriAnggaran, EntriRealisasi

GRID_COLUMNS = ["kode", "indikator", "satuan", "jenis", "nilai", "pembilang", "penyebut", "keterangan", "otomatis"]
VALUE_COLUMNS = ["nilai", "pembilang", "penyebut"]


def _num(value: object) -> Decimal | None:
    """Turn a grid cell (float, int, str, NaN, None) into a Decimal or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if not value:
            return None
    # repr-round-trip: 0.1 typed in the grid arrives as the float 0.1 and must stay 0.1.
    return Decimal(str(value))


def grid_realisasi(session: Session, instansi: Instansi, tahun: int, unit_id: int, bulan: int) -> pd.DataFrame:
    """Return one row per indicator the unit owns, with what is entered for `bulan`."""
    tahunan = load_tahunan(session, instansi, tahun, bulan)
    tw = triwulan_dari_bulan(bulan)
    computed = compute_periode(tahunan.data, tw)
    rows, seen = [], set()
    for b in tahunan.baris:
        ind = b.indikator
        if ind.unit_id != unit_id or ind.kode in seen:
            continue
        seen.add(ind.kode)
        e = tahunan.data.realisasi.get(ind.kode, {}).get(bulan)
        otomatis = ""
        if ind.sumber != "input":
            value = computed[ind.kode].realisasi
            otomatis = "belum ada data" if value is None else f"{float(value):.2f} % s.d. TW {tw}"
        elif ind.nilai_khusus:
            otomatis = "diisi dari halaman IKM / AKIP"
        rows.append({
            "kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan,
            "jenis": "pembilang/penyebut" if ind.jenis == "rasio" else "nilai",
            "nilai": _float(e.nilai) if e else None, "pembilang": _float(e.pembilang) if e else None,
            "penyebut": _float(e.penyebut) if e else None,
            "keterangan": e.keterangan if e else "", "otomatis": otomatis,
        })
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def entries_from_grid(before: pd.DataFrame, after: pd.DataFrame, bulan: int) -> list[EntriRealisasi]:
    """Return the entries for the rows the user changed; a row emptied of values is removed."""
    entries = []
    old = before.set_index("kode")
    for _, row in after.iterrows():
        kode = row["kode"]
        if kode not in old.index:
            continue
        prev = old.loc[kode]
        values = {c: _num(row[c]) for c in VALUE_COLUMNS}
        prev_values = {c: _num(prev[c]) for c in VALUE_COLUMNS}
        keterangan = "" if pd.isna(row["keterangan"]) else str(row["keterangan"]).strip()
        prev_ket = "" if pd.isna(prev["keterangan"]) else str(prev["keterangan"]).strip()
        if values == prev_values and keterangan == prev_ket:
            continue
        lokasi = f"Baris {kode}"
        if all(v is None for v in values.values()):
            entries.append(EntriRealisasi(kode=kode, bulan=bulan, hapus=True, lokasi=lokasi))
        else:
            entries.append(EntriRealisasi(kode=kode, bulan=bulan, keterangan=keterangan, lokasi=lokasi, **values))
    return entries


def grid_anggaran(session: Session, instansi: Instansi, tahun: int, unit_id: int, bulan: int) -> pd.DataFrame:
    """Return one row per sub-kegiatan the unit runs: pagu, spent before `bulan`, and `bulan`."""
    tahunan = load_tahunan(session, instansi, tahun, bulan)
    spent = tahunan.data.realisasi_anggaran
    ids = [n.node.id for n in tahunan.anggaran]
    notes = {
        r.anggaran_id: r.keterangan
        for r in session.exec(select(RealisasiAnggaran).where(
            RealisasiAnggaran.bulan == bulan, RealisasiAnggaran.anggaran_id.in_(ids)))  # type: ignore[union-attr]
    }
    rows = []
    for n in tahunan.anggaran:
        if n.node.tingkat != "sub_kegiatan" or n.unit.id != unit_id:
            continue
        months = spent.get(n.node.kode, {})
        sebelumnya = sum(v for b, v in months.items() if b < bulan)
        rows.append({
            "kode": n.node.kode, "sub_kegiatan": n.node.nama, "pagu": n.pagu,
            "sebelumnya": sebelumnya, "realisasi": months.get(bulan),
            "keterangan": notes.get(n.node.id, ""),
        })
    return pd.DataFrame(rows, columns=["kode", "sub_kegiatan", "pagu", "sebelumnya", "realisasi", "keterangan"])


def entries_anggaran_from_grid(before: pd.DataFrame, after: pd.DataFrame, bulan: int) -> list[EntriAnggaran]:
    """Return the budget entries for the rows the user changed; an emptied cell is removed."""
    entries = []
    old = before.set_index("kode")
    for _, row in after.iterrows():
        kode = row["kode"]
        prev = old.loc[kode]
        value, prev_value = _num(row["realisasi"]), _num(prev["realisasi"])
        keterangan = "" if pd.isna(row["keterangan"]) else str(row["keterangan"]).strip()
        prev_ket = "" if pd.isna(prev["keterangan"]) else str(prev["keterangan"]).strip()
        if value == prev_value and keterangan == prev_ket:
            continue
        lokasi = f"Baris {kode}"
        if value is None:
            entries.append(EntriAnggaran(kode=kode, bulan=bulan, realisasi=None, hapus=True, lokasi=lokasi))
        else:
            entries.append(EntriAnggaran(kode=kode, bulan=bulan, realisasi=value, keterangan=keterangan, lokasi=lokasi))
    return entries
