"""Save an IKM survey and an AKIP score, and set the indicator each one measures."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from kinerja.aturan.akip import HasilAKIP, check_komponen, compute_akip
from kinerja.aturan.angka import AngkaError, Jenis, cek_angka
from kinerja.aturan.ikm import HasilIKM, compute_ikm, compute_ikm_from_counts
from kinerja.aturan.teks import cek_teks
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Indikator, JawabanIKM, NilaiAKIP, Pengguna, RekapIKM, SurveiIKM, now_utc
from kinerja.simpan.realisasi import EntriRealisasi, write_realisasi
from kinerja.simpan.wewenang import pastikan_wewenang

QUANTUM = Decimal("0.0001")
MAKS_RESPONDEN = 100_000  # far above any Krejcie-Morgan sample (370 for 10.000 and more)
JUMLAH_RESPONDEN = Jenis("bilangan bulat", bulat=True, digit=7, desimal=0)


def _indikator_khusus(session: Session, instansi_id: int, tahun: int, jenis: str) -> Indikator:
    ind = session.exec(
        select(Indikator).where(
            Indikator.instansi_id == instansi_id, Indikator.tahun == tahun, Indikator.nilai_khusus == jenis
        )
    ).first()
    if ind is None:
        raise ValidationError([f"tahun {tahun} tidak punya indikator {jenis.upper()} di perjanjian kinerja"])
    return ind


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
    indicator's realisation for that month, in one transaction.

    Everything is checked, computed and laid out as rows before the write lock is taken; the
    transaction itself is a handful of statements (the respondents in one bulk insert), so a large
    survey holds the lock for a second, not for as long as the ORM would take row by row.
    """
    problems = []
    if len(answers or []) > MAKS_RESPONDEN:
        problems.append(f"terlalu banyak responden ({len(answers or [])}); paling banyak {MAKS_RESPONDEN}")
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    problems += _check_counts(counts)
    problems += cek_teks(judul, "judul survei", 200)
    if populasi is not None and not 0 <= populasi < 10**9:
        problems.append("populasi penerima layanan harus 0 sampai 999.999.999")
    if problems:
        raise ValidationError(problems)
    hasil = compute_ikm(answers) if answers is not None else compute_ikm_from_counts(counts or [])
    if hasil.nilai is None:
        raise ValidationError(["survei tidak punya jawaban"])
    who = pengguna.username if pengguna else oleh
    nilai = hasil.nilai.quantize(QUANTUM, rounding=ROUND_HALF_UP)
    jawaban = [{"responden": n, **{f"u{i}": a for i, a in enumerate(row, start=1)}}
               for n, row in enumerate(answers or [], start=1)]
    rekap = [{"unsur": unsur, "nilai": n, "jumlah": jumlah}
             for unsur, row in enumerate(counts or [], start=1) for n, jumlah in enumerate(row, start=1)]
    keterangan = f"Survei IKM {judul}: {hasil.responden} responden".replace("  ", " ")
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "simpan_penilaian", instansi_id=instansi_id)
        ind = _indikator_khusus(session, instansi_id, tahun, "ikm")
        survei = SurveiIKM(instansi_id=instansi_id, tahun=tahun, bulan=bulan, judul=judul,
                           populasi=populasi, diisi_oleh=who)
        session.add(survei)
        session.flush()
        # One executemany on the table: no per-row ORM bookkeeping (half the time of insert(JawabanIKM)).
        for rows, model in ((jawaban, JawabanIKM), (rekap, RekapIKM)):
            if rows:
                for row in rows:
                    row["survei_id"] = survei.id
                session.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="survei_ikm", kunci=f"{tahun}/{bulan}",
                    sebelum=None, sesudah={"judul": judul, "responden": hasil.responden, "ikm": nilai})
        write_realisasi(session, instansi_id=instansi_id, tahun=tahun, oleh=who, khusus=True, yakin=True, entries=[
            EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=nilai, keterangan=keterangan)
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
    problems = check_komponen(komponen)
    problems += cek_teks(keterangan, "keterangan", 500)
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    if problems:
        raise ValidationError(problems)
    values = {k: Decimal(v) for k, v in komponen.items() if v is not None}
    hasil = compute_akip(**values)
    who = pengguna.username if pengguna else oleh
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "simpan_penilaian", instansi_id=instansi_id)
        ind = _indikator_khusus(session, instansi_id, tahun, "akip")
        old = session.exec(
            select(NilaiAKIP).where(NilaiAKIP.instansi_id == instansi_id, NilaiAKIP.tahun == tahun).with_for_update()
        ).first()
        sebelum = _akip_dict(old) if old else None
        row = old or NilaiAKIP(instansi_id=instansi_id, tahun=tahun, **values)
        for k, v in values.items():
            setattr(row, k, v)
        row.bulan, row.keterangan, row.diisi_oleh, row.diubah_pada = bulan, keterangan, who, now_utc()
        session.add(row)
        sesudah = _akip_dict(row)
        if sesudah != sebelum:
            catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="nilai_akip", kunci=str(tahun),
                        sebelum=sebelum, sesudah=sesudah)
        # An earlier score of the same year may sit in another month: the year has one score.
        others = [
            EntriRealisasi(kode=ind.kode, bulan=b, hapus=True) for b in range(1, 13) if b != bulan
        ]
        write_realisasi(session, instansi_id=instansi_id, tahun=tahun, oleh=who, khusus=True, yakin=True, entries=[
            EntriRealisasi(kode=ind.kode, bulan=bulan, nilai=hasil.total, keterangan="Nilai LHE AKIP"),
            *others,
        ])
    return hasil


def _akip_dict(row: NilaiAKIP) -> dict[str, object]:
    return {"perencanaan": row.perencanaan, "pengukuran": row.pengukuran, "pelaporan": row.pelaporan,
            "evaluasi": row.evaluasi, "bulan": row.bulan, "keterangan": row.keterangan}


def _check_counts(counts: Sequence[Sequence[int]] | None) -> list[str]:
    """Return the problems of typed counts: 9 unsur x 4 answers, whole numbers of at most 7 digits."""
    if counts is None:
        return []
    if len(counts) != 9 or any(len(row) != 4 for row in counts):
        return ["jumlah jawaban harus 9 unsur x 4 pilihan jawaban"]
    problems = []
    for unsur, row in enumerate(counts, start=1):
        for nilai, c in enumerate(row, start=1):
            try:
                cek_angka(Decimal(c) if not isinstance(c, Decimal) else c, JUMLAH_RESPONDEN)
            except (AngkaError, ValueError, TypeError) as e:
                problems.append(f"U{unsur} jawaban {nilai}: jumlah responden {e}")
    return problems


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
