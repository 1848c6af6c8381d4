"""Printed documents look right: Word tables laid out the same everywhere, PDFs of the right size, the engine's figures.

Every PDF here is made the way users get it, through LibreOffice, and read back with poppler
(pdfinfo, pdftotext). The page counts are bounds a reader would accept, measured on the seed.
"""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import Engine

from kinerja.aturan.format import format_angka, format_persen, format_rupiah
from kinerja.dokumen.dokumen_pk import build_pk_docx, load_isi_pk
from kinerja.dokumen.ekspor import export_lkjip_docx
from kinerja.dokumen.lkjip_docx import build_lkjip_docx
from kinerja.dokumen.lkjip_isi import IsiLKjIP, load_isi_lkjip
from kinerja.dokumen.narasi import load_narasi, tulis
from kinerja.dokumen.word import dokumen_baru, ke_bytes, ke_pdf, tabel
from kinerja.simpan.analisis import EntriAnalisis, save_analisis
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.penilaian import save_akip
from kinerja.simpan.profil import IsiProfil, simpan_profil
from kinerja.simpan.queries import get_instansi, versi_berlaku
from kinerja.simpan.riwayat import EntriRiwayat, EntriTargetRenstra, simpan_riwayat, simpan_target_renstra

D = Decimal
CM_PER_PT = 2.54 / 72
TWIPS_PER_CM = 567


