"""The operator's monthly entry grids, and turning an edited grid back into entries.

An indicator a PK revision dropped by the month is still shown, read-only: its `otomatis` cell says
which revision replaced it (kinerja.simpan.verifikasi.indikator_diganti), and any write is refused.

Each grid row carries the `versi` of the stored month it shows (0: nothing stored), read in the
same query as the values, so a save can tell whether someone else changed that month since.
"""

from datetime import date
from decimal import Decimal

import pandas as pd
from sqlmodel import Session, select

from kinerja.aturan.angka import NILAI, RUPIAH, AngkaError, Jenis, parse_angka
from kinerja.aturan.capaian import compute_periode, triwulan_dari_bulan
from kinerja.aturan.format import format_persen, format_sel
from kinerja.simpan.models import Indikator, Instansi, Realisasi, RealisasiAnggaran, Unit
from kinerja.simpan.queries import list_units, load_data_tahun
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi
from kinerja.simpan.verifikasi import indikator_diganti
from kinerja.simpan.wewenang import diisi_tangan

GRID_COLUMNS = ["kode", "indikator", "satuan", "jenis", "otomatis", "nilai", "pembilang", "penyebut", "keterangan",
                "versi"]
GRID_ANGGARAN_COLUMNS = ["kode", "sub_kegiatan", "pagu", "sebelumnya", "realisasi", "keterangan", "versi"]
VALUE_COLUMNS = ["nilai", "pembilang", "penyebut"]


def _text(value: object) -> str:
    """Return a grid cell as stripped text ('' for an empty cell, whatever pandas put there)."""
    return "" if value is None or pd.isna(value) else str(value).strip()


def grid_realisasi(session: Session, instansi: Instansi, tahun: int, unit_id: int, bulan: int) -> pd.DataFrame:
    """Return one row per indicator the unit owns, with what is entered for `bulan`."""
    data_tahun = load_data_tahun(session, instansi, tahun, bulan)
    tw = triwulan_dari_bulan(bulan)
    computed = compute_periode(data_tahun.data, tw)
    stored = {
        kode: r for kode, r in session.exec(
            select(Indikator.kode, Realisasi).join(Realisasi, Realisasi.indikator_id == Indikator.id).where(
                Indikator.instansi_id == instansi.id, Indikator.tahun == tahun, Indikator.unit_id == unit_id,
                Realisasi.bulan == bulan))
    }
    rows = []
    for ind in data_tahun.indikator_unit(unit_id):
        e = stored.get(ind.kode)
        otomatis = ""
        if ind.sumber != "input":
            value = computed[ind.kode].realisasi
            otomatis = "belum ada data" if value is None else f"{format_persen(value)} s.d. TW {tw}"
        elif not diisi_tangan(ind):
            otomatis = "diisi dari halaman IKM / AKIP"
        rows.append({
            "kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan,
            "jenis": "rasio" if ind.jenis == "rasio" else "nilai",
            "nilai": format_sel(e.nilai) if e else "", "pembilang": format_sel(e.pembilang) if e else "",
            "penyebut": format_sel(e.penyebut) if e else "",
            "keterangan": e.keterangan if e else "", "otomatis": otomatis, "versi": e.versi if e else 0,
        })
    for ind, alasan in _diganti(session, indikator_diganti(session, instansi.id, tahun, bulan), unit_id):
        e = stored.get(ind.kode)
        rows.append({
            "kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan,
            "jenis": "rasio" if ind.jenis == "rasio" else "nilai",
            "nilai": format_sel(e.nilai) if e else "", "pembilang": format_sel(e.pembilang) if e else "",
            "penyebut": format_sel(e.penyebut) if e else "", "keterangan": e.keterangan if e else "",
            "otomatis": f"tidak diisi: {alasan}", "versi": e.versi if e else 0,
        })
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def _diganti(session: Session, alasan: dict[int, str], unit_id: int) -> list[tuple[Indikator, str]]:
    """Return the unit's indicators a PK revision dropped by this month, by kode, each with the reason."""
    if not alasan:
        return []
    rows = session.exec(select(Indikator).where(Indikator.id.in_(list(alasan)), Indikator.unit_id == unit_id)  # type: ignore[union-attr]
                        .order_by(Indikator.kode)).all()
    return [(r, alasan[r.id]) for r in rows]


