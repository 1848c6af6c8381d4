"""`kinerja demo` never touches real data: not the live database under another spelling, not any other file."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.demo import DemoError, create_demo
from kinerja.simpan.auth import create_user
from kinerja.simpan.db import create_db_engine, new_session
from kinerja.simpan.models import Instansi
from kinerja.simpan.seed import init_database
from tests.conftest import DATA


@pytest.fixture(scope="module")
def real_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A live database as an office has it: the seed and a user."""
    path = tmp_path_factory.mktemp("asli") / "kinerja.db"
    engine = create_db_engine(f"sqlite:///{path}")
    init_database(engine, DATA)
    with new_session(engine) as session:
        office = session.exec(select(Instansi)).first()
    create_user(engine, instansi_id=office.id, username="meri", nama="Meri", password="rahasia-123", peran="admin")
    engine.dispose()
    return path


@pytest.fixture
def kantor(real_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the live kinerja.db, as the working directory, with the app pointed at it."""
    shutil.copy(real_template, tmp_path / "kinerja.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KINERJA_DATABASE_URL", "sqlite:///kinerja.db")
    monkeypatch.delenv("KINERJA_DEMO_DATABASE_URL", raising=False)
    return tmp_path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the folder (symlinks as their target) and the hash of its bytes."""
    return {
        p.name: f"-> {os.readlink(p)}" if p.is_symlink() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
    }


def demo(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["demo", "--url", url])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


SAME_FILE = {
    "relative": lambda folder: "sqlite:///./kinerja.db",
    "absolute": lambda folder: f"sqlite:///{folder / 'kinerja.db'}",
    "dotdot": lambda folder: f"sqlite:///../{folder.name}/kinerja.db",
    "symlink": lambda folder: (folder / "tautan.db").symlink_to(folder / "kinerja.db") or "sqlite:///tautan.db",
    "hard link": lambda folder: os.link(folder / "kinerja.db", folder / "kembar.db") or "sqlite:///kembar.db",
}


@pytest.mark.parametrize("spelling", SAME_FILE)
def test_the_live_database_under_any_spelling_is_refused_and_left_as_it_was(kantor: Path, spelling: str) -> None:
    url = SAME_FILE[spelling](kantor)
    (kantor / "kinerja.db-wal").write_bytes(b"")  # the live app's WAL files sit beside it
    (kantor / "kinerja.db-shm").write_bytes(b"")
    before = snapshot(kantor)
    code, output = demo(url)
    assert code != 0
    assert "tidak boleh sama dengan basis data sebenarnya" in output or "bukan data demo" in output, output
    assert snapshot(kantor) == before


def test_a_real_database_under_another_name_is_refused(kantor: Path) -> None:
    shutil.copy(kantor / "kinerja.db", kantor / "salinan.db")
    before = snapshot(kantor)
    code, output = demo("sqlite:///salinan.db")
    assert code != 0 and "berisi data sebenarnya" in output
    assert snapshot(kantor) == before


@pytest.mark.parametrize("content", [b"catatan rapat, bukan basis data\n", b"", b"SQLite format 3\x00" + b"\x00" * 200])
def test_a_file_that_is_not_a_kinerja_database_is_refused(kantor: Path, content: bytes) -> None:
    (kantor / "catatan.db").write_bytes(content)
    before = snapshot(kantor)
    code, output = demo("sqlite:///catatan.db")
    assert code != 0 and "bukan basis data demo Kinerja" in output
    assert snapshot(kantor) == before


def test_a_demo_database_with_a_real_office_added_is_refused(kantor: Path, tmp_path: Path) -> None:
    engine: Engine = create_demo("sqlite:///demo.db", "sqlite:///kinerja.db", DATA)
    with new_session(engine) as session:
        session.add(Instansi(kode="nyata", nama="Kecamatan Nyata", kabupaten="Luwu Timur"))
        session.commit()
    engine.dispose()
    before = snapshot(kantor)
    code, output = demo("sqlite:///demo.db")
    assert code != 0 and "berisi data sebenarnya" in output
    assert snapshot(kantor) == before


def test_an_earlier_demo_is_replaced_with_a_fresh_one(kantor: Path) -> None:
    live = snapshot(kantor)["kinerja.db"]
    assert demo("sqlite:///demo.db")[0] == 0
    engine = create_db_engine("sqlite:///demo.db")
    create_user(engine, instansi_id=1, username="peserta", nama="Peserta Latihan", password="rahasia-123",
                peran="admin")  # a trainee's account: demo data too
    engine.dispose()
    code, output = demo("sqlite:///demo.db")
    assert code == 0, output
    engine = create_db_engine("sqlite:///demo.db")
    with new_session(engine) as session:
        assert [o.demo for o in session.exec(select(Instansi))] == [True]
    engine.dispose()
    assert snapshot(kantor)["kinerja.db"] == live


def test_a_stray_wal_without_its_database_is_left_alone(kantor: Path) -> None:
    (kantor / "demo.db-wal").write_bytes(b"sisa")
    before = snapshot(kantor)
    code, output = demo("sqlite:///demo.db")
    assert code != 0 and "tanpa basis datanya" in output
    assert snapshot(kantor) == before


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:5432/kinerja", "sqlite://"])
def test_only_a_sqlite_file_can_be_a_demo(kantor: Path, url: str) -> None:
    with pytest.raises(DemoError, match="berkas SQLite"):
        create_demo(url, "sqlite:///kinerja.db", DATA)
