"""Each indicator of a year compared with earlier years (N-3 .. N) and with the end-of-Renstra target.

Where a year's figures come from:
- year N: the engine, s.d. the triwulan asked (at triwulan IV the annual capaian of the LKjIP);
- an earlier year that has its own PK in the app: the engine at triwulan IV, sumber "aplikasi". It wins
  over a typed `RiwayatRealisasi` row of the same year; a typed row that differs is kept as `catatan`;
- any other earlier year: the typed `RiwayatRealisasi` row. Its capaian is the one published then, or
  when empty, computed from that year's Renstra target if one is known; otherwise it stays empty.

Renstra targets per year are `TargetRenstra` rows; for a year with a PK in the app and no row, the
PK's own `Indikator.target_renstra` is that year's Renstra target. The end-of-Renstra target is the
target of `Instansi.renstra_akhir`; with no period set, the latest year that has a Renstra target.
The rules for arah, selisih, realisasi Renstra, tingkat kemajuan and sisa are in
`kinerja.aturan.perbandingan`: naik means kinerja improved (capaian compared, polarity included), and
realisasi Renstra s.d. tahun N is the realisasi of year N for every agregasi (Renstra targets are yearly levels).
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from kinerja.aturan.capaian import compute_capaian
from kinerja.aturan.format import format_angka, format_persen
from kinerja.aturan.perbandingan import compute_arah, compute_sisa, compute_tingkat_kemajuan
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.simpan.models import Indikator, Instansi, RiwayatRealisasi, TargetRenstra
from kinerja.simpan.queries import list_tahun

APLIKASI = "aplikasi"
TAHUN_BANDING = 3  # N-3 .. N


@dataclass(frozen=True)
class NilaiTahun:
    """An indicator's figures in one year, and where they come from."""

    tahun: int
    realisasi: Decimal | None
    capaian: Decimal | None
    sumber: str  # "aplikasi" when computed from this app's own data, else RiwayatRealisasi.sumber
    catatan: str = ""  # e.g. the typed history row the app's own figure overrode


@dataclass(frozen=True)
class Perbandingan:
    """One indicator of year N against earlier years and the end-of-Renstra target."""

    kode: str
    indikator: str
    satuan: str
    polaritas: str
    tahun: list[NilaiTahun]  # N-3 .. N ascending; years without data left out
    arah: str | None  # "naik" | "turun" | "tetap" (N against N-1; None without N-1)
    selisih: Decimal | None  # capaian N minus capaian N-1 in points (realisasi difference without capaian)
    target_renstra_akhir: Decimal | None
    tahun_renstra_akhir: int | None
    realisasi_renstra: Decimal | None  # the realisasi of year N (Renstra targets are yearly levels)
    tingkat_kemajuan: Decimal | None  # % of the end-of-Renstra target reached
    sisa: Decimal | None  # what is still to go to the end-of-Renstra target (0 once reached)
    tahun_kini: int | None = None  # year N itself (list_perbandingan always sets it)

    def nilai(self, tahun: int) -> NilaiTahun | None:
        """Return the figures of one year, or None when that year has none."""
        return next((n for n in self.tahun if n.tahun == tahun), None)


def load_target_renstra(session: Session, instansi_id: int) -> dict[str, dict[int, Decimal]]:
    """Return the Renstra target per kode per year: the typed rows, else the PK's own target_renstra."""
    result: dict[str, dict[int, Decimal]] = {}
    for ind in session.exec(select(Indikator).where(
            Indikator.instansi_id == instansi_id, Indikator.target_renstra.is_not(None))):  # type: ignore[union-attr]
        result.setdefault(ind.kode, {})[ind.tahun] = ind.target_renstra
    for row in session.exec(select(TargetRenstra).where(TargetRenstra.instansi_id == instansi_id)):
        result.setdefault(row.kode, {})[row.tahun] = row.target
    return result


