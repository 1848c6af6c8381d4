"""The evidence pack: one folder per criterion, an index that lists exactly its files, every file opening."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.dokumen.paket import INDEKS, KRITERIA, build_paket_sakip
from kinerja.simpan.bukti import simpan_bukti
from kinerja.simpan.db import new_session
from kinerja.simpan.jadwal import simpan_hari_batas
from kinerja.simpan.models import Unit
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.verifikasi import ubah_status

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
D = Decimal


@pytest.fixture
def isi(seeded: Engine, instansi_id: int, tmp_path: Path) -> Path:
    """A year with figures for February, one evidence file, February submitted and verified, a deadline day."""
    with new_session(seeded) as session:
        units = {u.kode: u.id for u in session.exec(select(Unit).where(Unit.instansi_id == instansi_id))}
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriRealisasi(kode="IK-6.1.4", bulan=2, nilai=D(3)),
        EntriRealisasi(kode="IK-6.1", bulan=2, pembilang=D(2), penyebut=D(3)),
    ])
    folder = tmp_path / "bukti"
    simpan_bukti(seeded, folder=folder, instansi_id=instansi_id, tahun=2025, unit_id=units["PERENCANAAN"], bulan=2,
                 data=PDF, nama_asli="laporan evaluasi.pdf", kode="IK-6.1.4")
    ubah_status(seeded, unit_id=units["PERENCANAAN"], tahun=2025, bulan=2, aksi="ajukan")
    ubah_status(seeded, unit_id=units["PERENCANAAN"], tahun=2025, bulan=2, aksi="verifikasi")
    simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10)
    return folder


def opens(name: str, data: bytes) -> bool:
    """Open a file the way its reader would: Word, Excel, CSV or PDF."""
    if name.endswith(".docx"):
        return len(Document(io.BytesIO(data)).paragraphs) > 0
    if name.endswith(".xlsx"):
        return len(openpyxl.load_workbook(io.BytesIO(data)).sheetnames) > 0
    if name.endswith(".csv"):
        return len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) > 0
    if name.endswith(".pdf"):
        return data.startswith(b"%PDF")
    return name.endswith(".txt") and bool(data.decode("utf-8").strip())


def test_the_pack_holds_exactly_the_files_its_index_lists_each_opening(seeded: Engine, instansi_id: int,
                                                                       isi: Path) -> None:
    data = build_paket_sakip(seeded, instansi_id=instansi_id, tahun=2025, folder_bukti=isi, dicetak=date(2026, 1, 5))
    z = zipfile.ZipFile(io.BytesIO(data))
    index = list(csv.DictReader(io.StringIO(z.read("indeks.csv").decode("utf-8-sig"))))
    listed = {row["berkas"] for row in index}
    assert set(z.namelist()) - set(INDEKS) == listed and len(listed) == len(index)
    sheet = openpyxl.load_workbook(io.BytesIO(z.read("indeks.xlsx")))["Indeks"]
    assert {r[0] for r in sheet.iter_rows(min_row=4, values_only=True)} == listed
    for row in index:
        content = z.read(row["berkas"])
        assert content and int(row["ukuran_byte"]) == len(content), row["berkas"]
        assert opens(row["berkas"], content), row["berkas"]
        assert row["folder"] == row["berkas"].split("/")[0]
    folders = {row["folder"] for row in index}
    assert folders == {k.folder for k in KRITERIA}  # every criterion answered by at least one file
    names = {name.split("/", 1)[1] for name in listed}
    assert {"manual-iku-mangkutana-2025.docx", "sop-pengumpulan-data-kinerja-2025.docx", "realisasi-bulanan-2025.xlsx",
            "rencana-aksi-2025.xlsx", "evaluasi-renja-tw1-2025.xlsx", "jejak-audit-2025.csv",
            "catatan-verifikasi-2025.csv", "draf-lkjip-mangkutana-2025.docx"} <= names
    # the uploaded evidence keeps its place under its unit, month and indicator
    assert "07-bukti-dukung/PERENCANAAN/02-Februari/IK-6.1.4/00001.pdf" in listed
    assert z.read("07-bukti-dukung/PERENCANAAN/02-Februari/IK-6.1.4/00001.pdf") == PDF
    readme = z.read("README.txt").decode()
    assert all(k.folder in readme and k.nama in readme for k in KRITERIA)


def test_the_sop_says_who_enters_by_when_who_verifies_and_how_to_correct(seeded: Engine, instansi_id: int,
                                                                         isi: Path) -> None:
    data = build_paket_sakip(seeded, instansi_id=instansi_id, tahun=2025, folder_bukti=isi, dicetak=date(2026, 1, 5))
    z = zipfile.ZipFile(io.BytesIO(data))
    doc = Document(io.BytesIO(z.read("02-sop-pengumpulan-data/sop-pengumpulan-data-kinerja-2025.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "paling lambat tanggal 10 bulan berikutnya" in text  # the office's deadline day
    assert "membuka kembali bulan itu dengan alasan tertulis" in text
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows}
    # by default the sekretariat verifies a seksi and the pimpinan unit approves
    assert rows["Sub Bagian Perencanaan dan Kepegawaian"][2:] == ["Sekretariat Kecamatan", "Camat"]
    deadlines = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert deadlines[3] == ["Maret", "10 April 2025", "–", "10 April 2025"]
    verifikasi = list(csv.reader(io.StringIO(z.read("06-berbasis-ti-berjenjang/catatan-verifikasi-2025.csv")
                                             .decode("utf-8-sig"))))
    assert [(r[3], r[4]) for r in verifikasi[1:]] == [("draf", "diajukan"), ("diajukan", "diverifikasi")]
    bulanan = openpyxl.load_workbook(io.BytesIO(z.read("03-pengukuran-berkala/realisasi-bulanan-2025.xlsx")))
    rows = {r[0]: r for r in bulanan["PERENCANAAN"].iter_rows(min_row=4, values_only=True)}
    assert rows["IK-6.1.4"][3 + 1] == 3 and rows["IK-6.1"][3 + 1] == "2 / 3"  # February: the 5th column
    status = next(r for r in bulanan["PERENCANAAN"].iter_rows(min_row=4, values_only=True) if r[1] == "Status isian")
    assert status[3 + 1] == "Diverifikasi" and status[3] == "Draf"


def test_the_cli_writes_the_pack_and_counts_its_files(seeded: Engine, instansi_id: int, isi: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.setenv("KINERJA_BUKTI_DIR", str(isi))
    out = tmp_path / "paket.zip"
    result = CliRunner().invoke(app, ["export", "paket-sakip", "--tahun", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert f"{len(names) - len(INDEKS)} berkas dalam {len(KRITERIA)} folder kriteria" in result.output


def test_every_triwulan_with_data_has_its_reports_and_evaluasi_renja_each_indexed(seeded: Engine, instansi_id: int,
                                                                                  tmp_path: Path) -> None:
    # February (TW I) and August (TW III): triwulan I..III have data, IV has none yet
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriRealisasi(kode="IK-6.1.4", bulan=2, nilai=D(3)), EntriRealisasi(kode="IK-6.1.4", bulan=8, nilai=D(2))])
    data = build_paket_sakip(seeded, instansi_id=instansi_id, tahun=2025, folder_bukti=tmp_path,
                             dicetak=date(2026, 1, 5))
    z = zipfile.ZipFile(io.BytesIO(data))
    index = {row["berkas"]: row for row in csv.DictReader(io.StringIO(z.read("indeks.csv").decode("utf-8-sig")))}
    with new_session(seeded) as session:
        units = [u.kode for u in session.exec(select(Unit).where(Unit.instansi_id == instansi_id)
                                              .order_by(Unit.urutan))]
    assert len(units) == 8  # the seed's eight agreements, each with its own report
    for tw, romawi in ((1, "I"), (2, "II"), (3, "III")):
        laporan = [f"03-pengukuran-berkala/laporan-triwulan-{tw}-{k}-2025.docx" for k in ("instansi", *units)]
        renja = [f"05-evaluasi-renja/evaluasi-renja-tw{tw}-2025.{ext}" for ext in ("xlsx", "docx")]
        for name in laporan + renja:
            assert name in index, name
            assert f"Triwulan {romawi}" in index[name]["keterangan"], index[name]
        assert {index[n]["kriteria"] for n in laporan} == {"Pengukuran berkala"}
        assert {index[n]["kriteria"] for n in renja} == {"Evaluasi Renja"}
        # each report is that triwulan's: its title names it
        doc = Document(io.BytesIO(z.read(laporan[units.index("PERENCANAAN") + 1])))
        assert f"LAPORAN KINERJA TRIWULAN {romawi} TAHUN 2025" in doc.paragraphs[0].text
    assert not [n for n in index if "triwulan-4-" in n or "tw4" in n]  # no report of a triwulan without data
    # 3 triwulan x (the office + 8 units) reports, and 3 x 2 Evaluasi Renja files
    assert sum(n.startswith("03-pengukuran-berkala/laporan-triwulan-") for n in index) == 27
    assert sum(n.startswith("05-evaluasi-renja/") for n in index) == 6
