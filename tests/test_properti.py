"""Properties of the imports and the save path: exactly what was typed is stored, or nothing at all.

Hypothesis writes realisasi, budget and IKM files (valid and invalid numbers, months, kodes, keterangan
text) and batches of entries, and sends them the way `kinerja import` does: parse, then save. Each
example gets a fresh copy of one seeded SQLite file that already holds a few months, so replacing a
month is exercised too. Whatever the input, one of two things happens:

- it is saved, and reading the database back gives exactly the input (the months it names hold its
  values and its text, every other month and every other table is as before, one audit row per change);
- or ValidationError is raised with messages, and the database is byte for byte as before.

Some inputs must be refused whatever else they hold (a number the one parser refuses, a month outside
1-12, an unknown kode, a control character); some must be saved (a batch that is valid in every way).
"""

import csv
import io
import itertools
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy import event as sa_event
from sqlmodel import select

from kinerja.aturan.angka import AngkaError, parse_angka
from kinerja.aturan.ikm import compute_ikm
from kinerja.dokumen.impor import parse_anggaran_csv, parse_ikm_csv, parse_realisasi_csv
from kinerja.errors import ValidationError
from kinerja.simpan.db import create_db_engine, new_session
from kinerja.simpan.models import Anggaran, Indikator, JawabanIKM, Jejak, Pagu, Realisasi, RealisasiAnggaran
from kinerja.simpan.penilaian import QUANTUM, save_survei_ikm
from kinerja.simpan.queries import get_instansi, versi_berlaku
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.seed import init_database
from kinerja.simpan.versi import versi_data
from tests._jalur import dump
from tests.conftest import DATA

D = Decimal
TAHUN = 2025
PROPERTI = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BAD = object()  # a cell the one number parser must refuse


# --- one seeded file, copied for every example --------------------------------------------------------


@dataclass(frozen=True)
class Asal:
    """The seeded template file and what the strategies draw from it."""

    path: Path
    instansi_id: int
    hitung: list[str]  # indicators typed as whole counts (Dokumen, Laporan, ...)
    rasio: list[str]  # indicators typed as pembilang / penyebut
    lain: list[str]  # derived, budget-absorption, IKM and AKIP indicators: never typed here
    subs: list[str]  # sub-kegiatan with a pagu of at least Rp 10.000.000
    kegiatan: list[str]  # kegiatan and programs: budget is typed per sub-kegiatan only
    ikm: str


@pytest.fixture(scope="module")
def asal(tmp_path_factory: pytest.TempPathFactory) -> Asal:
    path = tmp_path_factory.mktemp("properti") / "asal.db"
    engine = create_db_engine(f"sqlite:///{path}")
    init_database(engine, DATA)
    with new_session(engine) as session:
        instansi_id = get_instansi(session).id
        inds = session.exec(select(Indikator).where(Indikator.tahun == TAHUN).order_by(Indikator.kode)).all()
        versi = versi_berlaku(session, instansi_id, TAHUN, 12)
        nodes = session.exec(select(Anggaran, Pagu).join(Pagu, Pagu.anggaran_id == Anggaran.id)
                             .where(Pagu.versi_id == versi.id).order_by(Anggaran.kode)).all()
    typed = [i for i in inds if i.sumber == "input" and not i.nilai_khusus]
    data = Asal(
        path=path, instansi_id=instansi_id,
        hitung=[i.kode for i in typed if i.jenis == "tunggal" and i.satuan != "%"],
        rasio=[i.kode for i in typed if i.jenis == "rasio"],
        lain=[i.kode for i in inds if i not in typed],
        subs=[a.kode for a, p in nodes if a.tingkat == "sub_kegiatan" and p.pagu >= 10_000_000],
        kegiatan=[a.kode for a, p in nodes if a.tingkat != "sub_kegiatan"],
        ikm=next(i.kode for i in inds if i.nilai_khusus == "ikm"),
    )
    # A few months already stored, so that an import replaces some and keeps others.
    save_realisasi(engine, instansi_id=instansi_id, tahun=TAHUN, yakin=True, entries=[
        EntriRealisasi(data.hitung[0], 1, nilai=D(1), keterangan="sudah ada"),
        EntriRealisasi(data.hitung[0], 2, nilai=D(2)),
        EntriRealisasi(data.rasio[0], 1, pembilang=D(3), penyebut=D(4)),
    ])
    save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=TAHUN, entries=[
        EntriAnggaran(data.subs[0], 1, 1_000_000), EntriAnggaran(data.subs[0], 2, 2_000_000, keterangan="SPJ")])
    engine.dispose()  # folds the WAL into the file: one file to copy
    return data


