"""The operator's monthly entry grids, and turning an edited grid back into entries."""

import math
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlmodel import Session, select

from kinerja.capaian import compute_periode, triwulan_dari_bulan
from kinerja.format import format_angka, parse_angka_id
from kinerja.models import Instansi, RealisasiAnggaran, Unit
from kinerja.queries import list_units, load_tahunan
from kinerja.realisasi import EntriAnggaran, EntriRealisasi

GRID_COLUMNS = ["kode", "indikator", "satuan", "jenis", "otomatis", "nilai", "pembilang", "penyebut", "keterangan"]
VALUE_COLUMNS = ["nilai", "pembilang", "penyebut"]


def _num(value: object) -> Decimal | None:
    """Turn a grid cell (text typed the Indonesian way, a number, NaN or None) into a Decimal."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return parse_angka_id(value)
    # str() round-trip: 0.1 arriving as the float 0.1 must stay 0.1, not 0.1000000000000000055.
    return Decimal(str(value))


def _cell(value: Decimal | None) -> str:
    """Show a stored value in the grid the Indonesian way ('12,5'), without thousands dots."""
    return "" if value is None else format_angka(value, 0, 4).replace(".", "")


def _text(value: object) -> str:
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return "" if missing else str(value).strip()


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
            "jenis": "rasio" if ind.jenis == "rasio" else "nilai",
            "nilai": _cell(e.nilai) if e else "", "pembilang": _cell(e.pembilang) if e else "",
            "penyebut": _cell(e.penyebut) if e else "",
            "keterangan": e.keterangan if e else "", "otomatis": otomatis,
        })
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def _parse_row(row: pd.Series, columns: list[str], label: str, problems: list[str]) -> dict[str, Decimal | None]:
    values: dict[str, Decimal | None] = {}
    for c in columns:
        try:
            values[c] = _num(row[c])
        except ValueError as e:
            problems.append(f"{label}: {c} {e}")
            values[c] = None
    return values


def entries_from_grid(
    before: pd.DataFrame, after: pd.DataFrame, bulan: int
) -> tuple[list[EntriRealisasi], list[str]]:
    """Return the entries for the rows the user changed (an emptied row is removed) and the typing problems."""
    entries, problems = [], []
    old = before.set_index("kode")
    for _, row in after.iterrows():
        kode = row["kode"]
        if kode not in old.index:
            continue
        prev = old.loc[kode]
        label = f"{kode} {prev['indikator']}"
        values = _parse_row(row, VALUE_COLUMNS, label, problems)
        prev_values = {c: _num(prev[c]) for c in VALUE_COLUMNS}
        keterangan, prev_ket = _text(row["keterangan"]), _text(prev["keterangan"])
        if values == prev_values and keterangan == prev_ket:
            continue
        if all(v is None for v in values.values()):
            entries.append(EntriRealisasi(kode=kode, bulan=bulan, hapus=True))
        else:
            entries.append(EntriRealisasi(kode=kode, bulan=bulan, keterangan=keterangan, **values))
    return entries, problems


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
            "sebelumnya": sebelumnya, "realisasi": _cell(months.get(bulan)),
            "keterangan": notes.get(n.node.id, ""),
        })
    return pd.DataFrame(rows, columns=["kode", "sub_kegiatan", "pagu", "sebelumnya", "realisasi", "keterangan"])


def entries_anggaran_from_grid(
    before: pd.DataFrame, after: pd.DataFrame, bulan: int
) -> tuple[list[EntriAnggaran], list[str]]:
    """Return the budget entries for the rows the user changed (an emptied cell is removed) and typing problems."""
    entries, problems = [], []
    old = before.set_index("kode")
    for _, row in after.iterrows():
        kode = row["kode"]
        if kode not in old.index:
            continue
        prev = old.loc[kode]
        value = _parse_row(row, ["realisasi"], f"{kode} {prev['sub_kegiatan']}", problems)["realisasi"]
        keterangan, prev_ket = _text(row["keterangan"]), _text(prev["keterangan"])
        if value == _num(prev["realisasi"]) and keterangan == prev_ket:
            continue
        if value is None:
            entries.append(EntriAnggaran(kode=kode, bulan=bulan, realisasi=None, hapus=True))
        else:
            entries.append(EntriAnggaran(kode=kode, bulan=bulan, realisasi=value, keterangan=keterangan))
    return entries, problems


def list_unit_isian(session: Session, instansi: Instansi, tahun: int) -> list[Unit]:
    """Return the units that enter something themselves: indicators or sub-kegiatan budgets."""
    tahunan = load_tahunan(session, instansi, tahun)
    owners = {
        b.indikator.unit_id for b in tahunan.baris if b.indikator.sumber == "input" and not b.indikator.nilai_khusus
    }
    owners |= {n.unit.id for n in tahunan.anggaran if n.node.tingkat == "sub_kegiatan"}
    return [u for u in list_units(session, instansi.id) if u.id in owners]


def default_bulan(tahun: int, today: date) -> int:
    """Return the month an operator most likely reports now: last month, or December of a past year."""
    if tahun < today.year:
        return 12
    if tahun > today.year:
        return 1
    return max(1, today.month - 1)


def parse_rupiah_grid(before: list[dict[str, str]], after: list[dict[str, str]]) -> tuple[dict[str, int], list[str]]:
    """Return the changed pagu per kode from an edited grid, and the cells that are not whole Rupiah."""
    old = {row["kode"]: row["pagu"] for row in before}
    changed, problems = {}, []
    for row in after:
        text = _text(row["pagu"])
        if text == old.get(row["kode"]):
            continue
        try:
            value = parse_angka_id(text)
        except ValueError as e:
            problems.append(f"{row['kode']}: pagu {e}")
            continue
        if value is None or value != value.to_integral_value():
            problems.append(f"{row['kode']}: pagu harus Rupiah bulat")
            continue
        changed[row["kode"]] = int(value)
    return changed, problems
