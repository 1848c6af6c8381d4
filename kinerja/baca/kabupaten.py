"""The offices of a pemda side by side: capaian, kategori, completeness, budget, IKM and AKIP (issue 13).

An office's figures are those of its own Beranda and LKjIP: the capaian of its sasaran strategis is
the mean of the head's agreement rows (the Camat's PK to the Bupati), each capped at 100
(`capaian.mean_capaian`, as `ringkasan.capaian_per_unit` and the LKjIP's rata-rata); the kategori
counts are those rows' (Permendagri 86/2017, `capaian.kategori_capaian`); penyerapan is `ringkasan.penyerapan_total`;
IKM and AKIP are `ringkasan.skor_khusus` s.d. the triwulan. Kelengkapan is the share of the
unit-months due up to the triwulan's last month (every unit that enters figures, every month) that
the unit has submitted (diajukan, diverifikasi or disahkan).

Each office's year is read once (`ringkas_instansi`, a flat number of queries whatever its size);
nothing is read per indicator. The screen keeps each office's summary per data version
(`bandingkan_tersimpan`): a rerun with unchanged data costs one SELECT of every office's version.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from kinerja.aturan.capaian import KATEGORI_URUT, bulan_akhir, kategori_capaian, mean_capaian, triwulan_dari_bulan
from kinerja.baca.laporan import Capaian, capaian_dari
from kinerja.baca.ringkasan import penyerapan_total, skor_khusus, unit_pengisi
from kinerja.simpan.db import new_session
from kinerja.simpan.jadwal import belum_diajukan
from kinerja.simpan.models import Indikator, Instansi, Realisasi, Versi
from kinerja.simpan.queries import NotFound, load_data_tahun
from kinerja.simpan.verifikasi import DRAF, status_tahun

BELUM_ADA_DATA = "Belum ada data"  # the kategori of an office (or sasaran) with no capaian yet, as on the Beranda
BELUM_ADA_PK = "Belum ada PK"  # the kategori of an office with no published agreement that year (no bar drawn)
# The column of each kategori's count: "Sangat Tinggi" -> "sangat_tinggi".
KOLOM_KATEGORI = {k: k.lower().replace(" ", "_") for k in KATEGORI_URUT}
KOLOM_INSTANSI = [
    "instansi_id", "instansi", "jenis", "keterangan", "versi", "indikator", "ada_capaian", "capaian", "kategori",
    *KOLOM_KATEGORI.values(), "belum_ada", "bulan_diajukan", "bulan_wajib", "kelengkapan", "realisasi_anggaran",
    "pagu", "penyerapan", "ikm", "mutu_ikm", "akip", "predikat_akip",
]
KOLOM_SASARAN = ["instansi_id", "instansi", "no", "sasaran", "indikator", "ada_capaian", "capaian", "kategori"]


@dataclass(frozen=True)
class RingkasanInstansi:
    """One office's year s.d. a triwulan: its row of the comparison and its rows per sasaran strategis."""

    baris: dict[str, object]
    sasaran: list[dict[str, object]] = field(default_factory=list)


@dataclass
class PerbandinganInstansi:
    """The comparison of offices: one row per office, and one row per office and sasaran strategis."""

    tahun: int
    triwulan: int
    hanya_disahkan: bool
    instansi: pd.DataFrame
    sasaran: pd.DataFrame


def bandingkan_instansi(
    session: Session, offices: Sequence[Instansi], tahun: int, triwulan: int, hanya_disahkan: bool = False
) -> PerbandinganInstansi:
    """Compare offices s.d. a triwulan: the best capaian first, offices without a capaian (or a PK) last."""
    return gabungkan([ringkas_instansi(session, o, tahun, triwulan, hanya_disahkan) for o in offices],
                     tahun, triwulan, hanya_disahkan)


def bandingkan_tersimpan(
    engine: Engine, offices: Sequence[Instansi], tahun: int, triwulan: int, hanya_disahkan: bool = False
) -> PerbandinganInstansi:
    """As `bandingkan_instansi`, each office's summary computed once per data version (`Instansi.versi_data`).

    Every write bumps its office's version in its own transaction, so a save anywhere is seen on the next
    rerun; the versions are read before any figure, so a summary is never older than the version it is kept under.
    """
    with new_session(engine) as session:
        ids = [o.id for o in offices]
        versi = dict(session.exec(select(Instansi.id, Instansi.versi_data).where(Instansi.id.in_(ids))).all())  # type: ignore[union-attr]
    ringkasan = [_ringkasan_versi(engine, o.id, versi[o.id], tahun, triwulan, hanya_disahkan) for o in offices
                 if o.id in versi]
    return gabungkan(ringkasan, tahun, triwulan, hanya_disahkan)


