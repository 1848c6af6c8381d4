"""Save an IKM survey and an AKIP score, and set the indicator each one measures."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.akip import HasilAKIP, check_komponen, compute_akip
from kinerja.db import write_session
from kinerja.ikm import HasilIKM, compute_ikm, compute_ikm_from_counts
from kinerja.models import Indikator, JawabanIKM, NilaiAKIP, Pengguna, RekapIKM, SurveiIKM, now_utc
from kinerja.realisasi import EntriRealisasi, ValidationError, write_realisasi

QUANTUM = Decimal("0.0001")


def _indikator_khusus(session: Session, instansi_id: int, tahun: int, jenis: str) -> Indikator:
    ind = session.exec(
        select(Indikator).where(
            Indikator.instansi_id == instansi_id, Indikator.tahun == tahun, Indikator.nilai_khusus == jenis
        )
    ).first()
    if ind is None:
        raise ValidationError([f"tahun {tahun} tidak punya indikator {jenis.upper()} di perjanjian kinerja"])
    return ind


def _check_admin(pengguna: Pengguna | None) -> None:
    if pengguna is not None and pengguna.peran != "admin":
        raise ValidationError(["hanya admin yang dapat menyimpan IKM dan nilai AKIP"])


def save_survei_ikm(
    engine: Engine,
    *,
    instansi_id: int,
    tahun: int,
    bulan: int,
    answers: Sequence[Sequence[int | None]] | None = None,
    counts: Sequence[Sequence[int]] | None = None,
    judul: str = "",
    populasi: int | None = None,
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> HasilIKM:
    """Store a survey (respondents' answers, or counts per unsur and answer) and set the IKM
    indicator's realisation for that month, in one transaction."""
    _check_admin(pengguna)
    problems = []
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    if counts is not None and any(c < 0 for row in counts for c in row):
        problems.append("jumlah responden tidak boleh negatif")
    hasil = compute_ikm(answers) if answers is not None else compute_ikm_from_counts(counts or [])
    if hasil.nilai is None:
        problems.append("survei tidak punya jawaban")
    if problems:
        raise ValidationError(problems)
    who = pengguna.username if pengguna else oleh
    with write_session(engine) as session:
        ind = _indikator_khusus(session, instansi_id, tahun, "ikm")
        survei = SurveiIKM(instansi_id=instansi_id, tahun=tahun, bulan=bulan, judul=judul,
                           populasi=populasi, diisi_oleh=who)
        session.add(survei)
        session.flush()
        for n, row in enumerate(answers or [], start=1):
            session.add(JawabanIKM(survei_id=survei.id, responden=n, **{f"u{i + 1}": a for i, a in enumerate(row)}))
        for unsur, row in enumerate(counts or [], start=1):
            for nilai, jumlah in enumerate(row, start=1):
                session.add(RekapIKM(survei_id=survei.id, unsur=unsur, nilai=nilai, jumlah=jumlah))
        nilai = hasil.nilai.quantize(QUANTUM, rounding=ROUND_HALF_UP)
        write_realisasi(session, instansi_id=instansi_id, tahun=tahun, pengguna=None, oleh=who, entries=[
            EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=nilai,
                           keterangan=f"Survei IKM {judul}: {hasil.responden} responden".replace("  ", " "))
        ])
    return hasil


def save_akip(
    engine: Engine,
    *,
    instansi_id: int,
    tahun: int,
    komponen: dict[str, Decimal | None],
    bulan: int = 12,
    keterangan: str = "",
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> HasilAKIP:
    """Store the year's LHE score by component and set the AKIP indicator's realisation."""
    _check_admin(pengguna)
    problems = check_komponen(komponen)
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    if problems:
        raise ValidationError(problems)
    values = {k: Decimal(v) for k, v in komponen.items() if v is not None}
    hasil = compute_akip(**values)
    who = pengguna.username if pengguna else oleh
    with write_session(engine) as session:
        ind = _indikator_khusus(session, instansi_id, tahun, "akip")
        row = session.exec(
            select(NilaiAKIP).where(NilaiAKIP.instansi_id == instansi_id, NilaiAKIP.tahun == tahun)
        ).first() or NilaiAKIP(instansi_id=instansi_id, tahun=tahun, **values)
        for k, v in values.items():
            setattr(row, k, v)
        row.bulan, row.keterangan, row.diisi_oleh, row.diubah_pada = bulan, keterangan, who, now_utc()
        session.add(row)
        # An earlier score of the same year may sit in another month: the year has one score.
        others = [
            EntriRealisasi(kode=ind.kode, bulan=b, hapus=True) for b in range(1, 13) if b != bulan
        ]
        write_realisasi(session, instansi_id=instansi_id, tahun=tahun, oleh=who, entries=[
            EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=hasil.total, keterangan="Nilai LHE AKIP"),
            *others,
        ])
    return hasil


def list_survei(session: Session, instansi_id: int, tahun: int) -> list[dict[str, object]]:
    """Return the year's saved surveys with their respondents, IKM and mutu, newest first."""
    rows = []
    surveys = session.exec(select(SurveiIKM).where(SurveiIKM.instansi_id == instansi_id, SurveiIKM.tahun == tahun)
                           .order_by(SurveiIKM.dibuat_pada.desc())).all()  # type: ignore[attr-defined]
    for s in surveys:
        answers = session.exec(select(JawabanIKM).where(JawabanIKM.survei_id == s.id)).all()
        if answers:
            hasil = compute_ikm([[getattr(a, f"u{i}") for i in range(1, 10)] for a in answers])
        else:
            counts = [[0] * 4 for _ in range(9)]
            for r in session.exec(select(RekapIKM).where(RekapIKM.survei_id == s.id)):
                counts[r.unsur - 1][r.nilai - 1] = r.jumlah
            hasil = compute_ikm_from_counts(counts)
        rows.append({"survei": s.judul, "bulan": s.bulan, "responden": hasil.responden, "ikm": hasil.nilai,
                     "mutu": " ".join(hasil.mutu) if hasil.mutu else "", "oleh": s.diisi_oleh})
    return rows