_nomor = itertools.count()


@contextmanager
def salinan(asal: Asal) -> Iterator[Engine]:
    """A fresh copy of the template for one example."""
    path = asal.path.with_name(f"contoh-{next(_nomor)}.db")
    shutil.copyfile(asal.path, path)
    engine = create_db_engine(f"sqlite:///{path}")
    # A throw-away copy need not survive a power cut: no fsync per commit (atomicity is unchanged).
    sa_event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA synchronous=OFF"))
    try:
        yield engine
    finally:
        engine.dispose()
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)


def realisasi(engine: Engine) -> dict[tuple[str, int], tuple]:
    with new_session(engine) as session:
        rows = session.exec(select(Indikator.kode, Realisasi.bulan, Realisasi.nilai, Realisasi.pembilang,
                                   Realisasi.penyebut, Realisasi.keterangan)
                            .join(Realisasi, Realisasi.indikator_id == Indikator.id)).all()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def anggaran(engine: Engine) -> dict[tuple[str, int], tuple]:
    with new_session(engine) as session:
        rows = session.exec(select(Anggaran.kode, RealisasiAnggaran.bulan, RealisasiAnggaran.realisasi,
                                   RealisasiAnggaran.keterangan)
                            .join(RealisasiAnggaran, RealisasiAnggaran.anggaran_id == Anggaran.id)).all()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def audit_rows(engine: Engine) -> int:
    with new_session(engine) as session:
        return len(session.exec(select(Jejak.id)).all())


def rest_of(lines: list[str], *tables: str) -> list[str]:
    """A dump without the rows of these tables: what an accepted batch must leave alone."""
    return [line for line in lines if not any(line.startswith(f'INSERT INTO "{t}" ') for t in tables)]


def assert_versi_naik(engine: Engine, asal: Asal, before: int, changed: int) -> None:
    """An accepted batch that changes a month moves its office's data version on by one, so every cache sees it."""
    assert versi_data(engine, asal.instansi_id) == before + 1 if changed else before <= versi_data(
        engine, asal.instansi_id) <= before + 1


def assert_refused_cleanly(error: ValidationError, before: list[str], engine: Engine) -> None:
    assert error.problems and all(isinstance(p, str) and p.strip() for p in error.problems)
    assert not any("Traceback" in p or "Error(" in p for p in error.problems), error.problems
    assert dump(engine) == before, "refused, but the database changed"


# --- what a user types in a cell ------------------------------------------------------------------------


