"""The 2025 PK seed, checked against the signed document, and the seed loader's validation.

Expected figures are transcribed from ../shared/seeds/000_10e52f6e21620ea9.txt (the Perjanjian
Kinerja Perubahan 2025 of Kecamatan Mangkutana) and DOMAIN.md, not from the seed files.
"""

import csv
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

from kinerja.aturan.pk_data import SeedError
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.cli import app
from kinerja.simpan.db import new_session
from kinerja.simpan.models import (
    Anggaran,
    BarisPK,
    Indikator,
    Instansi,
    Pagu,
    Pejabat,
    Perjanjian,
    Realisasi,
    Target,
    Unit,
    Versi,
)
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.seed import init_database, read_seed
from tests.conftest import seeded_database

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "mangkutana-2025"
PG_URL = os.environ.get("KINERJA_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

# The document's agreements and how many indicator rows each lists (DOMAIN.md table).
ROWS_PER_AGREEMENT = {
    "CAMAT": 8, "SEKCAM": 9, "PEMUM": 3, "PMD": 5, "TRANTIB": 5, "PELAYANAN": 2, "PERENCANAAN": 8, "UMUMKEU": 26,
}
# Program budget table of the Camat's PK.
PROGRAM_PAGU = {
    "PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK": 10_745_500,
    "PROGRAM PEMBERDAYAAN MASYARAKAT DESA DAN KELURAHAN": 68_188_400,
    "PROGRAM KOORDINASI KETENTRAMAN DAN KETERTIBAN UMUM": 12_680_600,
    "PROGRAM PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM": 27_348_100,
    "PROGRAM PEMBINAAN DAN PENGAWASAN PEMERINTAHAN DESA": 14_221_800,
    "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA": 2_873_283_457,
}
# A few kegiatan and sub-kegiatan from the Kasubag Umum dan Keuangan's and the Sekretaris Camat's PK.
NODE_PAGU = {
    "Administrasi Keuangan Perangkat Daerah": 2_210_249_677,
    "Penyediaan Gaji dan Tunjangan ASN": 2_170_964_177,
    "Koordinasi dan Penyusunan Laporan Keuangan Bulanan/Triwulanan/Semesteran SKPD": 39_285_500,
    "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah": 32_603_700,
    "Administrasi Umum Perangkat Daerah": 368_136_580,
    "Fasilitasi Kunjungan Tamu": 199_470_000,
    "Pemeliharaan/Rehabilitasi Sarana dan Prasarana Gedung Kantor atau Bangunan Lainnya": 1_830_000,
}
# The indicators listed in two agreements: the Camat's program row is the Sekretaris Camat's row A,
# and the Sekretaris Camat's kegiatan rows 1-8 reappear in the two Kasubag's PKs.
SHARED = {
    "Persentase Penunjang Urusan Perangkat Daerah Berjalan Sesuai Standar": {"CAMAT", "SEKCAM"},
    "Persentase Ketercapaian Target Kinerja Perangkat Daerah": {"SEKCAM", "PERENCANAAN"},
    "Persentase Realisasi Anggaran": {"SEKCAM", "UMUMKEU"},
    "Persentase Aset Teradministrasi": {"SEKCAM", "UMUMKEU"},
    "Persentase Dokumen Kepegawaian Sesuai Standar": {"SEKCAM", "PERENCANAAN"},
    "Persentase Layanan Administrasi Tepat Waktu": {"SEKCAM", "UMUMKEU"},
    "Persentase Kesesuaian Pengadaan Barang dengan Rencana Kebutuhan": {"SEKCAM", "UMUMKEU"},
    "Persentase Penyediaan Jasa sesuai Kebutuhan": {"SEKCAM", "UMUMKEU"},
    "Persentase Barang Dipelihara secara Berkala": {"SEKCAM", "UMUMKEU"},
}


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The 2025 seed, loaded once for this module's read-only tests."""
    with seeded_database(request.param, tmp_path_factory.mktemp("seed")) as engine:
        yield engine


def baris_per_unit(engine: Engine) -> list[tuple[str, Indikator]]:
    with new_session(engine) as session:
        return list(session.exec(
            select(Unit.kode, Indikator)
            .join(Perjanjian, Perjanjian.unit_id == Unit.id)
            .join(BarisPK, BarisPK.perjanjian_id == Perjanjian.id)
            .join(Indikator, Indikator.id == BarisPK.indikator_id)
        ).all())


def pagu_by_kode(engine: Engine) -> dict[str, tuple[str, str | None, str, int]]:
    """kode -> (tingkat, induk kode, nama, pagu)."""
    with new_session(engine) as session:
        rows = session.exec(select(Anggaran, Pagu).join(Pagu, Pagu.anggaran_id == Anggaran.id)).all()
    kode_of = {a.id: a.kode for a, _ in rows}
    return {a.kode: (a.tingkat, kode_of.get(a.induk_id), a.nama, p.pagu) for a, p in rows}


def count_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


# --- what the seed holds ------------------------------------------------------------------


def test_66_indicator_rows_in_8_agreements(db):
    rows = baris_per_unit(db)
    assert len(rows) == 66
    assert Counter(unit for unit, _ in rows) == ROWS_PER_AGREEMENT


def test_57_distinct_indicators(db):
    with new_session(db) as session:
        kodes = session.exec(select(Indikator.kode)).all()
    assert len(kodes) == len(set(kodes)) == 57


def test_55_budget_lines_6_programs_14_kegiatan_35_sub_kegiatan(db):
    nodes = pagu_by_kode(db)
    assert len(nodes) == 55
    assert Counter(t for t, _, _, _ in nodes.values()) == {"program": 6, "kegiatan": 14, "sub_kegiatan": 35}


def test_program_pagu_as_in_the_document_totalling_rp_3_006_467_857(db):
    programs = {nama: pagu for tingkat, _, nama, pagu in pagu_by_kode(db).values() if tingkat == "program"}
    assert programs == PROGRAM_PAGU
    assert sum(programs.values()) == 3_006_467_857


@pytest.mark.parametrize(("nama", "pagu"), NODE_PAGU.items())
def test_kegiatan_and_sub_kegiatan_pagu_as_in_the_document(db, nama, pagu):
    assert [p for _, _, n, p in pagu_by_kode(db).values() if n == nama] == [pagu]


def test_every_parent_pagu_equals_the_sum_of_its_children(db):
    nodes = pagu_by_kode(db)
    children: dict[str, int] = Counter()
    for tingkat, induk, _, pagu in nodes.values():
        assert (induk is None) == (tingkat == "program")
        if induk:
            assert nodes[induk][0] == {"kegiatan": "program", "sub_kegiatan": "kegiatan"}[tingkat]
            children[induk] += pagu
    parents = {k for k, (t, _, _, _) in nodes.items() if t != "sub_kegiatan"}
    assert set(children) == parents  # every program and kegiatan has children
    for kode in parents:
        assert children[kode] == nodes[kode][3], kode


def test_shared_indicators_have_one_kode_in_both_agreements(db):
    by_name: dict[str, set[tuple[str, str]]] = {}
    for unit, ind in baris_per_unit(db):
        by_name.setdefault(ind.nama, set()).add((unit, ind.kode))
    shared = {nama: rows for nama, rows in by_name.items() if len(rows) > 1}
    assert {nama: {u for u, _ in rows} for nama, rows in shared.items()} == SHARED
    for rows in shared.values():
        assert len({kode for _, kode in rows}) == 1
    assert {k for u, k in by_name["Persentase Realisasi Anggaran"]} == {"IK-6.2"}


@pytest.mark.parametrize(
    ("nama", "satuan", "target", "agregasi"),
    [
        ("Nilai AKIP Perangkat Daerah", "Nilai", "70.05", "terakhir"),
        ("Indeks Kepuasan Masyarakat (IKM)", "Nilai", "87.5", "terakhir"),
        ("Jumlah Orang yang Menerima Gaji dan Tunjangan ASN", "Orang/bulan", "25", "rata_rata"),
        ("Jumlah dokumen perencanaan perangkat daerah yang disusun", "Dokumen", "3", "jumlah"),
        ("Tersedianya bahan Bacaan dan Peraturan Perundang-Undangan", "Jenis", "48", "jumlah"),
        ("Jumlah Dokumen yang Difasilitasi dalam rangka Penyusunan Peraturan Desa dan Peraturan Kepala Desa",
         "Dokumen", "22", "jumlah"),
        ("Jumlah Peralatan dan Mesin Lainnya yang Dipelihara", "Unit", "13", "jumlah"),
        ("Persentase Realisasi Anggaran", "%", "100", "terakhir"),
    ],
)
def test_indicator_values_as_in_the_document(db, nama, satuan, target, agregasi):
    with new_session(db) as session:
        office = get_instansi(session)
        year = compute_capaian_tahun(session, office, 2025, 4)
    rows = [r for r in year.rows() if r["indikator"] == nama]
    assert rows, nama
    for row in rows:
        assert row["satuan"] == satuan
        assert row["target_tahunan"] == Decimal(target)
    assert {b.indikator.agregasi for b in year.data_tahun.baris if b.indikator.nama == nama} == {agregasi}


def test_akip_renstra_target_differs_from_the_pk_target(db):
    with new_session(db) as session:
        akip = session.exec(select(Indikator).where(Indikator.nama == "Nilai AKIP Perangkat Daerah")).one()
    assert akip.target_renstra == Decimal("71.60")
    assert akip.polaritas == "positif"


def test_officials_and_signing_date_as_in_the_document(db):
    with new_session(db) as session:
        versi = session.exec(select(Versi)).one()
        pejabat = {p.id: p for p in session.exec(select(Pejabat))}
        units = {u.id: u.kode for u in session.exec(select(Unit))}
        perjanjian = session.exec(select(Perjanjian)).all()
        instansi = session.exec(select(Instansi)).one()
    assert (instansi.nama, instansi.kabupaten) == ("Kecamatan Mangkutana", "Kabupaten Luwu Timur")
    assert (versi.tahun, versi.tanggal) == (2025, date(2025, 10, 1))
    assert len(perjanjian) == 8
    signed = {units[p.unit_id]: (pejabat[p.pihak_pertama_id], pejabat[p.pihak_kedua_id]) for p in perjanjian}
    camat, bupati = signed["CAMAT"]
    assert (camat.nama, camat.nip) == ("DARMAWATI, SE", "197010241992032005")
    assert bupati.nama == "Ir. H. Irwan Bachri Syam, ST, IPM"
    # who reports to whom (DOMAIN.md table)
    for unit in ("SEKCAM", "PEMUM", "PMD", "TRANTIB", "PELAYANAN"):
        assert signed[unit][1].id == camat.id, unit
    for unit in ("PERENCANAAN", "UMUMKEU"):
        assert signed[unit][1].id == signed["SEKCAM"][0].id, unit
    assert signed["UMUMKEU"][0].nama == "MANSYUR, S.SOS"
    assert signed["SEKCAM"][0].nip == "197911122006041008"
    assert all(p.tanggal == date(2025, 10, 1) for p in perjanjian)


# --- one indicator, one realisation -----------------------------------------------------------


def test_a_shared_indicator_has_one_realisation_seen_in_both_agreements(seeded, instansi_id):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriRealisasi(kode="IK-6.3", bulan=3, pembilang=Decimal(45), penyebut=Decimal(50)),
    ])
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriAnggaran(kode="6.2.1", bulan=2, realisasi=221_024_967),  # 10 % of kegiatan 6.2, near enough
    ])
    with new_session(seeded) as session:
        rows = compute_capaian_tahun(session, get_instansi(session), 2025, 1).rows()
        assert session.exec(select(func.count()).select_from(Realisasi)).one() == 1
    aset = [r for r in rows if r["indikator"] == "Persentase Aset Teradministrasi"]
    assert {r["unit"] for r in aset} == {"SEKCAM", "UMUMKEU"}
    assert all(r["realisasi_sd_tw"] == 90 for r in aset)  # 45 / 50
    anggaran = [r for r in rows if r["indikator"] == "Persentase Realisasi Anggaran"]
    assert {r["unit"] for r in anggaran} == {"SEKCAM", "UMUMKEU"}
    assert anggaran[0]["realisasi_sd_tw"] == anggaran[1]["realisasi_sd_tw"]
    # 221.024.967 / 2.210.249.677 × 100 = 9,99999998...
    assert abs(anggaran[0]["realisasi_sd_tw"] - Decimal(10)) < Decimal("0.0001")


