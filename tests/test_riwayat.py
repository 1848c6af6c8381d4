"""Saving the Renstra period, Renstra targets and earlier years' figures: by hand, from CSV and from the command line.

A good batch is saved exactly, with one audit row per change; a bad one names every bad line and
writes nothing; only the admin (or the system) may write. On every backend.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.dokumen.impor_riwayat import parse_renstra_csv, parse_riwayat_csv
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi, Jejak, RiwayatRealisasi, TargetRenstra
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.riwayat import (
    EntriRiwayat,
    EntriTargetRenstra,
    simpan_periode_renstra,
    simpan_riwayat,
    simpan_target_renstra,
)
from tests._app import add_users

D = Decimal
RIWAYAT_CSV = b"kode,tahun,realisasi,capaian,sumber\n"
RENSTRA_CSV = b"kode,tahun,target\n"


def _office_id(engine: Engine) -> int:
    with new_session(engine) as session:
        return get_instansi(session).id


def _stored(engine: Engine) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Return the stored targets, history rows and their audit rows, sorted."""
    with new_session(engine) as session:
        targets = sorted((r.kode, r.tahun, r.target) for r in session.exec(select(TargetRenstra)))
        riwayat = sorted((r.kode, r.tahun, r.realisasi, r.capaian, r.sumber, r.diisi_oleh)
                         for r in session.exec(select(RiwayatRealisasi)))
        jejak = sorted((j.tabel, j.kunci, j.aksi, j.pengguna) for j in session.exec(select(Jejak).where(
            Jejak.tabel.in_(["target_renstra", "riwayat_realisasi", "instansi"]))))  # type: ignore[attr-defined]
    return targets, riwayat, jejak


# --- write functions ------------------------------------------------------------------------------


def test_targets_and_history_are_saved_exactly_with_one_audit_row_per_change(seeded: Engine) -> None:
    office_id = _office_id(seeded)
    n = simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji", periode=(2021, 2026), entries=[
        EntriTargetRenstra("IK-AKIP", 2026, "73,5"), EntriTargetRenstra("IK-1.1.1", 2026, 11)])
    m = simpan_riwayat(seeded, instansi_id=office_id, oleh="uji", entries=[
        EntriRiwayat("IK-AKIP", 2024, "69,50", "101,5", " LKjIP 2024 "), EntriRiwayat("IK-IKM", 2023, "85.1", "", "")])
    assert (n, m) == (2, 2)
    targets, riwayat, jejak = _stored(seeded)
    assert targets == [("IK-1.1.1", 2026, D("11")), ("IK-AKIP", 2026, D("73.5"))]
    assert riwayat == [("IK-AKIP", 2024, D("69.5"), D("101.5"), "LKjIP 2024", "uji"),
                       ("IK-IKM", 2023, D("85.1"), None, "", "uji")]
    assert jejak == [("instansi", "periode_renstra", "ubah", "uji"),
                     ("riwayat_realisasi", "IK-AKIP/2024", "tambah", "uji"),
                     ("riwayat_realisasi", "IK-IKM/2023", "tambah", "uji"),
                     ("target_renstra", "IK-1.1.1/2026", "tambah", "uji"),
                     ("target_renstra", "IK-AKIP/2026", "tambah", "uji")]
    # The same figures again change nothing; an emptied target and an emptied history row are removed.
    assert simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji",
                                 entries=[EntriTargetRenstra("IK-AKIP", 2026, "73.50")]) == 0
    assert simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji",
                                 entries=[EntriTargetRenstra("IK-AKIP", 2026, "")]) == 1
    assert simpan_riwayat(seeded, instansi_id=office_id, oleh="uji",
                          entries=[EntriRiwayat("IK-IKM", 2023, "", "", "")]) == 1
    targets, riwayat, jejak = _stored(seeded)
    assert targets == [("IK-1.1.1", 2026, D("11"))]
    assert [r[:2] for r in riwayat] == [("IK-AKIP", 2024)]
    assert ("target_renstra", "IK-AKIP/2026", "hapus", "uji") in jejak
    assert ("riwayat_realisasi", "IK-IKM/2023", "hapus", "uji") in jejak


