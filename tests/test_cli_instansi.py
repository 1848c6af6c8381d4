"""A server for a whole kabupaten, set up from the command line (issue 13): the pemda, a second office under it
from a data/ folder, the list of offices, and the accounts (the office's first admin, the pemda's kabupaten user).
A wrong input is told in Indonesian, ends with a non-zero exit and leaves the database as it was.
"""

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func
from sqlmodel import select
from typer.testing import CliRunner, Result

from kinerja.cli import app
from kinerja.simpan.auth import verify_password
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Instansi, Jejak, Pengguna, Unit, Versi
from kinerja.simpan.wewenang import instansi_terlihat
from tests.conftest import SEED_2025

SANDI = "Rahasia-Kuat-2025!"
Run = Callable[..., Result]


@pytest.fixture
def kinerja(seeded: Engine, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `kinerja ARGS` against the seeded database (Mangkutana 2025); never an exception or a trace."""
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.delenv("KINERJA_SANDI_BARU", raising=False)

    def run(*args: object, input: str | None = None, sandi: str | None = None) -> Result:
        env = {"KINERJA_SANDI_BARU": sandi} if sandi is not None else {}
        result = CliRunner().invoke(app, [str(a) for a in args], input=input, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        return result

    return run


def folder_pk(root: Path, kode: str, nama: str) -> Path:
    """A copy of the Mangkutana 2025 folder for another office (same units, PK and budget)."""
    folder = root / f"{kode}-2025"
    shutil.copytree(SEED_2025, folder)
    meta = yaml.safe_load((folder / "pk.yaml").read_text(encoding="utf-8"))
    meta["instansi"].update(kode=kode, nama=nama)
    (folder / "pk.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return folder


def isi(engine: Engine) -> dict[str, int]:
    """How many offices, PK versions, units, users and audit rows the database holds."""
    with new_session(engine) as session:
        return {m.__name__: session.exec(select(func.count()).select_from(m)).one()
                for m in (Instansi, Versi, Unit, Pengguna, Jejak)}


def instansi(engine: Engine, kode: str) -> Instansi | None:
    with new_session(engine) as session:
        return session.exec(select(Instansi).where(Instansi.kode == kode)).first()


# --- a kabupaten set up end to end ------------------------------------------------------------------------


def test_a_pemda_an_office_under_it_and_its_accounts(kinerja: Run, seeded: Engine, tmp_path: Path) -> None:
    result = kinerja("instansi", "pemda", "--kode", "pemda-lutim", "--nama", "Pemerintah Kabupaten Luwu Timur")
    assert result.exit_code == 0, result.output
    pemda = instansi(seeded, "pemda-lutim")
    assert pemda is not None and pemda.jenis == "pemda"
    assert pemda.kabupaten == "Kabupaten Luwu Timur"  # the name without "Pemerintah", as data/ folders write it

    wotu = folder_pk(tmp_path, "wotu", "Kecamatan Wotu")
    result = kinerja("instansi", "add", "--data", wotu, "--pemda", "pemda-lutim")
    assert result.exit_code == 0, result.output
    assert "wotu (Kecamatan Wotu), PK 2025: 66 baris indikator" in result.output
    office = instansi(seeded, "wotu")
    assert office is not None and office.induk_id == pemda.id
    with new_session(seeded) as session:
        # the year is published, as `kinerja init` loads data/: the office can start entering at once
        assert list(session.exec(select(Versi.status).where(Versi.instansi_id == office.id))) == ["terbit"]
        assert len(list(session.exec(select(Unit).where(Unit.instansi_id == office.id)))) == 8  # as Mangkutana
        audit = {(j.tabel, j.kunci, j.aksi) for j in session.exec(select(Jejak).where(Jejak.tabel == "instansi"))}
    assert audit == {("instansi", "pemda-lutim", "tambah"), ("instansi", "wotu", "tambah")}

    # the first account of the database must be an admin: the pemda's, then its kabupaten user
    result = kinerja("pengguna", "add", "--instansi", "pemda-lutim", "--username", "admin.pemda", "--nama",
                     "Admin Pemda", "--peran", "admin", sandi=SANDI)
    assert result.exit_code == 0, result.output
    result = kinerja("pengguna", "add", "--instansi", "pemda-lutim", "--username", "bupati", "--nama",
                     "Bupati Luwu Timur", "--peran", "kabupaten", input=f"{SANDI}\n{SANDI}\n")
    assert result.exit_code == 0, result.output
    assert "Pengguna dibuat: bupati (kabupaten)" in result.output
    assert SANDI not in result.output  # typed at a hidden prompt
    result = kinerja("pengguna", "add", "--instansi", "wotu", "--username", "op.wotu", "--nama", "Operator Wotu",
                     "--peran", "operator", "--unit", "PELAYANAN", sandi=SANDI)
    assert result.exit_code == 0, result.output

    with new_session(seeded) as session:
        bupati = session.exec(select(Pengguna).where(Pengguna.username == "bupati")).one()
        assert bupati.instansi_id == pemda.id and verify_password(bupati.password_hash, SANDI)
        # what the account is for: the bupati reads Wotu, which belongs to the pemda, and not Mangkutana, which does not
        assert [i.kode for i in instansi_terlihat(session, bupati)] == ["wotu"]
        operator = session.exec(select(Pengguna).where(Pengguna.username == "op.wotu")).one()
        assert session.get(Unit, operator.unit_id).kode == "PELAYANAN"

    result = kinerja("instansi", "list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "kode,nama,jenis,pemda,tahun_pk,pengguna",
        "mangkutana,Kecamatan Mangkutana,kecamatan,,2025,0",
        "pemda-lutim,Pemerintah Kabupaten Luwu Timur,pemda,,,2",  # admin.pemda + bupati; a pemda has no PK
        "wotu,Kecamatan Wotu,kecamatan,pemda-lutim,2025,1",  # op.wotu
    ]


def test_the_list_marks_a_draft_year(kinerja: Run, seeded: Engine) -> None:
    with new_session(seeded) as session:
        versi = session.exec(select(Versi)).one()
        baru = Versi(**{**versi.model_dump(exclude={"id"}), "tahun": 2026, "status": "draf"})
        session.add(baru)
        session.commit()
    result = kinerja("instansi", "list")
    assert result.output.splitlines()[1] == "mangkutana,Kecamatan Mangkutana,kecamatan,,2025 2026(draf),0"


# --- wrong inputs: told in Indonesian, nothing written ----------------------------------------------------


@pytest.fixture
def pemda(kinerja: Run) -> str:
    assert kinerja("instansi", "pemda", "--kode", "pemda-lutim", "--nama", "Pemerintah Kabupaten Luwu Timur",
                   "--kabupaten", "Luwu Timur").exit_code == 0
    return "pemda-lutim"


def rusak_tanpa_anggaran(root: Path) -> Path:
    folder = folder_pk(root, "wotu", "Kecamatan Wotu")
    (folder / "anggaran.csv").unlink()
    return folder


@pytest.mark.parametrize(("folder", "pemda_kode", "pesan"), [
    (lambda root: folder_pk(root, "wotu", "Kecamatan Wotu"), "tidak-ada",
     ["pemda 'tidak-ada' tidak ada (pemda yang ada: pemda-lutim)"]),
    (lambda root: folder_pk(root, "wotu", "Kecamatan Wotu"), "mangkutana",
     ["'mangkutana' adalah instansi kecamatan, bukan pemda"]),
    (lambda root: folder_pk(root, "mangkutana", "Kecamatan Mangkutana"), "pemda-lutim",
     ["kode instansi 'mangkutana' sudah dipakai"]),
    (lambda root: folder_pk(root, "MANGKUTANA", "Kecamatan Mangkutana"), "pemda-lutim",  # the kode names files
     ["kode instansi 'MANGKUTANA' sudah dipakai (sebagai 'mangkutana')"]),
    (lambda root: root / "tidak-ada", "pemda-lutim", ["tidak-ada: folder tidak ada"]),
    # every problem at once: the folder's and the pemda's
    (rusak_tanpa_anggaran, "tidak-ada", ["anggaran.csv: berkas tidak ada", "pemda 'tidak-ada' tidak ada"]),
], ids=["pemda-tidak-ada", "bukan-pemda", "kode-dipakai", "kode-beda-huruf", "folder-tidak-ada", "semua-masalah"])
def test_a_wrong_office_is_refused_and_nothing_is_written(
    kinerja: Run, seeded: Engine, pemda: str, tmp_path: Path, folder: Callable[[Path], Path], pemda_kode: str,
    pesan: list[str],
) -> None:
    sebelum = isi(seeded)
    result = kinerja("instansi", "add", "--data", folder(tmp_path), "--pemda", pemda_kode)
    assert result.exit_code == 2
    for p in pesan:
        assert p in result.stderr, result.stderr
    assert "Tidak ada yang disimpan." in result.stderr
    assert isi(seeded) == sebelum


def test_a_folder_with_errors_names_each_problem(kinerja: Run, seeded: Engine, tmp_path: Path) -> None:
    folder = folder_pk(tmp_path, "wotu", "Kecamatan Wotu")
    with (folder / "indikator.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        kolom, rows = reader.fieldnames or [], list(reader)
    rows[0].update(satuan="", polaritas="naik-turun")
    with (folder / "indikator.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=kolom)
        writer.writeheader()
        writer.writerows(rows)
    sebelum = isi(seeded)
    result = kinerja("instansi", "add", "--data", folder)
    assert result.exit_code == 2
    masalah = [line for line in result.stderr.splitlines() if "indikator.csv, baris 2" in line]
    assert len(masalah) == 2, result.stderr  # the empty satuan and the unknown polaritas, each with its place
    assert isi(seeded) == sebelum


@pytest.mark.parametrize(("args", "pesan"), [
    (["--kode", "pemda-lutim", "--nama", "Pemda Lain"], "kode instansi 'pemda-lutim' sudah dipakai"),
    (["--kode", "Pemda-Lutim", "--nama", "Pemda Lain"], "sudah dipakai (sebagai 'pemda-lutim')"),
    (["--kode", "mangkutana", "--nama", "Pemda Lain"], "kode instansi 'mangkutana' sudah dipakai"),
    (["--kode", "pemda lutim", "--nama", "Pemda Lain"], "harus 1-40 karakter: huruf A-Z atau a-z, angka 0-9"),
    (["--kode", "pemda-x", "--nama", "  "], "--nama tidak boleh kosong"),
])
def test_a_wrong_pemda_is_refused_and_nothing_is_written(
    kinerja: Run, seeded: Engine, pemda: str, args: list[str], pesan: str
) -> None:
    sebelum = isi(seeded)
    result = kinerja("instansi", "pemda", *args)
    assert result.exit_code == 2
    assert pesan in result.stderr and "Tidak ada yang disimpan." in result.stderr
    assert isi(seeded) == sebelum


@pytest.fixture
def admin(kinerja: Run, pemda: str) -> None:
    """The database's first account, an admin of Mangkutana (the first account must be an admin)."""
    assert kinerja("pengguna", "add", "--instansi", "mangkutana", "--username", "admin.camat", "--nama", "Admin",
                   "--peran", "admin", sandi=SANDI).exit_code == 0


@pytest.mark.parametrize(("args", "masukan", "pesan"), [
    (["--instansi", "mangkutana", "--peran", "kabupaten"], {"sandi": SANDI},
     "Peran kabupaten hanya untuk pengguna pemda"),
    (["--instansi", "pemda-lutim", "--peran", "operator", "--unit", "CAMAT"], {"sandi": SANDI},
     "unit 'CAMAT' tidak ada di Pemerintah Kabupaten Luwu Timur"),
    (["--instansi", "pemda-lutim", "--peran", "pimpinan"], {"sandi": SANDI},
     "Pengguna pemda hanya dapat berperan admin atau kabupaten"),
    (["--instansi", "tidak-ada", "--peran", "admin"], {"sandi": SANDI}, "instansi 'tidak-ada' tidak ada"),
    (["--instansi", "mangkutana", "--peran", "bupati"], {"sandi": SANDI}, "Peran harus salah satu dari"),
    (["--instansi", "mangkutana", "--peran", "operator"], {"sandi": SANDI}, "Operator harus punya unit"),
    (["--instansi", "mangkutana", "--peran", "operator", "--unit", "LAIN"], {"sandi": SANDI},
     "unit 'LAIN' tidak ada di Kecamatan Mangkutana"),
    (["--instansi", "mangkutana", "--peran", "admin"], {"sandi": "pendek"}, "Kata sandi paling sedikit 10 karakter"),
    (["--instansi", "mangkutana", "--peran", "admin"], {"input": f"{SANDI}\n{SANDI}x\n"},
     "kedua kata sandi tidak sama"),
    (["--instansi", "mangkutana", "--peran", "admin"], {"input": ""}, "kata sandi tidak diisi"),
    (["--instansi", "mangkutana", "--peran", "admin", "--username", "admin.camat"], {"sandi": SANDI},
     "Nama pengguna 'admin.camat' sudah dipakai"),
])
def test_a_wrong_account_is_refused_and_nothing_is_written(
    kinerja: Run, seeded: Engine, admin: None, args: list[str], masukan: dict[str, str], pesan: str
) -> None:
    if "--username" not in args:
        args = [*args, "--username", "orang.baru"]
    sebelum = isi(seeded)
    result = kinerja("pengguna", "add", *args, "--nama", "Orang Baru", **masukan)
    assert result.exit_code == 2
    assert pesan in result.stderr, result.stderr
    assert isi(seeded) == sebelum


def test_the_new_commands_have_indonesian_help(kinerja: Run) -> None:
    for args, kata in [(["instansi"], ["pemda", "add", "list"]), (["pengguna"], ["add"]),
                       (["instansi", "add"], ["--data", "--pemda", "Folder berformat data/"]),
                       (["pengguna", "add"], ["--peran", "KINERJA_SANDI_BARU"])]:
        result = kinerja(*args, "--help")
        assert result.exit_code == 0 and "Pemakaian:" in result.output and "Opsi" in result.output
        for k in kata:
            assert k in result.output, (args, k)


def test_a_lone_office_with_its_pemda_needs_no_instansi_option(kinerja: Run) -> None:
    """A kecamatan server that adds its pemda (to give the Bupati an account) keeps its commands short."""
    assert kinerja("instansi", "pemda", "--kode", "pemda-lutim", "--nama", "Pemerintah Kabupaten Luwu Timur"
                   ).exit_code == 0
    result = kinerja("indikator", "--tahun", 2025)
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(result.output.splitlines()))) == 66  # Mangkutana's 66 rows, not a refusal
