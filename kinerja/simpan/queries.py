"""Read an office's year from the database into plain rows and the engine's `DataKinerja`."""

from dataclasses import dataclass

from sqlalchemy import Exists
from sqlmodel import Session, select

from kinerja.aturan.capaian import Bulanan, DataKinerja, IndikatorDef, NodeDef
from kinerja.simpan.models import (
    Anggaran,
    BarisPK,
    Indikator,
    Instansi,
    Jejak,
    Pagu,
    Penjelasan,
    Perjanjian,
    Realisasi,
    RealisasiAnggaran,
    StatusBulan,
    Target,
    Unit,
    Versi,
)
from kinerja.simpan.verifikasi import DISAHKAN


class NotFound(LookupError):
    """A named office, year or version is not in the database."""


# session.info key: in this session a year that has only draft versions reads as its draft.
TAMPIL_DRAF = "kinerja_tampil_draf"


def tampilkan_draf(session: Session) -> Session:
    """Let every query in this session read a draft-only year as that draft (e.g. `kinerja indikator --tahun`)."""
    session.info[TAMPIL_DRAF] = True
    return session


def _draf(session: Session, draf: bool) -> bool:
    return draf or bool(session.info.get(TAMPIL_DRAF))


def list_instansi(session: Session) -> list[Instansi]:
    """Return every office, by name."""
    return list(session.exec(select(Instansi).order_by(Instansi.nama)))


def is_demo(session: Session, instansi_id: int | None) -> bool:
    """Tell whether an office (or, before sign-in, any office of the database) is demo data."""
    if instansi_id is not None:
        office = session.get(Instansi, instansi_id)
        return bool(office and office.demo)
    return any(office.demo for office in list_instansi(session))


def get_instansi(session: Session, kode: str | None = None) -> Instansi:
    """Return the office with this kode, or the only office (a pemda is not one) when kode is None."""
    if kode:
        found = session.exec(select(Instansi).where(Instansi.kode == kode)).first()
        if found is None:
            raise NotFound(f"instansi '{kode}' tidak ada")
        return found
    offices = [i for i in list_instansi(session) if i.jenis != "pemda"]  # a pemda has no PK of its own
    if not offices:
        raise NotFound("belum ada instansi: jalankan `kinerja init`")
    if len(offices) > 1:
        raise NotFound("ada beberapa instansi: sebutkan --instansi " + ", ".join(i.kode for i in offices))
    return offices[0]


def list_tahun(session: Session, instansi_id: int, draf: bool = False) -> list[int]:
    """Return the years that have a published agreement (or any, with `draf` or `tampilkan_draf`), newest first."""
    query = select(Versi.tahun).where(Versi.instansi_id == instansi_id)
    if not _draf(session, draf):
        query = query.where(Versi.status == "terbit")
    return sorted(set(session.exec(query)), reverse=True)


def list_versi(session: Session, instansi_id: int, tahun: int) -> list[Versi]:
    """Return the versions of a year, oldest first."""
    return list(
        session.exec(
            select(Versi).where(Versi.instansi_id == instansi_id, Versi.tahun == tahun).order_by(Versi.nomor)
        )
    )


def versi_berlaku(session: Session, instansi_id: int, tahun: int, bulan: int = 12, draf: bool = False) -> Versi:
    """Return the published version in force at the end of `bulan`.

    A year with no published version has none, unless drafts are asked for (`draf` or
    `tampilkan_draf`): then it is read as its drafts, by the same rule.
    """
    versions = list_versi(session, instansi_id, tahun)
    published = [v for v in versions if v.status == "terbit"]
    if not published and _draf(session, draf):
        published = versions
    if not published:
        raise NotFound(f"tidak ada perjanjian kinerja tahun {tahun}")
    in_force = [v for v in published if v.berlaku_bulan <= bulan]
    return in_force[-1] if in_force else published[0]


def list_units(session: Session, instansi_id: int) -> list[Unit]:
    """Return the office's units in their order."""
    return list(session.exec(select(Unit).where(Unit.instansi_id == instansi_id).order_by(Unit.urutan)))


@dataclass(frozen=True)
class BarisIndikator:
    """One row of one agreement, with its indicator, target and unit."""

    indikator: Indikator
    target: Target
    unit: Unit
    no: str
    sasaran: str
    anggaran_kode: str | None
    urutan: int