def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def angka(draw: st.DrawFn, bulat: bool = False, rupiah: bool = False, bersih: bool = False) -> tuple[str, object]:
    """A cell and what it means: a number written one of the accepted ways, empty (None), or (unless
    `bersih`) BAD.

    Values keep at most 15 significant digits: SQLite stores NUMERIC as a binary double, which holds
    no more (see test_a_value_of_16_significant_digits_survives_sqlite).
    """
    kind = draw(st.sampled_from(["angka"] * 6 + ["kosong"] + ([] if bersih else ["salah"])))
    if kind == "kosong":
        return draw(st.sampled_from(["", " "])), None
    if kind == "salah":
        bad = ["-1", "+1", "1e3", "abc", "١٢", "1,2,3", "1234567890123456789", "1.2.3", "NaN", "inf", "1 000",
               "0x10", "--5", ",", ".", "12,5,", "½"]
        bad += ["1,5", "12.5", "Rp -5"] if rupiah else ["12,34567", "1.234", "Rp 5"]
        return draw(st.sampled_from(bad)), BAD
    whole = draw(st.integers(0, 10**15 - 1) if rupiah else st.one_of(st.integers(0, 999), st.integers(0, 10**11 - 1)))
    frac = "" if (bulat or rupiah) else draw(st.sampled_from(["", "", "5", "25", "125", "1250", "05", "0001"]))
    value = D(f"{whole}.{frac}") if frac else D(whole)
    styles = ["polos", "titik_ribuan"] + (["rp"] if rupiah else ["titik_desimal", "persen"])
    style = draw(st.sampled_from(styles))
    head = _ribuan(whole) if style in ("titik_ribuan", "rp") else str(whole)
    if style == "titik_ribuan" and not frac and not rupiah and head.count(".") == 1:
        return head, BAD  # "1.234": a thousands dot or a decimal point? Refused with both readings.
    if style == "titik_desimal" and len(frac) in (1, 2, 4):
        text = f"{whole}.{frac}"
    else:
        text = head + (f",{frac}" if frac else "")
    if style == "persen":
        text += draw(st.sampled_from(["%", " %"]))
    if style == "rp":
        text = draw(st.sampled_from(["Rp ", "Rp", "rp "])) + text
    return draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " "])), value


BULAN_SAH = st.one_of(
    st.integers(1, 12).map(lambda b: (str(b), b)),
    st.integers(1, 12).map(lambda b: (f" 0{b}" if b < 10 else f"{b} ", b)),
)
BULAN = st.one_of(
    BULAN_SAH, st.sampled_from(["0", "13", "", "x", "1,5", "-1", "99999999999999"]).map(lambda t: (t, BAD)))

KETERANGAN_SAH = st.one_of(
    st.just(""),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=25),
    st.sampled_from(["=SUM(A1:A9)", "rapat, 3 kali", 'surat "penting"', "baris\nkedua", "tab\tdi sini",
                     "  spasi  ", "é" * 1000]),
)
KETERANGAN = st.one_of(
    KETERANGAN_SAH,
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=25),
    st.sampled_from(["ada\x00NUL", "bel\x07", "cr\rlf", "x" * 1001]),
)


def keterangan_salah(text: str) -> bool:
    """A keterangan that must be refused: over 1.000 characters, or a control character (not newline, tab)."""
    text = text.strip()
    return len(text) > 1000 or any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text)


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# --- realisasi CSV ----------------------------------------------------------------------------------------


@dataclass
class Baris:
    cells: list[str]  # kode, bulan, nilai, pembilang, penyebut, keterangan
    kode: str
    bulan: object
    values: tuple[object, object, object]  # nilai, pembilang, penyebut as meant (None, Decimal or BAD)
    keterangan: str