BAD_RIWAYAT = [
    (EntriRiwayat("IK-TIDAK-ADA", 2024, "1", None, ""), "kode 'IK-TIDAK-ADA' bukan indikator instansi ini"),
    (EntriRiwayat("IK-AKIP", 1999, "60", None, ""), "tahun harus bilangan bulat 2000-2100, bukan 1999"),
    (EntriRiwayat("IK-AKIP", 2025, "60", None, ""), "tahun 2025 sudah ada di aplikasi"),
    (EntriRiwayat("IK-AKIP", "2023,5", "60", None, ""), "bukan 2023,5"),
    (EntriRiwayat("IK-AKIP", 2023, "60", "1000,01", ""), "capaian harus 0-1.000 %, bukan 1.000,01"),
    (EntriRiwayat("IK-AKIP", 2023, "=1+1", None, ""), "realisasi '=1+1' bukan angka"),
    (EntriRiwayat("IK-AKIP", 2023, "-5", None, ""), "realisasi tidak boleh negatif"),
    (EntriRiwayat("IK-AKIP", 2023, "1.234", None, ""), "realisasi '1.234'"),
    (EntriRiwayat("IK-AKIP", 2023, "60", None, "x" * 201), "sumber paling panjang 200 karakter"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_RIWAYAT, ids=[m for _, m in BAD_RIWAYAT])
def test_a_bad_history_row_is_named_and_nothing_of_the_batch_is_written(
    seeded: Engine, bad: EntriRiwayat, message: str
) -> None:
    good = EntriRiwayat("IK-IKM", 2024, "87,62", None, "LKjIP 2024")
    with pytest.raises(ValidationError) as e:
        simpan_riwayat(seeded, instansi_id=_office_id(seeded), oleh="uji", entries=[good, bad])
    assert any(message in p for p in e.value.problems), e.value.problems
    assert _stored(seeded) == ([], [], [])


def test_bad_targets_are_all_named_at_once_and_nothing_is_written(seeded: Engine) -> None:
    office_id = _office_id(seeded)
    simpan_periode_renstra(seeded, instansi_id=office_id, awal=2021, akhir=2026, oleh="uji")
    before = _stored(seeded)
    with pytest.raises(ValidationError) as e:
        simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji", entries=[
            EntriTargetRenstra("IK-AKIP", 2026, "73", lokasi="renstra.csv baris 2"),
            EntriTargetRenstra("IK-AKIP", 2027, "74", lokasi="renstra.csv baris 3"),
            EntriTargetRenstra("IK-AKIP", 2026, "75", lokasi="renstra.csv baris 4"),
            EntriTargetRenstra("IK-X", 2025, "1", lokasi="renstra.csv baris 5"),
        ])
    assert e.value.problems == [
        "renstra.csv baris 3: tahun 2027 di luar periode Renstra 2021-2026",
        "renstra.csv baris 5: kode 'IK-X' bukan indikator instansi ini pada tahun mana pun",
        "renstra.csv baris 4: IK-AKIP tahun 2026 sudah ada di renstra.csv baris 2",
    ]
    assert _stored(seeded) == before


def test_a_bad_period_in_the_same_batch_writes_neither_period_nor_targets(seeded: Engine) -> None:
    office_id = _office_id(seeded)
    with pytest.raises(ValidationError, match="kode 'IK-X'"):
        simpan_target_renstra(seeded, instansi_id=office_id, oleh="uji", periode=(2021, 2026),
                              entries=[EntriTargetRenstra("IK-X", 2026, "1")])
    with new_session(seeded) as session:
        office = session.get(Instansi, office_id)
        assert (office.renstra_awal, office.renstra_akhir) == (None, None)
    assert _stored(seeded) == ([], [], [])


