"""Page tests: the app as a user meets it, through dashboard.py under Streamlit's AppTest.

Every test gets its own SQLite file (KINERJA_DATABASE_URL points at tmp_path), users are made
with kinerja.simpan.auth, and the test acts only through keyed widgets and reads what the screen shows.
"""

from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from kinerja.simpan.auth import authenticate, create_user, update_user
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.models import Indikator, NilaiAKIP, Pengguna, SurveiIKM, Target, Unit
from kinerja.simpan.queries import (
    get_instansi,
    list_anggaran,
    versi_berlaku,
)
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.revisi import save_pagu
from kinerja.simpan.verifikasi import ubah_status
from tests._app import (
    PAGE_FILES,
    PASSWORD,
    PERENCANAAN,
    TAHUN,
    Akun,
    add_kabupaten,
    add_users,
    current_key,
    edit_grid,
    errors,
    offered_pages,
    open_app,
    pick,
    realisasi,
    realisasi_anggaran,
    row_of,
    titles,
    units,
)

PIMPINAN_PAGES = {"pages/beranda.py", "pages/capaian.py", "pages/unit.py", "pages/anggaran.py", "pages/laporan.py",
                  "pages/verifikasi.py", "pages/evaluasi.py"}
ISIAN_PAGES = {"pages/isi_realisasi.py", "pages/isi_anggaran.py", "pages/kinerja_unit.py"}
ADMIN_PAGES = {"pages/pengguna.py", "pages/target.py", "pages/pagu.py", "pages/revisi.py", "pages/ikm.py",
               "pages/akip.py", "pages/riwayat.py", "pages/jadwal.py", "pages/renstra.py",
               "pages/profil.py"}
AKUN_PAGES = {"pages/akun.py", "pages/analisis.py"}  # Akun saya, Analisis triwulan: every signed-in role
# What the router must offer in each state of the app, and nothing more.
OFFERED = {
    "tanpa pengguna": {"pages/admin_pertama.py"},
    "belum masuk": {"pages/masuk.py"},
    "admin": PIMPINAN_PAGES | ISIAN_PAGES | ADMIN_PAGES | AKUN_PAGES,
    "pimpinan": PIMPINAN_PAGES | AKUN_PAGES,
    "operator": ISIAN_PAGES | AKUN_PAGES,
}
FIRST_TITLE = {"admin": f"Kinerja Kecamatan Mangkutana {TAHUN}", "pimpinan": f"Kinerja Kecamatan Mangkutana {TAHUN}",
               "operator": f"Realisasi {PERENCANAAN}"}
pytestmark = pytest.mark.usefixtures("navigation_only", "quick")


# --- wiring ---------------------------------------------------------------------------------------


def open_as(state: str, engine: Engine) -> AppTest:
    if state == "tanpa pengguna":
        return open_app()
    akun = add_users(engine)
    return open_app(None if state == "belum masuk" else akun[state])


@pytest.mark.parametrize("state", OFFERED)
def test_router_offers_each_role_exactly_its_pages(state: str, db: Engine) -> None:
    at = open_as(state, db)
    assert offered_pages(at) == OFFERED[state]


def test_every_page_file_is_registered_in_the_router(db: Engine) -> None:
    at = open_app()
    registered = offered_pages(at)
    akun = add_users(db)
    for user in (None, akun.admin, akun.pimpinan, akun.operator, add_kabupaten(db)):
        registered |= offered_pages(open_app(user))
    assert registered == set(PAGE_FILES)


@pytest.mark.parametrize("data", ["kosong", "demo"])
@pytest.mark.parametrize("peran", ["admin", "pimpinan", "operator"])
def test_every_page_renders_for_every_role_that_may_see_it(
    peran: str, data: str, request: pytest.FixtureRequest
) -> None:
    engine = request.getfixturevalue("db" if data == "kosong" else "demo_db")
    at = open_app(add_users(engine)[peran])
    for page in sorted(OFFERED[peran]):
        at.switch_page(page).run()
        assert not at.exception, f"{page}: {at.exception}"
        assert titles(at), f"{page} shows no title"
        assert "tidak berhak" not in errors(at), page


