"""What the Camat's screens show, as plain tables: per unit, per triwulan, budget, completeness."""

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from sqlmodel import Session

from kinerja.aturan.akip import predikat_akip
from kinerja.aturan.batas import BATAS_CEK_BAWAAN, label_dicek
from kinerja.aturan.capaian import (
    HUNDRED,
    TRIWULAN,
    DataKinerja,
    Hasil,
    IndikatorDef,
    bulan_akhir,
    compute_capaian,
    compute_penyerapan,
    compute_periode,
    compute_realisasi_input,
    kategori_capaian,
    mean_capaian,
    persen_serapan,
    target_sd_triwulan,
    total_realisasi_anggaran,
    triwulan_dari_bulan,
)
from kinerja.aturan.format import nama_bulan, nama_bulan_singkat
from kinerja.aturan.ikm import mutu_pelayanan
from kinerja.baca.laporan import Capaian, capaian_dari, tahun_per_triwulan
from kinerja.simpan.models import Instansi, Unit
from kinerja.simpan.queries import DataTahun, load_data_tahun


def latest_bulan(data: DataKinerja) -> int | None:
    """Return the latest month with any realisation or budget realisation (None: nothing yet)."""
    months = [b for per in data.realisasi.values() for b in per]
    months += [b for per in data.realisasi_anggaran.values() for b in per]
    return max(months) if months else None


def latest_triwulan(data: DataKinerja) -> int:
    """Return the triwulan of the latest data, or I when nothing has been entered."""
    bulan = latest_bulan(data)
    return triwulan_dari_bulan(bulan) if bulan else 1


def capaian_per_unit(capaian: Capaian) -> pd.DataFrame:
    """Return each unit's capaian: the mean of its agreement rows' capaian, each capped at 100."""
    rows = []
    units = {b.unit.kode: b.unit for b in capaian.data_tahun.baris}
    for kode, unit in units.items():
        hasil = [capaian.hasil[b.indikator.kode] for b in capaian.data_tahun.baris if b.unit.kode == kode]
        nilai = mean_capaian(h.capaian_sd_tw for h in hasil)
        rows.append({
            "unit": kode, "unit_nama": unit.nama, "capaian": _float(nilai),
            "kategori": kategori_capaian(nilai) or "Belum ada data",
            "indikator": len(hasil), "ada_capaian": sum(h.capaian_sd_tw is not None for h in hasil),
        })
    return pd.DataFrame(rows)


def capaian_per_triwulan(
    session: Session, instansi: Instansi, tahun: int, sampai: int, hanya_disahkan: bool = False
) -> pd.DataFrame:
    """Return the capaian of every unit s.d. triwulan I..`sampai` (long format for a line chart)."""
    if sampai < 1:
        return pd.DataFrame()
    data_tahun = load_data_tahun(session, instansi, tahun, bulan_akhir(sampai), hanya_disahkan)
    return capaian_per_triwulan_dari(tahun_per_triwulan(session, data_tahun, sampai))


def capaian_per_triwulan_dari(per_triwulan: dict[int, DataTahun]) -> pd.DataFrame:
    """Return the capaian of every unit s.d. each triwulan of a year already loaded (`tahun_per_triwulan`)."""
    frames = []
    for tw, data_tahun in sorted(per_triwulan.items()):
        per_unit = capaian_per_unit(capaian_dari(data_tahun, tw))
        per_unit["triwulan"] = tw
        frames.append(per_unit)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indikator_table(capaian: Capaian, ambang: Decimal = BATAS_CEK_BAWAAN) -> pd.DataFrame:
    """Return one row per agreement row with its capaian, the worst first (no capaian last).

    Column `dicek` says "perlu dicek (di atas 200,00 %)" beside the kategori of a capaian above the
    office's ceiling `ambang`, so an implausible figure is questioned instead of celebrated.
    """
    df = pd.DataFrame(capaian.rows())
    df["dicek"] = [label_dicek(c, ambang) for c in df["capaian_sd_tw"]]
    for column in ("target_tahunan", "target_sd_tw", "realisasi_sd_tw", "capaian_sd_tw", "capaian_tahunan"):
        df[column] = df[column].map(_float).astype("Float64")
    return df.sort_values("capaian_sd_tw", na_position="last", kind="stable").reset_index(drop=True)


