"""Two offices in one database: each keeps its own data, and nobody writes into another office."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.errors import ValidationError
from kinerja.simpan.auth import create_user
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import get_instansi, list_instansi, load_data_tahun
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.seed import init_database
from tests.conftest import SEED_2025


def _two_offices(root: Path) -> Path:
    data = root / "data"
    shutil.copytree(SEED_2025, data / "mangkutana-2025")
    other = data / "lain-2025"
    shutil.copytree(SEED_2025, other)
    meta = yaml.safe_load((other / "pk.yaml").read_text(encoding="utf-8"))
    meta["instansi"].update(kode="lain", nama="Kecamatan Lain")
    (other / "pk.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return data


@pytest.fixture
def offices(engine: Engine, tmp_path: Path) -> tuple[int, int]:
    init_database(engine, _two_offices(tmp_path))
    with new_session(engine) as session:
        a, b = (get_instansi(session, kode).id for kode in ("mangkutana", "lain"))
    return a, b


def test_each_office_has_its_own_year_and_realisations(engine: Engine, offices: tuple[int, int]) -> None:
    a, b = offices
    save_realisasi(engine, instansi_id=a, tahun=2025, entries=[EntriRealisasi("IK-6.1.1", 1, nilai=Decimal(2))])
    with new_session(engine) as session:
        assert [o.kode for o in list_instansi(session)] == ["lain", "mangkutana"]
        mine, theirs = (load_data_tahun(session, get_instansi(session, k), 2025) for k in ("mangkutana", "lain"))
    assert mine.data.realisasi["IK-6.1.1"][1].nilai == 2
    assert theirs.data.realisasi == {}
    assert len(theirs.baris) == 66


def test_an_admin_cannot_write_into_another_office(engine: Engine, offices: tuple[int, int]) -> None:
    a, b = offices
    admin = create_user(engine, instansi_id=a, username="admin", nama="Admin", password="rahasia-123", peran="admin")
    with pytest.raises(ValidationError, match="instansinya sendiri"):
        save_realisasi(engine, instansi_id=b, tahun=2025, pengguna=admin,
                       entries=[EntriRealisasi("IK-6.1.1", 1, nilai=Decimal(2))])
    with new_session(engine) as session:
        assert load_data_tahun(session, get_instansi(session, "lain"), 2025).data.realisasi == {}


def test_cli_asks_which_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    monkeypatch.setenv("KINERJA_DATA_DIR", str(_two_offices(tmp_path)))
    runner = CliRunner()
    result = runner.invoke(app, ["indikator", "--tahun", "2025"])
    assert result.exit_code == 2
    assert "--instansi" in result.output and "lain" in result.output and "mangkutana" in result.output
    result = runner.invoke(app, ["indikator", "--tahun", "2025", "--instansi", "lain"])
    assert result.exit_code == 0 and len(result.output.strip().splitlines()) == 67