@st.composite
def baris_realisasi(draw: st.DrawFn, asal: Asal, sah: bool, bersih: bool = False) -> Baris:
    """One row of a realisasi file. `sah`: valid in every way (a whole count, pembilang <= penyebut);
    `bersih`: no cell that must be refused on its own, though the row as a whole may still be."""
    pool = asal.hitung + asal.rasio
    if not (sah or bersih):
        pool = pool + asal.lain + ["IK-99.9", "ik-6.1.1", ""]
    kode = draw(st.sampled_from(pool))
    bulan_text, bulan = draw(st.integers(1, 12).map(lambda b: (str(b), b))) if sah else \
        draw(BULAN_SAH if bersih else BULAN)
    if sah:
        keterangan = draw(st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=30))
        if kode in asal.rasio:
            a, b = sorted(draw(st.lists(st.integers(0, 10**6), min_size=2, max_size=2)))
            b = max(b, 1)
            penyebut = _ribuan(b) if b >= 10**6 else str(b)  # "1.000" alone could be 1 or 1000: refused
            cells, values = ["", str(a), penyebut], (None, D(a), D(b))
        else:
            n = draw(st.integers(1, 999))
            cells, values = [str(n), "", ""], (D(n), None, None)
        return Baris([kode, bulan_text, *cells, keterangan], kode, bulan, values, keterangan.strip())
    keterangan = draw(KETERANGAN_SAH if bersih else KETERANGAN)
    bulat = kode in asal.hitung and draw(st.integers(0, 9)) > 0
    empty = st.just(("", None))
    if kode in asal.rasio:
        nilai, pembilang, penyebut = draw(st.one_of(empty, angka(bersih=bersih))), draw(angka(bersih=bersih)), \
            draw(angka(bersih=bersih))
        if draw(st.integers(0, 3)) > 0:
            nilai = ("", None)
    else:
        nilai = draw(angka(bulat=bulat, bersih=bersih))
        pembilang, penyebut = (draw(st.one_of(empty, empty, empty, angka(bersih=bersih))) for _ in range(2))
    texts, values = zip(nilai, pembilang, penyebut, strict=True)
    return Baris([f" {kode}" if draw(st.booleans()) else kode, bulan_text, *texts, keterangan], kode, bulan,
                 tuple(values), keterangan.strip())


def must_refuse_realisasi(rows: list[Baris], asal: Asal) -> bool:
    kept = [r for r in rows if any(c.strip() for c in r.cells)]
    keys = [(r.kode, r.bulan) for r in kept]
    return (
        not kept
        or any(v is BAD for r in kept for v in r.values)
        or any(r.bulan is BAD or r.kode not in asal.hitung + asal.rasio or keterangan_salah(r.cells[5]) for r in kept)
        or len(set(keys)) < len(keys)
    )


def check_realisasi_import(asal: Asal, rows: list[Baris]) -> str:
    """Import the rows as `kinerja import realisasi --yakin` does; assert all or nothing; return what happened."""
    data = csv_bytes(["kode", "bulan", "nilai", "pembilang", "penyebut", "keterangan"], [r.cells for r in rows])
    with salinan(asal) as engine:
        before, stored, trail = dump(engine), realisasi(engine), audit_rows(engine)
        versi = versi_data(engine, asal.instansi_id)
        try:
            entries = parse_realisasi_csv(data, "isian.csv")
            written = save_realisasi(engine, instansi_id=asal.instansi_id, tahun=TAHUN, entries=entries, yakin=True)
        except ValidationError as e:
            assert_refused_cleanly(e, before, engine)
            return "ditolak"
        expected = dict(stored)
        for r in rows:
            if any(c.strip() for c in r.cells):
                expected[(r.kode, r.bulan)] = (*r.values, r.keterangan)
        assert realisasi(engine) == expected
        changed = sum(1 for key, value in expected.items() if stored.get(key) != value)
        assert written == changed and audit_rows(engine) == trail + changed
        assert rest_of(dump(engine), "realisasi", "jejak", "instansi") == rest_of(before, "realisasi", "jejak",
                                                                                    "instansi")
        assert_versi_naik(engine, asal, versi, changed)
        return "disimpan"


@PROPERTI
@given(data=st.data())
def test_a_realisasi_file_is_saved_exactly_or_refused_with_nothing_written(asal: Asal, data: st.DataObject):
    bersih = data.draw(st.booleans())
    rows = data.draw(st.lists(baris_realisasi(asal, sah=False, bersih=bersih), min_size=1, max_size=4))
    outcome = check_realisasi_import(asal, rows)
    event(outcome)
    if must_refuse_realisasi(rows, asal):
        assert outcome == "ditolak"


@settings(PROPERTI, max_examples=30)
@given(data=st.data())
def test_a_valid_realisasi_file_is_always_saved_exactly(asal: Asal, data: st.DataObject):
    rows = data.draw(st.lists(baris_realisasi(asal, sah=True), min_size=1, max_size=6,
                              unique_by=lambda r: (r.kode, r.bulan)))
    assert check_realisasi_import(asal, rows) == "disimpan"