# --- loading twice -------------------------------------------------------------------------------


def test_init_database_twice_changes_nothing_and_keeps_what_was_entered(seeded, instansi_id):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriRealisasi(kode="IK-6.1.1", bulan=2, nilai=Decimal(1)),
    ])
    with new_session(seeded) as session:
        sekcam = session.exec(select(Pejabat).where(Pejabat.kode == "sekcam")).one()
        sekcam.nama = "SAMUEL NASRANI, SIP"  # an admin corrects the document's typo
        session.add(sekcam)
        session.commit()
    before = count_rows(seeded)

    done = init_database(seeded, DATA)

    assert done == ["Kecamatan Mangkutana 2025: sudah ada, tidak diubah"]
    assert count_rows(seeded) == before
    with new_session(seeded) as session:
        realisasi = session.exec(select(Realisasi)).one()
        assert realisasi.nilai == 1 and realisasi.bulan == 2
        assert session.exec(select(Pejabat.nama).where(Pejabat.kode == "sekcam")).one() == "SAMUEL NASRANI, SIP"


def test_kinerja_init_loads_once_and_is_safe_to_repeat(tmp_path):
    env = {"KINERJA_DATABASE_URL": f"sqlite:///{tmp_path / 'kinerja.db'}", "KINERJA_DATA_DIR": str(DATA)}
    first = CliRunner().invoke(app, ["init"], env=env)
    assert first.exit_code == 0, first.output
    assert "Kecamatan Mangkutana 2025: dimuat (66 baris indikator, 55 baris anggaran)" in first.output
    second = CliRunner().invoke(app, ["init"], env=env)
    assert second.exit_code == 0, second.output
    assert "sudah ada, tidak diubah" in second.output