# Small (a row and a few sasaran per office): a whole province's offices fit. Keyed by the engine object, so
# two databases (or two tests on one PostgreSQL URL) never share a summary. Shared: callers only read it.
@lru_cache(maxsize=4096)
def _ringkasan_versi(
    engine: Engine, instansi_id: int, versi_data: int, tahun: int, triwulan: int, hanya_disahkan: bool
) -> RingkasanInstansi:
    with new_session(engine) as session:
        office = session.get(Instansi, instansi_id)
        return ringkas_instansi(session, office, tahun, triwulan, hanya_disahkan)  # type: ignore[arg-type]


def gabungkan(
    ringkasan: Iterable[RingkasanInstansi], tahun: int, triwulan: int, hanya_disahkan: bool = False
) -> PerbandinganInstansi:
    """Put the offices' summaries into the two tables of the comparison (pure: no database)."""
    items = list(ringkasan)
    per_instansi = pd.DataFrame([r.baris for r in items], columns=KOLOM_INSTANSI)
    per_instansi = per_instansi.sort_values(["capaian", "instansi"], ascending=[False, True], na_position="last",
                                            kind="stable").reset_index(drop=True)
    for column in ("capaian", "kelengkapan", "penyerapan", "ikm", "akip"):
        per_instansi[column] = per_instansi[column].astype("Float64")
    for column in ("indikator", "ada_capaian", *KOLOM_KATEGORI.values(), "belum_ada", "bulan_diajukan",
                   "bulan_wajib", "realisasi_anggaran", "pagu"):
        per_instansi[column] = per_instansi[column].astype("Int64")
    per_sasaran = pd.DataFrame([s for r in items for s in r.sasaran], columns=KOLOM_SASARAN)
    per_sasaran["capaian"] = per_sasaran["capaian"].astype("Float64")
    # The offices in the order of the comparison, each office's sasaran in the order of its PK.
    urut = per_sasaran["instansi_id"].map({i: n for n, i in enumerate(per_instansi["instansi_id"])})
    per_sasaran = per_sasaran.assign(urut=urut).sort_values(["urut", "no"], kind="stable")
    per_sasaran = per_sasaran.drop(columns="urut").reset_index(drop=True)
    return PerbandinganInstansi(tahun=tahun, triwulan=triwulan, hanya_disahkan=hanya_disahkan,
                                instansi=per_instansi, sasaran=per_sasaran)


def ringkas_instansi(
    session: Session, office: Instansi, tahun: int, triwulan: int, hanya_disahkan: bool = False
) -> RingkasanInstansi:
    """Read one office's year once and summarise it s.d. a triwulan (a row saying so when it has no PK)."""
    bulan = bulan_akhir(triwulan)
    try:
        data_tahun = load_data_tahun(session, office, tahun, bulan, hanya_disahkan)
    except NotFound:
        return RingkasanInstansi(baris=baris_tanpa_pk(office, tahun))
    if not data_tahun.baris:
        return RingkasanInstansi(baris=baris_tanpa_pk(office, tahun))
    capaian = capaian_dari(data_tahun, triwulan)
    diajukan, wajib = kelengkapan_isian(
        [u.id for u in unit_pengisi(data_tahun)], status_tahun(session, office.id, tahun), bulan)
    return ringkas_capaian(capaian, diajukan, wajib)