def test_a_demoted_admin_loses_the_admin_pages_on_the_next_click(db: Engine) -> None:
    akun = add_users(db)
    kedua = create_user(db, instansi_id=akun.admin.instansi_id, username="admin.dua", nama="Admin Dua",
                        password=PASSWORD, peran="admin", pengguna=akun.admin)
    at = open_app(kedua, "pages/pengguna.py")
    assert titles(at) == ["Pengguna"]
    update_user(db, user_id=kedua.id, peran="pimpinan", unit_id=None, aktif=True, nama=kedua.nama,
                pengguna=akun.admin)
    at.run()
    assert titles(at) == ["Masuk ke Kinerja"]  # a role change ends every session of that user
    assert "pages/pengguna.py" not in offered_pages(at)


def test_a_deactivated_user_is_signed_out_on_the_next_click(db: Engine, akun: Akun) -> None:
    at = open_app(akun.operator)
    assert titles(at) == [FIRST_TITLE["operator"]]
    update_user(db, user_id=akun.operator.id, peran="operator", unit_id=akun.operator.unit_id, aktif=False,
                nama=akun.operator.nama, pengguna=akun.admin)
    at.run()
    assert titles(at) == ["Masuk ke Kinerja"]
    assert "user_id" not in at.session_state


# --- first admin, sign-in, sign-out ---------------------------------------------------------------


def fill_first_admin(at: AppTest, password: str, ulang: str) -> AppTest:
    at.text_input(key="pertama_nama").set_value("Meri, S.Pi")
    at.text_input(key="pertama_username").set_value("meri")
    at.text_input(key="pertama_password").set_value(password)
    at.text_input(key="pertama_ulang").set_value(ulang)
    return at.form_submit_button[0].click().run()


def test_a_fresh_database_opens_on_the_first_admin_screen(app_url: str) -> None:
    assert titles(open_app()) == ["Selamat datang di Kinerja"]


def test_once_a_user_exists_the_app_opens_on_sign_in(db: Engine) -> None:
    add_users(db)
    at = open_app()
    assert titles(at) == ["Masuk ke Kinerja"]


def test_creating_the_first_admin_signs_them_in(app_url: str) -> None:
    at = fill_first_admin(open_app(), PASSWORD, PASSWORD)
    assert not at.exception
    assert titles(at) == [FIRST_TITLE["admin"]]
    assert "Meri, S.Pi · Admin" in at.sidebar.markdown[0].value
    user = authenticate(get_engine(app_url), "meri", PASSWORD)
    assert user is not None and user.peran == "admin" and at.session_state["user_id"] == user.id


@pytest.mark.parametrize(("password", "ulang", "pesan"), [
    (PASSWORD, PASSWORD + "x", "Kedua kata sandi tidak sama"),
    ("pendek", "pendek", "Kata sandi paling sedikit 10 karakter"),
])
def test_a_bad_first_admin_password_creates_nobody(app_url: str, password: str, ulang: str, pesan: str) -> None:
    at = fill_first_admin(open_app(), password, ulang)
    assert pesan in errors(at)
    assert titles(at) == ["Selamat datang di Kinerja"]
    assert "user_id" not in at.session_state
    with new_session(get_engine(app_url)) as session:
        assert session.exec(select(Pengguna)).all() == []


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="masuk_username").set_value(username)
    at.text_input(key="masuk_password").set_value(password)
    return at.form_submit_button[0].click().run()


def test_a_wrong_password_does_not_sign_in(akun: Akun) -> None:
    at = sign_in(open_app(), "meri", "bukan-sandinya")
    assert "Nama pengguna atau kata sandi salah" in errors(at)
    assert titles(at) == ["Masuk ke Kinerja"]
    assert "user_id" not in at.session_state


@pytest.mark.parametrize("peran", ["admin", "pimpinan", "operator"])
def test_signing_in_lands_on_the_roles_first_page_and_keluar_signs_out(akun: Akun, peran: str) -> None:
    at = sign_in(open_app(), akun[peran].username.upper(), PASSWORD)
    assert titles(at) == [FIRST_TITLE[peran]]
    assert offered_pages(at) == OFFERED[peran]
    at.button(key="keluar").click().run()
    assert titles(at) == ["Masuk ke Kinerja"]
    assert "user_id" not in at.session_state
    assert offered_pages(at) == OFFERED["belum masuk"]


# --- the operator's entry grids -------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["CAMAT", "SEKCAM", "PEMUM", "PMD", "TRANTIB", "PELAYANAN", "PERENCANAAN", "UMUMKEU"])
def test_an_operators_grid_holds_exactly_their_units_indicators(db: Engine, unit: str) -> None:
    akun = add_users(db, unit)
    at = open_app(akun.operator)
    with new_session(db) as session:
        own = session.exec(select(Indikator.kode).where(Indikator.unit_id == akun.operator.unit_id,
                                                        Indikator.tahun == TAHUN)).all()
    shown = list(at.data_editor[0].value["kode"])
    assert sorted(shown) == sorted(own)
    assert len(shown) == len(set(shown))
    assert "isi_unit" not in [s.key for s in at.selectbox], "an operator cannot pick another unit"


