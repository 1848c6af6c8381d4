"""Every entry path driven the way the app and the CLI drive it, for test_angka.py and test_masukan_jahat.py.

Each path function takes what a user types or uploads and returns `("ok", what is stored)` or
`("refused", messages)`. A path that stores something puts the database back afterwards with the
same write functions (or loads into a year of its own), so all the cases of a module share one
seeded database; a refusal must write nothing, which the tests check with `dump`.
"""

import csv
import io
import itertools
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from sqlalchemy import Engine
from sqlalchemy import text as sql
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

from kinerja.aturan.akip import KOMPONEN
from kinerja.aturan.angka import AngkaError, parse_angka
from kinerja.baca.entri import (
    entries_anggaran_from_grid,
    entries_from_grid,
    grid_anggaran,
    grid_realisasi,
    parse_rupiah_grid,
)
from kinerja.cli import app
from kinerja.dokumen.impor import parse_anggaran_csv, parse_ikm_csv, parse_ikm_xlsx, parse_realisasi_csv
from kinerja.dokumen.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.dokumen.templat_baca import parse_template, preview_changes
from kinerja.dokumen.templat_buat import FIRST_MONTH_COL, build_template
from kinerja.errors import ValidationError
from kinerja.simpan.db import get_engine, new_session, write_session
from kinerja.simpan.models import (
    Anggaran,
    Indikator,
    Instansi,
    JawabanIKM,
    NilaiAKIP,
    Pagu,
    Pengguna,
    Realisasi,
    RealisasiAnggaran,
    SurveiIKM,
    Target,
    Unit,
    Versi,
)
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.queries import list_anggaran, list_baris, versi_berlaku
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import UbahTarget, changes_from_target_grid, save_pagu, save_targets, target_grid
from kinerja.simpan.seed import SeedError, init_database
from tests.conftest import SEED_2025, seeded_database

Result = tuple[str, Any]
TAHUN = 2025
BULAN = 3
UNIT = "PERENCANAAN"
RASIO = "IK-6.1"  # a ratio PERENCANAAN enters: 4 decimals allowed, no soft limit, pembilang <= penyebut
HITUNG = "IK-6.1.1"  # a count PERENCANAAN enters (Dokumen, 3 a year): whole numbers
SUB = "6.1.1"  # a sub-kegiatan of PERENCANAAN, pagu 15.409.900
RANTAI = ("1", "1.1", "1.1.1")  # a program whose only kegiatan has one sub-kegiatan: one pagu in three cells
AKIP_SAH = {"perencanaan": "20", "pengukuran": "20", "pelaporan": "10", "evaluasi": "15"}
REALISASI_HEADER = ["kode", "bulan", "nilai", "pembilang", "penyebut", "keterangan"]
ANGGARAN_HEADER = ["kode", "bulan", "realisasi", "keterangan"]
IKM_HEADER = [f"u{i}" for i in range(1, 10)]


def ok(value: object) -> Result:
    return ("ok", value)


def refused(problems: object) -> Result:
    return ("refused", [str(p) for p in (problems if isinstance(problems, list | tuple) else [problems])])


# --- the shared database ---------------------------------------------------------------------


@dataclass
class Basis:
    """One seeded database a module's cases share, with an admin, an operator of PERENCANAAN and a pimpinan."""

    engine: Engine
    url: str
    tmp: Path
    instansi_id: int
    pengguna: dict[str, Pengguna]
    pk_2025: bytes | None = None
    _files: Iterator[int] = field(default_factory=itertools.count)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def next_year(self) -> int:
        """The first year after 2025 not loaded yet: an accepted data/ folder or PK workbook loads into it."""
        with new_session(self.engine) as session:
            taken = set(session.exec(select(Versi.tahun)))
        return next(year for year in range(TAHUN + 1, 2101) if year not in taken)

    def next_dir(self) -> Path:
        path = self.tmp / f"kasus-{next(self._files)}"
        path.mkdir()
        return path