# --- reading documents back -------------------------------------------------------------------------


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(pdf: bytes, tmp_path: Path, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", *pages, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def word_cm(word: str, points: float, bold: bool) -> float:
    """A word's printed width in Arial, each character rounded up to its class's widest (em: 1/72 in × size)."""
    em = 0.0
    for ch in word:
        if ch in "mwMW%@":
            em += 0.95
        elif ch.isupper():
            em += 0.75
        elif ch in ".,:;'|!il":
            em += 0.28
        else:
            em += 0.56
    return em * points * CM_PER_PT * (1.08 if bold else 1.0)


def crushed_columns(docx: bytes) -> list[str]:
    """Return every (table, column, word) whose word is wider than the column's grid width minus padding."""
    doc = Document(io.BytesIO(docx))
    base = doc.styles["Normal"].font.size.pt
    found = []
    for t, table in enumerate(doc.tables):
        grid = [int(c.get(qn("w:w"))) / TWIPS_PER_CM for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        pad = 0.38 if margins is None else 2 * int(margins.find(qn("w:left")).get(qn("w:w"))) / TWIPS_PER_CM
        for tr in table._tbl.tr_lst:
            col = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                if span == 1:
                    for p in tc.xpath(".//w:p"):
                        size = base
                        if p.style and p.style.startswith("TeksTabel"):
                            size = float(p.style.removeprefix("TeksTabel"))
                        for r in p.xpath("./w:r"):
                            bold = r.find(qn("w:rPr")) is not None and r.find(qn("w:rPr")).find(qn("w:b")) is not None
                            for word in "".join(x.text or "" for x in r.xpath("./w:t")).split():
                                if word_cm(word, size, bold) > grid[col] - pad:
                                    found.append(f"tabel {t + 1} kolom {col + 1} ({grid[col]:.2f} cm): {word}")
                col += span
    return found


def test_a_word_table_sets_grid_and_cell_widths_fixed_layout_and_repeating_header() -> None:
    doc = dokumen_baru()
    tabel(doc, ["No", "Sasaran", "Target"], [["", "Sasaran satu", ""], ["1", "Indikator", "100 %"],
                                            ["", "Jumlah", "Rp 10"]], [1.0, 12.0, 4.0], kanan={2}, grup={0},
          jumlah={2})
    table = Document(io.BytesIO(ke_bytes(doc))).tables[0]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == pytest.approx([567, 6803, 2268], abs=1)  # 1, 12, 4 cm × 566,9 twips: LibreOffice reads these
    assert [c.width.cm for c in table.rows[2].cells] == pytest.approx([1.0, 12.0, 4.0], abs=0.01)  # Word, these
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    header, group, item, total = table._tbl.tr_lst
    assert header.trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in table._tbl.tr_lst)
    assert len(group.tc_lst) == 1 and group.tc_lst[0].grid_span == 3  # the sasaran: one cell across
    assert table.rows[2].cells[2].paragraphs[0].alignment == 2  # numbers right-aligned
    assert all(r.bold for c in table.rows[3].cells for r in c.paragraphs[0].runs)  # the Jumlah row


def test_a_column_narrower_than_its_longest_word_is_widened_from_the_others() -> None:
    doc = dokumen_baru()
    # "Kemasyarakatan" at 11 pt needs about 2,8 cm; the column asked 1 cm, the wide one gives way
    tabel(doc, ["No", "Uraian"], [["Kemasyarakatan", "teks"]], [1.0, 10.0])
    data = ke_bytes(doc)
    assert crushed_columns(data) == []
    grid = [int(c.get(qn("w:w"))) / TWIPS_PER_CM for c in Document(io.BytesIO(data)).tables[0]._tbl.tblGrid]
    assert grid[0] > 2.5 and sum(grid) == pytest.approx(11.0, abs=0.01)


# --- the printable PK -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Engine:
    path = tmp_path_factory.mktemp("dokumen") / "demo.db"
    shutil.copy(demo_template, path)
    return get_engine(f"sqlite:///{path}")


@pytest.mark.parametrize(("unit", "pages"), [("CAMAT", 2), ("PMD", 2), ("UMUMKEU", 3)])
def test_the_printable_pk_fits_its_seed_layout(demo: Engine, tmp_path: Path, unit: str, pages: int) -> None:
    with new_session(demo) as session:
        isi = load_isi_pk(session, versi_berlaku(session, get_instansi(session).id, 2025), unit)
    docx = build_pk_docx(isi)
    assert crushed_columns(docx) == []
    pdf = ke_pdf(docx)
    # the agreement on one page, the lampiran on one page (two for the 26 rows of Umum dan Keuangan)
    assert pdf_pages(pdf, tmp_path) == pages
    first = pdf_text(pdf, tmp_path, 1, 1)
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2025" in first and "PIHAK PERTAMA" in first
    assert isi.pertama.nama in first and "Jumlah" not in first
    lampiran = pdf_text(pdf, tmp_path, 2)
    assert format_rupiah(isi.jumlah_anggaran) in lampiran
    for _, _, _, target in isi.sasaran:
        assert target.split()[0] in lampiran


# --- the LKjIP tables and the draft -------------------------------------------------------------------


@pytest.fixture(scope="module")
def isi(demo: Engine) -> IsiLKjIP:
    with new_session(demo) as session:
        return load_isi_lkjip(session, get_instansi(session), 2025, 4, date(2026, 1, 15))


def engine_figures(isi: IsiLKjIP) -> set[str]:
    """Every two-decimal figure the engine gives the report, as printed ('96,86')."""
    lap = isi.laporan
    values: list[Decimal | None] = [isi.rata_rata, lap.anggaran_jumlah.persen]
    for t in lap.unit:
        values += [v for r in t.baris for v in (r.capaian, r.realisasi, r.target, r.target_renstra,
                                                 r.capaian_lalu, r.realisasi_lalu)]
    values += [r.persen for r in lap.anggaran] + [v for r in lap.efisiensi for v in (r.capaian, r.penyerapan,
                                                                                      r.selisih)]
    for s in isi.sasaran:
        values.append(s.rata_rata)
        for p in s.perbandingan.values():
            values += [p.target_renstra_akhir, p.tingkat_kemajuan, p.sisa]
            values += [v for n in p.tahun for v in (n.realisasi, n.capaian)]
            if p.selisih is not None:
                values.append(abs(p.selisih))
        for r in s.baris:
            p = s.perbandingan.get(r.kode)
            lalu = p.nilai(2024) if p else None
            if lalu and lalu.capaian is not None and r.capaian is not None:
                values.append(abs(r.capaian - lalu.capaian))
    shown = set()
    for v in values:
        if v is not None:
            shown |= {format_angka(v, 2, 2), format_angka(v), format_angka(v, 0, 2)}
    return shown


DECIMAL = re.compile(r"(?<![\d.,])-?\d{1,3}(?:\.\d{3})*,\d{1,2}(?![\d,])")


def test_the_lkjip_tables_fit_a4_and_print_only_the_engines_figures(isi: IsiLKjIP, tmp_path: Path) -> None:
    docx = export_lkjip_docx(isi.laporan)
    assert crushed_columns(docx) == []
    pdf = ke_pdf(docx)
    # 10 tables, 55 budget lines and 66 indicators with their sasaran: 21 pages before grid widths were set
    assert 6 <= pdf_pages(pdf, tmp_path) <= 10
    text = pdf_text(pdf, tmp_path)
    figures = set(DECIMAL.findall(text))
    assert figures and figures <= engine_figures(isi), figures - engine_figures(isi)
    assert "Pemberdayaan Masyarakat dan Desa" in text and "Masyarakat Dan Desa" not in text
    assert format_rupiah(isi.laporan.anggaran_jumlah.pagu) in text


def test_the_lkjip_draft_has_its_chapters_numbered_tables_and_the_engines_figures(isi: IsiLKjIP,
                                                                                 tmp_path: Path) -> None:
    docx = build_lkjip_docx(isi)
    assert crushed_columns(docx) == []
    doc = Document(io.BytesIO(docx))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["BAB I\nPENDAHULUAN", "BAB II\nPERENCANAAN KINERJA", "BAB III\nAKUNTABILITAS KINERJA",
                        "BAB IV\nPENUTUP", "LAMPIRAN I\nPERJANJIAN KINERJA",
                        "LAMPIRAN II\nPENGUKURAN KINERJA UNIT KERJA"]
    captions = [p.text.split()[1] for p in doc.paragraphs if p.style.name == "Caption"]
    # 2.1-2.2, then 3.1 .. 3.22 in order (3.4-3.19: two per sasaran strategis), then L.1 .. L.7
    assert captions == ["2.1", "2.2", *[f"3.{n}" for n in range(1, 23)], *[f"L.{n}" for n in range(1, 8)]]
    pdf = ke_pdf(docx)
    assert 15 <= pdf_pages(pdf, tmp_path) <= 30
    text = pdf_text(pdf, tmp_path)
    figures = set(DECIMAL.findall(text))
    assert figures <= engine_figures(isi), figures - engine_figures(isi)
    flat = re.sub(r"-\s+", "-", " ".join(text.split()))  # a line broken after a hyphen joined again
    for r in isi.baris_sasaran:
        assert f"sebesar {format_persen(r.capaian)} ({r.kategori})" in flat
    assert f"rata-rata capaian {format_persen(isi.rata_rata)}" in flat
    assert format_rupiah(isi.laporan.anggaran_jumlah.realisasi) in flat


# --- the narrative, worked out by hand ----------------------------------------------------------------


def test_the_narrative_states_capaian_comparison_renstra_and_analysis(seeded: Engine, instansi_id: int) -> None:
    # AKIP 2025: 22,5 + 20 + 10 + 20 = 72,5 against the PK target 70,05
    save_akip(seeded, instansi_id=instansi_id, tahun=2025, bulan=12, komponen={
        "perencanaan": D("22.5"), "pengukuran": D(20), "pelaporan": D(10), "evaluasi": D(20)})
    simpan_riwayat(seeded, instansi_id=instansi_id, entries=[
        EntriRiwayat("IK-AKIP", 2024, D("67.35"), D("96.21"), "LHE 2024")])
    simpan_target_renstra(seeded, instansi_id=instansi_id, periode=(2021, 2026),
                          entries=[EntriTargetRenstra("IK-AKIP", 2026, D("75"))])
    save_analisis(seeded, instansi_id=instansi_id, tahun=2025, triwulan=4, entries=[
        EntriAnalisis("IK-AKIP", faktor_pendorong="Pendampingan Inspektorat", rencana_tindak_lanjut="Reviu IKU")])
    simpan_profil(seeded, instansi_id=instansi_id, isi=IsiProfil(tugas_pokok="Membantu Bupati di wilayah kecamatan."))
    with new_session(seeded) as session:
        isi = load_isi_lkjip(session, get_instansi(session), 2025, 4, date(2026, 1, 15))
    text = "\n".join(p.text for p in Document(io.BytesIO(build_lkjip_docx(isi))).paragraphs)
    # capaian 72,5 / 70,05 × 100 = 103,4975... -> 103,50 %; minus 2024's 96,21 = 7,2875 -> 7,29 poin
    # Renstra 2026: 72,5 / 75 × 100 = 96,666... -> 96,67 %
    assert ("Capaian indikator Nilai AKIP Perangkat Daerah tahun 2025 sebesar 103,50 % (Sangat Tinggi), dengan "
            "realisasi 72,5 Nilai dari target 70,05 Nilai; naik 7,29 poin dari 2024. Terhadap target akhir Renstra "
            "tahun 2026 sebesar 75 Nilai, tingkat kemajuan mencapai 96,67 %.") in text
    assert "Faktor pendorong: Pendampingan Inspektorat" in text and "Rencana tindak lanjut: Reviu IKU" in text
    assert "Membantu Bupati di wilayah kecamatan." in text
    assert "[Belum diisi" in text  # the fields the office has not filled say so


def test_an_offices_own_wording_replaces_the_shipped_sentence(tmp_path: Path) -> None:
    own = tmp_path / "narasi.toml"
    own.write_text('[bab3]\nnaik = "meningkat {selisih} poin dibanding {tahun_lalu}"\n', encoding="utf-8")
    templates = load_narasi(own)
    assert tulis(templates, "bab3.naik", selisih="4,2", tahun_lalu=2024) == "meningkat 4,2 poin dibanding 2024"
    assert tulis(templates, "bab3.turun", selisih="1", tahun_lalu=2024) == "turun 1 poin dari 2024"  # kept
    assert tulis(templates, "bab3.naik", selisih="4,2") == "meningkat 4,2 poin dibanding {tahun_lalu}"