def open_grid(user: Pengguna, page: str = "pages/isi_realisasi.py", bulan_key: str = "isi_bulan") -> AppTest:
    """Open an entry page as `user` on Maret 2025."""
    at = open_app(user, page)
    return pick(at, bulan_key, 3)


def grid_key(user: Pengguna, kind: str = "realisasi", bulan: int = 3) -> str:
    return f"grid_{kind}_{user.unit_id}_{TAHUN}_{bulan}"


def test_a_saved_realisasi_reaches_the_database_and_the_pimpinans_pages(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator)
    edit_grid(at, grid_key(akun.operator), {
        "IK-6.1.1": {"nilai": "2", "keterangan": "Renja dan RKA"},
        "IK-6.1": {"pembilang": "3", "penyebut": "4"},
    })
    at.button(key="isi_simpan").click().run()
    assert not at.error
    assert [s.value for s in at.success] == ["2 isian Maret tersimpan."]

    saved = realisasi(db)
    assert saved["IK-6.1.1"][3].nilai == Decimal(2) and saved["IK-6.1.1"][3].keterangan == "Renja dan RKA"
    assert (saved["IK-6.1"][3].pembilang, saved["IK-6.1"][3].penyebut) == (Decimal(3), Decimal(4))
    assert set(saved) == {"IK-6.1.1", "IK-6.1"}
    grid = at.data_editor(key=current_key(at, grid_key(akun.operator))).value.set_index("kode")
    assert grid.loc["IK-6.1.1", "nilai"] == "2"  # the grid now shows what is stored

    unit_page = pick(open_app(akun.pimpinan, "pages/unit.py"), "unit_pilih", "PERENCANAAN")
    assert titles(unit_page) == [PERENCANAAN]
    assert row_of(unit_page, "no", "3")["realisasi_sd_tw"] == 2
    assert row_of(unit_page, "no", "1")["realisasi_sd_tw"] == 75

    capaian = open_app(akun.pimpinan, "pages/capaian.py")
    assert titles(capaian) == [f"Capaian indikator s.d. Triwulan I {TAHUN}"]
    row = row_of(capaian, "indikator", "Jumlah dokumen perencanaan perangkat daerah yang disusun")
    assert row["realisasi_sd_tw"] == 2 and row["capaian_sd_tw"] > 0


@pytest.mark.parametrize(("unit", "edits", "pesan"), [
    ("PERENCANAAN", {"IK-6.1.1": {"nilai": "abc"}}, "IK-6.1.1 Jumlah dokumen perencanaan perangkat daerah yang "
                                                    "disusun: nilai 'abc' bukan angka"),
    ("PERENCANAAN", {"IK-6.1.1": {"nilai": "2,5"}}, "IK-6.1.1 Jumlah dokumen perencanaan perangkat daerah yang "
                                                    "disusun (Maret): nilai harus bilangan bulat"),
    ("PERENCANAAN", {"IK-6.1": {"pembilang": "5", "penyebut": "3"}},
     "IK-6.1 Persentase Ketercapaian Target Kinerja Perangkat Daerah (Maret): pembilang (5) lebih besar dari "
     "penyebut (3)"),
    ("PERENCANAAN", {"IK-6.1": {"nilai": "80"}}, "IK-6.1 Persentase Ketercapaian Target Kinerja Perangkat Daerah "
                                                 "(Maret): indikator rasio diisi pembilang dan penyebut, bukan nilai"),
    ("UMUMKEU", {"IK-6.5": {"nilai": "100"}}, "IK-6.5 Persentase Layanan Administrasi Tepat Waktu (Maret): "
                                             "indikator turunan (dihitung dari indikator di bawahnya) dihitung "
                                             "otomatis, tidak diisi"),
    ("UMUMKEU", {"IK-6.2": {"nilai": "50"}}, "IK-6.2 Persentase Realisasi Anggaran (Maret): indikator penyerapan "
                                            "anggaran dihitung otomatis, tidak diisi"),
])
def test_an_invalid_realisasi_names_the_indicator_and_saves_nothing(
    db: Engine, unit: str, edits: dict, pesan: str
) -> None:
    akun = add_users(db, unit)
    at = open_grid(akun.operator)
    valid = {"PERENCANAAN": {"IK-6.1.4": {"nilai": "1"}}, "UMUMKEU": {"IK-6.3": {"pembilang": "1", "penyebut": "1"}}}
    edit_grid(at, grid_key(akun.operator), edits | valid[unit])  # a good row does not slip through either
    at.button(key="isi_simpan").click().run()
    assert errors(at).startswith("Tidak disimpan. Perbaiki dulu:")
    assert pesan in errors(at)
    assert not at.success
    assert realisasi(db) == {}


