"""LKjIP exports, PK Perubahan, next year's copy and the printable agreement, against the engine."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine, func
from sqlmodel import select

from kinerja.aturan.capaian import compute_periode
from kinerja.aturan.format import format_angka
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.dokumen.dokumen_pk import build_pk_docx, load_isi_pk
from kinerja.dokumen.ekspor import export_lkjip_csv, export_lkjip_docx, export_lkjip_xlsx
from kinerja.dokumen.lkjip import build_lkjip
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Indikator, Realisasi, RealisasiAnggaran
from kinerja.simpan.penilaian import save_akip
from kinerja.simpan.queries import get_instansi, list_tahun, load_data_tahun, versi_berlaku
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import UbahTarget, copy_tahun, create_perubahan, publish_versi, save_targets

TODAY = date(2026, 3, 20)
D = Decimal


def _enter(engine: Engine, instansi_id: int) -> None:
    """A few known realisations: counts, a ratio, a score, and budget."""
    save_realisasi(engine, instansi_id=instansi_id, tahun=2025, entries=[
        EntriRealisasi(kode="IK-6.1.1", bulan=2, nilai=D(1), keterangan="=HYPERLINK(\"http://x\")"),
        EntriRealisasi(kode="IK-6.1.1", bulan=11, nilai=D(1)),
        EntriRealisasi(kode="IK-6.1.4", bulan=3, nilai=D(3)),
        EntriRealisasi(kode="IK-6.1", bulan=3, pembilang=D(2), penyebut=D(3)),
    ])
    # 22,5 + 20 + 10 + 20 = 72,5, entered where the LHE score is entered
    save_akip(engine, instansi_id=instansi_id, tahun=2025, bulan=12, komponen={
        "perencanaan": D("22.5"), "pengukuran": D(20), "pelaporan": D(10), "evaluasi": D(20)})
    save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=2025, entries=[
        EntriAnggaran(kode="6.1.1", bulan=1, realisasi=5_000_000),
        EntriAnggaran(kode="6.1.2", bulan=6, realisasi=1_155_700),
    ])


@pytest.fixture
def laporan(seeded: Engine, instansi_id: int):
    _enter(seeded, instansi_id)
    with new_session(seeded) as session:
        office = get_instansi(session)
        return build_lkjip(session, office, 2025, 4, TODAY), compute_capaian_tahun(session, office, 2025, 4)


def test_xlsx_cells_match_the_engine(laporan) -> None:
    report, capaian = laporan
    book = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(report)))
    assert book.sheetnames[:2] == ["CAMAT", "SEKCAM"]
    assert book.sheetnames[-2:] == ["Realisasi Anggaran", "Efisiensi"]
    sheet = book["PERENCANAAN"]
    assert "Kecamatan Mangkutana" in sheet["A2"].value
    assert sheet["A3"].value == "Tahun 2025"
    assert "PK Perubahan" in sheet["A4"].value
    assert sheet["A1"].value == "Tabel L.6 Pengukuran Kinerja Sub Bagian Perencanaan dan Kepegawaian Tahun 2025"
    header = [c.value for c in sheet[7]]
    assert header[:8] == ["No", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian (%)", "Kategori",
                          "Target Renstra"]
    body = list(sheet.iter_rows(min_row=8, values_only=True))
    # the sasaran is a group row (merged across the table) above its indicator, not a column
    assert body[0][0].startswith("Terpenuhinya dokumen perencanaan") and body[0][1] is None
    assert "A8:H8" in {str(m) for m in sheet.merged_cells.ranges}
    rows = {row[1]: row for row in body if row[1] is not None}
    doc = rows["Jumlah dokumen perencanaan perangkat daerah yang disusun"]
    expected = capaian.hasil["IK-6.1.1"]
    assert doc[3] == 3 and doc[4] == 2
    assert doc[5] == pytest.approx(float(expected.capaian_sd_tw)) == pytest.approx(200 / 3)
    assert doc[6] == "Sedang"
    ratio = rows["Persentase Ketercapaian Target Kinerja Perangkat Daerah"]
    assert ratio[4] == pytest.approx(200 / 3)
    empty = rows["Jumlah Dokumen DPA-SKPD dan Laporan Hasil Koordinasi Penyusunan Dokumen DPA-SKPD"]
    assert empty[4] is None and empty[5] is None and empty[6] == ""
    assert sheet.freeze_panes == "A8"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9


def test_xlsx_budget_is_numbers_with_rupiah_format(laporan) -> None:
    report, _ = laporan
    sheet = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(report)))["Realisasi Anggaran"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=8)}
    assert rows["6.1"][3].value == 32_603_700 and isinstance(rows["6.1"][3].value, int)
    assert rows["6.1"][4].value == 6_155_700
    assert rows["6.1"][6].value == 32_603_700 - 6_155_700
    assert rows["6.1"][5].value == pytest.approx(6_155_700 * 100 / 32_603_700)
    assert "Rp" in rows["6.1"][3].number_format
    assert sum(r[3].value for r in rows.values() if r[1].value == "Program") == 3_006_467_857


def test_docx_has_every_table_in_indonesian_format(laporan) -> None:
    report, capaian = laporan
    doc = Document(io.BytesIO(export_lkjip_docx(report)))
    assert len(doc.tables) == len(report.unit) + 2
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    # numbered as in the draft: 8 sasaran strategis take Tabel 3.4 .. 3.19, so the budget is Tabel 3.20
    assert captions[0] == "Tabel 3.2 Pengukuran Kinerja Sasaran Strategis (Camat) Tahun 2025"
    assert captions[3] == "Tabel L.3 Pengukuran Kinerja Seksi Pemberdayaan Masyarakat dan Desa Tahun 2025"
    assert captions[-2:] == ["Tabel 3.20 Realisasi Anggaran Tahun 2025",
                             "Tabel 3.22 Efisiensi: Capaian Kinerja dan Penyerapan Anggaran"]
    texts = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    akip = next(r for r in texts if r[1] == "Nilai AKIP Perangkat Daerah")
    assert akip[3] == "70,05" and akip[4] == "72,5"
    assert akip[5] == format_angka(capaian.hasil["IK-AKIP"].capaian_sd_tw, 2, 2)
    assert any(r[3] == "Rp 32.603.700" for r in texts)


def test_csv_neutralises_formulas_and_keeps_numbers(laporan) -> None:
    report, _ = laporan
    files = export_lkjip_csv(report)
    rows = list(csv.reader(io.StringIO(files["pengukuran"].decode("utf-8-sig"))))
    assert rows[0][0] == "Unit" and rows[0][-1] == "Jenis baris"
    sasaran, jenis = rows[0].index("Sasaran"), rows[0].index("Jenis baris")
    # as in the XLSX: each sasaran as a group row above its indicators; filtered, one row per agreement row
    assert len([r for r in rows[1:] if r[jenis] == "indikator"]) == 66
    assert rows[1][jenis] == "sasaran" and rows[2][jenis] == "indikator" and rows[1][sasaran] == rows[2][sasaran]
    grup = ""
    for r in rows[1:]:
        if r[jenis] == "sasaran":
            grup = r[sasaran]
            assert not any(r[3:rows[0].index("Angka")])  # a group row holds its sasaran only
        else:
            assert r[sasaran] == grup  # an indicator sits under its own sasaran
    anggaran = list(csv.reader(io.StringIO(files["anggaran"].decode("utf-8-sig"))))
    assert anggaran[1][3] == "10745500"
    # the Jumlah row closes the budget table: the seed's pagu, Rp 3.006.467.857
    assert anggaran[-1][2] == "Jumlah" and anggaran[-1][3] == "3006467857" and anggaran[-1][-1] == "jumlah"
    assert {r[-1] for r in anggaran[1:-1]} == {"rincian"}


def test_typed_formula_stays_text_in_xlsx(seeded: Engine, instansi_id: int) -> None:
    with new_session(seeded) as session:
        office = get_instansi(session)
        office.nama = '=HYPERLINK("http://evil","klik")'
        report = build_lkjip(session, office, 2025, 4, TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(report)))["CAMAT"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value.startswith("=HYPERLINK")


def test_perubahan_keeps_earlier_capaian_and_lkjip_names_the_version(seeded: Engine, instansi_id: int) -> None:
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025,
                   entries=[EntriRealisasi(kode="IK-6.1.4", bulan=m, nilai=D(1)) for m in range(1, 13)])
    with new_session(seeded) as session:
        office = get_instansi(session)
        before = compute_capaian_tahun(session, office, 2025, 2).hasil["IK-6.1.4"].capaian_sd_tw
    new = create_perubahan(seeded, instansi_id=instansi_id, tahun=2025, nama="PK Perubahan 2",
                           tanggal=date(2025, 10, 1), berlaku_bulan=10)
    save_targets(seeded, versi_id=new.id, changes=[UbahTarget("IK-6.1.4", D(20), (None, None, None, None))])
    publish_versi(seeded, versi_id=new.id)
    with new_session(seeded) as session:
        office = get_instansi(session)
        tw2 = compute_capaian_tahun(session, office, 2025, 2)
        tw4 = compute_capaian_tahun(session, office, 2025, 4)
        report = build_lkjip(session, office, 2025, 4, TODAY)
    assert tw2.hasil["IK-6.1.4"].capaian_sd_tw == before == D(6) * 100 / 5  # 6 of 10 × 2/4
    assert tw4.hasil["IK-6.1.4"].target_tahunan == 20
    assert tw4.hasil["IK-6.1.4"].capaian_sd_tw == D(12) * 100 / 20
    assert "PK Perubahan 2" in report.catatan_versi


def test_draft_perubahan_is_not_in_force(seeded: Engine, instansi_id: int) -> None:
    new = create_perubahan(seeded, instansi_id=instansi_id, tahun=2025, nama="PK Perubahan 2",
                           tanggal=date(2025, 10, 1), berlaku_bulan=10)
    with new_session(seeded) as session:
        assert versi_berlaku(session, instansi_id, 2025, 12).id != new.id
    with pytest.raises(ValidationError, match="draf"):
        create_perubahan(seeded, instansi_id=instansi_id, tahun=2025, nama="PK Perubahan 3",
                         tanggal=date(2025, 11, 1), berlaku_bulan=11)


@pytest.mark.parametrize("tw, message", [
    ((D(5), D(4), None, None), "tidak boleh turun"),
    ((None, None, None, D(9)), "harus sama dengan target tahunan"),
    ((D(-1), None, None, None), "tidak boleh negatif"),
])
def test_bad_rencana_aksi_is_refused(seeded: Engine, instansi_id: int, tw, message: str) -> None:
    with new_session(seeded) as session:
        versi = versi_berlaku(session, instansi_id, 2025)
    with pytest.raises(ValidationError, match=message):
        save_targets(seeded, versi_id=versi.id, changes=[UbahTarget("IK-6.1.4", D(10), tw)])


def test_copy_year_same_structure_no_realisations(seeded: Engine, instansi_id: int) -> None:
    _enter(seeded, instansi_id)
    with new_session(seeded) as session:
        office = get_instansi(session)
        before = compute_periode(load_data_tahun(session, office, 2025).data, 4)
    new = copy_tahun(seeded, instansi_id=instansi_id, dari=2025, ke=2026, tanggal=date(2026, 1, 2))
    with new_session(seeded) as session:
        office = get_instansi(session)
        assert list_tahun(session, instansi_id) == [2025]
        assert list_tahun(session, instansi_id, draf=True) == [2026, 2025]
    publish_versi(seeded, versi_id=new.id)
    with new_session(seeded) as session:
        office = get_instansi(session)
        old, copy = load_data_tahun(session, office, 2025), load_data_tahun(session, office, 2026)
        after = compute_periode(load_data_tahun(session, office, 2025).data, 4)
        ids_2026 = [i.id for i in session.exec(select(Indikator).where(Indikator.tahun == 2026))]
        realised = session.exec(select(func.count()).select_from(Realisasi)
                                .where(Realisasi.indikator_id.in_(ids_2026))).one()
        budget = session.exec(select(func.count()).select_from(RealisasiAnggaran)).one()
    shape = [(b.unit.kode, b.no, b.indikator.kode, b.indikator.agregasi, b.target.tahunan) for b in old.baris]
    assert [(b.unit.kode, b.no, b.indikator.kode, b.indikator.agregasi, b.target.tahunan) for b in copy.baris] == shape
    assert [(n.node.kode, n.pagu) for n in copy.anggaran] == [(n.node.kode, n.pagu) for n in old.anggaran]
    assert realised == 0 and copy.data.realisasi == {} and copy.data.realisasi_anggaran == {}
    assert budget == 2  # 2025's budget rows only
    assert after == before
    with pytest.raises(ValidationError, match="sudah ada"):
        copy_tahun(seeded, instansi_id=instansi_id, dari=2025, ke=2026, tanggal=date(2026, 1, 2))


def test_printable_agreement_has_parties_targets_and_budget(seeded: Engine, instansi_id: int) -> None:
    with new_session(seeded) as session:
        isi = load_isi_pk(session, versi_berlaku(session, instansi_id, 2025), "PEMUM")
    doc = Document(io.BytesIO(build_pk_docx(isi)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2025" in text
    assert "WILLIAM TUMIWANG ,S.M" in text and "KEPALA SEKSI PEMERINTAHAN UMUM" in text
    assert "LUWU TIMUR, 01 Oktober 2025" in text
    signatures = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "NIP 197703172010011008" in signatures and "NIP 197010241992032005" in signatures
    rows = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert rows[1][3] == "100 %" and rows[2][3] == "12 Dokumen" and rows[3][3] == "22 Dokumen"
    budget = [[c.text for c in r.cells] for r in doc.tables[2].rows]
    assert [r[2] for r in budget[1:-1]] == ["Rp 27.348.100", "Rp 27.348.100", "Rp 6.240.900"]
    # kegiatan 4.1 holds sub-kegiatan 4.1.1, so the Jumlah counts it once: 27.348.100 + 6.240.900
    assert budget[-1][1:] == ["Jumlah", "Rp 33.589.000"]


def test_every_xlsx_and_docx_row_matches_the_engine(laporan) -> None:
    report, capaian = laporan
    book = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(report)))
    doc = Document(io.BytesIO(export_lkjip_docx(report)))
    checked = 0
    by_unit: dict[str, list] = {}
    for b in capaian.data_tahun.baris:
        by_unit.setdefault(b.unit.kode, []).append(b)
    for t, (unit, rows) in enumerate(by_unit.items()):
        sheet_rows = list(book[unit].iter_rows(min_row=8, values_only=True))
        doc_rows = [[c.text for c in r.cells] for r in doc.tables[t].rows][1:]
        # every sasaran of the seed has one indicator: a group row, then the indicator's row
        assert len(sheet_rows) == len(doc_rows) == 2 * len(rows)
        for n, b in enumerate(rows):
            group, cells = sheet_rows[2 * n], sheet_rows[2 * n + 1]
            assert group[0] == b.sasaran and set(group[1:]) == {None}
            assert set(doc_rows[2 * n]) == {b.sasaran}  # one merged cell across the table
            texts = doc_rows[2 * n + 1]
            h = capaian.hasil[b.indikator.kode]
            assert cells[:3] == (b.no, b.indikator.nama, b.indikator.satuan)
            assert cells[3] == pytest.approx(float(h.target_tahunan))
            assert cells[4] == (None if h.realisasi is None else pytest.approx(float(h.realisasi)))
            assert cells[5] == (None if h.capaian_sd_tw is None else pytest.approx(float(h.capaian_sd_tw)))
            assert cells[6] == (h.kategori or "")
            assert texts[4] == format_angka(h.realisasi)
            assert texts[5] == format_angka(h.capaian_sd_tw, 2, 2)
            checked += 1
    assert checked == 66


def test_xlsx_prints_one_page_wide_with_repeated_headers_and_rows_tall_enough(laporan) -> None:
    report, _ = laporan
    book = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(report)))
    for sheet in book:
        # one page wide (1 is the file format's default, so it is left out), as many pages tall as needed
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$7:$7"  # the header row repeats on every printed page
    sheet = book["UMUMKEU"]
    heights = {row[1].value: sheet.row_dimensions[row[1].row].height or 15 for row in sheet.iter_rows(min_row=8)
               if row[1].value}  # None: the default height, 15 points
    # 146 characters in the Indikator column (42 wide: 45 characters a line) wrap to 4 lines of 15 points
    long = next(n for n in heights if n.startswith("Jumlah Laporan Keuangan Bulanan/"))
    assert len(long) == 146 and heights[long] == 60
    assert heights["Persentase Realisasi Anggaran"] == 15  # one line stays one line
    # a group row spans the 8 columns (114 wide: 124 characters a line); a longer sasaran takes two lines
    groups = [r[0] for r in sheet.iter_rows(min_row=8) if r[1].value is None]
    long_group = max(groups, key=lambda c: len(c.value))
    assert len(long_group.value) > 124 and sheet.row_dimensions[long_group.row].height == 30
