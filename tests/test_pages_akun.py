"""Page tests of accounts and trust: one table for who sees which page, sessions that end, no traceback
on screen, the Pengguna form, and text users typed shown as typed.

Like tests/test_pages.py (whose fixtures and helpers are copied here): every test gets its own SQLite
file, users are made with kinerja.simpan.auth, and the test acts through keyed widgets and reads the screen.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest

from kinerja.simpan import auth, wewenang
from kinerja.simpan.auth import ATURAN_USERNAME, create_session, reset_password, revoke_session
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.models import Jejak, Pengguna, Sesi, Unit, now_utc
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from pages._tampil import teks_polos
from pages._ui import COOKIE, PESAN_GALAT
from tests._app import PASSWORD, Akun, errors, offered_pages, open_app, titles, units

MASUK = "Masuk ke Kinerja"


pytestmark = pytest.mark.usefixtures("navigation_only", "quick")


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text: titles, markdown, captions, messages, plain text, tables."""
    parts = [e.value for kind in ("title", "markdown", "caption", "text", "error", "warning", "info", "success")
             for e in getattr(at, kind)]
    parts += [at.dataframe[i].value.to_string() for i in range(len(at.dataframe))]
    return "\n".join(map(str, parts))


# --- one table says which role sees which page --------------------------------------------------------


@pytest.mark.parametrize("peran", ["admin", "pimpinan", "operator"])
def test_the_router_offers_exactly_the_pages_halaman_gives_the_role(akun: Akun, peran: str) -> None:
    expected = {page for page, roles in wewenang.HALAMAN.items() if peran in roles}
    assert offered_pages(open_app(akun[peran])) == expected