def test_one_save_lists_every_problem_at_once(db: Engine, akun: Akun) -> None:
    """'abc' used to hide the '-3' of another row, and a refused row hid the problems of the valid-looking ones."""
    at = open_grid(akun.operator)
    edit_grid(at, grid_key(akun.operator), {
        "IK-6.1.1": {"nilai": "abc"},
        "IK-6.1.2": {"nilai": "-3"},
        "IK-6.1": {"pembilang": "5", "penyebut": "3"},
        "IK-6.1.3": {"keterangan": "sudah dikirim"},
    })
    at.button(key="isi_simpan").click().run()
    shown = errors(at)
    assert "IK-6.1.1 Jumlah dokumen perencanaan perangkat daerah yang disusun: nilai 'abc' bukan angka" in shown
    assert "IK-6.1.2" in shown and "tidak boleh negatif (-3)" in shown
    assert "IK-6.1 Persentase Ketercapaian Target Kinerja Perangkat Daerah (Maret): pembilang (5) lebih besar" in shown
    assert "keterangan diisi tanpa nilai" in shown  # a keterangan alone is refused, not dropped silently
    assert realisasi(db) == {}


def test_a_budget_save_lists_a_negative_cell_and_an_amount_over_the_pagu_together(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator, "pages/isi_anggaran.py", "ang_bulan")
    edit_grid(at, grid_key(akun.operator, "anggaran"), {
        "6.1.1": {"realisasi": str(pagu(db, "6.1.1") + 1)},
        "6.1.2": {"realisasi": "-500"},
    })
    at.button(key="ang_simpan").click().run()
    assert "melebihi pagu" in errors(at) and "tidak boleh negatif (-500)" in errors(at)
    assert realisasi_anggaran(db) == {}


def test_a_value_beyond_the_soft_limit_is_saved_only_after_ya_angka_ini_benar(db: Engine, akun: Akun) -> None:
    """1.250.000 Dokumen for a target of 3 a year: named with its reason, saved only when confirmed."""
    at = open_grid(akun.operator)
    edit_grid(at, grid_key(akun.operator), {"IK-6.1.1": {"nilai": "1.250.000"}, "IK-6.1.4": {"nilai": "1"}})
    at.button(key="isi_simpan").click().run()
    warning = "\n".join(w.value for w in at.warning)
    assert ("IK-6.1.1 Jumlah dokumen perencanaan perangkat daerah yang disusun (Maret): 1.250.000 Dokumen: "
            "nilai satu bulan melebihi target setahun (3 Dokumen)") in warning
    assert "IK-6.1.4" not in warning  # a plausible value is not questioned
    assert realisasi(db) == {} and not at.success
    at.button(key="isi_yakin").click().run()
    assert [s.value for s in at.success] == ["2 isian Maret tersimpan."]
    assert realisasi(db)["IK-6.1.1"][3].nilai == Decimal(1_250_000)


def test_a_soft_limit_warning_can_be_declined(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator)
    edit_grid(at, grid_key(akun.operator), {"IK-6.1.1": {"nilai": "40"}})
    at.button(key="isi_simpan").click().run()
    assert at.warning
    at.button(key="isi_batal").click().run()
    assert not at.warning and realisasi(db) == {}


def test_a_changed_grid_after_a_warning_is_checked_again_not_saved(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator)
    edit_grid(at, grid_key(akun.operator), {"IK-6.1.1": {"nilai": "40"}})
    at.button(key="isi_simpan").click().run()
    edit_grid(at, grid_key(akun.operator), {"IK-6.1.1": {"nilai": "400"}})
    at.run()
    assert not any(b.key == "isi_yakin" for b in at.button)  # the confirmation was for 40, not 400
    assert realisasi(db) == {}