def load_riwayat(session: Session, instansi_id: int) -> dict[str, dict[int, RiwayatRealisasi]]:
    """Return the typed history rows per kode per year."""
    result: dict[str, dict[int, RiwayatRealisasi]] = {}
    for row in session.exec(select(RiwayatRealisasi).where(RiwayatRealisasi.instansi_id == instansi_id)):
        result.setdefault(row.kode, {})[row.tahun] = row
    return result


def target_akhir(instansi: Instansi, targets: dict[int, Decimal]) -> tuple[int | None, Decimal | None]:
    """Return (year, target) at the end of the Renstra period (the latest known target when no period is set)."""
    if instansi.renstra_akhir is not None:
        return instansi.renstra_akhir, targets.get(instansi.renstra_akhir)
    if not targets:
        return None, None
    last = max(targets)
    return last, targets[last]


def _nilai_riwayat(row: RiwayatRealisasi, target: Decimal | None, polaritas: str) -> NilaiTahun:
    capaian = row.capaian if row.capaian is not None else compute_capaian(row.realisasi, target, polaritas)
    return NilaiTahun(tahun=row.tahun, realisasi=row.realisasi, capaian=capaian, sumber=row.sumber)


def _catatan(row: RiwayatRealisasi | None, realisasi: Decimal | None, capaian: Decimal | None) -> str:
    if row is None or (row.realisasi == realisasi and (row.capaian is None or row.capaian == capaian)):
        return ""
    teks = f"isian riwayat ({row.sumber or 'tanpa sumber'}): realisasi {format_angka(row.realisasi)}"
    if row.capaian is not None:
        teks += f", capaian {format_persen(row.capaian)}"
    return teks + "; dipakai angka aplikasi"


def list_perbandingan(session: Session, instansi: Instansi, tahun: int, triwulan: int = 4,
                      hanya_disahkan: bool = False) -> dict[str, Perbandingan]:
    """Compare every indicator of `tahun` (s.d. `triwulan`) with N-3 .. N-1 and the Renstra, by kode.

    `hanya_disahkan` counts approved unit-months only, in year N and in the app's own earlier years
    (typed history rows are published figures and stay as they are).
    """
    kini = compute_capaian_tahun(session, instansi, tahun, triwulan, hanya_disahkan)
    app_years = set(list_tahun(session, instansi.id))
    lalu = {
        y: compute_capaian_tahun(session, instansi, y, 4, hanya_disahkan).hasil
        for y in range(tahun - TAHUN_BANDING, tahun) if y in app_years
    }
    targets = load_target_renstra(session, instansi.id)
    riwayat = load_riwayat(session, instansi.id)
    result: dict[str, Perbandingan] = {}
    for b in kini.data_tahun.baris:
        ind = b.indikator
        if ind.kode in result:
            continue
        target_tahun = targets.get(ind.kode, {})
        rows = riwayat.get(ind.kode, {})
        nilai: list[NilaiTahun] = []
        for y in range(tahun - TAHUN_BANDING, tahun):
            h = lalu.get(y, {}).get(ind.kode)
            if h is not None and h.realisasi is not None:
                catatan = _catatan(rows.get(y), h.realisasi, h.capaian_sd_tw)
                nilai.append(NilaiTahun(y, h.realisasi, h.capaian_sd_tw, APLIKASI, catatan))
            elif y in rows:
                nilai.append(_nilai_riwayat(rows[y], target_tahun.get(y), ind.polaritas))
        h = kini.hasil[ind.kode]
        if h.realisasi is not None or h.capaian_sd_tw is not None:
            nilai.append(NilaiTahun(tahun=tahun, realisasi=h.realisasi, capaian=h.capaian_sd_tw, sumber=APLIKASI))
        sebelum = next((n for n in nilai if n.tahun == tahun - 1), None)
        arah, selisih = compute_arah(
            sebelum.capaian if sebelum else None, h.capaian_sd_tw,
            sebelum.realisasi if sebelum else None, h.realisasi, ind.polaritas,
        )
        tahun_akhir, target = target_akhir(instansi, target_tahun)
        result[ind.kode] = Perbandingan(
            kode=ind.kode, indikator=ind.nama, satuan=ind.satuan, polaritas=ind.polaritas, tahun=nilai,
            arah=arah, selisih=selisih, target_renstra_akhir=target, tahun_renstra_akhir=tahun_akhir,
            realisasi_renstra=h.realisasi,
            tingkat_kemajuan=compute_tingkat_kemajuan(h.realisasi, target, ind.polaritas),
            sisa=compute_sisa(h.realisasi, target, ind.polaritas), tahun_kini=tahun,
        )
    return result