def list_baris(session: Session, versi: Versi) -> list[BarisIndikator]:
    """Return every agreement row of a version, in the order of the document."""
    units = {u.id: u for u in list_units(session, versi.instansi_id)}
    nodes = {n.id: n.kode for n in session.exec(select(Anggaran).where(
        Anggaran.instansi_id == versi.instansi_id, Anggaran.tahun == versi.tahun))}
    targets = {t.indikator_id: t for t in session.exec(select(Target).where(Target.versi_id == versi.id))}
    rows = session.exec(
        select(BarisPK, Perjanjian, Indikator)
        .join(Perjanjian, Perjanjian.id == BarisPK.perjanjian_id)
        .join(Indikator, Indikator.id == BarisPK.indikator_id)
        .where(Perjanjian.versi_id == versi.id)
    ).all()
    result = [
        BarisIndikator(
            indikator=ind, target=targets[ind.id], unit=units[pk.unit_id], no=baris.no,
            sasaran=baris.sasaran, anggaran_kode=nodes.get(ind.anggaran_id) if ind.anggaran_id else None,
            urutan=baris.urutan,
        )
        for baris, pk, ind in rows
    ]
    return sorted(result, key=lambda b: (b.unit.urutan, b.urutan))


@dataclass(frozen=True)
class NodeAnggaran:
    """A budget node with its pagu in one version."""

    node: Anggaran
    induk_kode: str | None
    unit: Unit
    pagu: int


def list_anggaran(session: Session, versi: Versi) -> list[NodeAnggaran]:
    """Return the budget tree of a version, parents before children, in document order."""
    units = {u.id: u for u in list_units(session, versi.instansi_id)}
    rows = session.exec(
        select(Anggaran, Pagu)
        .join(Pagu, Pagu.anggaran_id == Anggaran.id)
        .where(Pagu.versi_id == versi.id)
        .order_by(Anggaran.urutan)
    ).all()
    kode_of = {a.id: a.kode for a, _ in rows}
    return [
        NodeAnggaran(node=a, induk_kode=kode_of.get(a.induk_id), unit=units[a.unit_id], pagu=p.pagu)
        for a, p in rows
    ]


def _disahkan(unit_id: object, tahun: object, bulan: object) -> Exists:
    """An SQL condition: this unit's month of this year is approved (StatusBulan.status 'disahkan')."""
    return (
        select(StatusBulan.id)
        .where(StatusBulan.unit_id == unit_id, StatusBulan.tahun == tahun, StatusBulan.bulan == bulan,
               StatusBulan.status == DISAHKAN)
        .exists()
    )


def load_realisasi(
    session: Session, instansi_id: int, tahun: int, hanya_disahkan: bool = False
) -> dict[str, dict[int, Bulanan]]:
    """Return every entered realisation of a year: kode -> bulan -> Bulanan.

    `hanya_disahkan` keeps only the months whose unit (the indicator's) has approved that month.
    """
    # Plain columns, not ORM rows: building Realisasi objects was most of a year's load (issue 13, bench figure 1).
    query = (
        select(Indikator.kode, Realisasi.bulan, Realisasi.nilai, Realisasi.pembilang, Realisasi.penyebut,
               Realisasi.keterangan)
        .join(Realisasi, Realisasi.indikator_id == Indikator.id)
        .where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun)
    )
    if hanya_disahkan:
        query = query.where(_disahkan(Indikator.unit_id, Indikator.tahun, Realisasi.bulan))
    result: dict[str, dict[int, Bulanan]] = {}
    for kode, bulan, nilai, pembilang, penyebut, keterangan in session.exec(query).all():
        result.setdefault(kode, {})[bulan] = Bulanan(
            nilai=nilai, pembilang=pembilang, penyebut=penyebut, keterangan=keterangan
        )
    return result


def load_realisasi_anggaran(
    session: Session, instansi_id: int, tahun: int, hanya_disahkan: bool = False
) -> dict[str, dict[int, int]]:
    """Return every entered budget realisation of a year: kode -> bulan -> Rupiah.

    `hanya_disahkan` keeps only the months whose unit (the sub-kegiatan's) has approved that month.
    """
    query = (
        select(Anggaran.kode, RealisasiAnggaran.bulan, RealisasiAnggaran.realisasi)
        .join(RealisasiAnggaran, RealisasiAnggaran.anggaran_id == Anggaran.id)
        .where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun)
    )
    if hanya_disahkan:
        query = query.where(_disahkan(Anggaran.unit_id, Anggaran.tahun, RealisasiAnggaran.bulan))
    result: dict[str, dict[int, int]] = {}
    for kode, bulan, realisasi in session.exec(query).all():
        result.setdefault(kode, {})[bulan] = realisasi
    return result


