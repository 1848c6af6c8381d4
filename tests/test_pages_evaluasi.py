"""The Evaluasi triwulan page: the Renja preview, its footer, and the downloads built only when clicked."""

import io
from collections.abc import Callable

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from streamlit.runtime.media_file_manager import MediaFileManager

from kinerja.simpan.db import new_session
from kinerja.simpan.queries import get_instansi
from tests._app import Akun, open_app, pick, shown, titles
from tests.test_renja import isi_tw2

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")
PAGE = "pages/evaluasi.py"


@pytest.fixture
def unduhan(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """The download buttons' deferred builders by file name (Streamlit runs them when a button is clicked)."""
    found: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # noqa: ANN001, ANN202
        found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


@pytest.fixture
def tw2(db: Engine, akun: Akun) -> Akun:
    with new_session(db) as session:
        isi_tw2(db, get_instansi(session).id)
    return akun


def test_the_pimpinan_sees_the_renja_of_the_latest_triwulan_with_its_footer(tw2: Akun) -> None:
    at = open_app(tw2.pimpinan, PAGE)
    assert titles(at) == ["Evaluasi Renja Triwulan II 2025"]  # June is the latest month entered
    table = at.dataframe[0].value
    (i,) = [n for n, v in enumerate(table["Program / Kegiatan / Sub Kegiatan"]) if v.startswith("6.1.4 ")]
    row = table.iloc[i].to_dict()
    # TW I 1 + 2 = 3 Laporan and Rp 1.000.000; TW II 3 and Rp 500.000; 6 of 10 = 60 %
    assert (row["TW I K"], row["TW I Rp"], row["TW II K"], row["TW II Rp"]) == ("3", "1.000.000", "3", "500.000")
    assert (row["Realisasi K"], row["Capaian % K"], row["TW III K"]) == ("6", "60,00", "")
    # the row's name (pinned) and indicator, then the figures; unit and keterangan last
    assert list(table.columns)[:4] == ["Program / Kegiatan / Sub Kegiatan", "Indikator", "Satuan", "Target Renstra K"]
    assert list(table.columns)[-2:] == ["Unit", "Keterangan"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rata-rata capaian kinerja"] == "81,02 %" and metrics["Predikat kinerja"] == "Tinggi"
    assert "Dua pegawai pindah" in shown(at)  # the analysis reaches the footer


def test_every_download_is_offered_and_built_only_when_clicked(tw2: Akun, unduhan: dict) -> None:
    at = open_app(tw2.pimpinan, PAGE)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Evaluasi Renja (.xlsx)", "Evaluasi Renja (.docx)", "Laporan triwulan CAMAT",
                      "Laporan triwulan kecamatan", "Word (.docx)", "Excel (.xlsx)"]
    assert all(b.proto.deferred_file_id and not b.proto.url for b in at.get("download_button"))
    sheet = openpyxl.load_workbook(io.BytesIO(unduhan["evaluasi-renja-mangkutana-2025-tw2.xlsx"]()))["Evaluasi Renja"]
    row = next(r for r in sheet.iter_rows(min_row=10, values_only=True) if r[2] == "6.1.4")
    assert row[20:22] == (6, 1_500_000)
    assert Document(io.BytesIO(unduhan["evaluasi-renja-mangkutana-2025-tw2.docx"]())).tables
    assert len(Document(io.BytesIO(unduhan["manual-iku-mangkutana-2025.docx"]())).tables) == 57
    kantor = Document(io.BytesIO(unduhan["laporan-triwulan-mangkutana-2025-tw2.docx"]()))
    assert "Kecamatan Mangkutana (pengukuran kinerja berjenjang)" in [p.text for p in kantor.paragraphs]


def test_the_unit_report_follows_the_unit_chosen(tw2: Akun, unduhan: dict) -> None:
    at = pick(open_app(tw2.admin, PAGE), "eval_unit", "PERENCANAAN")
    assert "Laporan triwulan PERENCANAAN" in [b.proto.label for b in at.get("download_button")]
    doc = Document(io.BytesIO(unduhan["laporan-triwulan-mangkutana-2025-tw2-PERENCANAAN.docx"]()))
    assert "Sub Bagian Perencanaan dan Kepegawaian — Kecamatan Mangkutana" in [p.text for p in doc.paragraphs]