def anggaran_table(data_tahun: DataTahun, sd_bulan: int, tingkat: str = "program") -> pd.DataFrame:
    """Return pagu, realisasi s.d. bulan, penyerapan and sisa of every node of one tingkat."""
    nodes = data_tahun.data.anggaran
    rows = []
    for n in data_tahun.anggaran:
        if n.node.tingkat != tingkat:
            continue
        spent = total_realisasi_anggaran(nodes, data_tahun.data.realisasi_anggaran, n.node.kode, sd_bulan) or 0
        rows.append({
            "kode": n.node.kode, "nama": n.node.nama, "unit": n.unit.kode, "unit_nama": n.unit.nama,
            "pagu": n.pagu, "realisasi": spent, "penyerapan": _float(persen_serapan(spent, n.pagu)),
            "sisa": n.pagu - spent,
        })
    return pd.DataFrame(rows)


def anggaran_per_unit(data_tahun: DataTahun, sd_bulan: int) -> pd.DataFrame:
    """Return pagu and realisasi per unit, summed over the sub-kegiatan each unit runs."""
    df = anggaran_table(data_tahun, sd_bulan, "sub_kegiatan")
    if df.empty:
        return df
    out = df.groupby(["unit", "unit_nama"], as_index=False, sort=False)[["pagu", "realisasi"]].sum()
    out["penyerapan"] = [_float(persen_serapan(int(r), int(p))) for r, p in zip(out["realisasi"], out["pagu"],
                                                                                  strict=True)]
    out["sisa"] = out["pagu"] - out["realisasi"]
    return out


def append_jumlah(df: pd.DataFrame, label_column: str) -> pd.DataFrame:
    """Return a budget table with its Jumlah row: pagu, realisasi and sisa summed, penyerapan of the sums."""
    if df.empty:
        return df
    pagu, spent = int(df["pagu"].sum()), int(df["realisasi"].sum())
    jumlah: dict[str, object] = {c: "" for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])}
    jumlah |= {label_column: "Jumlah", "pagu": pagu, "realisasi": spent, "sisa": pagu - spent,
               "penyerapan": _float(persen_serapan(spent, pagu))}
    return pd.concat([df, pd.DataFrame([jumlah])], ignore_index=True)


