"""The capaian engine: realisasi, target s.d. triwulan, capaian and kategori, as pure functions.

Everything here follows ../shared/DOMAIN.md ("Capaian", "Periods and roll-up", "Project rules for
roll-ups"). Arithmetic is in Decimal so that a capaian of exactly 91 is exactly 91 and lands in
the right kategori. Every quotient is rounded to 20 decimals (`round_residu`), far below anything
shown, so that one figure reached by two paths is one number; figures are rounded to what is
shown (`round_shown`) only where a rule is decided by them. `None` always means "no value"
(not entered, not applicable), never zero.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)
RESIDU = Decimal("1e-20")
SHOWN = Decimal("0.01")
# Wide enough for any figure this engine computes (inputs are Numeric(20, 4)) plus 20 decimals.
_WIDE = Context(prec=60)

AGREGASI = ("jumlah", "rata_rata", "terakhir")
JENIS = ("tunggal", "rasio")
SUMBER = ("input", "turunan", "anggaran")
POLARITAS = ("positif", "negatif")
TRIWULAN = (1, 2, 3, 4)
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}

# (lower bound, name): Permendagri 86/2017 scale, checked from the top.
KATEGORI = (
    (Decimal(91), "Sangat Tinggi"),
    (Decimal(76), "Tinggi"),
    (Decimal(66), "Sedang"),
    (Decimal(51), "Rendah"),
)
SANGAT_RENDAH = "Sangat Rendah"
KATEGORI_URUT = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")


@dataclass(frozen=True)
class Bulanan:
    """What was entered for one month: nilai (tunggal) or pembilang and penyebut (rasio)."""

    nilai: Decimal | None = None
    pembilang: Decimal | None = None
    penyebut: Decimal | None = None
    keterangan: str = ""


@dataclass(frozen=True)
class IndikatorDef:
    """An indicator as the engine sees it, with the targets of the version in force."""

    kode: str
    target: Decimal
    agregasi: str = "jumlah"
    jenis: str = "tunggal"
    sumber: str = "input"
    polaritas: str = "positif"
    anggaran_kode: str | None = None
    rencana_aksi: tuple[Decimal | None, ...] = (None, None, None, None)


@dataclass(frozen=True)
class NodeDef:
    """A budget node with the pagu of the version in force."""

    kode: str
    induk: str | None
    pagu: int


@dataclass
class DataKinerja:
    """Everything the engine needs for one office and year."""

    indikator: list[IndikatorDef]
    anggaran: list[NodeDef] = field(default_factory=list)
    realisasi: dict[str, dict[int, Bulanan]] = field(default_factory=dict)
    realisasi_anggaran: dict[str, dict[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Hasil:
    """The result for one indicator up to the end of one triwulan."""

    realisasi: Decimal | None
    target_tahunan: Decimal
    target_sd_tw: Decimal
    capaian_sd_tw: Decimal | None
    capaian_tahunan: Decimal | None
    pembilang: Decimal | None = None
    penyebut: Decimal | None = None

    @property
    def kategori(self) -> str | None:
        return kategori_capaian(self.capaian_sd_tw)


def round_residu(value: Decimal) -> Decimal:
    """Round a quotient to 20 decimals: the residue of Decimal's 28 digits goes, nothing shown does.

    A quotient such as 1/3 × 100 is cut in its 28th digit, so the same figure reached by two
    paths (a mean of capaian, an absorption) can differ by 1e-21 and compare unequal. Every
    division of the engine goes through here, so equal figures are equal.
    """
    return value.quantize(RESIDU, context=_WIDE)


def round_shown(value: Decimal) -> Decimal:
    """Round a figure to the 2 decimals it is shown with (half up: 85,455 shows as 85,46)."""
    return value.quantize(SHOWN, rounding=ROUND_HALF_UP, context=_WIDE)


def persen_serapan(spent: int | None, pagu: int | None) -> Decimal | None:
    """Return budget absorption in percent: realisasi / pagu × 100 (None: nothing spent or no pagu)."""
    if spent is None or not pagu:
        return None
    return round_residu(Decimal(spent) * HUNDRED / Decimal(pagu))


def is_kumulatif(agregasi: str, jenis: str, sumber: str) -> bool:
    """Tell whether an indicator's target grows through the year: budget absorption, or a count."""
    return sumber == "anggaran" or (jenis == "tunggal" and agregasi == "jumlah")


def bulan_akhir(triwulan: int) -> int:
    """Return the last month of a triwulan (3, 6, 9, 12)."""
    if triwulan not in TRIWULAN:
        raise ValueError(f"triwulan harus 1-4, bukan {triwulan}")
    return triwulan * 3