def _versi(prev: pd.Series) -> int | None:
    """Return the versi a grid row was loaded with (None for a grid made without one)."""
    return int(prev["versi"]) if "versi" in prev.index and not pd.isna(prev["versi"]) else None


def _parse_row(row: pd.Series, columns: list[str], label: str, problems: list[str],
               jenis: Jenis = NILAI) -> dict[str, Decimal | None] | None:
    """Read a row's number cells with the one parser; None (and the problems recorded) when one is not a number."""
    values: dict[str, Decimal | None] = {}
    ok = True
    for c in columns:
        try:
            values[c] = parse_angka(_text(row[c]), jenis)
        except AngkaError as e:
            problems.append(f"{label}: {c} {e}")
            ok = False
    return values if ok else None


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
        keterangan, prev_ket = _text(row["keterangan"]), _text(prev["keterangan"])
        if all(_text(row[c]) == _text(prev[c]) for c in VALUE_COLUMNS) and keterangan == prev_ket:
            continue
        values = _parse_row(row, VALUE_COLUMNS, f"{kode} {prev['indikator']}", problems)
        if values is None:
            continue
        if all(v is None for v in values.values()) and not keterangan:
            entries.append(EntriRealisasi(kode=kode, bulan=bulan, hapus=True, versi=_versi(prev)))
        else:
            entries.append(EntriRealisasi(kode=kode, bulan=bulan, keterangan=keterangan, versi=_versi(prev), **values))
    return entries, problems


def grid_anggaran(session: Session, instansi: Instansi, tahun: int, unit_id: int, bulan: int) -> pd.DataFrame:
    """Return one row per sub-kegiatan the unit runs: pagu, spent before `bulan`, and `bulan`."""
    data_tahun = load_data_tahun(session, instansi, tahun, bulan)
    spent = data_tahun.data.realisasi_anggaran
    ids = [n.node.id for n in data_tahun.anggaran if n.unit.id == unit_id]
    stored = {
        r.anggaran_id: r
        for r in session.exec(select(RealisasiAnggaran).where(
            RealisasiAnggaran.bulan == bulan, RealisasiAnggaran.anggaran_id.in_(ids)))  # type: ignore[union-attr]
    }
    rows = []
    for n in data_tahun.anggaran:
        if n.node.tingkat != "sub_kegiatan" or n.unit.id != unit_id:
            continue
        months = spent.get(n.node.kode, {})
        sebelumnya = sum(v for b, v in months.items() if b < bulan)
        r = stored.get(n.node.id)
        rows.append({
            "kode": n.node.kode, "sub_kegiatan": n.node.nama, "pagu": n.pagu,
            "sebelumnya": sebelumnya, "realisasi": format_sel(r.realisasi if r else None),
            "keterangan": r.keterangan if r else "", "versi": r.versi if r else 0,
        })
    return pd.DataFrame(rows, columns=GRID_ANGGARAN_COLUMNS)


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
        keterangan, prev_ket = _text(row["keterangan"]), _text(prev["keterangan"])
        if _text(row["realisasi"]) == _text(prev["realisasi"]) and keterangan == prev_ket:
            continue
        values = _parse_row(row, ["realisasi"], f"{kode} {prev['sub_kegiatan']}", problems, RUPIAH)
        if values is None:
            continue
        value = values["realisasi"]
        if value is None and not keterangan:
            entries.append(EntriAnggaran(kode=kode, bulan=bulan, realisasi=None, hapus=True, versi=_versi(prev)))
        else:
            entries.append(EntriAnggaran(kode=kode, bulan=bulan, realisasi=value, keterangan=keterangan,
                                         versi=_versi(prev)))
    return entries, problems


def list_unit_isian(session: Session, instansi: Instansi, tahun: int) -> list[Unit]:
    """Return the units that enter something themselves: indicators or sub-kegiatan budgets."""
    data_tahun = load_data_tahun(session, instansi, tahun)
    owners = {b.indikator.unit_id for b in data_tahun.baris if diisi_tangan(b.indikator)}
    owners |= {n.unit.id for n in data_tahun.anggaran if n.node.tingkat == "sub_kegiatan"}
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
            value = parse_angka(text, RUPIAH)
        except AngkaError as e:
            problems.append(f"{row['kode']}: pagu {e}")
            continue
        if value is None:
            problems.append(f"{row['kode']}: pagu harus diisi (0 bila tidak ada anggaran)")
            continue
        changed[row["kode"]] = int(value)  # bounded to 15 digits by parse_angka
    return changed, problems