# --- validation of a broken seed folder ---------------------------------------------------------


def edit_csv(path: Path, kode: str, in_unit: str | None = None, **changes: str) -> int:
    """Change columns of the row with this kode (in this unit's agreement); return its line number."""
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    matches = [i for i, r in enumerate(rows) if r["kode"] == kode and (in_unit is None or r["unit"] == in_unit)]
    assert len(matches) == 1
    rows[matches[0]].update(changes)
    write_csv(path, fields, rows)
    return matches[0] + 2


def write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def break_pagu(folder: Path) -> list[str]:
    line = edit_csv(folder / "anggaran.csv", "6.1", pagu="32603701")
    return ["anggaran.csv, baris", f"baris {line}", "kode 6.1", "32.603.701", "jumlah pagu anaknya 32.603.700"]


def break_unit(folder: Path) -> list[str]:
    line = edit_csv(folder / "indikator.csv", "IK-6.2.1", unit="KEUANGAN")
    return ["indikator.csv", f"baris {line}", "kode IK-6.2.1", "unit 'KEUANGAN' tidak ada"]


def break_anggaran_kode(folder: Path) -> list[str]:
    line = edit_csv(folder / "indikator.csv", "IK-6.1.1", anggaran_kode="6.1.9")
    return ["indikator.csv", f"baris {line}", "kode IK-6.1.1", "anggaran_kode '6.1.9' tidak ada"]


