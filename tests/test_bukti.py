"""Evidence files: type by content, size limit, generated names, history kept, access by unit, the zip."""

import csv
import io
import zipfile

import docx
import openpyxl
import pytest
from sqlmodel import select

from kinerja.errors import ValidationError
from kinerja.simpan.bukti import baca_bukti, export_bukti_zip, list_bukti, simpan_bukti
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.models import Bukti, Pengguna, Unit

TAHUN = 2025
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03" + b"\x00" * 200  # a Windows program


def xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.fixture
def orang(seeded, instansi_id) -> dict[str, Pengguna]:
    with write_session(seeded) as session:
        units = {u.kode: u.id for u in session.exec(select(Unit).where(Unit.instansi_id == instansi_id))}
        people = {
            "perencanaan": Pengguna(username="op.perencanaan", peran="operator", unit_id=units["PERENCANAAN"]),
            "pemum": Pengguna(username="op.pemum", peran="operator", unit_id=units["PEMUM"]),
            "camat": Pengguna(username="camat", peran="pimpinan", unit_id=units["CAMAT"]),
        }
        for p in people.values():
            p.instansi_id, p.nama, p.password_hash = instansi_id, p.username, "-"
            session.add(p)
        session.flush()
        out = {k: Pengguna(**p.model_dump()) for k, p in people.items()}
    out["units"] = units  # type: ignore[assignment]
    return out


@pytest.fixture
def folder(tmp_path):
    """The evidence folder (the SQLite test database lives beside it, in tmp_path)."""
    return tmp_path / "bukti"


def upload(engine, folder, orang, data: bytes, nama: str, who: str = "perencanaan", **kw) -> Bukti:
    return simpan_bukti(engine, folder=folder, instansi_id=orang[who].instansi_id, tahun=TAHUN,
                        unit_id=orang["units"]["PERENCANAAN"], bulan=3, data=data, nama_asli=nama,
                        pengguna=orang[who], **kw)


@pytest.mark.parametrize(("data", "nama", "jenis"), [
    (PDF, "renja.pdf", "application/pdf"),
    (PNG, "foto kegiatan.png", "image/png"),
    (xlsx(), "rekap.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (docx_bytes(), "notulen.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (PDF, "tanpa-ekstensi", "application/pdf"),  # the content decides, not the name
])
def test_accepted_files_are_stored_under_a_generated_name(seeded, orang, folder, data, nama, jenis):
    row = upload(seeded, folder, orang, data, nama, kode="IK-6.1.1")
    assert (row.jenis, row.nama_asli, row.ukuran) == (jenis, nama, len(data))
    assert nama not in row.nama_berkas and (folder / row.nama_berkas).read_bytes() == data
    assert [p.name for p in folder.iterdir()] == [row.nama_berkas]  # no temporary file left behind


@pytest.mark.parametrize(("data", "nama", "pesan"), [
    (EXE, "laporan.pdf", "isi berkas berjenis exe"),  # a renamed program
    (b"#!/bin/sh\nrm -rf /\n", "data.xlsx", "jenisnya tidak dikenali"),
    (b"", "kosong.pdf", "berkas kosong"),
    (PDF + b"\x00" * (1024 * 1024), "besar.pdf", "melebihi batas 1 MB"),
])
def test_refused_files_leave_nothing(seeded, orang, folder, data, nama, pesan):
    with pytest.raises(ValidationError, match=pesan):
        upload(seeded, folder, orang, data, nama, maks_mb=1)
    assert not folder.exists() or list(folder.iterdir()) == []
    with new_session(seeded) as session:
        assert session.exec(select(Bukti)).all() == []


def test_another_units_operator_can_neither_upload_list_nor_fetch(seeded, orang, folder):
    with pytest.raises(ValidationError, match="unitnya sendiri"):
        upload(seeded, folder, orang, PDF, "x.pdf", who="pemum")
    row = upload(seeded, folder, orang, PDF, "renja.pdf")
    with new_session(seeded) as session:
        seen = {who: list_bukti(session, instansi_id=row.instansi_id, tahun=TAHUN, pengguna=orang[who])
                for who in ("perencanaan", "pemum", "camat")}
    assert [b.id for b in seen["perencanaan"]] == [row.id] and [b.id for b in seen["camat"]] == [row.id]
    assert seen["pemum"] == []
    with pytest.raises(ValidationError, match="unitnya sendiri"):
        baca_bukti(seeded, folder=folder, bukti_id=row.id, pengguna=orang["pemum"])
    assert baca_bukti(seeded, folder=folder, bukti_id=row.id, pengguna=orang["camat"])[1] == PDF


def test_a_replaced_file_stays_in_the_history(seeded, orang, folder):
    first = upload(seeded, folder, orang, PDF, "v1.pdf")
    second = upload(seeded, folder, orang, PDF + b"%v2\n", "v2.pdf", ganti_id=first.id)
    with new_session(seeded) as session:
        current = list_bukti(session, instansi_id=first.instansi_id, tahun=TAHUN, pengguna=None)
        history = list_bukti(session, instansi_id=first.instansi_id, tahun=TAHUN, pengguna=None, riwayat=True)
    assert [b.nama_asli for b in current] == ["v2.pdf"]
    assert [b.nama_asli for b in history] == ["v1.pdf", "v2.pdf"]
    assert (folder / first.nama_berkas).read_bytes() == PDF  # the old file is never overwritten
    with pytest.raises(ValidationError, match="sudah diganti"):
        upload(seeded, folder, orang, PDF, "v3.pdf", ganti_id=first.id)
    assert second.id != first.id


def test_the_zip_holds_exactly_the_current_files_with_an_index(seeded, orang, folder):
    a = upload(seeded, folder, orang, PDF, "renja.pdf", kode="IK-6.1.1")
    b = upload(seeded, folder, orang, PNG, "=HYPERLINK(1).png")
    old = upload(seeded, folder, orang, PDF, "lama.pdf")
    upload(seeded, folder, orang, PDF + b"%baru\n", "baru.pdf", ganti_id=old.id)
    data = export_bukti_zip(seeded, folder=folder, instansi_id=a.instansi_id, tahun=TAHUN)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(z.namelist())
        index = list(csv.DictReader(io.StringIO(z.read("indeks.csv").decode("utf-8-sig"))))
        files = {n: z.read(n) for n in names if n != "indeks.csv"}
    assert len(files) == 3 and sorted(r["berkas"] for r in index) == sorted(files)
    assert f"PERENCANAAN/03-Maret/IK-6.1.1/{a.id:05d}.pdf" in files
    assert files[f"PERENCANAAN/03-Maret/umum/{b.id:05d}.png"] == PNG
    assert {r["nama_asli"] for r in index} == {"renja.pdf", "'=HYPERLINK(1).png", "baru.pdf"}