def test_changing_halaman_changes_both_the_menu_and_the_page_guard(
    akun: Akun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(wewenang.HALAMAN, "pages/pengguna.py", frozenset({"admin", "pimpinan"}))
    monkeypatch.setitem(wewenang.HALAMAN, "pages/beranda.py", frozenset({"pimpinan"}))
    pimpinan = open_app(akun.pimpinan, "pages/pengguna.py")
    assert titles(pimpinan) == ["Pengguna"] and "tidak berhak" not in errors(pimpinan)
    assert "pages/beranda.py" not in offered_pages(open_app(akun.admin))


# --- sessions that end -----------------------------------------------------------------------------------


def test_keluar_in_another_tab_signs_this_tab_out_on_its_next_click(db: Engine, akun: Akun) -> None:
    token = create_session(db, akun.operator.id)
    tab = open_app(token=token, page="pages/isi_realisasi.py")
    assert titles(tab) == ["Realisasi Sub Bagian Perencanaan dan Kepegawaian"]
    other_tab = open_app(token=token)  # a second tab of the same browser shares its cookie
    other_tab.button(key="keluar").click().run()
    assert titles(other_tab) == [MASUK]
    tab.run()
    assert titles(tab) == [MASUK]
    assert "user_id" not in tab.session_state
    assert offered_pages(tab) == {"pages/masuk.py"}


def test_the_same_session_state_no_longer_reaches_a_page_after_sign_out(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/pengguna.py")
    token = at.session_state["sesi"]
    at.button(key="keluar").click().run()
    replay = open_app(token=token)  # the state of the signed-in tab, kept and sent again
    assert titles(replay) == [MASUK]
    with pytest.raises(ValueError):
        replay.switch_page("pages/pengguna.py")


def test_an_open_tab_is_signed_out_when_its_12_hours_are_over(db: Engine, akun: Akun) -> None:
    at = open_app(akun.pimpinan)
    assert titles(at) != [MASUK]
    with new_session(db) as session:
        session.execute(update(Sesi).values(kedaluwarsa=now_utc() - timedelta(minutes=1)))
        session.commit()
    at.run()
    assert titles(at) == [MASUK]


def test_a_password_reset_signs_out_the_tab_the_user_has_open(db: Engine, akun: Akun) -> None:
    at = open_app(akun.operator)
    reset_password(db, user_id=akun.operator.id, password="sandi-baru-99", pengguna=akun.admin)
    at.run()
    assert titles(at) == [MASUK]


def test_a_second_browser_holding_the_cookie_is_signed_out_with_the_session(
    db: Engine, akun: Akun, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = create_session(db, akun.pimpinan.id)
    monkeypatch.setattr(ContextProxy, "cookies", property(lambda self: {COOKIE: token}))
    browser = open_app()  # no session state: a reload, signed in from the cookie alone
    assert titles(browser) != [MASUK] and browser.session_state["user_id"] == akun.pimpinan.id
    revoke_session(db, token)
    browser.run()
    assert titles(browser) == [MASUK]
    assert titles(open_app()) == [MASUK], "a reload with the revoked cookie stays signed out"


# --- no traceback reaches a user -----------------------------------------------------------------------


def test_an_error_in_a_page_shows_one_indonesian_message_and_no_details(
    akun: Akun, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> list:
        raise OperationalError("SELECT password_hash FROM pengguna", {}, Exception("database is locked"))

    monkeypatch.setattr(auth, "list_users", broken)
    at = open_app(akun.admin, "pages/pengguna.py")
    assert not at.exception
    assert [e.value for e in at.error] == [PESAN_GALAT]
    screen = shown_text(at)
    for leak in ("SELECT", "password_hash", "Traceback", ".py", "locked", "OperationalError"):
        assert leak not in screen
    assert "Meri" in at.sidebar.markdown[0].value, "the rest of the app keeps working"
    logged = [r for r in caplog.records if r.name == "kinerja" and r.exc_info]
    assert logged and "pages/pengguna.py" in logged[0].getMessage(), "the server log keeps the details"


def test_streamlits_own_stop_passes_through_the_handler(akun: Akun) -> None:
    at = open_app(akun.pimpinan)  # Beranda stops early on a year without realisasi
    assert any("Belum ada realisasi" in i.value for i in at.info)
    assert PESAN_GALAT not in errors(at)


# --- the Pengguna page -----------------------------------------------------------------------------------


def fill_new_user(at: AppTest, username: str, peran: str | None, unit: Unit | None) -> AppTest:
    at.text_input(key="baru_nama").set_value("Ahmad, S.AN")
    at.text_input(key="baru_username").set_value(username)
    if peran is not None:
        at.selectbox(key="baru_peran").set_value(peran)
    at.selectbox(key="baru_unit").set_value(unit)
    at.text_input(key="baru_password").set_value(PASSWORD)
    return next(b for b in at.form_submit_button if b.form_id == "pengguna_baru").click().run()


def test_a_new_account_starts_with_the_least_privilege(akun: Akun) -> None:
    at = open_app(akun.admin, "pages/pengguna.py")
    assert at.selectbox(key="baru_peran").value == "pimpinan"
    at = fill_new_user(at, "tamu.baru", None, None)
    assert auth.authenticate(get_engine(), "tamu.baru", PASSWORD).peran == "pimpinan"


def test_the_unit_chosen_for_a_pimpinan_is_kept(db: Engine, akun: Akun) -> None:
    pmd = units(db)["PMD"]
    at = fill_new_user(open_app(akun.admin, "pages/pengguna.py"), "kasi.pmd", "pimpinan", pmd)
    assert [s.value for s in at.success] == ["Pengguna kasi.pmd dibuat."]
    user = auth.authenticate(db, "kasi.pmd", PASSWORD)
    assert (user.peran, user.unit_id) == ("pimpinan", pmd.id)
    assert "Seksi Pemberdayaan Masyarakat dan Desa" in list(at.dataframe[0].value["Unit"])


def test_the_password_field_is_emptied_in_the_browser_once_the_user_is_made(db: Engine, akun: Akun) -> None:
    at = fill_new_user(open_app(akun.admin, "pages/pengguna.py"), "ahmad.pmd", "operator", units(db)["PMD"])
    assert [s.value for s in at.success] == ["Pengguna ahmad.pmd dibuat."]
    for key in ("baru_password", "baru_username", "baru_nama"):
        field = at.text_input(key=key)
        # set_value makes the browser replace what was typed; without it the typed password stays in the form
        assert field.value == "" and field.proto.set_value, key


def test_the_tooltip_and_the_refusal_state_the_same_username_rule(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/pengguna.py")
    assert at.text_input(key="baru_username").help == ATURAN_USERNAME
    at = fill_new_user(at, "Budi Santoso", "pimpinan", None)
    assert teks_polos(ATURAN_USERNAME) in errors(at)  # the error box escapes Markdown; it shows the same text
    assert auth.authenticate(db, "budi santoso", PASSWORD) is None


def test_a_change_made_on_the_page_is_signed_by_the_admin_in_the_audit_trail(db: Engine, akun: Akun) -> None:
    fill_new_user(open_app(akun.admin, "pages/pengguna.py"), "kasi.pmd", "pimpinan", units(db)["PMD"])
    with new_session(db) as session:
        row = session.exec(select(Jejak).where(Jejak.kunci == "kasi.pmd")).one()
    assert (row.tabel, row.pengguna, row.aksi) == ("pengguna", "meri", "tambah")


# --- text users typed is shown as typed ---------------------------------------------------------------


BEACON = "![b](http://x/y.png) # JUDUL"


def test_a_keterangan_is_shown_literally_never_as_markdown(db: Engine, akun: Akun) -> None:
    with new_session(db) as session:
        instansi_id = get_instansi(session).id
    save_realisasi(db, instansi_id=instansi_id, tahun=2025, pengguna=akun.operator,
                   entries=[EntriRealisasi("IK-6.1.1", 2, nilai=Decimal(1), keterangan=BEACON)])
    at = open_app(akun.pimpinan, "pages/unit.py")
    at.selectbox(key="unit_pilih").set_value("PERENCANAAN").run()
    at.selectbox(key="unit_indikator").set_value("IK-6.1.1").run()
    tables = [at.dataframe[i].value for i in range(len(at.dataframe))]
    shown = [t for t in tables if "Keterangan" in t.columns]
    assert len(shown) == 1 and list(shown[0]["Keterangan"]) == [BEACON]
    assert list(shown[0]["Bulan"]) == ["Februari"]
    markdown = [e.value for kind in ("markdown", "caption", "title", "subheader", "header") for e in getattr(at, kind)]
    assert not any("JUDUL" in m or "y.png" in m for m in markdown)
    assert not at.get("imgs"), "no image element: the browser fetches nothing"


def test_a_name_with_markdown_is_not_rendered_in_the_sidebar(db: Engine, akun: Akun) -> None:
    with new_session(db) as session:
        session.execute(update(Pengguna).where(Pengguna.id == akun.pimpinan.id).values(nama=BEACON))
        session.commit()
    sidebar = open_app(akun.pimpinan).sidebar.markdown[0].value
    assert "![b](" not in sidebar and "\\!\\[b\\]" in sidebar and "\n# " not in sidebar
