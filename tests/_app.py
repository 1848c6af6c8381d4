"""What every page test needs: run dashboard.py under Streamlit's AppTest, a fresh database, users, readers.

tests/conftest.py makes the fixtures here available to every test module; a page-test module switches on
the two that set up AppTest with `pytestmark = pytest.mark.usefixtures("navigation_only", "quick")` and
imports the helpers it uses (`from tests._app import open_app, titles, ...`).
Every test gets its own SQLite file (KINERJA_DATABASE_URL points at tmp_path), users are made with
kinerja.simpan.auth, and the test acts only through keyed widgets and reads what the screen shows.
"""

import fcntl
import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from kinerja.demo import create_demo
from kinerja.simpan import auth
from kinerja.simpan.auth import create_user
from kinerja.simpan.db import get_engine, new_session, write_session
from kinerja.simpan.models import Instansi, Pengguna, Unit
from kinerja.simpan.queries import get_instansi, list_units, load_realisasi, load_realisasi_anggaran
from kinerja.simpan.seed import init_database

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
DATA = ROOT / "data"
TAHUN = 2025
PASSWORD = "rahasia-123"
PERENCANAAN = "Sub Bagian Perencanaan dan Kepegawaian"
PAGE_FILES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


@pytest.fixture
def navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run dashboard.py's st.navigation on every AppTest run, as the live server does after its first run.

    The screens live in pages/ (STYLE.md), and AppTest re-detects that folder before each run as
    a legacy multipage app, so a rerun would execute the current page file alone: no router, no
    role check, no sidebar. `st.navigation` switches that mode off for good in a live server;
    here each run needs it switched off again.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


_scan_component_manifests = manifest_scanner.scan_component_manifests


@functools.cache
def _component_manifests() -> list:
    return _scan_component_manifests()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spend the suite's time on the app: scan installed packages for components once, hash cheaply.

    Every new AppTest scans all installed distributions for Streamlit components (about a second);
    the answer cannot change during the run. Argon2 at its real cost is for production passwords.
    """
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", lambda *args, **kwargs: _component_manifests())
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def app_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app at an empty SQLite file of this test; evidence files go to tmp_path too."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    monkeypatch.setenv("KINERJA_DATABASE_URL", url)
    monkeypatch.setenv("KINERJA_BUKTI_DIR", str(tmp_path / "bukti"))
    return url


@pytest.fixture
def db(app_url: str) -> Engine:
    """The app's database, seeded with the 2025 PK, no users and nothing entered."""
    engine = get_engine(app_url)
    init_database(engine, DATA)
    return engine


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per run by kinerja.demo (slow), copied for each test that wants one.

    Under pytest-xdist the workers share one: the first to take the lock builds it in the run's
    common temporary folder, the others wait and read the finished file.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "demo-template"
    path = folder / "demo.db"
    with (shared / "demo-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a half-made one of a worker that failed
            folder.mkdir()
            engine = create_demo(f"sqlite:///{path}", f"sqlite:///{folder / 'asli.db'}", DATA)
            engine.dispose()  # checkpoints the WAL into demo.db
            (folder / "done").touch()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """This test's own copy of the demo database, as the app's database."""
    path = tmp_path / "k.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("KINERJA_DATABASE_URL", url)
    monkeypatch.setenv("KINERJA_BUKTI_DIR", str(tmp_path / "bukti"))
    return get_engine(url)


@dataclass
class Akun:
    admin: Pengguna
    pimpinan: Pengguna
    operator: Pengguna

    def __getitem__(self, peran: str) -> Pengguna:
        return getattr(self, peran)


def units(engine: Engine) -> dict[str, Unit]:
    with new_session(engine) as session:
        return {u.kode: u for u in list_units(session, get_instansi(session).id)}


def add_users(engine: Engine, unit: str = "PERENCANAAN") -> Akun:
    """Create the first admin, a pimpinan and an operator of `unit`, as the admin would."""
    unit_id = units(engine)[unit].id
    instansi_id = units(engine)[unit].instansi_id
    admin = create_user(engine, instansi_id=instansi_id, username="meri", nama="Meri", password=PASSWORD,
                        peran="admin")
    pimpinan = create_user(engine, instansi_id=instansi_id, username="darmawati", nama="Darmawati",
                           password=PASSWORD, peran="pimpinan", pengguna=admin)
    operator = create_user(engine, instansi_id=instansi_id, username="operator.satu", nama="Operator Satu",
                           password=PASSWORD, peran="operator", unit_id=unit_id, pengguna=admin)
    return Akun(admin=admin, pimpinan=pimpinan, operator=operator)


def add_kabupaten(engine: Engine) -> Pengguna:
    """Put the seeded office under a pemda and return a kabupaten user of that pemda (reads, writes nothing)."""
    with write_session(engine) as session:
        office = get_instansi(session)
        pemda = Instansi(kode="luwu-timur", nama="Pemerintah Kabupaten Luwu Timur", kabupaten=office.kabupaten,
                         jenis="pemda")
        session.add(pemda)
        session.flush()
        office.induk_id = pemda.id
        session.add(office)
        pemda_id = pemda.id
    return create_user(engine, instansi_id=pemda_id, username="bappeda", nama="Bappeda", password=PASSWORD,
                       peran="kabupaten")


@pytest.fixture
def akun(db: Engine) -> Akun:
    """The first admin, a pimpinan and an operator of PERENCANAAN, as the admin would make them."""
    return add_users(db)


def open_app(user: Pengguna | None = None, page: str | None = None, token: str | None = None) -> AppTest:
    """Run dashboard.py as `user` (signed out when None; or with a session `token`), then switch to `page`."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=30)
    if token or user is not None:
        at.session_state["sesi"] = token or auth.create_session(get_engine(), user.id)  # as the cookie would
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def shown(at: AppTest) -> str:
    """Every text on screen, the way a reader scans it (bold marks removed)."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning",
                                  "error", "success") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts).replace("**", "")


