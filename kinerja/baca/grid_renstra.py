"""The admin's grids of Renstra targets (indicator × Renstra year) and of one earlier year's figures.

A grid is a list of text rows (numbers as `format_sel` writes them, so they read back the same);
the changes are the cells the user edited, handed to `kinerja.simpan.riwayat`, which parses and
checks them all.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

import pandas as pd
from sqlmodel import Session

from kinerja.aturan.format import format_sel
from kinerja.simpan.models import Indikator, Instansi, RiwayatRealisasi
from kinerja.simpan.queries import list_baris, list_tahun, versi_berlaku
from kinerja.simpan.riwayat import EntriRiwayat, EntriTargetRenstra, tahun_pk_pertama

INFO_COLUMNS = ["kode", "indikator", "satuan"]
RIWAYAT_GRID_COLUMNS = [*INFO_COLUMNS, "realisasi", "capaian", "sumber"]
TAHUN_RIWAYAT = 4  # N-1 .. N-4 before the first PK year in the app


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def indikator_unik(indikator: Iterable[Indikator]) -> list[Indikator]:
    """Return each kode once, in the order given (an indicator listed by several agreements)."""
    seen: dict[str, Indikator] = {}
    for ind in indikator:
        seen.setdefault(ind.kode, ind)
    return list(seen.values())


def list_indikator_renstra(session: Session, instansi: Instansi) -> list[Indikator]:
    """Return the indicators of the newest published PK year, each kode once, in the order of the document."""
    years = list_tahun(session, instansi.id)
    if not years:
        return []
    return indikator_unik(b.indikator for b in list_baris(session, versi_berlaku(session, instansi.id, years[0])))


def list_tahun_riwayat(session: Session, instansi_id: int) -> list[int]:
    """Return the years history can be typed for: the four before the first PK year in the app, newest first."""
    first = tahun_pk_pertama(session, instansi_id)
    return [] if first is None else [first - i for i in range(1, TAHUN_RIWAYAT + 1)]


def grid_target_renstra(
    indikator: Sequence[Indikator], targets: dict[str, dict[int, Decimal]], years: Sequence[int]
) -> list[dict[str, str]]:
    """Return one row per indicator with its Renstra target per year (a column per year)."""
    return [
        {"kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan,
         **{str(y): format_sel(targets.get(ind.kode, {}).get(y)) for y in years}}
        for ind in indikator
    ]


def entri_target_grid(
    before: Sequence[dict[str, str]], after: Sequence[dict[str, object]], years: Sequence[int]
) -> list[EntriTargetRenstra]:
    """Return the Renstra targets the user changed in the grid (an emptied cell removes the year's target)."""
    old = {row["kode"]: row for row in before}
    entries = []
    for row in after:
        kode = _text(row.get("kode"))
        if kode not in old:
            continue
        for y in years:
            text = _text(row.get(str(y)))
            if text != old[kode][str(y)]:
                entries.append(EntriTargetRenstra(kode=kode, tahun=y, target=text,
                                                  lokasi=f"{kode} {old[kode]['indikator'][:60]}, tahun {y}"))
    return entries


def grid_riwayat(
    indikator: Sequence[Indikator], riwayat: dict[str, dict[int, RiwayatRealisasi]], tahun: int
) -> list[dict[str, str]]:
    """Return one row per indicator with the figures typed for one earlier year."""
    rows = []
    for ind in indikator:
        r = riwayat.get(ind.kode, {}).get(tahun)
        rows.append({"kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan,
                     "realisasi": format_sel(r.realisasi) if r else "", "capaian": format_sel(r.capaian) if r else "",
                     "sumber": r.sumber if r else ""})
    return rows


def entri_riwayat_grid(
    before: Sequence[dict[str, str]], after: Sequence[dict[str, object]], tahun: int
) -> list[EntriRiwayat]:
    """Return the rows of one earlier year the user changed (realisasi and capaian emptied: the row is removed)."""
    old = {row["kode"]: row for row in before}
    entries = []
    for row in after:
        kode = _text(row.get("kode"))
        if kode not in old:
            continue
        new = {c: _text(row.get(c)) for c in ("realisasi", "capaian", "sumber")}
        if all(new[c] == old[kode][c] for c in new):
            continue
        lokasi = f"{kode} {old[kode]['indikator'][:60]}, tahun {tahun}"
        entries.append(EntriRiwayat(kode=kode, tahun=tahun, realisasi=new["realisasi"], capaian=new["capaian"],
                                    sumber=new["sumber"], lokasi=lokasi))
    return entries