def build_data(
    baris: list[BarisIndikator],
    nodes: list[NodeAnggaran],
    realisasi: dict[str, dict[int, Bulanan]],
    realisasi_anggaran: dict[str, dict[int, int]],
) -> DataKinerja:
    """Turn database rows into the engine's input (one IndikatorDef per indicator)."""
    seen: dict[str, IndikatorDef] = {}
    for b in baris:
        ind, t = b.indikator, b.target
        if ind.kode not in seen:
            seen[ind.kode] = IndikatorDef(
                kode=ind.kode, target=t.tahunan, agregasi=ind.agregasi, jenis=ind.jenis,
                sumber=ind.sumber, polaritas=ind.polaritas, anggaran_kode=b.anggaran_kode,
                rencana_aksi=(t.tw1, t.tw2, t.tw3, t.tw4),
            )
    return DataKinerja(
        indikator=list(seen.values()),
        anggaran=[NodeDef(kode=n.node.kode, induk=n.induk_kode, pagu=n.pagu) for n in nodes],
        realisasi=realisasi,
        realisasi_anggaran=realisasi_anggaran,
    )


@dataclass
class DataTahun:
    """One office's year as of one version: the rows, the budget and everything entered."""

    instansi: Instansi
    tahun: int
    versi: Versi
    baris: list[BarisIndikator]
    anggaran: list[NodeAnggaran]
    data: DataKinerja
    hanya_disahkan: bool = False  # the figures are those of approved unit-months only

    def indikator_unit(self, unit_id: int) -> list[Indikator]:
        """The indicators a unit reports, each once, in the order of the agreement rows."""
        return list({b.indikator.kode: b.indikator for b in self.baris if b.indikator.unit_id == unit_id}.values())


def load_data_tahun(
    session: Session, instansi: Instansi, tahun: int, bulan: int = 12, hanya_disahkan: bool = False
) -> DataTahun:
    """Load a year with the version in force at the end of `bulan` (`hanya_disahkan`: approved months only)."""
    versi = versi_berlaku(session, instansi.id, tahun, bulan)
    baris = list_baris(session, versi)
    nodes = list_anggaran(session, versi)
    data = build_data(
        baris, nodes, load_realisasi(session, instansi.id, tahun, hanya_disahkan),
        load_realisasi_anggaran(session, instansi.id, tahun, hanya_disahkan),
    )
    return DataTahun(instansi=instansi, tahun=tahun, versi=versi, baris=baris, anggaran=nodes, data=data,
                     hanya_disahkan=hanya_disahkan)


@dataclass(frozen=True)
class PenjelasanUnit:
    """A Penjelasan text with the name of the unit whose annex holds it."""

    unit_nama: str
    uraian_sasaran: str
    uraian: str
    relevansi: str
    formulasi: str
    sumber_data: str
    penjelasan_target: str


def list_penjelasan(session: Session, indikator_id: int) -> list[PenjelasanUnit]:
    """Return every annex text that explains an indicator."""
    rows = session.exec(
        select(Penjelasan, Unit)
        .join(Unit, Unit.id == Penjelasan.unit_id)
        .where(Penjelasan.indikator_id == indikator_id)
        .order_by(Unit.urutan)
    ).all()
    return [
        PenjelasanUnit(unit_nama=u.nama, uraian_sasaran=p.uraian_sasaran, uraian=p.uraian, relevansi=p.relevansi,
                       formulasi=p.formulasi, sumber_data=p.sumber_data, penjelasan_target=p.penjelasan_target)
        for p, u in rows
    ]


def list_jejak(session: Session, instansi_id: int, tabel: str | None = None, limit: int = 500) -> list[Jejak]:
    """Return the office's latest audit-trail entries, newest first (optionally of one table)."""
    query = select(Jejak).where(Jejak.instansi_id == instansi_id)
    if tabel:
        query = query.where(Jejak.tabel == tabel)
    return list(session.exec(query.order_by(Jejak.waktu.desc(), Jejak.id.desc()).limit(limit)))  # type: ignore[union-attr]