def break_agregasi(folder: Path) -> list[str]:
    line = edit_csv(folder / "indikator.csv", "IK-6.2.1", agregasi="median")
    return ["indikator.csv", f"baris {line}", "kode IK-6.2.1", "agregasi 'median' tidak dikenal"]


def break_column(folder: Path) -> list[str]:
    path = folder / "indikator.csv"
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = [c for c in reader.fieldnames or [] if c != "satuan"]
        rows = [{k: v for k, v in r.items() if k != "satuan"} for r in reader]
    write_csv(path, fields, rows)
    return ["indikator.csv", "kolom tidak ada", "satuan"]


def break_shared_target(folder: Path) -> list[str]:
    line = edit_csv(folder / "indikator.csv", "IK-6.2", in_unit="UMUMKEU", target="90")
    return ["indikator.csv", f"baris {line}", "kode IK-6.2", "kolom target berbeda"]


def break_yaml(folder: Path) -> list[str]:
    path = folder / "pk.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tahun: 2025", "tahun: [2025"), encoding="utf-8")
    return ["pk.yaml", "YAML", "line"]


def break_perjanjian(folder: Path) -> list[str]:
    path = folder / "pk.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "{unit: PELAYANAN, pihak_pertama" not in line), encoding="utf-8")
    return ["indikator.csv", "kode IK-1.1", "PELAYANAN", "perjanjian"]


def edit_yaml(folder: Path, change: Callable[[dict], None]) -> None:
    path = folder / "pk.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def unit_of(meta: dict, kode: str) -> dict:
    return next(u for u in meta["unit"] if u["kode"] == kode)


def break_name_nul(folder: Path) -> list[str]:
    # a NUL cannot be stored by PostgreSQL: refused as a named problem instead of a crash
    line = edit_csv(folder / "indikator.csv", "IK-6.1.1", indikator="Jumlah\x00dokumen")
    return ["indikator.csv", f"baris {line}", "kode IK-6.1.1", "indikator berisi karakter kendali"]


def break_name_empty(folder: Path) -> list[str]:
    line = edit_csv(folder / "indikator.csv", "IK-6.1.1", indikator="")
    return ["indikator.csv", f"baris {line}", "kode IK-6.1.1", "indikator harus diisi"]


def break_indikator_kode(folder: Path) -> list[str]:
    path = folder / "indikator.csv"
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    line = next(i for i, r in enumerate(rows) if r["kode"] == "IK-6.1.1") + 2
    rows[line - 2]["kode"] = "IK-" + "1" * 58
    write_csv(path, fields, rows)
    return ["indikator.csv", f"baris {line}", "paling panjang 60 karakter, bukan 61"]


def break_pagu_huge(folder: Path) -> list[str]:
    line = edit_csv(folder / "anggaran.csv", "6.1.1", pagu=str(2**63))
    return ["anggaran.csv", f"baris {line}", "kode 6.1.1", "pagu", "terlalu besar"]


def break_unit_kode(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: unit_of(meta, "PMD").update(kode="PMD: DESA"))
    return ["pk.yaml, unit PMD: DESA", "kode unit 'PMD: DESA' harus 1-31 karakter", "nama lembar Excel"]


def break_unit_twice(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: meta["unit"].append(dict(unit_of(meta, "PMD"))))
    return ["pk.yaml, unit PMD", "kode unit ganda"]


def break_unit_cycle(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: unit_of(meta, "CAMAT").update(induk="PEMUM"))
    return ["pk.yaml, unit CAMAT", "induk melingkar"]


def break_tahun(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: meta.update(tahun=2**63))
    return ["pk.yaml, tahun", "harus bilangan bulat 2000-2100"]


def break_versi_nomor(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: meta["versi"].update(nomor=-1))
    return ["pk.yaml, versi.nomor", "harus bilangan bulat 0-99, bukan '-1'"]


def break_instansi_kode(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: meta["instansi"].update(kode="mangkutana/2025"))
    return ["pk.yaml, instansi.kode", "kode instansi 'mangkutana/2025' harus 1-40 karakter"]


def break_jabatan(folder: Path) -> list[str]:
    edit_yaml(folder, lambda meta: meta["pejabat"][1].pop("jabatan"))
    return ["pk.yaml, pejabat camat", "jabatan harus diisi"]


def break_latin1(folder: Path) -> list[str]:
    path = folder / "indikator.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Dokumen", "Dokumén").encode("latin-1"))
    return ["indikator.csv: bukan teks UTF-8", "simpan ulang berkas sebagai UTF-8"]