def triwulan_dari_bulan(bulan: int) -> int:
    """Return the triwulan a month falls in."""
    return (bulan - 1) // 3 + 1


def aggregate(values: Mapping[int, Decimal | None], agregasi: str, sd_bulan: int) -> Decimal | None:
    """Roll the monthly values up to the end of `sd_bulan` (months without a value are skipped)."""
    present = sorted((b, v) for b, v in values.items() if v is not None and 1 <= b <= sd_bulan)
    if not present:
        return None
    if agregasi == "jumlah":
        return sum((v for _, v in present), ZERO)
    if agregasi == "rata_rata":
        return round_residu(sum((v for _, v in present), ZERO) / len(present))
    if agregasi == "terakhir":
        return present[-1][1]
    raise ValueError(f"agregasi tidak dikenal: {agregasi}")


def compute_rasio(
    entries: Mapping[int, Bulanan], agregasi: str, sd_bulan: int
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Return (realisasi %, pembilang, penyebut) of a ratio indicator up to `sd_bulan`."""
    # Only months that have both components count, so under terakhir both come from the latest
    # such month (DOMAIN.md project rule), and under jumlah / rata_rata from the same months.
    complete = {b: e for b, e in entries.items() if e.pembilang is not None and e.penyebut is not None}
    pembilang = aggregate({b: e.pembilang for b, e in complete.items()}, agregasi, sd_bulan)
    penyebut = aggregate({b: e.penyebut for b, e in complete.items()}, agregasi, sd_bulan)
    if pembilang is None or penyebut is None or penyebut == 0:
        return None, pembilang, penyebut
    return round_residu(pembilang * HUNDRED / penyebut), pembilang, penyebut


def compute_realisasi_input(
    entries: Mapping[int, Bulanan], jenis: str, agregasi: str, sd_bulan: int
) -> Decimal | None:
    """Return the realisasi s.d. `sd_bulan` of an entered (input) indicator."""
    if jenis == "rasio":
        return compute_rasio(entries, agregasi, sd_bulan)[0]
    return aggregate({b: e.nilai for b, e in entries.items()}, agregasi, sd_bulan)


def compute_capaian(realisasi: Decimal | None, target: Decimal | None, polaritas: str) -> Decimal | None:
    """Return capaian in percent: R/T×100, or (2T−R)/T×100 floored at 0 for negative polarity."""
    if realisasi is None or target is None or target == 0:
        return None
    if polaritas == "negatif":
        return max(ZERO, round_residu((2 * target - realisasi) * HUNDRED / target))
    return round_residu(realisasi * HUNDRED / target)


def kategori_capaian(capaian: Decimal | None) -> str | None:
    """Return the Permendagri 86/2017 kategori of a capaian (None when there is no capaian)."""
    if capaian is None:
        return None
    for batas, nama in KATEGORI:
        if capaian >= batas:
            return nama
    return SANGAT_RENDAH


def default_rencana_aksi(target: Decimal, agregasi: str, jenis: str, sumber: str) -> tuple[Decimal, ...]:
    """Return the default cumulative targets of triwulan I-IV (DOMAIN.md project rule).

    Counts (tunggal + jumlah) and budget absorption grow by a quarter each triwulan; every other
    indicator (averages, scores, percentages) has its annual target in every triwulan.
    """
    if is_kumulatif(agregasi, jenis, sumber):
        return tuple(target * q / 4 for q in TRIWULAN)  # exact: a quarter always terminates
    return (target,) * 4


def target_sd_triwulan(ind: IndikatorDef, triwulan: int) -> Decimal:
    """Return the cumulative target s.d. a triwulan: the Rencana Aksi, or its default."""
    explicit = ind.rencana_aksi[triwulan - 1]
    if explicit is not None:
        return explicit
    return default_rencana_aksi(ind.target, ind.agregasi, ind.jenis, ind.sumber)[triwulan - 1]


def subtree(nodes: Iterable[NodeDef], kode: str) -> set[str]:
    """Return the kode of a node and of every node below it."""
    children: dict[str | None, list[str]] = {}
    for n in nodes:
        children.setdefault(n.induk, []).append(n.kode)
    found, stack = set(), [kode]
    while stack:
        k = stack.pop()
        found.add(k)
        stack.extend(children.get(k, []))
    return found


def compute_penyerapan(
    nodes: list[NodeDef], realisasi_anggaran: Mapping[str, Mapping[int, int]], kode: str, sd_bulan: int
) -> Decimal | None:
    """Return budget absorption (%) of a node: its subtree's realisasi s.d. bulan / its pagu."""
    pagu = next((n.pagu for n in nodes if n.kode == kode), None)
    return persen_serapan(total_realisasi_anggaran(nodes, realisasi_anggaran, kode, sd_bulan), pagu)


def total_realisasi_anggaran(
    nodes: list[NodeDef], realisasi_anggaran: Mapping[str, Mapping[int, int]], kode: str, sd_bulan: int
) -> int | None:
    """Return the Rupiah spent in a node's subtree up to `sd_bulan` (None: nothing entered)."""
    amounts = [
        rp
        for k in subtree(nodes, kode)
        for b, rp in realisasi_anggaran.get(k, {}).items()
        if b <= sd_bulan and rp is not None
    ]
    return sum(amounts) if amounts else None


@dataclass(frozen=True)
class Cascade:
    """The pohon kinerja as lookups: indicators per budget node, and child nodes per node."""

    by_node: dict[str, list[IndikatorDef]]
    children: dict[str | None, list[str]]


def build_cascade(data: DataKinerja) -> Cascade:
    """Index the indicators by the node they hang on, and the budget tree by parent."""
    by_node: dict[str, list[IndikatorDef]] = {}
    for other in data.indikator:
        if other.anggaran_kode:
            by_node.setdefault(other.anggaran_kode, []).append(other)
    children: dict[str | None, list[str]] = {}
    for n in data.anggaran:
        children.setdefault(n.induk, []).append(n.kode)
    return Cascade(by_node=by_node, children=children)


def child_indicators(data: DataKinerja, ind: IndikatorDef, cascade: Cascade | None = None) -> list[IndikatorDef]:
    """Return the indicators one level below a derived indicator in the cascade.

    For each child node of the indicator's budget node: the indicators hanging on it, or, when it
    has none, those found further down that branch.
    """
    index = cascade or build_cascade(data)
    found: list[IndikatorDef] = []

    def visit(node: str) -> None:
        for child in index.children.get(node, []):
            if index.by_node.get(child):
                found.extend(index.by_node[child])
            else:
                visit(child)

    if ind.anggaran_kode:
        visit(ind.anggaran_kode)
    return [c for c in found if c.kode != ind.kode]


def compute_periode(data: DataKinerja, triwulan: int) -> dict[str, Hasil]:
    """Compute every indicator's realisasi, targets and capaian s.d. the end of a triwulan."""
    sd_bulan = bulan_akhir(triwulan)
    by_kode = {i.kode: i for i in data.indikator}
    cascade = build_cascade(data)
    results: dict[str, Hasil] = {}
    in_progress: set[str] = set()

    def solve(kode: str) -> Hasil:
        if kode in results:
            return results[kode]
        if kode in in_progress:
            raise ValueError(f"indikator turunan {kode} bergantung pada dirinya sendiri")
        in_progress.add(kode)
        ind = by_kode[kode]
        pembilang = penyebut = None
        if ind.sumber == "turunan":
            realisasi = mean_capaian(solve(child.kode).capaian_sd_tw for child in child_indicators(data, ind, cascade))
        elif ind.sumber == "anggaran":
            realisasi = (
                compute_penyerapan(data.anggaran, data.realisasi_anggaran, ind.anggaran_kode, sd_bulan)
                if ind.anggaran_kode
                else None
            )
        else:
            entries = data.realisasi.get(kode, {})
            if ind.jenis == "rasio":
                realisasi, pembilang, penyebut = compute_rasio(entries, ind.agregasi, sd_bulan)
            else:
                realisasi = compute_realisasi_input(entries, ind.jenis, ind.agregasi, sd_bulan)
        target_sd_tw = target_sd_triwulan(ind, triwulan)
        hasil = Hasil(
            realisasi=realisasi,
            target_tahunan=ind.target,
            target_sd_tw=target_sd_tw,
            capaian_sd_tw=compute_capaian(realisasi, target_sd_tw, ind.polaritas),
            capaian_tahunan=compute_capaian(realisasi, ind.target, ind.polaritas),
            pembilang=pembilang,
            penyebut=penyebut,
        )
        in_progress.discard(kode)
        results[kode] = hasil
        return hasil

    for kode in by_kode:
        solve(kode)
    return results


def mean_capaian(values: Iterable[Decimal | None]) -> Decimal | None:
    """Average capaian values, each capped at 100, skipping the empty ones (None if none)."""
    capped = [min(v, HUNDRED) for v in values if v is not None]
    if not capped:
        return None
    # Averaging capaian such as 1/3 × 100 can leave a residue (51 -> 50,99...98) that would drop
    # the mean into the kategori below; round_residu removes it and nothing that is ever shown.
    return round_residu(sum(capped, ZERO) / len(capped))
