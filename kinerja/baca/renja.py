"""The Evaluasi Renja of a triwulan (Permendagri 86/2017) as rows computed from the engine.

One row per program / kegiatan / sub kegiatan and each indicator hanging on it (the Camat's
indicators without a budget node, such as Nilai AKIP and IKM, come first as sasaran rows). Every
figure is the engine's:
- realisasi kinerja within triwulan t: the indicator's monthly entries of that quarter alone, rolled up
  by its agregasi with `capaian.compute_realisasi_input` (jumlah: the quarter's sum; rata_rata: the
  mean of the quarter's months; terakhir and ratios: the quarter's latest value); budget absorption:
  the quarter's spending over the pagu; a derived indicator: its realisasi s.d. the end of the quarter
  (it is a level, the mean capaian of the indicators below it);
- realisasi anggaran within triwulan t: the subtree's spending in the quarter's months;
- realisasi Renja tahun ini: the engine's realisasi s.d. the chosen triwulan, and its tingkat capaian
  against the annual target of this year's Renja (the form's column 15), anggaran against the pagu;
- the Renstra columns: `kinerja.baca.perbandingan` (end-of-period target, last year's realisasi,
  realisasi s.d. this year and tingkat kemajuan). The Rp side of the Renstra columns stays empty:
  the app holds no Renstra budget.
Quarters after the chosen triwulan are empty. The footer averages the tingkat capaian columns
(each row capped at 100, rows without a figure skipped, `capaian.mean_capaian`), names the predikat
(the kategori band of the average kinerja), and joins the analyses of the triwulan per unit.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlmodel import Session

from kinerja.aturan.capaian import (
    ROMAWI,
    TRIWULAN,
    Hasil,
    IndikatorDef,
    bulan_akhir,
    compute_penyerapan,
    compute_realisasi_input,
    kategori_capaian,
    mean_capaian,
    persen_serapan,
    total_realisasi_anggaran,
)
from kinerja.aturan.format import format_persen, nama_triwulan
from kinerja.baca.laporan import Capaian, compute_capaian_tahun
from kinerja.baca.perbandingan import Perbandingan, list_perbandingan
from kinerja.simpan.analisis import load_analisis
from kinerja.simpan.models import Analisis, Instansi, Unit
from kinerja.simpan.queries import BarisIndikator, NotFound, list_tahun, list_units

T = TypeVar("T")
SASARAN = "sasaran"


@dataclass(frozen=True)
class BarisRenja:
    """One row of the Evaluasi Renja: a budget node (or a sasaran) with one of its indicators."""

    no: int
    tingkat: str  # sasaran | program | kegiatan | sub_kegiatan
    sasaran: str
    kode: str  # the budget node's kode ('' for a sasaran row)
    nama: str  # program / kegiatan / sub kegiatan
    indikator_kode: str
    indikator: str
    satuan: str
    target_renstra_k: Decimal | None
    realisasi_renstra_lalu_k: Decimal | None
    target_k: Decimal | None
    target_rp: int | None  # the pagu
    triwulan_k: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]
    triwulan_rp: tuple[int | None, int | None, int | None, int | None]
    realisasi_k: Decimal | None
    realisasi_rp: int | None
    capaian_k: Decimal | None  # realisasi_k against the annual target (%)
    capaian_rp: Decimal | None  # realisasi_rp against the pagu (%)
    realisasi_renstra_k: Decimal | None
    capaian_renstra_k: Decimal | None  # tingkat kemajuan toward the end-of-Renstra target (%)
    unit: str
    keterangan: str


@dataclass(frozen=True)
class PenutupRenja:
    """The footer rows of the form."""

    rata_rata_kinerja: Decimal | None
    rata_rata_anggaran: Decimal | None
    predikat: str
    faktor_pendorong: str
    faktor_penghambat: str
    tindak_lanjut_triwulan: str
    tindak_lanjut_renja: str


@dataclass(frozen=True)
class EvaluasiRenja:
    """The Evaluasi Renja of one office s.d. one triwulan."""

    instansi: Instansi
    tahun: int
    triwulan: int
    versi_nama: str
    tahun_renstra_akhir: int | None
    baris: list[BarisRenja]
    penutup: PenutupRenja
    hanya_disahkan: bool = False  # the figures count approved unit-months only

    @property
    def judul(self) -> str:
        """The form's title line."""
        return (f"EVALUASI TERHADAP HASIL RENJA {self.instansi.nama.upper()} "
                f"{nama_triwulan(self.triwulan).upper()} TAHUN {self.tahun}")