# --- realisasi anggaran CSV ---------------------------------------------------------------------------------


@st.composite
def baris_anggaran(draw: st.DrawFn, asal: Asal, sah: bool, bersih: bool = False
                   ) -> tuple[list[str], str, object, object, str]:
    """One row of a budget file: (cells, kode, bulan, Rupiah as meant, keterangan as stored)."""
    if sah:
        kode = draw(st.sampled_from(asal.subs))
        bulan = draw(st.integers(1, 12))
        rupiah = draw(st.integers(0, 700_000))  # 12 months of it stay under the smallest pagu drawn from
        text = draw(st.sampled_from([str(rupiah), _ribuan(rupiah), f"Rp {_ribuan(rupiah)}"]))
        keterangan = draw(st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=30))
        return [kode, str(bulan), text, keterangan], kode, bulan, D(rupiah), keterangan.strip()
    kode = draw(st.sampled_from(asal.subs if bersih else asal.subs + asal.kegiatan + ["9.9.9", ""]))
    bulan_text, bulan = draw(BULAN_SAH if bersih else BULAN)
    text, rupiah = draw(st.one_of(angka(rupiah=True, bersih=bersih),
                                  st.integers(0, 3_000_000).map(lambda n: (_ribuan(n), D(n)))))
    keterangan = draw(KETERANGAN_SAH if bersih else KETERANGAN)
    return [kode, bulan_text, text, keterangan], kode, bulan, rupiah, keterangan.strip()


def check_anggaran_import(asal: Asal, rows: list[tuple]) -> str:
    data = csv_bytes(["kode", "bulan", "realisasi", "keterangan"], [r[0] for r in rows])
    with salinan(asal) as engine:
        before, stored, trail = dump(engine), anggaran(engine), audit_rows(engine)
        versi = versi_data(engine, asal.instansi_id)
        try:
            entries = parse_anggaran_csv(data, "anggaran.csv")
            written = save_realisasi_anggaran(engine, instansi_id=asal.instansi_id, tahun=TAHUN, entries=entries)
        except ValidationError as e:
            assert_refused_cleanly(e, before, engine)
            return "ditolak"
        expected = dict(stored)
        for cells, kode, bulan, rupiah, keterangan in rows:
            if any(c.strip() for c in cells):
                expected[(kode, bulan)] = (rupiah, keterangan)
        assert anggaran(engine) == expected
        changed = sum(1 for key, value in expected.items() if stored.get(key) != value)
        assert written == changed and audit_rows(engine) == trail + changed
        assert rest_of(dump(engine), "realisasi_anggaran", "jejak", "instansi") == rest_of(
            before, "realisasi_anggaran", "jejak", "instansi")
        assert_versi_naik(engine, asal, versi, changed)
        return "disimpan"


@PROPERTI
@given(data=st.data())
def test_a_budget_file_is_saved_exactly_or_refused_with_nothing_written(asal: Asal, data: st.DataObject):
    bersih = data.draw(st.booleans())
    rows = data.draw(st.lists(baris_anggaran(asal, sah=False, bersih=bersih), min_size=1, max_size=4))
    outcome = check_anggaran_import(asal, rows)
    event(outcome)
    kept = [r for r in rows if any(c.strip() for c in r[0])]
    keys = [(r[1], r[2]) for r in kept]
    if (not kept or len(set(keys)) < len(keys)
            or any(r[3] is BAD or r[3] is None or r[2] is BAD or r[1] not in asal.subs or keterangan_salah(r[0][3])
                   for r in kept)):
        assert outcome == "ditolak"


@settings(PROPERTI, max_examples=30)
@given(data=st.data())
def test_a_valid_budget_file_is_always_saved_exactly(asal: Asal, data: st.DataObject):
    rows = data.draw(st.lists(baris_anggaran(asal, sah=True), min_size=1, max_size=6, unique_by=lambda r: r[1:3]))
    assert check_anggaran_import(asal, rows) == "disimpan"