def offered_pages(at: AppTest) -> set[str]:
    """Return the page files the router registered on the last run (AppTest refuses the others)."""
    offered = set()
    for page in PAGE_FILES:
        try:
            at.switch_page(page)
        except ValueError:
            continue
        offered.add(page)
    return offered


def pick(at: AppTest, key: str, value: object) -> AppTest:
    """Choose an option of a selectbox by its value (what the page receives, not the label shown) and rerun."""
    return at.selectbox(key=key).set_value(value).run()


def current_key(at: AppTest, base: str) -> str:
    """Return the key of the grid shown now (a grid gets a new key, base + '_vN', after each save)."""
    return next(d.key for d in at.data_editor if d.key == base or d.key.startswith(base + "_v"))


def edit_grid(at: AppTest, key: str, edits: dict[str, dict[str, object]]) -> None:
    """Type into a data_editor: {kode: {column: value}} for the rows with that kode."""
    key = current_key(at, key)
    rows = list(at.data_editor(key=key).value["kode"])
    at.session_state[key] = {"edited_rows": {rows.index(kode): cells for kode, cells in edits.items()},
                             "added_rows": [], "deleted_rows": []}


def realisasi(engine: Engine) -> dict:
    with new_session(engine) as session:
        return load_realisasi(session, get_instansi(session).id, TAHUN)


def realisasi_anggaran(engine: Engine) -> dict:
    with new_session(engine) as session:
        return load_realisasi_anggaran(session, get_instansi(session).id, TAHUN)


def row_of(at: AppTest, column: str, value: str, index: int = 0) -> dict:
    """Return the row of the index-th dataframe on screen whose `column` equals `value`."""
    table = at.dataframe[index].value
    found = table[table[column] == value]
    assert len(found) == 1, f"{value!r} not once in {list(table[column])}"
    return found.iloc[0].to_dict()