def dalam_triwulan(monthly: Mapping[int, T], triwulan: int) -> dict[int, T]:
    """Keep the entries of the three months of one triwulan (e.g. April-June for triwulan II)."""
    akhir = bulan_akhir(triwulan)
    return {b: v for b, v in monthly.items() if akhir - 2 <= b <= akhir}


def realisasi_triwulan(capaian: Capaian, ind: IndikatorDef, triwulan: int, sd: Mapping[int, Capaian]) -> Decimal | None:
    """Return an indicator's realisasi within one triwulan (see the module docstring); `sd` = capaian per triwulan."""
    data, akhir = capaian.data_tahun.data, bulan_akhir(triwulan)
    if ind.sumber == "turunan":
        return sd[triwulan].hasil[ind.kode].realisasi
    if ind.sumber == "anggaran":
        if not ind.anggaran_kode:
            return None
        spent = {k: dalam_triwulan(v, triwulan) for k, v in data.realisasi_anggaran.items()}
        return compute_penyerapan(data.anggaran, spent, ind.anggaran_kode, akhir)
    entries = dalam_triwulan(data.realisasi.get(ind.kode, {}), triwulan)
    return compute_realisasi_input(entries, ind.jenis, ind.agregasi, akhir)


def anggaran_triwulan(capaian: Capaian, kode: str, triwulan: int) -> int | None:
    """Return the Rupiah a node's subtree spent within one triwulan (None: nothing entered)."""
    data = capaian.data_tahun.data
    spent = {k: dalam_triwulan(v, triwulan) for k, v in data.realisasi_anggaran.items()}
    return total_realisasi_anggaran(data.anggaran, spent, kode, bulan_akhir(triwulan))


def _empat(values: list[T | None]) -> tuple[T | None, T | None, T | None, T | None]:
    padded = [*values, None, None, None, None][:4]
    return padded[0], padded[1], padded[2], padded[3]


def _keterangan(h: Hasil, triwulan: int) -> str:
    if h.capaian_sd_tw is None:
        return ""
    return f"Capaian s.d. TW {ROMAWI[triwulan]}: {format_persen(h.capaian_sd_tw)} ({h.kategori})"


def _sasaran_program(baris: list[BarisIndikator], kode: str) -> str:
    """The sasaran a program serves: the pimpinan's agreement row on it, else any row on it."""
    on_node = [b for b in baris if b.anggaran_kode == kode]
    pimpinan = [b for b in on_node if b.unit.jenis == "pimpinan"]
    return (pimpinan or on_node)[0].sasaran if on_node else ""


def gabung_analisis(
    analisis: Mapping[str, Analisis], kolom: str, urutan: list[tuple[str, str, str]]
) -> str:
    """Join one analysis field over the indicators, per unit: 'Unit:' then '- indicator: text' lines.

    `urutan` lists (kode, indicator name, unit name) in document order. A text written the same for
    several indicators of a unit appears once, after all their names.
    """
    per_unit: dict[str, dict[str, list[str]]] = {}
    for kode, nama, unit in urutan:
        a = analisis.get(kode)
        teks = (getattr(a, kolom) or "").strip() if a else ""
        if teks:
            per_unit.setdefault(unit, {}).setdefault(teks, []).append(nama)
    blocks = []
    for unit, texts in per_unit.items():
        lines = [f"- {'; '.join(names)}: {teks}" for teks, names in texts.items()]
        blocks.append(f"{unit}:\n" + "\n".join(lines))
    return "\n".join(blocks)


def urutan_indikator(baris: list[BarisIndikator], units: Mapping[int, Unit]) -> list[tuple[str, str, str]]:
    """Return (kode, name, name of the unit that reports it) once per indicator, grouped by unit in unit order."""
    seen: dict[str, tuple[str, str, str, int]] = {}
    for b in baris:
        ind = b.indikator
        if ind.kode not in seen:
            unit = units.get(ind.unit_id, b.unit)
            seen[ind.kode] = (ind.kode, ind.nama, unit.nama, unit.urutan)
    ordered = sorted(seen.values(), key=lambda s: s[3])  # stable: document order within a unit
    return [(k, n, u) for k, n, u, _ in ordered]


def compute_penutup(baris: list[BarisRenja], analisis: Mapping[str, Analisis],
                    urutan: list[tuple[str, str, str]]) -> PenutupRenja:
    """Average the tingkat capaian columns, band the kinerja average, and join the analyses."""
    kinerja = mean_capaian(b.capaian_k for b in baris)
    anggaran = mean_capaian(b.capaian_rp for b in baris)
    return PenutupRenja(
        rata_rata_kinerja=kinerja, rata_rata_anggaran=anggaran, predikat=kategori_capaian(kinerja) or "",
        faktor_pendorong=gabung_analisis(analisis, "faktor_pendorong", urutan),
        faktor_penghambat=gabung_analisis(analisis, "faktor_penghambat", urutan),
        tindak_lanjut_triwulan=gabung_analisis(analisis, "rencana_tindak_lanjut", urutan),
        tindak_lanjut_renja=gabung_analisis(analisis, "rekomendasi_pimpinan", urutan),
    )


