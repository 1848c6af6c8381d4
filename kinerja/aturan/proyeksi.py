"""Year-end projections at the current pace, as pure functions: the early warning's arithmetic.

- Counts (jumlah of one value) and budget lines grow through the year: the projection is the
  cumulative realisation s.d. the last month with data, divided by what the plan expected by then,
  times the annual target (or pagu). The plan is the Rencana Aksi (cumulative per triwulan,
  interpolated month by month inside a triwulan, from 0 at the start of the year), or, for a budget
  line with an anggaran kas, the sum of its monthly plan. With the default Rencana Aksi (a quarter
  a triwulan) this is exactly the straight line: cumulative × 12 / month.
- Every other indicator (rata-rata, terakhir, ratios) keeps its value so far: the running mean,
  the latest value, the running ratio.
- A derived indicator is the mean of its children's projected capaian, each capped at 100 (the
  engine's own rule); budget absorption is the projected spending of its node over the pagu.
- Nothing entered yet: no projection (None), never a made-up number. When the plan expected
  nothing yet by the last month with data, the item is on plan: its projection is its target.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kinerja.aturan.capaian import (
    HUNDRED,
    ZERO,
    Bulanan,
    DataKinerja,
    IndikatorDef,
    aggregate,
    build_cascade,
    child_indicators,
    compute_capaian,
    compute_realisasi_input,
    is_kumulatif,
    mean_capaian,
    round_residu,
    round_shown,
    subtree,
    target_sd_triwulan,
)

# How a projection was made, as the at-risk list says it.
LINEAR, RENCANA_AKSI, NILAI_TERKINI, TURUNAN, ANGGARAN_KAS, PENYERAPAN = (
    "garis lurus", "Rencana Aksi", "nilai sejauh ini", "rata-rata capaian indikator di bawahnya", "anggaran kas",
    "penyerapan anggaran")


@dataclass(frozen=True)
class Proyeksi:
    """A projected year-end figure against its annual target."""

    nilai: Decimal
    target: Decimal
    bulan: int  # the last month with data the projection rests on
    metode: str
    polaritas: str = "positif"

    @property
    def kurang(self) -> Decimal:
        """Return by how much the projection misses the target (0 when it meets it), in the target's unit."""
        shown = round_shown(self.nilai)
        gap = shown - self.target if self.polaritas == "negatif" else self.target - shown
        return max(ZERO, gap)

    @property
    def berisiko(self) -> bool:
        """Tell whether the projection misses the annual target (compared as shown, to 2 decimals)."""
        return self.kurang > 0

    @property
    def kurang_persen(self) -> Decimal | None:
        """Return the shortfall as a percentage of the target (None for a target of 0)."""
        return round_residu(self.kurang * HUNDRED / self.target) if self.target else None


def rencana_bulan(rencana_tw: Sequence[Decimal], bulan: int) -> Decimal:
    """Return the cumulative plan at the end of a month from the cumulative plan of triwulan I-IV.

    Inside a triwulan the plan grows evenly from the previous triwulan's (0 before triwulan I).
    """
    tw = (bulan - 1) // 3 + 1
    before = rencana_tw[tw - 2] if tw > 1 else ZERO
    return before + round_residu((rencana_tw[tw - 1] - before) * (bulan - 3 * (tw - 1)) / 3)


def proyeksi_laju(sejauh_ini: Decimal, rencana_sd: Decimal, target: Decimal) -> Decimal:
    """Return the year-end figure at the pace against the plan: so far / planned so far × target."""
    if rencana_sd == 0:
        return target  # nothing was planned yet, so nothing is behind
    return round_residu(sejauh_ini * target / rencana_sd)


def _terisi(entries: Mapping[int, Bulanan], jenis: str, sd_bulan: int) -> int | None:
    """Return the last month up to `sd_bulan` with a value (both components for a ratio)."""
    months = [b for b, e in entries.items() if b <= sd_bulan and (
        (e.pembilang is not None and e.penyebut is not None) if jenis == "rasio" else e.nilai is not None)]
    return max(months) if months else None


def proyeksi_input(ind: IndikatorDef, entries: Mapping[int, Bulanan], sd_bulan: int) -> Proyeksi | None:
    """Project an entered indicator from its months up to `sd_bulan` (None: no data yet)."""
    last = _terisi(entries, ind.jenis, sd_bulan)
    if last is None:
        return None
    if is_kumulatif(ind.agregasi, ind.jenis, ind.sumber):
        so_far = aggregate({b: e.nilai for b, e in entries.items()}, "jumlah", last) or ZERO
        plan = [target_sd_triwulan(ind, q) for q in (1, 2, 3, 4)]
        metode = LINEAR if all(r is None for r in ind.rencana_aksi) else RENCANA_AKSI
        value = proyeksi_laju(so_far, rencana_bulan(plan, last), ind.target)
        return Proyeksi(value, ind.target, last, metode, ind.polaritas)
    value = compute_realisasi_input(entries, ind.jenis, ind.agregasi, last)
    if value is None:  # a ratio whose penyebut is 0 has no realisasi
        return None
    return Proyeksi(value, ind.target, last, NILAI_TERKINI, ind.polaritas)