def test_an_operator_cannot_add_another_units_indicator_to_the_grid(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator)
    key = current_key(at, grid_key(akun.operator))
    at.session_state[key] = {"edited_rows": {}, "deleted_rows": [],
                             "added_rows": [{"kode": "IK-2.1.1", "nilai": "4"}]}
    at.button(key="isi_simpan").click().run()
    assert "IK-2.1.1" not in list(at.data_editor(key=key).value["kode"])
    assert realisasi(db) == {}


def pagu(engine: Engine, kode: str) -> int:
    with new_session(engine) as session:
        versi = versi_berlaku(session, get_instansi(session).id, TAHUN)
        return next(n.pagu for n in list_anggaran(session, versi) if n.node.kode == kode)


def test_a_saved_budget_realisasi_reaches_the_database_and_the_anggaran_page(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator, "pages/isi_anggaran.py", "ang_bulan")
    assert titles(at) == [f"Realisasi anggaran {PERENCANAAN}"]
    edit_grid(at, grid_key(akun.operator, "anggaran"), {"6.1.1": {"realisasi": "1.250.000"}})
    at.button(key="ang_simpan").click().run()
    assert not at.error
    assert [s.value for s in at.success] == ["1 isian anggaran Maret tersimpan."]
    assert realisasi_anggaran(db) == {"6.1.1": {3: 1_250_000}}

    anggaran = open_app(akun.pimpinan, "pages/anggaran.py")
    assert not any("Belum ada realisasi anggaran" in i.value for i in anggaran.info)
    assert row_of(anggaran, "unit_nama", PERENCANAAN, index=1)["realisasi"] == 1_250_000


def test_a_budget_realisasi_above_the_pagu_is_refused(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator, "pages/isi_anggaran.py", "ang_bulan")
    edit_grid(at, grid_key(akun.operator, "anggaran"), {"6.1.1": {"realisasi": str(pagu(db, "6.1.1") + 1)}})
    at.button(key="ang_simpan").click().run()
    assert "6.1.1" in errors(at) and "melebihi pagu" in errors(at)
    assert not at.success
    assert realisasi_anggaran(db) == {}


@pytest.mark.parametrize(("peran", "page", "bulan_key", "kind", "edits", "button", "pesan"), [
    ("operator", "pages/isi_realisasi.py", "isi_bulan", "realisasi", {"IK-6.1.4": {"nilai": "1"}}, "isi_simpan",
     "1 isian Maret tersimpan."),
    ("operator", "pages/isi_anggaran.py", "ang_bulan", "anggaran", {"6.1.1": {"realisasi": "1000"}}, "ang_simpan",
     "1 isian anggaran Maret tersimpan."),
    ("admin", "pages/target.py", None, "target", {"IK-6.1.4": {"tw1": "2", "tw2": "5", "tw3": "7", "tw4": "10"}},
     "target_simpan", "1 target tersimpan."),
])
def test_the_saved_message_stays_until_the_grid_is_edited_again(
    akun: Akun, peran: str, page: str, bulan_key: str | None, kind: str, edits: dict, button: str, pesan: str
) -> None:
    at = open_app(akun[peran], page)
    if bulan_key:
        pick(at, bulan_key, 3)
    key = next(d.key for d in at.data_editor if d.key.startswith(f"grid_{kind}_")).rsplit("_v", 1)[0]
    edit_grid(at, key, edits)
    at.button(key=button).click().run()
    assert [s.value for s in at.success] == [pesan]
    at.run()  # the browser reruns the page once more when the saved grid resets
    assert [s.value for s in at.success] == [pesan]
    edit_grid(at, key, {next(iter(edits)): {c: "" for c in next(iter(edits.values()))}})
    at.run()
    assert not at.success


# --- admin pages ----------------------------------------------------------------------------------


def fill_new_user(at: AppTest, username: str, peran: str, unit: Unit | None) -> AppTest:
    """Fill the Tambah pengguna form and submit it (inside a form nothing reruns before the submit)."""
    at.text_input(key="baru_nama").set_value("Ahmad, S.AN")
    at.text_input(key="baru_username").set_value(username)
    at.selectbox(key="baru_peran").set_value(peran)
    at.selectbox(key="baru_unit").set_value(unit)
    at.text_input(key="baru_password").set_value(PASSWORD)
    form = next(b for b in at.form_submit_button if b.form_id == "pengguna_baru")
    return form.click().run()