@contextmanager
def open_basis(backend: str, tmp: Path) -> Iterator[Basis]:
    """Seed a database of its own (as conftest's seeded fixture does) and add three users to act as."""
    with seeded_database(backend, tmp) as engine:
        with write_session(engine) as session:
            instansi = session.exec(select(Instansi)).one()
            units = {u.kode: u.id for u in session.exec(select(Unit))}
            users = {
                "admin": Pengguna(instansi_id=instansi.id, username="admin", nama="Admin", password_hash="-",
                                  peran="admin"),
                "operator": Pengguna(instansi_id=instansi.id, username="operator", nama="Operator Perencanaan",
                                     password_hash="-", peran="operator", unit_id=units[UNIT]),
                "pimpinan": Pengguna(instansi_id=instansi.id, username="pimpinan", nama="Camat", password_hash="-",
                                     peran="pimpinan"),
            }
            session.add_all(users.values())
            session.flush()
            instansi_id = instansi.id
        url = engine.url.render_as_string(hide_password=False)
        try:
            yield Basis(engine, url, tmp, instansi_id, users)
        finally:
            get_engine(url).dispose()  # the CLI's cached engine on this database


def dump(engine: Engine) -> list[str]:
    """Return the whole database as text: SQLite's own dump, or every table's rows in primary-key order.

    On PostgreSQL one query returns each table as JSON (ordered by its primary key): one round trip per
    dump keeps a corpus of hundreds of cases fast.
    """
    if engine.dialect.name == "sqlite":
        connection = sqlite3.connect(engine.url.database)
        try:
            return list(connection.iterdump())
        finally:
            connection.close()
    tables = SQLModel.metadata.sorted_tables
    columns = [
        f"(SELECT coalesce(json_agg(t ORDER BY {', '.join(f't.{c.name}' for c in table.primary_key.columns)}), "
        f"'[]')::text FROM \"{table.name}\" t)"
        for table in tables
    ]
    with engine.connect() as conn:
        row = conn.execute(sql("SELECT " + ", ".join(columns))).one()
    return [f"-- {table.name}: {rows}" for table, rows in zip(tables, row, strict=True)]


def dump_data(engine: Engine) -> list[str]:
    """The whole database with every office's data version zeroed: a restore moves the version past the
    live one (so running apps drop what they cached), the data itself is what is compared."""
    with engine.begin() as connection:
        connection.execute(sql("UPDATE instansi SET versi_data = 0"))
    return dump(engine)