def _arah_capaian(p: Perbandingan) -> bool:
    kini, lalu = p.nilai(p.tahun_kini or 0), p.nilai((p.tahun_kini or 0) - 1)
    return bool(kini and lalu and kini.capaian is not None and lalu.capaian is not None)


def kalimat_arah(p: Perbandingan) -> str:
    """Say in one sentence how year N compares with N-1 (what is compared, by how much)."""
    n = p.tahun_kini
    if p.arah is None or p.selisih is None or n is None:
        return f"Belum ada realisasi {n - 1 if n else 'tahun lalu'} dan {n or 'tahun ini'} untuk dibandingkan."
    if _arah_capaian(p):
        if p.arah == "tetap":
            return f"Capaian {n} tetap dibanding {n - 1}."
        return f"Capaian {n} {p.arah} {format_angka(abs(p.selisih), 2, 2)} poin dibanding {n - 1}."
    beda = "tetap" if p.selisih == 0 else \
        f"{'naik' if p.selisih > 0 else 'turun'} {format_angka(abs(p.selisih))} {p.satuan}"
    teks = f"Realisasi {n} {beda} dibanding {n - 1} (capaian salah satu tahun tidak ada)"
    if p.polaritas == "negatif" and p.selisih != 0:
        teks += f"; indikator negatif (makin rendah makin baik), jadi kinerjanya {p.arah}"
    return teks + "."


def baris_tahun(p: Perbandingan) -> list[dict[str, str]]:
    """Return the rows of the comparison N-3 .. N as shown: Tahun, Realisasi, Capaian, Sumber."""
    return [
        {"Tahun": str(n.tahun), "Realisasi": format_angka(n.realisasi), "Capaian": format_persen(n.capaian),
         "Sumber": n.sumber + (f" ({n.catatan})" if n.catatan else "")}
        for n in p.tahun
    ]


def ringkasan_renstra(p: Perbandingan) -> list[tuple[str, str]]:
    """Return the progress toward the end-of-Renstra target as (label, value) pairs; empty without a target."""
    if p.target_renstra_akhir is None:
        return []
    satuan = f" {p.satuan}" if p.satuan != "%" else " %"
    kosong = "–"
    return [
        (f"Target Renstra akhir ({p.tahun_renstra_akhir})", format_angka(p.target_renstra_akhir) + satuan),
        (f"Realisasi {p.tahun_kini}", format_angka(p.realisasi_renstra) + satuan if p.realisasi_renstra is not None
         else kosong),
        ("Tingkat kemajuan", format_persen(p.tingkat_kemajuan) or kosong),
        ("Sisa menuju target", format_angka(p.sisa) + satuan if p.sisa is not None else kosong),
    ]


def tabel_perbandingan(perbandingan: dict[str, Perbandingan], tahun: int) -> list[dict[str, str]]:
    """Return one row per indicator: capaian N-3 .. N, arah, and the progress toward the Renstra, as shown."""
    rows = []
    for p in perbandingan.values():
        row = {"kode": p.kode, "indikator": p.indikator, "satuan": p.satuan}
        for y in range(tahun - TAHUN_BANDING, tahun + 1):
            n = p.nilai(y)
            row[f"capaian_{y}"] = format_persen(n.capaian) if n else ""
        row.update({
            "arah": p.arah or "", "selisih": format_angka(p.selisih, 0, 2) if p.selisih is not None else "",
            "target_renstra_akhir": format_angka(p.target_renstra_akhir),
            "tingkat_kemajuan": format_persen(p.tingkat_kemajuan), "sisa": format_angka(p.sisa),
        })
        rows.append(row)
    return rows