def ringkas_capaian(capaian: Capaian, diajukan: int, wajib: int) -> RingkasanInstansi:
    """Summarise an office's computed capaian (pure): its sasaran strategis, budget, IKM and AKIP."""
    data_tahun = capaian.data_tahun
    office = data_tahun.instansi
    kepala = data_tahun.baris[0].unit  # the head's agreement comes first: its rows are the sasaran strategis
    nilai = [capaian.hasil[b.indikator.kode].capaian_sd_tw for b in data_tahun.baris if b.unit.id == kepala.id]
    rata = mean_capaian(nilai)  # the Beranda's "Capaian sasaran strategis" (ringkasan.capaian_per_unit)
    sebaran = hitung_kategori(nilai)
    realisasi, pagu, serapan = penyerapan_total(data_tahun, bulan_akhir(capaian.triwulan))
    skor = skor_khusus(capaian)
    ikm, akip = skor.get("ikm", {}), skor.get("akip", {})
    baris: dict[str, object] = {
        "instansi_id": office.id, "instansi": office.nama, "jenis": office.jenis, "keterangan": "",
        "versi": data_tahun.versi.nama, "indikator": len(nilai), "ada_capaian": len(nilai) - sebaran[""],
        "capaian": _float(rata), "kategori": kategori_capaian(rata) or BELUM_ADA_DATA,
        **{KOLOM_KATEGORI[k]: sebaran[k] for k in KATEGORI_URUT}, "belum_ada": sebaran[""],
        "bulan_diajukan": diajukan, "bulan_wajib": wajib, "kelengkapan": _persen(diajukan, wajib),
        "realisasi_anggaran": realisasi if serapan is not None else None, "pagu": pagu,
        "penyerapan": _float(serapan),
        "ikm": _float(ikm.get("nilai")), "mutu_ikm": ikm.get("label") or "",  # type: ignore[arg-type]
        "akip": _float(akip.get("nilai")), "predikat_akip": akip.get("label") or "",  # type: ignore[arg-type]
    }
    return RingkasanInstansi(baris=baris, sasaran=capaian_per_sasaran(capaian, kepala.id))


def capaian_per_sasaran(capaian: Capaian, unit_id: int) -> list[dict[str, object]]:
    """Return one row per sasaran of a unit's agreement: its rows' mean capaian, each capped at 100."""
    office = capaian.data_tahun.instansi
    groups: dict[str, list[Decimal | None]] = {}
    for b in capaian.data_tahun.baris:
        if b.unit.id == unit_id:
            groups.setdefault(b.sasaran, []).append(capaian.hasil[b.indikator.kode].capaian_sd_tw)
    rows = []
    for no, (sasaran, nilai) in enumerate(groups.items(), start=1):
        rata = mean_capaian(nilai)
        rows.append({"instansi_id": office.id, "instansi": office.nama, "no": no, "sasaran": sasaran,
                     "indikator": len(nilai), "ada_capaian": sum(v is not None for v in nilai),
                     "capaian": _float(rata), "kategori": kategori_capaian(rata) or BELUM_ADA_DATA})
    return rows


def hitung_kategori(nilai: Iterable[Decimal | None]) -> dict[str, int]:
    """Count capaian per kategori ('' = no capaian yet), every kategori present even at 0."""
    counts = dict.fromkeys((*KATEGORI_URUT, ""), 0)
    for v in nilai:
        counts[kategori_capaian(v) or ""] += 1
    return counts


def kelengkapan_isian(
    unit_ids: Sequence[int], status: dict[tuple[int, int], str], sampai_bulan: int
) -> tuple[int, int]:
    """Return (unit-months submitted, unit-months due): every unit that enters figures, months 1..sampai_bulan.

    Submitted: diajukan, diverifikasi or disahkan; a draft or a month returned to its unit is not.
    """
    due = [(u, b) for u in unit_ids for b in range(1, sampai_bulan + 1)]
    return sum(not belum_diajukan(status.get(key, DRAF)) for key in due), len(due)


def baris_tanpa_pk(office: Instansi, tahun: int) -> dict[str, object]:
    """Return the comparison row of an office that has no published agreement that year."""
    return {"instansi_id": office.id, "instansi": office.nama, "jenis": office.jenis,
            "keterangan": f"Belum ada perjanjian kinerja terbit tahun {tahun}", "versi": "", "kategori": BELUM_ADA_PK,
            "mutu_ikm": "", "predikat_akip": ""}


def tahun_tersedia(session: Session, offices: Sequence[Instansi]) -> list[int]:
    """Return the years in which any of these offices has a published agreement, newest first."""
    ids = [o.id for o in offices]
    if not ids:
        return []
    query = select(Versi.tahun).where(Versi.instansi_id.in_(ids), Versi.status == "terbit").distinct()  # type: ignore[union-attr]
    return sorted(session.exec(query), reverse=True)


def triwulan_terakhir(session: Session, offices: Sequence[Instansi], tahun: int) -> int:
    """Return the triwulan of the latest realisation any of these offices entered that year (I when none)."""
    ids = [o.id for o in offices]
    if not ids:
        return 1
    bulan = session.exec(
        select(func.max(Realisasi.bulan)).join(Indikator, Indikator.id == Realisasi.indikator_id)
        .where(Indikator.instansi_id.in_(ids), Indikator.tahun == tahun)  # type: ignore[attr-defined]
    ).one()
    return triwulan_dari_bulan(bulan) if bulan else 1


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _persen(part: int, whole: int) -> float | None:
    return None if whole == 0 else float(Decimal(part) * 100 / whole)