# --- IKM CSV ------------------------------------------------------------------------------------------------


JAWABAN_SAH = st.one_of(
    st.sampled_from(["1", "2", "3", "4"]).map(lambda t: (t, int(t))),
    st.sampled_from([" 3 ", "4.0", "2.0"]).map(lambda t: (t, int(t.strip()[0]))),
    st.just(("", None)),
)
JAWABAN = st.one_of(
    JAWABAN_SAH, st.sampled_from(["0", "5", "x", "1,0", "-1", "٣", "1.5", "44", "tiga"]).map(lambda t: (t, BAD)))


@PROPERTI
@given(data=st.data())
def test_an_ikm_file_is_saved_answer_for_answer_or_refused_with_nothing_written(asal: Asal, data: st.DataObject):
    jawaban = JAWABAN_SAH if data.draw(st.booleans()) else JAWABAN
    rows = data.draw(st.lists(st.lists(jawaban, min_size=9, max_size=9), min_size=1, max_size=8))
    data = csv_bytes([f"u{i}" for i in range(1, 10)], [[text for text, _ in row] for row in rows])
    meant = [[value for _, value in row] for row in rows]
    answered = [row for row in meant if any(v is not None for v in row)]  # an empty line is no respondent
    with salinan(asal) as engine:
        before = dump(engine)
        try:
            answers = parse_ikm_csv(data, "ikm.csv")
            hasil = save_survei_ikm(engine, instansi_id=asal.instansi_id, tahun=TAHUN, bulan=6, answers=answers,
                                    judul="ikm.csv")
        except ValidationError as e:
            assert_refused_cleanly(e, before, engine)
            event("ditolak")
            assert not answered or any(v is BAD for row in meant for v in row)
            return
        event("disimpan")
        assert not any(v is BAD for row in meant for v in row)
        with new_session(engine) as session:
            saved = session.exec(select(JawabanIKM).order_by(JawabanIKM.responden)).all()
        assert [[getattr(j, f"u{i}") for i in range(1, 10)] for j in saved] == answered
        assert [j.responden for j in saved] == list(range(1, len(answered) + 1))
        nilai = compute_ikm(answered).nilai
        assert hasil.nilai == nilai
        assert realisasi(engine)[(asal.ikm, 6)][0] == nilai.quantize(QUANTUM, rounding="ROUND_HALF_UP")


# --- the save path, called directly -------------------------------------------------------------------------


NILAI_LANGSUNG = st.one_of(
    st.none(),
    st.integers(0, 999).map(D),
    st.integers(0, 10**11 - 1).map(D),
    st.decimals(min_value=0, max_value=10**11 - 1, places=2),
    st.sampled_from([D("-1"), D("-0"), D("NaN"), D("Infinity"), D("1E+12"), D("1E+20"), D("0.00001"),
                     D("1.23456"), D("5E-4"), D("12.50000")]),
)


def nilai_salah(value: Decimal | None) -> bool:
    """A value the one parser's bounds refuse: not finite, negative, 13 digits or more, 5 decimals or more."""
    if value is None:
        return False
    if not value.is_finite():
        return True
    return (value < 0 or (value != 0 and value.adjusted() >= 12)
            or (value != 0 and -value.normalize().as_tuple().exponent > 4))


@st.composite
def entri_realisasi(draw: st.DrawFn, asal: Asal) -> EntriRealisasi:
    """An entry as a page would build it, mostly with the columns its indicator takes, sometimes not."""
    kode = draw(st.sampled_from(asal.hitung[:3] + asal.rasio[:3] + asal.lain[:1]))
    bulan = draw(st.one_of(st.integers(1, 12), st.integers(1, 12), st.sampled_from([0, 13, -1, True])))
    values = [draw(NILAI_LANGSUNG) for _ in range(3)]
    if draw(st.integers(0, 4)) > 0:  # the columns its kind takes
        values = [None, *values[1:]] if kode in asal.rasio else [values[0], None, None]
    keterangan = draw(st.one_of(KETERANGAN_SAH, KETERANGAN))
    return EntriRealisasi(kode, bulan, *values, keterangan=keterangan, hapus=draw(st.integers(0, 4)) == 0)


