"""Page tests of the office profile (Bab I of the LKjIP draft) and the download block on the Tabel LKjIP page."""

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from kinerja.simpan.db import new_session
from kinerja.simpan.models import Jejak, ProfilInstansi
from tests._app import Akun, errors, offered_pages, open_app, shown, titles

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")


def test_the_admin_fills_the_profile_once_and_it_is_stored_with_its_trail(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/profil.py")
    assert titles(at) == ["Profil instansi"]
    at.text_area(key="profil_tugas_pokok").input("Membantu Bupati dalam penyelenggaraan pemerintahan di kecamatan.")
    at.text_area(key="profil_fungsi").input("Koordinasi pemberdayaan masyarakat\nPelayanan publik")
    at.button(key="profil_simpan").click().run()
    assert not at.exception and "Profil instansi disimpan." in shown(at)
    with new_session(db) as session:
        profil = session.exec(select(ProfilInstansi)).one()
        trail = session.exec(select(Jejak).where(Jejak.tabel == "profil_instansi")).all()
    assert profil.fungsi == "Koordinasi pemberdayaan masyarakat\nPelayanan publik"
    assert profil.diisi_oleh == akun.admin.username
    assert len(trail) == 1 and trail[0].pengguna == akun.admin.username
    # the form shows what is stored; saving it unchanged writes nothing
    again = open_app(akun.admin, "pages/profil.py")
    assert again.text_area(key="profil_fungsi").value == profil.fungsi
    again.button(key="profil_simpan").click().run()
    assert "Tidak ada perubahan." in shown(again)
    with new_session(db) as session:
        assert len(session.exec(select(Jejak).where(Jejak.tabel == "profil_instansi")).all()) == 1


def test_a_profile_field_with_a_control_character_is_refused_and_nothing_is_stored(db: Engine, akun: Akun) -> None:
    at = open_app(akun.admin, "pages/profil.py")
    at.text_area(key="profil_alamat").input("Jl. Poros\x00 Mangkutana")
    at.button(key="profil_simpan").click().run()
    assert "Alamat" in errors(at)
    with new_session(db) as session:
        assert session.exec(select(ProfilInstansi)).first() is None


@pytest.mark.parametrize("peran", ["pimpinan", "operator"])
def test_only_the_admin_is_offered_the_profile(akun: Akun, peran: str) -> None:
    assert "pages/profil.py" in offered_pages(open_app(akun.admin))
    assert "pages/profil.py" not in offered_pages(open_app(akun[peran]))


def test_the_lkjip_page_offers_the_draft_and_the_evidence_pack(db: Engine, akun: Akun) -> None:
    at = open_app(akun.pimpinan, "pages/laporan.py")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Unduh draf LKjIP (.docx)" in labels and "Unduh paket bukti dukung SAKIP (.zip)" in labels
