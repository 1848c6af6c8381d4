"""How far each unit got with its months: the verification status of the last months, and the completeness
grid with its late and missing months and evidence counts (what the Camat scans on the Beranda).

The words are the verification screens' own (kinerja.simpan.verifikasi.LABEL); a month is late by the
input calendar's rules (kinerja.simpan.jadwal.bulan_lewat_batas, belum_diajukan).
"""

from datetime import datetime

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from kinerja.aturan.format import nama_bulan_singkat
from kinerja.baca.ringkasan import kelengkapan, unit_pengisi
from kinerja.simpan.jadwal import belum_diajukan, bulan_lewat_batas
from kinerja.simpan.models import Bukti
from kinerja.simpan.queries import DataTahun
from kinerja.simpan.verifikasi import DRAF, LABEL, status_tahun

TERLAMBAT = "terlambat"  # past its deadline, something entered, not submitted
BELUM_DIISI = "belum diisi"  # past its deadline, nothing entered


def bulan_terakhir(sampai_bulan: int, jumlah: int = 3) -> list[int]:
    """Return the last `jumlah` months up to `sampai_bulan` of the same year, oldest first."""
    return list(range(max(1, sampai_bulan - jumlah + 1), sampai_bulan + 1))


def kemajuan_unit(session: Session, data_tahun: DataTahun, sampai_bulan: int, jumlah: int = 3) -> pd.DataFrame:
    """Return per unit that enters figures the status of each of the last `jumlah` months up to `sampai_bulan`.

    Columns: unit, unit_nama, then one column per month (short name: 'Apr', 'Mei', 'Jun') holding the
    verification screens' word: Draf, Diajukan, Diverifikasi, Disahkan or Dikembalikan.
    """
    status = status_tahun(session, data_tahun.instansi.id, data_tahun.tahun)
    months = bulan_terakhir(sampai_bulan, jumlah)
    rows = []
    for unit in unit_pengisi(data_tahun):
        row: dict[str, object] = {"unit": unit.kode, "unit_nama": unit.nama}
        for bulan in months:
            row[nama_bulan_singkat(bulan)] = LABEL[status.get((unit.id, bulan), DRAF)]
        rows.append(row)
    return pd.DataFrame(rows, columns=["unit", "unit_nama", *(nama_bulan_singkat(b) for b in months)])


def jumlah_bukti(session: Session, instansi_id: int, tahun: int) -> dict[tuple[int, int], int]:
    """Return the current evidence files of each unit-month (replaced ones not counted): (unit_id, bulan) -> n."""
    rows = session.exec(
        select(Bukti.unit_id, Bukti.bulan, func.count())
        .where(Bukti.instansi_id == instansi_id, Bukti.tahun == tahun, Bukti.diganti_oleh_id.is_(None))  # type: ignore[union-attr]
        .group_by(Bukti.unit_id, Bukti.bulan)
    ).all()
    return {(unit_id, bulan): n for unit_id, bulan, n in rows}


def kelengkapan_tanda(
    session: Session, data_tahun: DataTahun, sampai_bulan: int, sekarang: datetime | None = None
) -> pd.DataFrame:
    """Return per unit and month the % entered, the evidence files, and a mark for a late or missing month.

    One row per unit-month. Columns: unit, unit_nama, bulan, persen (as `ringkasan.kelengkapan`),
    bukti (current files), tanda ('terlambat': past its deadline and not submitted; 'belum diisi':
    past its deadline with nothing entered; '' otherwise), teks (the cell as shown: '80 % · 2 bukti · terlambat').
    """
    office, tahun = data_tahun.instansi, data_tahun.tahun
    grid = kelengkapan(data_tahun, sampai_bulan)
    lewat = {b.bulan for b in bulan_lewat_batas(session, office, tahun, sekarang)}
    status = status_tahun(session, office.id, tahun)
    bukti = jumlah_bukti(session, office.id, tahun)
    units = {u.kode: u for u in unit_pengisi(data_tahun)}
    rows = []
    for _, r in grid.iterrows():
        unit = units[r["unit"]]
        for bulan in range(1, sampai_bulan + 1):
            persen, n = int(r[nama_bulan_singkat(bulan)]), bukti.get((unit.id, bulan), 0)
            tanda = ""
            if bulan in lewat and belum_diajukan(status.get((unit.id, bulan), DRAF)):
                tanda = BELUM_DIISI if persen == 0 else TERLAMBAT
            teks = " · ".join([f"{persen} %", *([f"{n} bukti"] if n else []), *([tanda] if tanda else [])])
            rows.append({"unit": unit.kode, "unit_nama": unit.nama, "bulan": bulan, "persen": persen, "bukti": n,
                         "tanda": tanda, "teks": teks})
    return pd.DataFrame(rows, columns=["unit", "unit_nama", "bulan", "persen", "bukti", "tanda", "teks"])


def grid_kelengkapan(tanda: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the completeness grid as shown (unit name x month short name: the cell texts) and its % (for colour)."""
    if tanda.empty:
        return pd.DataFrame(), pd.DataFrame()
    kolom = tanda.assign(bulan_nama=tanda["bulan"].map(nama_bulan_singkat))
    order = list(dict.fromkeys(kolom["bulan_nama"]))
    units = list(dict.fromkeys(kolom["unit_nama"]))
    teks = kolom.pivot(index="unit_nama", columns="bulan_nama", values="teks").loc[units, order]
    persen = kolom.pivot(index="unit_nama", columns="bulan_nama", values="persen").loc[units, order]
    teks.index.name = persen.index.name = "Unit"
    teks.columns.name = persen.columns.name = None
    return teks, persen