@PROPERTI
@given(data=st.data())
def test_save_realisasi_stores_each_entry_exactly_or_nothing(asal: Asal, data: st.DataObject):
    entries = data.draw(st.lists(entri_realisasi(asal), min_size=1, max_size=5))
    with salinan(asal) as engine:
        before, stored = dump(engine), realisasi(engine)
        try:
            save_realisasi(engine, instansi_id=asal.instansi_id, tahun=TAHUN, entries=entries, yakin=True)
        except ValidationError as e:
            assert_refused_cleanly(e, before, engine)
            event("ditolak")
            return
        event("disimpan")
        expected = dict(stored)
        for e in entries:
            if e.hapus:
                expected.pop((e.kode, e.bulan), None)
            else:
                expected[(e.kode, e.bulan)] = (e.nilai, e.pembilang, e.penyebut, e.keterangan)
        assert realisasi(engine) == expected
        assert not any(nilai_salah(v) for e in entries if not e.hapus for v in (e.nilai, e.pembilang, e.penyebut))
        assert all(isinstance(e.bulan, int) and not isinstance(e.bulan, bool) and 1 <= e.bulan <= 12
                   for e in entries)


@PROPERTI
@given(data=st.data())
def test_save_realisasi_anggaran_stores_each_entry_exactly_or_nothing(asal: Asal, data: st.DataObject):
    entries = data.draw(st.lists(st.builds(
        EntriAnggaran,
        kode=st.sampled_from(asal.subs[:3] * 3 + asal.kegiatan[:1]),
        bulan=st.one_of(st.integers(1, 12), st.integers(1, 12), st.sampled_from([0, 13])),
        realisasi=st.one_of(st.integers(0, 3_000_000), st.integers(0, 3_000_000), st.none(), st.integers(-5, 10**16),
                            st.sampled_from([D("1.5"), D("NaN"), D("-0"), D(10**15), D(250_000)])),
        keterangan=st.one_of(KETERANGAN_SAH, KETERANGAN), hapus=st.integers(0, 4).map(lambda n: n == 0),
    ), min_size=1, max_size=4))
    with salinan(asal) as engine:
        before, stored = dump(engine), anggaran(engine)
        try:
            save_realisasi_anggaran(engine, instansi_id=asal.instansi_id, tahun=TAHUN, entries=entries)
        except ValidationError as e:
            assert_refused_cleanly(e, before, engine)
            event("ditolak")
            return
        event("disimpan")
        expected = dict(stored)
        for e in entries:
            if e.hapus:
                expected.pop((e.kode, e.bulan), None)
            else:
                expected[(e.kode, e.bulan)] = (e.realisasi, e.keterangan)
        assert anggaran(engine) == expected
        assert all(e.kode in asal.subs and 1 <= e.bulan <= 12 for e in entries)
        assert all(D(e.realisasi) == int(e.realisasi) and 0 <= e.realisasi < 10**15 for e in entries if not e.hapus)


# --- a known limit ------------------------------------------------------------------------------------------


def test_the_largest_value_the_parser_accepts_survives_sqlite_exactly(asal: Asal):
    """SQLite keeps NUMERIC as a binary double (about 15.9 significant digits): 11 + 4 digits come back exact."""
    value = D("99999999999.9999")
    with salinan(asal) as engine:
        save_realisasi(engine, instansi_id=asal.instansi_id, tahun=TAHUN, yakin=True,
                       entries=[EntriRealisasi(asal.rasio[1], 5, pembilang=value, penyebut=value)])
        assert realisasi(engine)[(asal.rasio[1], 5)][:3] == (None, value, value)
    with pytest.raises(AngkaError, match="terlalu besar"):
        parse_angka("999999999999,0003")  # 16 digits: the 16th could change on the way back