def test_an_admin_creates_an_operator_who_can_sign_in_to_their_unit(db: Engine, akun: Akun) -> None:
    at = fill_new_user(open_app(akun.admin, "pages/pengguna.py"), "ahmad.pmd", "operator",
                       units(db)["PMD"])
    assert not at.error
    assert [s.value for s in at.success] == ["Pengguna ahmad.pmd dibuat."]
    assert "ahmad.pmd" in list(at.dataframe[0].value["Nama pengguna"])
    user = authenticate(db, "ahmad.pmd", PASSWORD)
    assert user is not None and (user.peran, user.unit_id) == ("operator", units(db)["PMD"].id)
    assert titles(open_app(user)) == ["Realisasi Seksi Pemberdayaan Masyarakat dan Desa"]


def test_an_operator_without_a_unit_is_not_created(db: Engine, akun: Akun) -> None:
    at = fill_new_user(open_app(akun.admin, "pages/pengguna.py"), "tanpa.unit", "operator", None)
    assert "Operator harus punya unit" in errors(at)
    assert authenticate(db, "tanpa.unit", PASSWORD) is None


@pytest.mark.parametrize(("komponen", "nilai", "predikat"), [
    ((25, 25, 12, 20), "82", "A (Memuaskan)"),
    ((30, 30, 15, 5), "80", "BB (Sangat Baik)"),  # the bounds are exclusive: 80 is not yet A
    ((10, 10, 5, 4.5), "29,5", "D (Sangat Kurang)"),
])
def test_the_akip_page_computes_the_predikat_and_saves_the_score(
    db: Engine, akun: Akun, komponen: tuple, nilai: str, predikat: str
) -> None:
    at = open_app(akun.admin, "pages/akip.py")
    assert not at.metric
    for key, value in zip(("perencanaan", "pengukuran", "pelaporan", "evaluasi"), komponen, strict=True):
        at.text_input(key=f"akip_{key}").set_value(str(value).replace(".", ","))
    at.run()
    shown = {m.label: m.value for m in at.metric}
    assert shown == {"Nilai AKIP": nilai, "Predikat": predikat}
    pick(at, "akip_bulan", 12)
    at.button(key="akip_simpan").click().run()
    assert [s.value for s in at.success] == [f"Nilai AKIP {nilai} ({predikat.split()[0]}) tersimpan."]
    assert realisasi(db)["IK-AKIP"][12].nilai == Decimal(nilai.replace(",", "."))
    with new_session(db) as session:
        assert session.exec(select(NilaiAKIP)).one().evaluasi == Decimal(str(komponen[3]))


@pytest.mark.parametrize(("key", "typed", "pesan"), [
    ("perencanaan", "31", "Perencanaan Kinerja: paling tinggi 30 (bobot komponen ini), bukan 31"),
    ("pelaporan", "abc", "Pelaporan Kinerja: 'abc' bukan angka"),
    ("evaluasi", "1e9", "Evaluasi Akuntabilitas Kinerja Internal: '1e9': tulis angka biasa, tanpa notasi e"),
    ("pengukuran", "20,555", "Pengukuran Kinerja: '20,555' paling banyak 2 angka di belakang koma (20,555)"),
])
def test_an_akip_component_that_is_wrong_is_named_and_nothing_is_saved(
    db: Engine, akun: Akun, key: str, typed: str, pesan: str
) -> None:
    at = open_app(akun.admin, "pages/akip.py")
    for k, value in {"perencanaan": "25", "pengukuran": "25", "pelaporan": "12", "evaluasi": "20"}.items():
        at.text_input(key=f"akip_{k}").set_value(typed if k == key else value)
    at.button(key="akip_simpan").click().run()
    assert pesan in errors(at)
    assert "harus diisi" not in errors(at)
    assert not at.metric and not at.success
    assert "IK-AKIP" not in realisasi(db)