def break_yaml_binary(folder: Path) -> list[str]:
    (folder / "pk.yaml").write_bytes(b"\x89PNG\r\n\x1a\n")
    return ["pk.yaml: bukan teks UTF-8 (byte ke-1)"]


@pytest.mark.parametrize(
    "breaker",
    [
        break_pagu, break_unit, break_anggaran_kode, break_agregasi, break_column, break_shared_target,
        break_yaml, break_perjanjian, break_name_nul, break_name_empty, break_indikator_kode, break_pagu_huge,
        break_unit_kode, break_unit_twice, break_unit_cycle, break_tahun, break_versi_nomor, break_instansi_kode,
        break_jabatan, break_latin1, break_yaml_binary,
    ],
)
def test_a_broken_seed_is_refused_with_file_entry_and_problem_and_loads_nothing(engine, tmp_path, breaker):
    data = tmp_path / "data"
    shutil.copytree(SEED, data / SEED.name)
    expected = breaker(data / SEED.name)

    with pytest.raises(SeedError) as read_error:
        read_seed(data / SEED.name)
    with pytest.raises(SeedError) as init_error:
        init_database(engine, data)

    for error in (read_error.value, init_error.value):
        problem = [p for p in error.problems if all(part in p for part in expected)]
        assert problem, (expected, error.problems)
        assert problem[0] in str(error)
    assert {t: n for t, n in count_rows(engine).items() if n and t != "alembic_version"} == {}