@pytest.mark.parametrize(("awal", "akhir", "message"), [
    (2026, 2021, "tahun akhir harus sesudah tahun awal"),
    (2021, 2021, "tahun akhir harus sesudah tahun awal"),
    (2010, 2030, "paling lama 10 tahun"),
    (2021, None, "harus diisi keduanya"),
    (1990, 1994, "tahun awal Renstra harus 2000-2100, bukan 1990"),
])
def test_an_unreasonable_renstra_period_is_refused(seeded: Engine, awal: int, akhir: int | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        simpan_periode_renstra(seeded, instansi_id=_office_id(seeded), awal=awal, akhir=akhir, oleh="uji")
    assert _stored(seeded) == ([], [], [])


def test_only_the_admin_may_manage_the_renstra(seeded: Engine) -> None:
    akun = add_users(seeded)
    office_id = akun.admin.instansi_id
    for peran in ("pimpinan", "operator"):
        with pytest.raises(ValidationError, match="mengelola target Renstra dan riwayat realisasi"):
            simpan_target_renstra(seeded, instansi_id=office_id, pengguna=akun[peran], oleh=akun[peran].username,
                                  entries=[EntriTargetRenstra("IK-AKIP", 2026, "73")])
        with pytest.raises(ValidationError, match="mengelola target Renstra"):
            simpan_riwayat(seeded, instansi_id=office_id, pengguna=akun[peran], oleh=akun[peran].username,
                           entries=[EntriRiwayat("IK-AKIP", 2024, "70", None, "")])
        with pytest.raises(ValidationError, match="mengelola target Renstra"):
            simpan_periode_renstra(seeded, instansi_id=office_id, awal=2021, akhir=2026, pengguna=akun[peran])
    assert _stored(seeded) == ([], [], [])
    simpan_riwayat(seeded, instansi_id=office_id, pengguna=akun.admin, entries=[EntriRiwayat("IK-AKIP", 2024, "70",
                                                                                             None, "")])
    assert _stored(seeded)[1] == [("IK-AKIP", 2024, D("70"), None, "", "meri")]


# --- CSV ------------------------------------------------------------------------------------------


def test_a_good_history_csv_is_read_exactly() -> None:
    data = RIWAYAT_CSV + b'IK-AKIP,2024,"69,50","101,5",LKjIP 2024\nIK-IKM,2023,85.1,,\n\n'
    entries = parse_riwayat_csv(data, "riwayat.csv")
    assert [(e.kode, e.tahun, e.realisasi, e.capaian, e.sumber, e.lokasi) for e in entries] == [
        ("IK-AKIP", 2024, D("69.50"), D("101.5"), "LKjIP 2024", "riwayat.csv baris 2"),
        ("IK-IKM", 2023, D("85.1"), None, "", "riwayat.csv baris 3"),
    ]
    # Excel's semicolon CSV, without the optional columns.
    entries = parse_renstra_csv(b"kode;tahun;target\r\nIK-AKIP;2026;73,5\r\n", "renstra.csv")
    assert [(e.kode, e.tahun, e.target) for e in entries] == [("IK-AKIP", 2026, D("73.5"))]


def test_every_bad_line_of_a_history_csv_is_named() -> None:
    data = RIWAYAT_CSV + (b"IK-AKIP,2024,70,,ok\n"
                          b",2023,70,,\n"
                          b"IK-AKIP,dua ribu,70,,\n"
                          b"IK-AKIP,2022,=SUM(A1:A2),,\n"
                          b"IK-AKIP,2021,,,\n")
    with pytest.raises(ValidationError) as e:
        parse_riwayat_csv(data, "riwayat.csv")
    assert e.value.problems == [
        "riwayat.csv baris 3: kode harus diisi",
        "riwayat.csv baris 4: tahun 'dua ribu' bukan angka",
        "riwayat.csv baris 5: realisasi '=SUM(A1:A2)' bukan angka",
        "riwayat.csv baris 6: realisasi atau capaian harus diisi",
    ]


@pytest.mark.parametrize(("data", "message"), [
    (b"kode,tahun,realisasi\n", "riwayat.csv: tidak ada baris data"),
    (b"kode,tahun,capaian\nIK-AKIP,2024,100\n", "kolom wajib tidak ada: realisasi"),
    (b"kode,tahun,realisasi,catatan\nIK-AKIP,2024,1,x\n", "kolom tidak dikenal: catatan"),
])
def test_a_history_csv_with_the_wrong_header_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as e:
        parse_riwayat_csv(data, "riwayat.csv")
    assert any(message in p for p in e.value.problems), e.value.problems


def test_every_bad_line_of_a_renstra_csv_is_named() -> None:
    with pytest.raises(ValidationError) as e:
        parse_renstra_csv(RENSTRA_CSV + b"IK-AKIP,2026,\nIK-AKIP,2025,1e9\n", "renstra.csv")
    assert e.value.problems == ["renstra.csv baris 2: target harus diisi",
                                "renstra.csv baris 3: target '1e9': tulis angka biasa, tanpa notasi e"]


# --- command line ---------------------------------------------------------------------------------


@pytest.fixture
def kinerja(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    return CliRunner()


def test_the_cli_imports_renstra_targets_with_the_period_and_history(
    kinerja: CliRunner, seeded: Engine, tmp_path: Path
) -> None:
    renstra = tmp_path / "renstra.csv"
    renstra.write_bytes(RENSTRA_CSV + b"IK-AKIP,2026,73\nIK-AKIP,2021,66\n")
    result = kinerja.invoke(app, ["import", "renstra", str(renstra), "--awal", "2021", "--akhir", "2026",
                                  "--oleh", "andi"])
    assert result.exit_code == 0, result.output
    assert "2 baris diperiksa, 2 target Renstra disimpan." in result.output
    riwayat = tmp_path / "riwayat.csv"
    riwayat.write_bytes(RIWAYAT_CSV + b"IK-AKIP,2024,70.02,,LKjIP 2024\n")
    result = kinerja.invoke(app, ["import", "riwayat", str(riwayat), "--oleh", "andi"])
    assert result.exit_code == 0, result.output
    assert "1 baris diperiksa, 1 baris riwayat disimpan." in result.output
    targets, rows, jejak = _stored(seeded)
    assert targets == [("IK-AKIP", 2021, D("66")), ("IK-AKIP", 2026, D("73"))]
    assert rows == [("IK-AKIP", 2024, D("70.02"), None, "LKjIP 2024", "andi")]
    assert ("instansi", "periode_renstra", "ubah", "andi") in jejak
    result = kinerja.invoke(app, ["renstra"])
    assert "Kecamatan Mangkutana: periode Renstra 2021-2026." in result.output


def test_the_cli_refuses_a_bad_file_naming_its_lines_and_writes_nothing(
    kinerja: CliRunner, seeded: Engine, tmp_path: Path
) -> None:
    riwayat = tmp_path / "riwayat.csv"
    riwayat.write_bytes(RIWAYAT_CSV + b"IK-AKIP,2024,70,,\nIK-NOPE,2023,1,,\nIK-AKIP,2026,1,,\n")
    result = kinerja.invoke(app, ["import", "riwayat", str(riwayat)])
    assert result.exit_code == 1
    assert "riwayat.csv baris 3: kode 'IK-NOPE' bukan indikator instansi ini pada tahun mana pun" in result.output
    assert "riwayat.csv baris 4: tahun 2026 sudah ada di aplikasi" in result.output
    assert _stored(seeded) == ([], [], [])


def test_the_cli_sets_and_shows_the_renstra_period(kinerja: CliRunner, seeded: Engine) -> None:
    assert "periode Renstra belum diatur" in kinerja.invoke(app, ["renstra"]).output
    result = kinerja.invoke(app, ["renstra", "--awal", "2021", "--akhir", "2026"])
    assert result.exit_code == 0, result.output
    assert "Periode Renstra disimpan." in result.output
    assert "periode Renstra 2021-2026" in result.output
    result = kinerja.invoke(app, ["renstra", "--awal", "2026", "--akhir", "2021"])
    assert result.exit_code == 1
    assert "tahun akhir harus sesudah tahun awal" in result.output
    with new_session(seeded) as session:
        office = session.get(Instansi, get_instansi(session).id)
        assert (office.renstra_awal, office.renstra_akhir) == (2021, 2026)