def test_the_ikm_page_computes_the_ikm_from_typed_counts_and_saves_it(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/ikm.py")
    at.radio(key="ikm_cara").set_value("Ketik jumlah jawaban per unsur").run()
    # 20 respondents, half answering 3 and half 4 on every unsur: NRR 3,5, IKM 87,5, just below mutu A.
    at.session_state["ikm_rekap"] = {"edited_rows": {u: {"3": 10, "4": 10} for u in range(9)},
                                     "added_rows": [], "deleted_rows": []}
    at.run()
    shown = {m.label: m.value for m in at.metric}
    assert shown == {"IKM": "87,5", "Mutu pelayanan": "B (Baik)", "Responden": "20"}
    pick(at, "ikm_bulan", 6)
    at.button(key="ikm_simpan").click().run()
    assert [s.value for s in at.success] == [f"IKM 87,5 tersimpan sebagai realisasi Juni {TAHUN}."]
    assert realisasi(db)["IK-IKM"][6].nilai == Decimal("87.5")
    with new_session(db) as session:
        assert len(session.exec(select(SurveiIKM)).all()) == 1


def targets(engine: Engine, kode: str) -> tuple:
    with new_session(engine) as session:
        ind = session.exec(select(Indikator).where(Indikator.kode == kode)).one()
        t = session.exec(select(Target).where(Target.indikator_id == ind.id)).one()
        return t.tahunan, t.tw1, t.tw2, t.tw3, t.tw4


def target_key(at: AppTest) -> str:
    return next(d.key for d in at.data_editor if d.key.startswith("grid_target_"))


def test_a_decreasing_cumulative_rencana_aksi_is_refused(db: Engine, akun: Akun) -> None:
    before = targets(db, "IK-6.1.4")
    at = open_app(akun.admin, "pages/target.py")
    edit_grid(at, target_key(at), {"IK-6.1.4": {"tw1": "5", "tw2": "3", "tw3": "8", "tw4": "10"}})
    at.button(key="target_simpan").click().run()
    assert ("IK-6.1.4 Jumlah Laporan Evaluasi Kinerja Perangkat Daerah: rencana aksi kumulatif tidak boleh turun "
            "dari triwulan ke triwulan") in errors(at)
    assert not at.success
    assert targets(db, "IK-6.1.4") == before


def test_a_rising_rencana_aksi_is_saved(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/target.py")
    edit_grid(at, target_key(at), {"IK-6.1.4": {"tw1": "2", "tw2": "5", "tw3": "7", "tw4": "10"}})
    at.button(key="target_simpan").click().run()
    assert [s.value for s in at.success] == ["1 target tersimpan."]
    assert targets(db, "IK-6.1.4")[1:] == (Decimal(2), Decimal(5), Decimal(7), Decimal(10))


# --- what the pimpinan sees -----------------------------------------------------------------------


DEMO = "**DEMO** — data contoh"
KOSONG = "Belum ada realisasi untuk tahun ini"


def test_the_demo_database_shows_the_demo_banner_and_a_filled_dashboard(demo_db: Engine) -> None:
    akun = add_users(demo_db)
    at = open_app(akun.pimpinan)
    assert any(DEMO in w.value for w in at.warning)
    assert titles(at) == [FIRST_TITLE["pimpinan"]]
    assert not any(KOSONG in i.value for i in at.info)
    assert {m.label for m in at.metric} >= {"Capaian sasaran strategis", "Penyerapan anggaran"}
    assert any(DEMO in w.value for w in open_app(akun.operator).warning), "every role sees the banner"


def test_a_normal_database_shows_no_demo_banner_and_the_empty_state(db: Engine, akun: Akun) -> None:
    at = open_app(akun.pimpinan)
    assert not any("DEMO" in w.value for w in at.warning)
    assert any(KOSONG in i.value for i in at.info)
    assert not at.metric


def test_the_empty_state_goes_once_the_first_realisasi_is_saved(db: Engine, akun: Akun) -> None:
    at = open_grid(akun.operator)
    edit_grid(at, grid_key(akun.operator), {"IK-6.1.4": {"nilai": "1"}})
    at.button(key="isi_simpan").click().run()
    dashboard = open_app(akun.pimpinan)
    assert not any(KOSONG in i.value for i in dashboard.info)
    shown = {m.label: m.value for m in dashboard.metric}
    assert shown["Capaian sasaran strategis"] == "–"  # the Camat's own rows have no data yet
    assert not any("NaN" in value for value in shown.values())


def test_a_capaian_above_the_ceiling_is_marked_perlu_dicek_beside_its_kategori(db: Engine, akun: Akun) -> None:
    """IK-6.1.1: 3 Dokumen a year, so s.d. TW I the target is 3 x 1/4 = 0,75; 2 Dokumen give 266,67 % > 200 %."""
    with new_session(db) as session:
        instansi_id = get_instansi(session).id
    save_realisasi(db, instansi_id=instansi_id, tahun=TAHUN, pengguna=akun.operator,
                   entries=[EntriRealisasi("IK-6.1.1", 3, nilai=Decimal(2)), EntriRealisasi("IK-6.1.2", 3,
                                                                                           nilai=Decimal(0))])
    at = open_app(akun.pimpinan, "pages/capaian.py")
    row = row_of(at, "indikator", "Jumlah dokumen perencanaan perangkat daerah yang disusun")
    assert (row["kategori"], row["dicek"]) == ("Sangat Tinggi", "perlu dicek (di atas 200,00 %)")
    other = row_of(at, "indikator", "Jumlah Dokumen RKA-SKPD dan Laporan Hasil Koordinasi Penyusunan Dokumen RKA-SKPD")
    assert other["dicek"] == ""  # 0 % is low, not implausible


def test_audit_trail_shows_who_changed_what(db: Engine, akun: Akun) -> None:
    """Two saves of one month by the operator appear in the admin's Riwayat perubahan, newest first."""
    with new_session(db) as session:
        instansi_id = get_instansi(session).id
    for nilai in ("1", "2"):
        save_realisasi(db, instansi_id=instansi_id, tahun=TAHUN, pengguna=akun.operator,
                       entries=[EntriRealisasi("IK-6.1.1", 3, nilai=Decimal(nilai))])
    at = open_app(akun.admin, "pages/riwayat.py")
    table = at.dataframe[0].value
    assert list(table["Pengguna"][:2]) == ["Operator Satu (operator.satu)"] * 2  # the name, not only the code
    item = "IK-6.1.1 Jumlah dokumen perencanaan perangkat daerah yang disusun — Maret 2025"
    assert list(table["Item"][:2]) == [item, item]
    assert list(table["Aksi"][:2]) == ["ubah", "tambah"]
    assert table["Sebelum"][0] == "nilai: 1" and table["Sesudah"][0] == "nilai: 2"
    assert table["Waktu"][0].endswith(" WITA")  # the office's local time, not UTC
    assert "riwayat" not in " ".join(offered_pages(open_app(akun.pimpinan)))


def test_audit_trail_of_one_indicator_holds_its_values_and_its_units_verification(db: Engine, akun: Akun) -> None:
    with new_session(db) as session:
        office = get_instansi(session)
        unit_id = session.exec(select(Unit.id).where(Unit.kode == "PERENCANAAN")).one()
    for kode, nilai in (("IK-6.1.1", "1"), ("IK-6.1.2", "1")):
        save_realisasi(db, instansi_id=office.id, tahun=TAHUN, pengguna=akun.operator,
                       entries=[EntriRealisasi(kode, 3, nilai=Decimal(nilai))])
    ubah_status(db, unit_id=unit_id, tahun=TAHUN, bulan=3, aksi="ajukan", pengguna=akun.operator)
    at = open_app(akun.admin, "pages/riwayat.py")
    at.text_input(key="riwayat_kode").set_value("IK-6.1.1").run()
    table = at.dataframe[0].value
    assert list(table["Data"]) == ["Verifikasi", "Realisasi"]  # newest first: the submission, then the value
    assert table["Item"][0] == f"{PERENCANAAN} — Maret {TAHUN}" and "IK-6.1.2" not in " ".join(table["Item"])
    at.text_input(key="riwayat_kode").set_value("").run()
    at.text_input(key="riwayat_oleh").set_value("tidak.ada").run()
    assert not at.dataframe and "Tidak ada perubahan tercatat" in at.info[0].value


def test_audit_trail_opens_after_a_pagu_change(db: Engine, akun: Akun) -> None:
    """A pagu change once wrote a bare number that crashed the Riwayat page; now it reads as old -> new."""
    with new_session(db) as session:
        versi = versi_berlaku(session, get_instansi(session).id, TAHUN)
    save_pagu(db, versi_id=versi.id, pagu={"6.1.1": 15_000_000}, pengguna=akun.admin)
    at = open_app(akun.admin, "pages/riwayat.py")
    assert not at.exception
    row = at.dataframe[0].value.iloc[0]
    assert (row["Data"], row["Sebelum"], row["Sesudah"]) == ("Pagu", "pagu: 15.409.900", "pagu: 15.000.000")
    assert row["Item"] == f"6.1.1 Penyusunan Dokumen Perencanaan Perangkat Daerah — tahun {TAHUN}, versi 1"


def test_demo_banner_shows_before_sign_in_too(demo_db: Engine) -> None:
    at = open_app()
    assert titles(at) == ["Masuk ke Kinerja"]  # the demo comes with its accounts: no first-admin screen
    assert any("DEMO" in w.value for w in at.warning)