@dataclass
class Stopwatch:
    """Durations of the cases of one module: the path call only, not the dumps around it."""

    durations: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def measure(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.durations[label] = time.perf_counter() - start


def _instansi(session: Any, db: Basis) -> Instansi:
    return session.get(Instansi, db.instansi_id)


def _unit_id(session: Any, kode: str) -> int:
    return session.exec(select(Unit.id).where(Unit.kode == kode)).one()


def _versi_2025(session: Any, db: Basis) -> Versi:
    return versi_berlaku(session, db.instansi_id, TAHUN, 12)


def _typed(before: pd.DataFrame, cells: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Return a copy of a grid with text typed into cells, as st.data_editor returns it."""
    after = before.copy()
    for kode, values in cells.items():
        rows = after["kode"] == kode
        assert rows.any(), f"the grid has no row {kode}"
        for column, text in values.items():
            after.loc[rows, column] = text
    return after


# --- indicator realisations ------------------------------------------------------------------


def realisasi_rows(db: Basis, kodes: set[str]) -> dict[tuple[str, int], tuple]:
    """Return what is stored for these indicators in 2025: (kode, bulan) -> (nilai, pembilang, penyebut, keterangan)."""
    with new_session(db.engine) as session:
        rows = session.exec(
            select(Indikator.kode, Realisasi.bulan, Realisasi.nilai, Realisasi.pembilang, Realisasi.penyebut,
                   Realisasi.keterangan)
            .join(Indikator, Indikator.id == Realisasi.indikator_id)
            .where(Indikator.tahun == TAHUN, Indikator.kode.in_(sorted(kodes)))
        ).all()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def take_realisasi(db: Basis, kodes: set[str]) -> dict[tuple[str, int], tuple]:
    """Return what a path stored for these indicators, then remove it so the next case starts clean."""
    stored = realisasi_rows(db, kodes)
    if stored:
        save_realisasi(db.engine, instansi_id=db.instansi_id, tahun=TAHUN,
                       entries=[EntriRealisasi(kode=k, bulan=b, hapus=True) for k, b in stored])
    return stored


def _save_realisasi(db: Basis, entries: list[EntriRealisasi], pengguna: Pengguna | None, yakin: bool) -> Result:
    try:
        save_realisasi(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, entries=entries, pengguna=pengguna,
                       yakin=yakin)
    except ValidationError as e:
        return refused(e.problems)
    return ok(take_realisasi(db, {e.kode for e in entries}))


def grid_realisasi_path(db: Basis, cells: dict[str, dict[str, str]], *, unit: str = UNIT, bulan: int = BULAN,
                        pengguna: Pengguna | None = None) -> Result:
    """The operator's grid (pages/isi_realisasi.py): type, Save, and confirm 'Ya, angka ini benar'."""
    with new_session(db.engine) as session:
        before = grid_realisasi(session, _instansi(session, db), TAHUN, _unit_id(session, unit), bulan)
    entries, problems = entries_from_grid(before, _typed(before, cells), bulan)
    if problems:
        return refused(problems)
    if not entries:
        return ok({})  # "Tidak ada perubahan untuk disimpan."
    return _save_realisasi(db, entries, pengguna, yakin=True)


def filled_template(db: Basis, cells: dict[tuple[str, str, int], object], *, unit: str = UNIT,
                    edit: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    """Download the Excel template of a unit, type into month cells (text stays text), save it."""
    with new_session(db.engine) as session:
        data = build_template(session, _instansi(session, db), TAHUN, [unit])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[unit]
    rows = {(sheet.cell(n, 1).value, sheet.cell(n, 3).value): n for n in range(1, sheet.max_row + 1)}
    for (kode, diisi, bulan), value in cells.items():
        cell = sheet.cell(rows[(kode, diisi)], FIRST_MONTH_COL - 1 + bulan)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # typed as text, even "=1+1"
    if edit is not None:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_path(db: Basis, data: bytes, *, pengguna: Pengguna | None = None) -> Result:
    """Upload a filled template on the Isi realisasi page and press Simpan (confirming soft limits)."""
    allowed = None if pengguna is None or pengguna.peran == "admin" else {pengguna.unit_id}
    with new_session(db.engine) as session:
        instansi = _instansi(session, db)
        try:
            entries = parse_template(data, session, instansi, TAHUN, allowed, name="t.xlsx")
        except ValidationError as e:
            return refused(e.problems)
        if not preview_changes(session, instansi, TAHUN, entries):
            return ok({})  # "Berkas ini tidak mengubah isian apa pun."
    return _save_realisasi(db, entries, pengguna, yakin=True)


def csv_bytes(header: list[str], *rows: list[object], delimiter: str = ",") -> bytes:
    """Write a CSV as a spreadsheet would (quoting what needs it), UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_realisasi_path(db: Basis, data: bytes) -> Result:
    """`kinerja import realisasi FILE.csv` without the CLI: parse, then save as the CLI does (no --yakin)."""
    try:
        entries = parse_realisasi_csv(data, "berkas.csv")
    except ValidationError as e:
        return refused(e.problems)
    return _save_realisasi(db, entries, None, yakin=False)


# --- budget realisations ---------------------------------------------------------------------


def anggaran_rows(db: Basis, kodes: set[str]) -> dict[tuple[str, int], tuple[int, str]]:
    """Return the budget realisations stored for these sub-kegiatan: (kode, bulan) -> (realisasi, keterangan)."""
    with new_session(db.engine) as session:
        rows = session.exec(
            select(Anggaran.kode, RealisasiAnggaran.bulan, RealisasiAnggaran.realisasi, RealisasiAnggaran.keterangan)
            .join(Anggaran, Anggaran.id == RealisasiAnggaran.anggaran_id)
            .where(Anggaran.tahun == TAHUN, Anggaran.kode.in_(sorted(kodes)))
        ).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def _save_anggaran(db: Basis, entries: list[EntriAnggaran], pengguna: Pengguna | None) -> Result:
    try:
        save_realisasi_anggaran(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, entries=entries,
                                pengguna=pengguna)
    except ValidationError as e:
        return refused(e.problems)
    return ok(take_anggaran(db, {e.kode for e in entries}))


def take_anggaran(db: Basis, kodes: set[str]) -> dict[tuple[str, int], tuple[int, str]]:
    """Return what a path stored for these sub-kegiatan, then remove it so the next case starts clean."""
    stored = anggaran_rows(db, kodes)
    if stored:
        save_realisasi_anggaran(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, entries=[
            EntriAnggaran(kode=k, bulan=b, realisasi=None, hapus=True) for k, b in stored])
    return stored


def grid_anggaran_path(db: Basis, cells: dict[str, dict[str, str]], *, unit: str = UNIT, bulan: int = BULAN,
                       pengguna: Pengguna | None = None) -> Result:
    """The operator's budget grid (pages/isi_anggaran.py): type whole Rupiah, Save."""
    with new_session(db.engine) as session:
        before = grid_anggaran(session, _instansi(session, db), TAHUN, _unit_id(session, unit), bulan)
    entries, problems = entries_anggaran_from_grid(before, _typed(before, cells), bulan)
    if problems:
        return refused(problems)
    if not entries:
        return ok({})
    return _save_anggaran(db, entries, pengguna)


def csv_anggaran_path(db: Basis, data: bytes) -> Result:
    """`kinerja import anggaran FILE.csv` without the CLI."""
    try:
        entries = parse_anggaran_csv(data, "berkas.csv")
    except ValidationError as e:
        return refused(e.problems)
    return _save_anggaran(db, entries, None)


# --- IKM and AKIP ----------------------------------------------------------------------------


def _last_survey(db: Basis) -> list[list[int | None]]:
    with new_session(db.engine) as session:
        survei = session.exec(select(SurveiIKM).order_by(SurveiIKM.id.desc())).first()
        rows = session.exec(select(JawabanIKM).where(JawabanIKM.survei_id == survei.id)
                            .order_by(JawabanIKM.responden)).all()
    return [[getattr(r, f"u{i}") for i in range(1, 10)] for r in rows]


def csv_ikm_path(db: Basis, data: bytes, bulan: int = 6) -> Result:
    """`kinerja import ikm FILE.csv` (or the IKM page's CSV upload) without the CLI: the answers stored."""
    try:
        answers = parse_ikm_csv(data, "berkas.csv")
        save_survei_ikm(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, bulan=bulan, answers=answers,
                        judul="berkas.csv")
    except ValidationError as e:
        return refused(e.problems)
    return ok(_last_survey(db))


def xlsx_ikm_path(db: Basis, data: bytes, bulan: int = 6) -> Result:
    """The IKM page's XLSX upload: the answers stored."""
    try:
        answers = parse_ikm_xlsx(data, "jawaban.xlsx")
        save_survei_ikm(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, bulan=bulan, answers=answers,
                        judul="jawaban.xlsx", pengguna=db.pengguna["admin"])
    except ValidationError as e:
        return refused(e.problems)
    return ok(_last_survey(db))


def ikm_counts_path(db: Basis, counts: list[list[object]], bulan: int = 6) -> Result:
    """The IKM page's count table: save, and return the IKM stored as the month's realisation."""
    try:
        save_survei_ikm(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, bulan=bulan, counts=counts,
                        judul="rekap", pengguna=db.pengguna["admin"])
    except ValidationError as e:
        return refused(e.problems)
    stored = realisasi_rows(db, {"IK-IKM"})
    return ok(stored[("IK-IKM", bulan)][0])


def akip_path(db: Basis, texts: dict[str, str], keterangan: str = "") -> Result:
    """The AKIP page: four components typed as text and read with the one parser, then saved."""
    komponen: dict[str, Decimal | None] = {}
    problems = []
    for key, label, _bobot in KOMPONEN:
        try:
            komponen[key] = parse_angka(texts.get(key, AKIP_SAH[key]))
        except AngkaError as e:
            problems.append(f"{label}: {e}")
    if problems:
        return refused(problems)
    try:
        save_akip(db.engine, instansi_id=db.instansi_id, tahun=TAHUN, komponen=komponen, keterangan=keterangan,
                  pengguna=db.pengguna["admin"])
    except ValidationError as e:
        return refused(e.problems)
    with new_session(db.engine) as session:
        row = session.exec(select(NilaiAKIP).where(NilaiAKIP.tahun == TAHUN)).one()
    return ok((row.perencanaan, row.pengukuran, row.pelaporan, row.evaluasi, row.keterangan))


# --- targets and pagu ------------------------------------------------------------------------


def _targets(db: Basis, kodes: set[str]) -> dict[str, UbahTarget]:
    with new_session(db.engine) as session:
        rows = session.exec(
            select(Indikator.kode, Target, Indikator.batas_wajar).join(Indikator, Indikator.id == Target.indikator_id)
            .where(Target.versi_id == _versi_2025(session, db).id, Indikator.kode.in_(sorted(kodes)))
        ).all()
    return {k: UbahTarget(kode=k, tahunan=t.tahunan, tw=(t.tw1, t.tw2, t.tw3, t.tw4), batas_wajar=b)
            for k, t, b in rows}


def target_path(db: Basis, cells: dict[str, dict[str, str]]) -> Result:
    """The admin's target grid (pages/target.py), as the admin: type, Save; return (tahunan, tw1..4, batas) stored."""
    with new_session(db.engine) as session:
        versi = _versi_2025(session, db)
        before = target_grid(list_baris(session, versi))
    changes, problems = changes_from_target_grid(before, _typed(before, cells))
    if problems:
        return refused(problems)
    if not changes:
        return ok({})
    kodes = {c.kode for c in changes}
    original = _targets(db, kodes)
    try:
        save_targets(db.engine, versi_id=versi.id, changes=changes, pengguna=db.pengguna["admin"])
    except ValidationError as e:
        return refused(e.problems)
    stored = {k: (t.tahunan, *t.tw, t.batas_wajar) for k, t in _targets(db, kodes).items()}
    save_targets(db.engine, versi_id=versi.id, changes=list(original.values()))
    return ok(stored)


def _pagu(db: Basis) -> dict[str, int]:
    with new_session(db.engine) as session:
        return {n.node.kode: n.pagu for n in list_anggaran(session, _versi_2025(session, db))}


def pagu_path(db: Basis, cells: dict[str, str]) -> Result:
    """The admin's pagu grid (pages/pagu.py): type whole Rupiah, Save; return the changed pagu stored."""
    with new_session(db.engine) as session:
        versi = _versi_2025(session, db)
        nodes = list_anggaran(session, versi)
    before = [{"kode": n.node.kode, "sub_kegiatan": n.node.nama, "unit": n.unit.nama, "pagu": str(n.pagu)}
              for n in nodes if n.node.tingkat == "sub_kegiatan"]
    after = [dict(row) for row in before]
    for kode, text in cells.items():
        row = next((r for r in after if r["kode"] == kode), None)
        if row is None:  # a row the grid does not have, as a forged request would send it
            after.append({"kode": kode, "sub_kegiatan": "", "unit": "", "pagu": text})
        else:
            row["pagu"] = text
    changed, problems = parse_rupiah_grid(before, after)
    if problems:
        return refused(problems)
    if not changed:
        return ok({})
    original = _pagu(db)
    try:
        save_pagu(db.engine, versi_id=versi.id, pagu=changed, pengguna=db.pengguna["admin"])
    except ValidationError as e:
        return refused(e.problems)
    stored = {k: v for k, v in _pagu(db).items() if k in changed}
    save_pagu(db.engine, versi_id=versi.id, pagu={k: original[k] for k in changed})
    return ok(stored)


# --- a year's PK: the data/ folder and the PK workbook ----------------------------------------


def set_csv_cells(path: Path, kodes: tuple[str, ...] | set[str], column: str, text: str) -> None:
    """Put a text into one column of the rows with these kode in a data/ CSV file (all its rows, same text)."""
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["kode"] in kodes:
            row[column] = text
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def data_folder(db: Basis, edit: Callable[[Path], None]) -> Path:
    """A data/ directory holding a copy of data/mangkutana-2025 made into a new year, then edited."""
    data_dir = db.next_dir()
    folder = data_dir / "mangkutana"
    shutil.copytree(SEED_2025, folder)
    pk = folder / "pk.yaml"
    pk.write_text(pk.read_text(encoding="utf-8").replace("\ntahun: 2025\n", f"\ntahun: {db.next_year()}\n"),
                  encoding="utf-8")
    edit(folder)
    return data_dir


def data_path(db: Basis, edit: Callable[[Path], None]) -> Result:
    """Load an edited data/ folder as `kinerja init` and the app's first start do: ok(the year loaded)."""
    data_dir = data_folder(db, edit)
    try:
        init_database(db.engine, data_dir)
    except SeedError as e:
        return refused(e.problems)
    return ok(_newest_year(db))


def data_cli(db: Basis, edit: Callable[[Path], None]) -> Result:
    """The same through `kinerja init` with KINERJA_DATA_DIR pointing at the edited folder."""
    data_dir = data_folder(db, edit)
    status, got = cli_path(db, ["init"], {}, env={"KINERJA_DATA_DIR": str(data_dir)})
    return ok(_newest_year(db)) if status == "ok" else (status, got)


def _newest_year(db: Basis) -> int:
    with new_session(db.engine) as session:
        return session.exec(select(Versi.tahun).order_by(Versi.id.desc())).first()


def _row(book: openpyxl.Workbook, sheet: str, kode: str) -> list[tuple]:
    header = [c.value for c in book[sheet][1]]
    column = header.index("kode")
    return [tuple(r) for r in book[sheet].iter_rows(min_row=2) if r[column].value == kode]


def set_sheet_cells(book: openpyxl.Workbook, sheet: str, kodes: tuple[str, ...] | set[str], column: str,
                    value: object) -> None:
    """Put a value into one column of the rows with these kode of a PK workbook sheet (text stays text)."""
    header = [c.value for c in book[sheet][1]]
    index = header.index(column)
    for kode in kodes:
        rows = _row(book, sheet, kode)
        assert rows, f"no row {kode} in sheet {sheet}"
        for row in rows:
            row[index].value = value
            if isinstance(value, str):
                row[index].data_type = "s"


def set_info(book: openpyxl.Workbook, key: str, value: object) -> None:
    """Put a value into a row of a PK workbook's info sheet (text stays text)."""
    for row in book["info"].iter_rows():
        if row[0].value == key:
            row[1].value = value
            if isinstance(value, str):
                row[1].data_type = "s"
            return
    raise AssertionError(f"no info row {key}")


def filled_pk(db: Basis, edit: Callable[[openpyxl.Workbook], None] | None = None) -> tuple[bytes, int]:
    """Export the 2025 PK workbook, make it a new year, edit it: (the bytes, the year it says)."""
    if db.pk_2025 is None:  # the 2025 version is always put back as it was, so one export serves every case
        with new_session(db.engine) as session:
            db.pk_2025 = export_pk_xlsx(session, _versi_2025(session, db))
    book = openpyxl.load_workbook(io.BytesIO(db.pk_2025))
    year = db.next_year()
    set_info(book, "tahun", year)
    set_info(book, "versi_tanggal", f"{year}-01-02")
    set_info(book, "versi_nama", "PK Awal")
    if edit is not None:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), year


def pk_path(db: Basis, data: bytes) -> Result:
    """Import a PK workbook (pages/revisi.py, `kinerja import pk`) as a draft year: ok(its version's tahun)."""
    try:
        import_pk_xlsx(db.engine, data, "pk.xlsx")
    except ValidationError as e:
        return refused(e.problems)
    return ok(_newest_year(db))


def target_of_year(db: Basis, year: int, kode: str = RASIO) -> Decimal | None:
    """The annual target of an indicator in the (only) version of a year."""
    with new_session(db.engine) as session:
        return session.exec(
            select(Target.tahunan).join(Indikator, Indikator.id == Target.indikator_id)
            .where(Indikator.tahun == year, Indikator.kode == kode)
        ).one()


def pagu_of_year(db: Basis, year: int, kode: str = RANTAI[-1]) -> int:
    """The pagu of a budget line in the (only) version of a year."""
    with new_session(db.engine) as session:
        return session.exec(
            select(Pagu.pagu).join(Anggaran, Anggaran.id == Pagu.anggaran_id)
            .where(Anggaran.tahun == year, Anggaran.kode == kode)
        ).one()


def indikator_of_year(db: Basis, year: int, kode: str = RASIO) -> Indikator:
    """An indicator as a year loaded it."""
    with new_session(db.engine) as session:
        return session.exec(select(Indikator).where(Indikator.tahun == year, Indikator.kode == kode)).one()


# --- the command line ------------------------------------------------------------------------


def cli_path(db: Basis, args: list[str], files: dict[str, bytes], env: dict[str, str] | None = None) -> Result:
    """Run `kinerja ...` on this database with files written under their names; ok(stdout) or refused(lines).

    An exception that escapes the command is re-raised: a crash is not a refusal. (The CLI turns most
    unexpected errors into one "Gagal: ..." line; the expected words of a case tell those apart.)
    """
    folder = db.next_dir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    args = [str(folder / a) if a in files else a for a in args]
    result = CliRunner().invoke(app, args, env={"KINERJA_DATABASE_URL": db.url, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code != 0:
        return refused([line for line in result.output.splitlines() if line.strip()])
    return ok(result.output)


# --- one number through each path: text in, ("ok", the number stored) or ("refused", messages) out ----


def _rasio(result: Result) -> Result:
    """The pembilang stored for the ratio in March (the same text went into pembilang and penyebut)."""
    status, stored = result
    if status != "ok":
        return result
    row = stored.get((RASIO, BULAN)) if stored else None
    if row is None:
        return ok(None)
    _nilai, pembilang, penyebut, _keterangan = row
    assert pembilang == penyebut, f"the same text stored as {pembilang} and {penyebut}"
    return ok(pembilang)


def _rasio_cli(db: Basis, result: Result) -> Result:
    return _rasio(ok(take_realisasi(db, {RASIO}))) if result[0] == "ok" else result


def _rasio_template(db: Basis, text: object) -> bytes:
    return filled_template(db, {(RASIO, "pembilang", BULAN): text, (RASIO, "penyebut", BULAN): text})


def _rasio_csv(text: str) -> bytes:
    return csv_bytes(REALISASI_HEADER, [RASIO, BULAN, "", text, text, ""])


def nilai_grid(db: Basis, text: str) -> Result:
    """The ratio's pembilang and penyebut typed in the operator's grid."""
    return _rasio(grid_realisasi_path(db, {RASIO: {"pembilang": text, "penyebut": text}}))


def nilai_template(db: Basis, text: object) -> Result:
    """The ratio's two month cells of the Excel template, uploaded on the page."""
    return _rasio(template_path(db, _rasio_template(db, text)))


def nilai_template_cli(db: Basis, text: object) -> Result:
    """The same template through `kinerja import realisasi t.xlsx`."""
    data = _rasio_template(db, text)
    return _rasio_cli(db, cli_path(db, ["import", "realisasi", "t.xlsx", "--tahun", "2025"], {"t.xlsx": data}))


def nilai_csv(db: Basis, text: str) -> Result:
    """The ratio's pembilang and penyebut in a realisasi CSV."""
    return _rasio(csv_realisasi_path(db, _rasio_csv(text)))


def nilai_csv_cli(db: Basis, text: str) -> Result:
    """The same CSV through `kinerja import realisasi r.csv`."""
    data = _rasio_csv(text)
    return _rasio_cli(db, cli_path(db, ["import", "realisasi", "r.csv", "--tahun", "2025"], {"r.csv": data}))


def target_grid_tw1(db: Basis, text: str) -> Result:
    """The ratio's target s.d. TW I in the admin's target grid."""
    status, stored = target_path(db, {RASIO: {"tw1": text}})
    if status != "ok":
        return status, stored
    return ok(stored[RASIO][1] if stored else None)


def target_data(db: Basis, text: str) -> Result:
    """The ratio's annual target in indikator.csv of a data/ folder (both agreements that list it)."""
    status, year = data_path(db, lambda folder: set_csv_cells(folder / "indikator.csv", {RASIO}, "target", text))
    return ok(target_of_year(db, year)) if status == "ok" else (status, year)


def target_data_cli(db: Basis, text: str) -> Result:
    """The same folder through `kinerja init`."""
    status, year = data_cli(db, lambda folder: set_csv_cells(folder / "indikator.csv", {RASIO}, "target", text))
    return ok(target_of_year(db, year)) if status == "ok" else (status, year)


def _target_pk(db: Basis, text: str) -> tuple[bytes, int]:
    return filled_pk(db, lambda book: set_sheet_cells(book, "indikator", {RASIO}, "target", text))


def target_pk(db: Basis, text: str) -> Result:
    """The ratio's annual target in the indikator sheet of a PK workbook."""
    data, year = _target_pk(db, text)
    status, got = pk_path(db, data)
    return ok(target_of_year(db, year)) if status == "ok" else (status, got)


def target_pk_cli(db: Basis, text: str) -> Result:
    """The same workbook through `kinerja import pk pk.xlsx`."""
    data, year = _target_pk(db, text)
    status, got = cli_path(db, ["import", "pk", "pk.xlsx"], {"pk.xlsx": data})
    return ok(target_of_year(db, year)) if status == "ok" else (status, got)


def _rupiah(result: Result) -> Result:
    status, stored = result
    if status != "ok":
        return result
    row = stored.get((SUB, BULAN)) if stored else None
    return ok(None if row is None else row[0])


def _rupiah_csv(text: str) -> bytes:
    return csv_bytes(ANGGARAN_HEADER, [SUB, BULAN, text, ""])


def rupiah_grid(db: Basis, text: str) -> Result:
    """A sub-kegiatan's Rupiah of March in the operator's budget grid."""
    return _rupiah(grid_anggaran_path(db, {SUB: {"realisasi": text}}))


def rupiah_csv(db: Basis, text: str) -> Result:
    """The same in a budget CSV."""
    return _rupiah(csv_anggaran_path(db, _rupiah_csv(text)))


def rupiah_csv_cli(db: Basis, text: str) -> Result:
    """The same CSV through `kinerja import anggaran a.csv`."""
    status, got = cli_path(db, ["import", "anggaran", "a.csv", "--tahun", "2025"], {"a.csv": _rupiah_csv(text)})
    return _rupiah(ok(take_anggaran(db, {SUB}))) if status == "ok" else (status, got)


def rupiah_pagu(db: Basis, text: str) -> Result:
    """A sub-kegiatan's pagu in the admin's pagu grid."""
    status, stored = pagu_path(db, {SUB: text})
    return ok(stored.get(SUB)) if status == "ok" else (status, stored)


def rupiah_data(db: Basis, text: str) -> Result:
    """One pagu in anggaran.csv of a data/ folder: the program, its kegiatan and sub-kegiatan."""
    status, year = data_path(db, lambda folder: set_csv_cells(folder / "anggaran.csv", set(RANTAI), "pagu", text))
    return ok(pagu_of_year(db, year)) if status == "ok" else (status, year)


def rupiah_pk(db: Basis, text: str) -> Result:
    """The same pagu in the anggaran sheet of a PK workbook."""
    data, year = filled_pk(db, lambda book: set_sheet_cells(book, "anggaran", RANTAI, "pagu", text))
    status, got = pk_path(db, data)
    return ok(pagu_of_year(db, year)) if status == "ok" else (status, got)


# --- what every case asserts ------------------------------------------------------------------


class Tolak(tuple):
    """The expected refusal: its messages hold these (Indonesian) words; a tuple of words means one of them."""

    def __new__(cls, *words: str | tuple[str, ...]) -> "Tolak":
        return super().__new__(cls, words)


@dataclass(frozen=True)
class Simpan:
    """The expected acceptance: exactly this is stored."""

    value: object


# Words of which any Indonesian refusal holds at least one.
INDONESIA = ("bukan", "tidak", "harus", "paling", "terlalu", "sudah", "hanya", "tulis", "boleh", "berisi", "lebih",
             "kosong", "diisi", "kolom", "baris", "lembar", "jalankan", "melebihi", "gagal")

# Fragments of Python's own (English) exception texts: a refusal that shows one leaked an exception.
BOCOR = ("Traceback", "invalid literal", "could not convert", "has no attribute", "unsupported operand",
         "object is not", "Error(", "Exception")


def _alternatives(word: str | tuple[str, ...]) -> tuple[str, ...]:
    return word if isinstance(word, tuple) else (word,)


def assert_refused(result: Result, words: tuple[str | tuple[str, ...], ...], before: list[str], db: Basis) -> None:
    """A refusal: Indonesian messages holding these words (a tuple: one of them), and the database as before."""
    status, messages = result
    assert status == "refused", f"accepted, stored {messages!r}"
    text = "\n".join(messages)
    assert messages and all(m.strip() for m in messages), "refused without a message"
    missing = [w for w in words if not any(a.casefold() in text.casefold() for a in _alternatives(w))]
    assert not missing, f"message lacks {missing}: {text[:600]}"
    leaked = [b for b in BOCOR if b in text]
    assert not leaked, f"message shows a Python exception ({leaked}): {text[:600]}"
    assert any(w in text.casefold() for w in INDONESIA), f"message is not Indonesian: {text[:600]}"
    assert dump(db.engine) == before, "refused, but the database changed"


def report_slowest(config: Any, title: str, stopwatch: Stopwatch, folder: Path) -> None:
    """Print the 5 slowest cases per database at the end of a module; keep every duration in a file."""
    groups: dict[str, dict[str, float]] = {}
    for label, seconds in stopwatch.durations.items():
        backend = label.split("-", 1)[0]
        groups.setdefault(backend if backend in ("sqlite", "postgresql") else "lain", {})[label] = seconds
    lines = [""]
    for backend, durations in groups.items():
        lines.append(f"{title} [{backend}]: {len(durations)} cases, {sum(durations.values()):.2f} s inside the paths;"
                     " slowest:")
        slowest = sorted(durations.items(), key=lambda item: -item[1])[:5]
        lines += [f"  {seconds * 1000:10.3f} ms  {label}" for label, seconds in slowest]
    (folder / f"durasi-{title}.txt").write_text(
        "\n".join(f"{s:.6f}\t{label}" for label, s in sorted(stopwatch.durations.items(), key=lambda i: -i[1])),
        encoding="utf-8")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        for line in lines:
            reporter.write_line(line)


def clean(db: Basis) -> None:
    """Remove every 2025 realisation an accepted case may have left (the IKM and AKIP scores stay)."""
    with new_session(db.engine) as session:
        kodes = set(session.exec(select(Indikator.kode).where(Indikator.tahun == TAHUN,
                                                              Indikator.nilai_khusus.is_(None))))
        subs = set(session.exec(select(Anggaran.kode).where(Anggaran.tahun == TAHUN,
                                                            Anggaran.tingkat == "sub_kegiatan")))
    take_realisasi(db, kodes)
    take_anggaran(db, subs)