def proyeksi_belanja(
    bulanan: Mapping[int, int], pagu: int, rencana_persen_tw: Sequence[Decimal], sd_bulan: int,
    kas: Mapping[int, int] | None = None,
) -> Proyeksi | None:
    """Project a budget line's year-end spending against its anggaran kas, or the budget's Rencana Aksi (%)."""
    months = [b for b, rp in bulanan.items() if b <= sd_bulan and rp is not None]
    if not months:
        return None
    last = max(months)
    spent = Decimal(sum(rp for b, rp in bulanan.items() if b <= last and rp is not None))
    if kas and any(kas.values()):  # an anggaran kas of zeros plans nothing: fall back to the Rencana Aksi
        planned = Decimal(sum(rp for b, rp in kas.items() if b <= last))
        metode = ANGGARAN_KAS
    else:
        planned = round_residu(Decimal(pagu) * rencana_bulan(rencana_persen_tw, last) / HUNDRED)
        metode = RENCANA_AKSI
    return Proyeksi(proyeksi_laju(spent, planned, Decimal(pagu)), Decimal(pagu), last, metode)


def sejak_bulan(proyeksi_sampai: Callable[[int], Proyeksi | None], sd_bulan: int) -> int | None:
    """Return the first month from which every month's projection (data up to it) missed the target."""
    first = None
    for bulan in range(sd_bulan, 0, -1):
        p = proyeksi_sampai(bulan)
        if p is None or not p.berisiko:
            break
        first = bulan
    return first


@dataclass(frozen=True)
class ProyeksiTahun:
    """Every projection of an office's year: indicators by kode, sub kegiatan by kode (None: no data)."""

    indikator: dict[str, Proyeksi | None]
    anggaran: dict[str, Proyeksi | None]


def proyeksi_tahun(
    data: DataKinerja, sd_bulan: int, rencana_persen_tw: Sequence[Decimal],
    kas: Mapping[str, Mapping[int, int]] | None = None, sub_kegiatan: Sequence[str] | None = None,
) -> ProyeksiTahun:
    """Project every indicator and budget line from the data up to `sd_bulan`.

    `sub_kegiatan` names the budget lines that are spent directly (default: the leaves of the tree).
    """
    kas = kas or {}
    parents = {n.induk for n in data.anggaran}
    lines = list(sub_kegiatan) if sub_kegiatan is not None else [n.kode for n in data.anggaran if n.kode not in parents]
    pagu = {n.kode: n.pagu for n in data.anggaran}
    belanja = {k: proyeksi_belanja(data.realisasi_anggaran.get(k, {}), pagu[k], rencana_persen_tw, sd_bulan,
                                   kas.get(k)) for k in lines if k in pagu}
    cascade = build_cascade(data)
    by_kode = {i.kode: i for i in data.indikator}
    found: dict[str, Proyeksi | None] = {}

    def solve(kode: str, path: frozenset[str] = frozenset()) -> Proyeksi | None:
        if kode in found:
            return found[kode]
        ind = by_kode[kode]
        if ind.sumber == "input":
            p = proyeksi_input(ind, data.realisasi.get(kode, {}), sd_bulan)
        elif ind.sumber == "anggaran":
            p = _serapan(ind, data, belanja, pagu)
        elif kode in path:  # a cycle: the engine refuses it; here it simply has no projection
            p = None
        else:
            kids = [(c, solve(c.kode, path | {kode})) for c in child_indicators(data, ind, cascade)]
            kids = [(c, q) for c, q in kids if q is not None]
            value = mean_capaian(compute_capaian(q.nilai, c.target, c.polaritas) for c, q in kids)
            p = Proyeksi(value, ind.target, max(q.bulan for _, q in kids), TURUNAN, ind.polaritas) \
                if value is not None else None
        found[kode] = p
        return p

    for kode in by_kode:
        solve(kode)
    return ProyeksiTahun(indikator=found, anggaran=belanja)


def _serapan(ind: IndikatorDef, data: DataKinerja, belanja: Mapping[str, Proyeksi | None],
             pagu: Mapping[str, int]) -> Proyeksi | None:
    """Project budget absorption (%) of the indicator's node: its lines' projected spending over its pagu."""
    if not ind.anggaran_kode or not pagu.get(ind.anggaran_kode):
        return None
    lines = [belanja[k] for k in subtree(data.anggaran, ind.anggaran_kode) if belanja.get(k) is not None]
    if not lines:
        return None
    spent = sum((p.nilai for p in lines if p is not None), ZERO)
    value = round_residu(spent * HUNDRED / pagu[ind.anggaran_kode])
    return Proyeksi(value, ind.target, max(p.bulan for p in lines if p is not None), PENYERAPAN, ind.polaritas)
