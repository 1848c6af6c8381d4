"""Uploads are bounded: a file beyond its kind's limits is refused at once, naming the limit, and writes nothing.

"At once" means before the workbook is parsed: a file just over a limit is refused by its size,
its zip directory or by reading one row past the cap, so these tests stay small. The measured
cost of the million-row files the limits were made for is in the report of this change.
"""

import io
import os
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import select
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner, Result

import kinerja.dokumen.unggah
from kinerja.cli import app
from kinerja.dokumen.impor import parse_ikm, parse_ikm_csv, parse_ikm_xlsx, parse_realisasi_csv
from kinerja.dokumen.pk_xlsx import export_pk_xlsx, import_pk_xlsx
from kinerja.dokumen.templat_baca import parse_template
from kinerja.dokumen.templat_buat import EXTRA_ROWS, build_template
from kinerja.dokumen.unggah import IKM_XLSX, MAKS_UNGGAH_MB, MB, PK_XLSX, TEMPLAT
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi, JawabanIKM, Jejak, Realisasi, SurveiIKM, Versi
from kinerja.simpan.queries import get_instansi, versi_berlaku

ROOT = Path(__file__).resolve().parent.parent
UNIT = "PERENCANAAN"
LAST_ROW = 16  # the PERENCANAAN sheet: header on row 6, then 10 indicator rows
IKM_HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9\n"
IKM_ROW = "4,3,4,3,4,3,4,3,4\n"


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def office(seeded: Engine) -> Instansi:
    with new_session(seeded) as session:
        return get_instansi(session)


@pytest.fixture
def template(seeded: Engine, office: Instansi) -> bytes:
    with new_session(seeded) as session:
        return build_template(session, office, 2025, [UNIT])


