"""The Manual IKU: one entry per indicator with its definition, formula, attributes, reporter, deadline, and the
sentence that says how its capaian is computed (one per agregasi / jenis / sumber / polaritas)."""

import io
from datetime import date

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.dokumen.manual_iku import (
    build_manual_iku,
    build_manual_iku_docx,
    build_manual_iku_xlsx,
    cara_menghitung,
)
from kinerja.simpan.db import new_session
from kinerja.simpan.jadwal import simpan_batas_bulan, simpan_hari_batas
from kinerja.simpan.models import Indikator
from kinerja.simpan.queries import get_instansi

KUMULATIF = "target tahunan × triwulan / 4"
TETAP = "(bila tidak diisi: target tahunan)."


@pytest.mark.parametrize(("args", "realisasi", "target"), [
    (("jumlah", "tunggal", "input", "positif"), "jumlah nilai bulanan s.d. akhir triwulan", KUMULATIF),
    (("rata_rata", "tunggal", "input", "positif"), "rata-rata nilai bulan yang terisi", TETAP),
    (("terakhir", "tunggal", "input", "positif"), "nilai bulan terakhir yang terisi", TETAP),
    (("jumlah", "rasio", "input", "positif"), "jumlah pembilang dibagi jumlah penyebut", TETAP),
    (("terakhir", "rasio", "input", "positif"), "dari bulan terakhir yang berisi keduanya", TETAP),
    (("terakhir", "tunggal", "turunan", "positif"), "rata-rata capaian indikator satu tingkat di bawahnya", TETAP),
    (("terakhir", "tunggal", "anggaran", "positif"), "penyerapan anggaran", KUMULATIF),
])
def test_the_capaian_sentence_follows_the_roll_up_and_the_default_rencana_aksi(
        args: tuple[str, str, str, str], realisasi: str, target: str) -> None:
    sentence = cara_menghitung(*args)
    assert realisasi in sentence and target in sentence
    assert "capaian = realisasi / target × 100 %" in sentence


def test_a_negative_indicator_gets_the_negative_formula() -> None:
    sentence = cara_menghitung("jumlah", "tunggal", "input", "negatif")
    assert "capaian = (2 × target − realisasi) / target × 100 %, paling rendah 0" in sentence


def test_ikm_and_akip_say_where_their_value_comes_from() -> None:
    assert "survei kepuasan masyarakat" in cara_menghitung("terakhir", "tunggal", "input", "positif", "ikm")
    assert "LHE Inspektorat" in cara_menghitung("terakhir", "tunggal", "input", "positif", "akip")


@pytest.fixture
def manual(seeded: Engine, instansi_id: int):
    simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10, oleh="tes")
    simpan_batas_bulan(seeded, instansi_id=instansi_id, tahun=2025, bulan=12, batas=date(2026, 1, 15), oleh="tes")
    with new_session(seeded) as session:
        office = get_instansi(session)
        return (build_manual_iku(session, office, 2025), build_manual_iku_xlsx(session, office, 2025),
                build_manual_iku_docx(session, office, 2025))


def test_one_row_per_indicator_with_its_attributes(manual, seeded: Engine) -> None:
    rows, _, _ = manual
    with new_session(seeded) as session:
        kode = set(session.exec(select(Indikator.kode).where(Indikator.tahun == 2025)))
    assert [r.kode for r in rows] == list(dict.fromkeys(r.kode for r in rows)) and {r.kode for r in rows} == kode
    assert len(rows) == 57  # 66 agreement rows, 9 indicators listed in two agreements
    by = {r.kode: r for r in rows}
    gaji = by["IK-6.2.1"]
    assert (gaji.satuan, gaji.agregasi, gaji.pelapor) == ("Orang/bulan", "Rata-rata bulan yang terisi",
                                                          "Sub Bagian Umum dan Keuangan")
    assert gaji.waktu == ("Bulanan, paling lambat tanggal 10 bulan berikutnya; batas khusus: Desember 15-01-2026")
    # the Penjelasan's own words where the PK has them; otherwise from the attributes
    assert by["IK-6.1"].formula == ("Jumlah dokumen perencanaan, penganggaran dan evaluasi yang telah disusun di "
                                    "bagi dengan Jumlah dokumen yang ditargetkan dikali 100")
    assert by["IK-6.1.4"].formula == "Jumlah Laporan yang terealisasi"
    assert by["IK-6.1.4"].sumber_data == ("Isian bulanan Sub Bagian Perencanaan dan Kepegawaian di aplikasi Kinerja "
                                          "beserta bukti dukungnya")
    assert by["IK-6.1.4"].definisi == "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"  # no Penjelasan: the name
    assert by["IK-6"].formula == "Rata-rata capaian indikator di bawahnya"
    assert by["IK-IKM"].waktu.startswith("Setiap kali survei kepuasan masyarakat selesai")
    assert by["IK-6"].agregasi.startswith("Tidak berlaku")
    assert by["IK-6.2"].pelapor == "Sub Bagian Umum dan Keuangan"  # who enters kegiatan 6.2's spending
    assert by["IK-6.1.4"].cara_capaian == cara_menghitung("jumlah", "tunggal", "input", "positif")


def test_the_xlsx_has_one_row_per_indicator_with_the_capaian_sentence(manual) -> None:
    rows, xlsx, _ = manual
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["Manual IKU"]
    header = [c.value for c in sheet[4]]
    assert header == ["Kode", "Indikator kinerja", "Sasaran", "Definisi", "Formula", "Satuan", "Target", "Polaritas",
                      "Agregasi", "Sumber data", "Pelapor (unit)", "Waktu pelaporan", "Cara menghitung capaian"]
    cells = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert len(cells) == len(rows)
    assert cells["IK-6.2.1"][6] == 25 and cells["IK-6.2.1"][12] == cara_menghitung("rata_rata", "tunggal", "input",
                                                                                   "positif")
    assert cells["IK-6.3"][12] == cara_menghitung("terakhir", "rasio", "input", "positif", None,
                                                  "Jumlah aset yang teradministrasi",
                                                  "Total aset yang harus teradministrasi")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"


def test_the_docx_has_one_entry_per_indicator(manual) -> None:
    rows, _, docx = manual
    doc = Document(io.BytesIO(docx))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings[:2] == ["1. IK-AKIP Nilai AKIP Perangkat Daerah", "2. IK-IKM Indeks Kepuasan Masyarakat (IKM)"]
    assert len(headings) == len(doc.tables) == 57
    entry = {r.cells[0].text: r.cells[1].text for r in doc.tables[headings.index(
        next(h for h in headings if " IK-6.1.4 " in h))].rows}
    assert entry["Cara menghitung capaian"] == cara_menghitung("jumlah", "tunggal", "input", "positif")
    assert entry["Target"] == "10" and entry["Satuan"] == "Laporan"


def test_cli_export_manual_iku(seeded: Engine, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    for ext in ("docx", "xlsx"):
        out = tmp_path / f"m.{ext}"
        result = CliRunner().invoke(app, ["export", "manual-iku", "--tahun", "2025", "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert len(Document(str(tmp_path / "m.docx")).tables) == 57