def test_kinerja_init_with_a_broken_seed_exits_non_zero_and_says_why(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SEED, data / SEED.name)
    expected = break_agregasi(data / SEED.name)
    env = {"KINERJA_DATABASE_URL": f"sqlite:///{tmp_path / 'kinerja.db'}", "KINERJA_DATA_DIR": str(data)}
    result = CliRunner().invoke(app, ["init"], env=env)
    assert result.exit_code == 2
    assert any(all(part in line for part in expected) for line in result.output.splitlines()), result.output


# --- a PK Perubahan keeps what was reported under the earlier version ---------------------------


def add_revision(engine: Engine, berlaku_bulan: int, targets: dict[str, Decimal]) -> None:
    """Publish a copy of the 2025 version in force from `berlaku_bulan`, with some targets changed."""
    with new_session(engine) as session:
        old = session.exec(select(Versi)).one()
        new = Versi(
            instansi_id=old.instansi_id, tahun=old.tahun, nomor=old.nomor + 1, nama="PK Perubahan 2",
            tanggal=date(2025, 7, 1), berlaku_bulan=berlaku_bulan, status="terbit",
        )
        session.add(new)
        session.flush()
        kode_of = {i.id: i.kode for i in session.exec(select(Indikator))}
        for t in session.exec(select(Target).where(Target.versi_id == old.id)).all():
            session.add(Target(
                indikator_id=t.indikator_id, versi_id=new.id, tahunan=targets.get(kode_of[t.indikator_id], t.tahunan),
                tw1=t.tw1, tw2=t.tw2, tw3=t.tw3, tw4=t.tw4,
            ))
        for p in session.exec(select(Pagu).where(Pagu.versi_id == old.id)).all():
            session.add(Pagu(anggaran_id=p.anggaran_id, versi_id=new.id, pagu=p.pagu))
        for pk in session.exec(select(Perjanjian).where(Perjanjian.versi_id == old.id)).all():
            copy = Perjanjian(
                versi_id=new.id, unit_id=pk.unit_id, tanggal=date(2025, 7, 1),
                pihak_pertama_id=pk.pihak_pertama_id, pihak_kedua_id=pk.pihak_kedua_id,
            )
            session.add(copy)
            session.flush()
            for b in session.exec(select(BarisPK).where(BarisPK.perjanjian_id == pk.id)).all():
                session.add(BarisPK(
                    perjanjian_id=copy.id, indikator_id=b.indikator_id, no=b.no, sasaran=b.sasaran, urutan=b.urutan,
                ))
        session.commit()


def test_a_revision_from_july_leaves_the_capaian_of_earlier_triwulan_as_reported(seeded, instansi_id):
    # Jumlah dokumen perencanaan: 1 Dokumen in February; the PK Perubahan of July raises 3 to 6 Dokumen
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriRealisasi(kode="IK-6.1.1", bulan=2, nilai=Decimal(1)),
    ])

    def row(triwulan: int) -> dict:
        with new_session(seeded) as session:
            rows = compute_capaian_tahun(session, get_instansi(session), 2025, triwulan).rows()
        return next(r for r in rows if r["kode"] == "IK-6.1.1")

    reported = row(1)
    add_revision(seeded, berlaku_bulan=7, targets={"IK-6.1.1": Decimal(6)})

    assert row(1) == reported  # TW I as reported under the earlier version: 1 / 0,75
    assert row(1)["target_sd_tw"] == Decimal("0.75")
    assert row(2)["target_sd_tw"] == Decimal("1.5")  # June: the earlier version is still in force
    assert row(3)["target_tahunan"] == 6  # from July: the revised target, 6 × 3/4 = 4,5 s.d. TW III
    assert row(3)["target_sd_tw"] == Decimal("4.5")
    assert abs(row(3)["capaian_sd_tw"] - Decimal(100) / Decimal("4.5")) < Decimal("1e-20")