def with_part(data: bytes, name: str, content: bytes, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Return the XLSX with one more part (a picture, say): Excel ignores it, the size counts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(zipfile.ZipInfo(name), content, compress_type=compress)
    return out.getvalue()


def bigger_than(data: bytes, limit: int) -> bytes:
    """Return the XLSX padded with random bytes (they do not compress) to just over `limit` bytes."""
    return with_part(data, "xl/media/foto.bin", os.urandom(limit - len(data) + 1), zipfile.ZIP_STORED)


def bomb(data: bytes, limit: int) -> bytes:
    """Return the XLSX with a part of zeros that decompresses to just over `limit`: a few kilobytes on disk."""
    return with_part(data, "xl/media/nol.bin", bytes(limit + 1))


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ikm_workbook(respondents: int, *, last_row: int | None = None) -> bytes:
    """An IKM workbook: header, then respondents; optionally one more answer far below on `last_row`."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append([f"u{i}" for i in range(1, 10)])
    for _ in range(respondents):
        ws.append([4, 3, 4, 3, 4, 3, 4, 3, 4])
    if last_row:
        ws.cell(last_row, 1).value = 4
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if openpyxl is asked to open the workbook: the refusal must come first."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was parsed before it was refused")
    monkeypatch.setattr(kinerja.dokumen.unggah.openpyxl, "load_workbook", refuse)


def counts(engine: Engine) -> dict[str, int]:
    with new_session(engine) as session:
        return {m.__name__: session.exec(select(func.count()).select_from(m)).one()
                for m in (Realisasi, SurveiIKM, JawabanIKM, Versi, Jejak)}


def run_cli(engine: Engine, *args: str) -> Result:
    env = {"KINERJA_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    return CliRunner().invoke(app, list(args), env=env)


def parse(engine: Engine, office: Instansi, data: bytes) -> object:
    with new_session(engine) as session:
        return parse_template(data, session, office, 2025, None, name="isian.xlsx")


def refusal(call: Callable[[], object]) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.problems


# --- the server accepts what the limits allow ---------------------------------------------------


def test_the_server_accepts_every_upload_the_limits_allow() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] >= MAKS_UNGGAH_MB == 10


# --- the entry template --------------------------------------------------------------------------


def test_a_template_over_2_mb_is_refused_before_it_is_parsed(seeded, office, template, not_parsed, tmp_path):
    data = bigger_than(template, TEMPLAT.maks_byte)
    assert refusal(lambda: parse(seeded, office, data)) == [
        "isian.xlsx: berkas 2,1 MB, melebihi batas 2 MB untuk berkas templat realisasi"]
    path = tmp_path / "isian.xlsx"
    path.write_bytes(data)
    before = counts(seeded)
    result = run_cli(seeded, "import", "realisasi", str(path), "--tahun", "2025")
    assert result.exit_code == 1 and "melebihi batas 2 MB" in result.output
    assert counts(seeded) == before


@pytest.mark.parametrize(("row", "message"), [
    # the last row still looked at: named as a stray row, as before
    (LAST_ROW + EXTRA_ROWS, f"Lembar PERENCANAAN baris {LAST_ROW + EXTRA_ROWS}: baris tambahan di luar templat"),
    # one further, and far below (which used to be ignored without a word): the sheet is refused
    (LAST_ROW + EXTRA_ROWS + 1, f"Lembar PERENCANAAN: lebih dari {LAST_ROW + EXTRA_ROWS} baris (templat ini 10 "
                                "baris indikator); hapus baris di bawah tabel atau unduh templat baru"),
    (1_000_000, f"Lembar PERENCANAAN: lebih dari {LAST_ROW + EXTRA_ROWS} baris"),
])
def test_a_template_with_rows_far_below_its_own_is_refused(seeded, office, template, row, message):
    data = edit(template, lambda wb: wb[UNIT].cell(row, 5, 1))
    problems = refusal(lambda: parse(seeded, office, data))
    assert problems[0].startswith(message), problems
    assert counts(seeded)["Realisasi"] == 0


# --- zip bombs -----------------------------------------------------------------------------------


def _pk(engine: Engine) -> bytes:
    with new_session(engine) as session:
        return export_pk_xlsx(session, versi_berlaku(session, get_instansi(session).id, 2025))


@pytest.mark.parametrize("kind", ["templat", "ikm", "pk"])
def test_a_small_file_that_unpacks_to_too_much_is_refused_before_it_is_parsed(seeded, office, template, kind):
    batas, read = {
        "templat": (TEMPLAT, lambda data: parse(seeded, office, data)),
        "ikm": (IKM_XLSX, lambda data: parse_ikm_xlsx(data, "isian.xlsx")),
        "pk": (PK_XLSX, lambda data: import_pk_xlsx(seeded, data, "isian.xlsx")),
    }[kind]
    source = {"templat": template, "ikm": ikm_workbook(3), "pk": _pk(seeded)}[kind]
    data = bomb(source, batas.maks_isi)
    assert len(data) < batas.maks_byte / 20  # small on disk
    before = counts(seeded)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kinerja.dokumen.unggah.openpyxl, "load_workbook",
                   lambda *a, **k: pytest.fail("parsed before refused"))
        (problem,) = refusal(lambda: read(data))
    assert problem.startswith("isian.xlsx: isi berkas Excel setelah dibuka ")
    assert f"bagian), melebihi batas {batas.maks_isi // MB} MB untuk berkas {batas.jenis}" in problem
    assert counts(seeded) == before


# --- IKM -----------------------------------------------------------------------------------------


def test_an_ikm_csv_holds_at_most_100_000_respondents(seeded, tmp_path):
    assert len(parse_ikm_csv((IKM_HEADER + IKM_ROW * 100_000).encode(), "ikm.csv")) == 100_000
    over = (IKM_HEADER + IKM_ROW * 100_001).encode()
    assert refusal(lambda: parse_ikm_csv(over, "ikm.csv")) == [
        "ikm.csv: 100.001 baris data, melebihi batas 100.000 baris untuk berkas jawaban IKM"]
    path = tmp_path / "ikm.csv"
    path.write_bytes(over)
    before = counts(seeded)
    result = run_cli(seeded, "import", "ikm", str(path), "--tahun", "2025", "--bulan", "6")
    assert result.exit_code != 0 and "melebihi batas 100.000 baris" in result.output
    assert counts(seeded) == before


def test_an_ikm_workbook_holds_at_most_100_000_respondents():
    assert len(parse_ikm_xlsx(ikm_workbook(3), "ikm.xlsx")) == 3
    # one answer on row 100.002 (the header and 100.000 respondents fit above it): refused, not ignored
    data = ikm_workbook(3, last_row=100_002)
    assert refusal(lambda: parse_ikm_xlsx(data, "ikm.xlsx")) == [
        "ikm.xlsx lembar Sheet: lebih dari 100.001 baris (judul kolom dan paling banyak 100.000 responden)"]


def test_an_ikm_workbook_over_10_mb_is_refused_before_it_is_parsed(not_parsed):
    data = bigger_than(ikm_workbook(3), IKM_XLSX.maks_byte)
    assert refusal(lambda: parse_ikm(data, "ikm.xlsx")) == [
        "ikm.xlsx: berkas 10,1 MB, melebihi batas 10 MB untuk berkas jawaban IKM"]


# --- CSV imports -----------------------------------------------------------------------------------


def test_a_csv_cell_over_128_kb_is_a_named_problem_not_a_crash():
    data = f"kode,bulan,nilai,pembilang,penyebut,keterangan\nIK-6.1.1,1,1,,,\"{'x' * 200_000}\"\n".encode()
    assert refusal(lambda: parse_realisasi_csv(data, "realisasi.csv")) == [
        "realisasi.csv baris 2: satu sel lebih dari 128 KB"]


def test_a_realisasi_csv_over_its_size_or_lines_is_refused():
    line = "IK-6.1.1,1,1,,,\n"
    header = "kode,bulan,nilai,pembilang,penyebut,keterangan\n"
    assert refusal(lambda: parse_realisasi_csv((header + line * 20_001).encode(), "r.csv")) == [
        "r.csv: 20.001 baris data, melebihi batas 20.000 baris untuk berkas realisasi"]
    big = (header + "IK-6.1.1,1,1,,," + "x" * (5 * MB) + "\n").encode()
    assert refusal(lambda: parse_realisasi_csv(big, "r.csv")) == [
        "r.csv: berkas 5,1 MB, melebihi batas 5 MB untuk berkas realisasi"]


def test_the_command_line_refuses_a_file_over_10_mb_without_reading_it(seeded, tmp_path):
    path = tmp_path / "besar.csv"
    with path.open("wb") as f:
        f.truncate(MAKS_UNGGAH_MB * MB + 1)  # sparse: nothing to read, only its size
    before = counts(seeded)
    result = run_cli(seeded, "import", "realisasi", str(path))
    assert result.exit_code != 0
    assert f"{path}: berkas 10,1 MB, melebihi batas 10 MB" in result.output
    assert counts(seeded) == before


# --- the PK workbook -------------------------------------------------------------------------------


def _next_year(book: openpyxl.Workbook) -> None:
    info = {row[0].value: row[1] for row in book["info"].iter_rows()}
    info["tahun"].value = 2026


def test_a_pk_sheet_holds_at_most_10_000_rows(seeded):
    def far_below(book: openpyxl.Workbook) -> None:
        _next_year(book)
        book["penjelasan"].cell(PK_XLSX.maks_baris + 1, 1, "PERENCANAAN")
    data = edit(_pk(seeded), far_below)
    before = counts(seeded)
    assert refusal(lambda: import_pk_xlsx(seeded, data, "pk.xlsx")) == [
        "pk.xlsx: lembar penjelasan: lebih dari 10.000 baris"]
    assert counts(seeded) == before


def test_a_pk_workbook_over_10_mb_is_refused_before_it_is_parsed(seeded, not_parsed):
    data = bigger_than(_pk(seeded), PK_XLSX.maks_byte)
    assert refusal(lambda: import_pk_xlsx(seeded, data, "pk.xlsx")) == [
        "pk.xlsx: berkas 10,1 MB, melebihi batas 10 MB untuk berkas perjanjian kinerja"]


# --- the page parses an upload once ------------------------------------------------------------------


def _page() -> None:
    """A page that reads an 'upload' through the helper and counts how often it is parsed."""
    import streamlit as st

    from kinerja.errors import ValidationError
    from pages._unggah import baca_unggahan

    class Berkas:
        file_id = st.session_state.get("file_id", "unggahan-1")
        name = "ikm.csv"

        def getvalue(self) -> bytes:
            return st.session_state.get("isi", b"baik")

    parsed = st.session_state.setdefault("parsed", [])

    def baca(data: bytes, name: str) -> str:
        parsed.append(name)
        if data == b"buruk":
            raise ValidationError([f"{name}: ditolak"])
        return data.decode()

    try:
        st.write(f"hasil: {baca_unggahan(Berkas(), baca, kunci='uji')}")
    except ValidationError as e:
        st.error(e.problems[0])


def test_an_upload_is_parsed_once_however_often_the_page_reruns():
    at = AppTest.from_function(_page).run()
    at.run()
    at.run()
    assert at.markdown[0].value == "hasil: baik"
    assert at.session_state["parsed"] == ["ikm.csv"]

    at.session_state["file_id"], at.session_state["isi"] = "unggahan-2", b"buruk"  # a new upload, refused
    at.run()
    at.run()
    assert at.error[0].value == "ikm.csv: ditolak"  # the refusal is shown on every rerun ...
    assert at.session_state["parsed"] == ["ikm.csv", "ikm.csv"]  # ... but the file was read once