def kurva_penyerapan(data_tahun: DataTahun) -> pd.DataFrame:
    """Return the office's cumulative absorption by month and the Rencana Aksi at triwulan ends."""
    nodes = data_tahun.data.anggaran
    roots = [n for n in nodes if n.induk is None]
    total_pagu = sum(n.pagu for n in roots)
    last = latest_bulan(DataKinerja(indikator=[], realisasi_anggaran=data_tahun.data.realisasi_anggaran)) or 0
    rencana = _rencana_aksi_anggaran(data_tahun)
    rows = []
    for bulan in range(1, 13):
        spent = sum(
            total_realisasi_anggaran(nodes, data_tahun.data.realisasi_anggaran, r.kode, bulan) or 0 for r in roots
        )
        rows.append({
            "bulan": bulan, "nama_bulan": nama_bulan(bulan),
            "realisasi": spent if bulan <= last else None,
            "penyerapan": _float(persen_serapan(spent, total_pagu)) if bulan <= last else None,
            "rencana_aksi": _float(rencana[bulan // 3 - 1]) if bulan % 3 == 0 else None,
        })
    return pd.DataFrame(rows)


def _rencana_aksi_anggaran(data_tahun: DataTahun) -> tuple[Decimal | None, ...]:
    """The absorption indicator's Rencana Aksi as % of its annual target (the default when there is none)."""
    default = IndikatorDef("", HUNDRED, sumber="anggaran")
    ind = next((i for i in data_tahun.data.indikator if i.sumber == "anggaran"), default)
    return tuple(compute_capaian(target_sd_triwulan(ind, q), ind.target, "positif") for q in TRIWULAN)


def kelengkapan(data_tahun: DataTahun, sampai_bulan: int) -> pd.DataFrame:
    """Return, per unit and month, the share (%) of its expected entries that are entered.

    Expected: each entered (input) indicator the unit owns, and each sub-kegiatan it runs.
    The IKM and AKIP scores are left out: they come once a year from the survey and the LHE.
    """
    data = data_tahun.data
    units = {u.id: u for u in [*(b.unit for b in data_tahun.baris), *(n.unit for n in data_tahun.anggaran)]}
    owners = _isian_per_unit(data_tahun)
    rows = []
    for unit_id in sorted(owners, key=lambda i: units[i].urutan):
        items = owners[unit_id]
        row: dict[str, object] = {"unit": units[unit_id].kode, "unit_nama": units[unit_id].nama}
        for bulan in range(1, sampai_bulan + 1):
            entered = sum(
                bulan in (data.realisasi if kind == "indikator" else data.realisasi_anggaran).get(kode, {})
                for kind, kode in items
            )
            row[nama_bulan_singkat(bulan)] = _persen_bulat(entered, len(items))
        rows.append(row)
    return pd.DataFrame(rows)


def _isian_per_unit(data_tahun: DataTahun) -> dict[int, list[tuple[str, str]]]:
    """Return what each unit is expected to enter every month: ("indikator" | "anggaran", kode) by unit id."""
    owners: dict[int, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.kode in seen or ind.sumber != "input" or ind.nilai_khusus:
            continue
        seen.add(ind.kode)
        owners.setdefault(ind.unit_id, []).append(("indikator", ind.kode))
    for n in data_tahun.anggaran:
        if n.node.tingkat == "sub_kegiatan":
            owners.setdefault(n.unit.id, []).append(("anggaran", n.node.kode))
    return owners


def unit_pengisi(data_tahun: DataTahun) -> list[Unit]:
    """Return the units that enter figures every month (the rows of the completeness grid), in their order."""
    units = {u.id: u for u in [*(b.unit for b in data_tahun.baris), *(n.unit for n in data_tahun.anggaran)]}
    return sorted((units[i] for i in _isian_per_unit(data_tahun)), key=lambda u: u.urutan)


def _persen_bulat(part: int, whole: int) -> int:
    # Half up, like every figure shown: 1 of 8 is 12,5 % and shows as 13 %.
    return int((Decimal(part) * HUNDRED / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tren_indikator(data_tahun: DataTahun, kode: str) -> pd.DataFrame:
    """Return an indicator's month-by-month values and its realisasi s.d. each month."""
    data = data_tahun.data
    ind = next(i for i in data.indikator if i.kode == kode)
    entries = data.realisasi.get(kode, {})
    by_tw: dict[int, Hasil] = {}
    if ind.sumber == "turunan":
        by_tw = {tw: compute_periode(data, tw)[kode] for tw in range(1, 5)}
    rows = []
    for bulan in range(1, 13):
        e = entries.get(bulan)
        if ind.sumber == "input":
            sd = compute_realisasi_input(entries, ind.jenis, ind.agregasi, bulan)
        elif ind.sumber == "anggaran":
            sd = compute_penyerapan(data.anggaran, data.realisasi_anggaran, ind.anggaran_kode or "", bulan)
        else:
            sd = by_tw[bulan // 3].realisasi if bulan % 3 == 0 else None
        rows.append({
            "bulan": bulan, "nama_bulan": nama_bulan(bulan),
            "nilai": _float(e.nilai) if e else None,
            "pembilang": _float(e.pembilang) if e else None,
            "penyebut": _float(e.penyebut) if e else None,
            "realisasi_sd": _float(sd),
        })
    return pd.DataFrame(rows)


def skor_khusus(capaian: Capaian) -> dict[str, dict[str, object]]:
    """Return the IKM and AKIP of the period with their target, capaian and mutu / predikat."""
    out: dict[str, dict[str, object]] = {}
    for b in capaian.data_tahun.baris:
        ind = b.indikator
        if not ind.nilai_khusus or ind.nilai_khusus in out:
            continue
        h = capaian.hasil[ind.kode]
        label = None
        if h.realisasi is not None:
            grade = mutu_pelayanan(h.realisasi) if ind.nilai_khusus == "ikm" else predikat_akip(h.realisasi)
            label = " ".join(grade)
        out[ind.nilai_khusus] = {
            "nama": ind.nama, "nilai": h.realisasi, "target": h.target_sd_tw, "capaian": h.capaian_sd_tw,
            "label": label,
        }
    return out


def penyerapan_total(data_tahun: DataTahun, sd_bulan: int) -> tuple[int, int, Decimal | None]:
    """Return (realisasi, pagu, penyerapan %) of the whole office s.d. a month."""
    nodes = data_tahun.data.anggaran
    roots = [n for n in nodes if n.induk is None]
    pagu = sum(n.pagu for n in roots)
    spent = [total_realisasi_anggaran(nodes, data_tahun.data.realisasi_anggaran, n.kode, sd_bulan) for n in roots]
    if all(s is None for s in spent):
        return 0, pagu, None
    total = sum(s or 0 for s in spent)
    return total, pagu, persen_serapan(total, pagu)