def build_evaluasi_renja(session: Session, instansi: Instansi, tahun: int, triwulan: int,
                         hanya_disahkan: bool = False) -> EvaluasiRenja:
    """Compute the Evaluasi Renja of a year s.d. a triwulan, with the version in force at its end
    (`hanya_disahkan`: approved unit-months only, this year and the earlier years it compares with)."""
    if tahun not in list_tahun(session, instansi.id):
        raise NotFound(f"tidak ada perjanjian kinerja tahun {tahun}")
    sd = {t: compute_capaian_tahun(session, instansi, tahun, t, hanya_disahkan) for t in TRIWULAN if t <= triwulan}
    capaian = sd[triwulan]
    banding = list_perbandingan(session, instansi, tahun, triwulan, hanya_disahkan)
    units = {u.id: u for u in list_units(session, instansi.id)}
    data_tahun = capaian.data_tahun
    defs = {i.kode: i for i in data_tahun.data.indikator}
    first: dict[str, BarisIndikator] = {}
    for b in data_tahun.baris:
        first.setdefault(b.indikator.kode, b)
    akhir = bulan_akhir(triwulan)
    data = data_tahun.data
    rows: list[BarisRenja] = []

    def add(tingkat: str, sasaran: str, kode: str, nama: str, b: BarisIndikator | None, pagu: int | None,
            unit: str, with_rp: bool) -> None:
        kode_ind = b.indikator.kode if b else ""
        h = capaian.hasil[kode_ind] if b else None
        p: Perbandingan | None = banding.get(kode_ind)
        lalu = p.nilai(tahun - 1) if p else None
        spent = total_realisasi_anggaran(data.anggaran, data.realisasi_anggaran, kode, akhir) if with_rp else None
        ind = defs.get(kode_ind)
        rows.append(BarisRenja(
            no=len(rows) + 1, tingkat=tingkat, sasaran=sasaran, kode=kode, nama=nama, indikator_kode=kode_ind,
            indikator=b.indikator.nama if b else "", satuan=b.indikator.satuan if b else "",
            target_renstra_k=p.target_renstra_akhir if p else None,
            realisasi_renstra_lalu_k=lalu.realisasi if lalu else None,
            target_k=h.target_tahunan if h else None, target_rp=pagu if with_rp else None,
            triwulan_k=_empat([realisasi_triwulan(capaian, ind, t, sd) if ind else None for t in sd]),
            triwulan_rp=_empat([anggaran_triwulan(capaian, kode, t) if with_rp else None for t in sd]),
            realisasi_k=h.realisasi if h else None, realisasi_rp=spent,
            capaian_k=h.capaian_tahunan if h else None,
            capaian_rp=persen_serapan(spent, pagu) if with_rp else None,
            realisasi_renstra_k=p.realisasi_renstra if p else None,
            capaian_renstra_k=p.tingkat_kemajuan if p else None,
            unit=unit, keterangan=_keterangan(h, triwulan) if h else "",
        ))

    for b in first.values():
        if not b.anggaran_kode:
            unit = units.get(b.indikator.unit_id, b.unit)
            add(SASARAN, b.sasaran, "", "", b, None, unit.nama, with_rp=False)
    by_node: dict[str, list[BarisIndikator]] = {}
    for b in first.values():
        if b.anggaran_kode:
            by_node.setdefault(b.anggaran_kode, []).append(b)
    for n in data_tahun.anggaran:
        on_node = by_node.get(n.node.kode, [])
        sasaran = _sasaran_program(data_tahun.baris, n.node.kode) if n.node.tingkat == "program" else ""
        for i, b in enumerate(on_node or [None]):
            add(n.node.tingkat, sasaran if i == 0 else "", n.node.kode, n.node.nama, b, n.pagu, n.unit.nama,
                with_rp=i == 0)
    urutan = urutan_indikator(data_tahun.baris, units)
    penutup = compute_penutup(rows, load_analisis(session, instansi.id, tahun, triwulan), urutan)
    tahun_akhir = next((p.tahun_renstra_akhir for p in banding.values() if p.tahun_renstra_akhir), None)
    return EvaluasiRenja(instansi=instansi, tahun=tahun, triwulan=triwulan, versi_nama=data_tahun.versi.nama,
                         tahun_renstra_akhir=instansi.renstra_akhir or tahun_akhir, baris=rows, penutup=penutup,
                         hanya_disahkan=hanya_disahkan)
