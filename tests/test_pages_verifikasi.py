"""Page tests of the checked month: submit, return with a note, fix, verify, approve, reopen, deadlines, threads.

The operator's entry pages, the pimpinan's Verifikasi page and the admin's Jadwal & kunci isian page,
driven through dashboard.py under AppTest exactly as tests/test_pages.py does (fixtures copied from
there), each test on its own SQLite file. What is asserted is what each person sees on screen.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from kinerja.baca.pemeriksaan import lembar_indikator
from kinerja.errors import ValidationError
from kinerja.simpan.auth import create_first_admin, create_user
from kinerja.simpan.bukti import list_bukti
from kinerja.simpan.db import get_engine, new_session, write_session
from kinerja.simpan.jadwal import rekap_keterlambatan, simpan_batas_bulan, simpan_hari_batas
from kinerja.simpan.jejak import baca_nilai
from kinerja.simpan.models import Instansi, Jejak, Pengguna
from kinerja.simpan.queries import get_instansi, list_units, load_data_tahun, load_realisasi, load_realisasi_anggaran
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.verifikasi import status_of, ubah_status
from tests._app import PERENCANAAN, TAHUN, current_key, edit_grid, errors, open_app, shown

PASSWORD = "Uji-Verifikasi-2025!"
ISI, ANGGARAN, VERIFIKASI, JADWAL = "pages/isi_realisasi.py", "pages/isi_anggaran.py", "pages/verifikasi.py", \
    "pages/jadwal.py"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


pytestmark = pytest.mark.usefixtures("navigation_only", "quick")


@pytest.fixture
def orang(db: Engine) -> dict[str, Pengguna]:
    """The admin, the operator of Perencanaan (and a second one), the Sekretaris Camat and the Camat."""
    with new_session(db) as session:
        office = get_instansi(session)
        units = {u.kode: u.id for u in list_units(session, office.id)}
    admin = create_first_admin(db, instansi_id=office.id, username="meri", nama="Meri", password=PASSWORD)

    def make(username: str, peran: str, unit: str) -> Pengguna:
        return create_user(db, instansi_id=office.id, username=username, nama=username.title(), password=PASSWORD,
                           peran=peran, unit_id=units[unit], pengguna=admin)

    return {"admin": admin, "operator": make("operator.satu", "operator", "PERENCANAAN"),
            "operator2": make("operator.dua", "operator", "PERENCANAAN"),
            "sekcam": make("sekcam", "pimpinan", "SEKCAM"), "camat": make("camat", "pimpinan", "CAMAT")}


def open_isi(user: Pengguna, page: str = ISI) -> AppTest:
    """Open an entry page on Maret 2025."""
    at = open_app(user, page)
    at.selectbox(key="isi_bulan" if page == ISI else "ang_bulan").set_value(3).run()
    assert not at.exception, at.exception
    return at


def grid_key(user: Pengguna, kind: str = "realisasi") -> str:
    return f"grid_{kind}_{user.unit_id}_{TAHUN}_3"


def keys(at: AppTest, kind: str = "button") -> set[str]:
    return {w.key for w in getattr(at, kind)}


def status(engine: Engine, user: Pengguna) -> str:
    with new_session(engine) as session:
        row = status_of(session, user.unit_id, TAHUN, 3)
    return row.status if row else "draf"


def simpan(at: AppTest, user: Pengguna, edits: dict[str, dict[str, object]]) -> None:
    edit_grid(at, grid_key(user), edits)
    at.button(key="isi_simpan").click().run()
    assert not at.error, errors(at)


def ajukan(at: AppTest) -> None:
    at.button(key="isi_ajukan").click().run()
    assert not at.exception, at.exception


def choose_inbox(at: AppTest, user: Pengguna) -> AppTest:
    at.selectbox(key="ver_pilih").set_value((user.unit_id, TAHUN, 3)).run()
    assert not at.exception, at.exception
    return at


def grid_locked(at: AppTest, user: Pengguna) -> bool:
    return at.data_editor(key=current_key(at, grid_key(user))).proto.disabled


# --- the operator submits -------------------------------------------------------------------------


def test_a_submitted_month_locks_the_grid_and_says_why(db: Engine, orang: dict) -> None:
    op = orang["operator"]
    at = open_isi(op)
    assert "Status Maret 2025: Draf" in shown(at)
    simpan(at, op, {"IK-6.1.1": {"nilai": "2"}})
    assert "Terisi 1 dari 8 indikator" in shown(at)
    ajukan(at)
    assert status(db, op) == "diajukan"
    assert "Maret 2025 diajukan untuk diverifikasi." in [s.value for s in at.success]
    assert "Status Maret 2025: Diajukan" in shown(at)
    assert "menunggu verifikasi pimpinan Sekretariat Kecamatan" in shown(at)
    assert (f"Tidak dapat diubah: {PERENCANAAN} Maret 2025 sudah diajukan, sehingga terkunci; minta admin membukanya "
            "kembali") in errors(at)
    assert grid_locked(at, op)
    assert not keys(at) & {"isi_simpan", "isi_ajukan", "isi_bukti_unggah"}  # no Simpan, no second submit, no upload
    ang = open_isi(op, ANGGARAN)  # the month is one: the budget grid of March is locked too
    assert "isi_simpan" not in keys(ang) and "ang_simpan" not in keys(ang)
    assert ang.data_editor(key=current_key(ang, grid_key(op, "anggaran"))).proto.disabled


def test_unsaved_edits_must_be_saved_before_submitting(db: Engine, orang: dict) -> None:
    op = orang["operator"]
    at = open_isi(op)
    edit_grid(at, grid_key(op), {"IK-6.1.1": {"nilai": "2"}})
    at.run()
    assert at.button(key="isi_ajukan").disabled
    assert status(db, op) == "draf"


# --- the whole cycle ------------------------------------------------------------------------------


def test_return_with_a_note_fix_resubmit_verify_and_approve(db: Engine, orang: dict) -> None:
    op, sekcam, camat = orang["operator"], orang["sekcam"], orang["camat"]
    at = open_isi(op)
    simpan(at, op, {"IK-6.1.1": {"nilai": "2"}})
    ajukan(at)

    assert "Tidak ada isian yang menunggu" in shown(open_app(camat, VERIFIKASI))  # not the Camat's step yet
    ver = open_app(sekcam, VERIFIKASI)
    inbox = ver.dataframe[0].value
    assert list(inbox["Unit"]) == [PERENCANAAN] and list(inbox["Bulan"]) == ["Maret 2025"]
    assert list(inbox["Status"]) == ["Diajukan"] and list(inbox["Langkah"]) == ["Verifikasi"]
    choose_inbox(ver, op)
    figures = ver.dataframe[1].value.set_index("kode")
    assert figures.loc["IK-6.1.1", "bulan_ini"] == "2" and figures.loc["IK-6.1.1", "target"] == "3 Dokumen"
    ver.button(key="ver_kembalikan").click().run()  # a return needs a note
    assert "catatan harus diisi" in errors(ver) and status(db, op) == "diajukan"
    ver.text_area(key=f"ver_catatan_{op.unit_id}_{TAHUN}_3").set_value("IK-6.1.1: dokumen Renja belum dihitung.")
    ver.button(key="ver_kembalikan").click().run()
    assert status(db, op) == "dikembalikan"
    assert f"{PERENCANAAN} Maret 2025 dikembalikan dengan catatan." in [s.value for s in ver.success]
    assert "Tidak ada isian yang menunggu verifikasi atau pengesahan Anda." in shown(ver)

    at = open_isi(op)
    returned = "\n".join(w.value for w in at.warning)
    assert "Status Maret 2025: Dikembalikan" in returned and "oleh sekcam" in returned
    assert "IK-6.1.1: dokumen Renja belum dihitung." in returned
    assert not grid_locked(at, op) and "isi_simpan" in keys(at)  # the operator can fix it
    simpan(at, op, {"IK-6.1.1": {"nilai": "3"}})
    ajukan(at)
    assert status(db, op) == "diajukan"

    ver = choose_inbox(open_app(sekcam, VERIFIKASI), op)
    assert ver.dataframe[1].value.set_index("kode").loc["IK-6.1.1", "bulan_ini"] == "3"
    assert ver.button(key="ver_setuju").label == "Verifikasi"
    ver.button(key="ver_setuju").click().run()
    assert status(db, op) == "diverifikasi"

    sah = open_app(camat, VERIFIKASI)
    assert list(sah.dataframe[0].value["Langkah"]) == ["Sahkan"]
    choose_inbox(sah, op).button(key="ver_setuju").click().run()
    assert status(db, op) == "disahkan"
    at = open_isi(op)
    assert "Status Maret 2025: Disahkan" in shown(at) and grid_locked(at, op)


def test_the_admin_sees_what_waits_but_cannot_decide(db: Engine, orang: dict) -> None:
    op = orang["operator"]
    at = open_isi(op)
    simpan(at, op, {"IK-6.1.1": {"nilai": "2"}})
    ajukan(at)
    ver = choose_inbox(open_app(orang["admin"], VERIFIKASI), op)
    assert list(ver.dataframe[0].value["Unit"]) == [PERENCANAAN]
    assert not keys(ver) & {"ver_setuju", "ver_kembalikan"}


def test_an_empty_inbox_says_so(db: Engine, orang: dict) -> None:
    at = open_app(orang["sekcam"], VERIFIKASI)
    assert "Tidak ada isian yang menunggu verifikasi atau pengesahan Anda." in shown(at)
    assert not at.dataframe


# --- the admin's calendar -------------------------------------------------------------------------


def test_the_admin_reopens_a_submitted_month_with_a_reason(db: Engine, orang: dict) -> None:
    op = orang["operator"]
    at = open_isi(op)
    simpan(at, op, {"IK-6.1.1": {"nilai": "2"}})
    ajukan(at)
    adm = pick_unit(open_app(orang["admin"], JADWAL), op)
    adm.button(key="jadwal_buka_status").click().run()
    assert "catatan harus diisi: sebutkan alasan membuka kembali" in errors(adm) and status(db, op) == "diajukan"
    adm.text_area(key=f"jadwal_alasan_status_{op.unit_id}_{TAHUN}_3").set_value("Salah ketik IK-6.1.1")
    adm.button(key="jadwal_buka_status").click().run()
    assert status(db, op) == "draf"
    at = open_isi(op)
    assert "dibuka kembali oleh meri" in shown(at) and "Alasan: Salah ketik IK-6.1.1" in shown(at)
    assert not grid_locked(at, op) and "isi_simpan" in keys(at)


def pick_unit(at: AppTest, user: Pengguna) -> AppTest:
    """Choose the user's unit and March on the Jadwal page."""
    with new_session(get_engine()) as session:
        unit = next(u for u in list_units(session, user.instansi_id) if u.id == user.unit_id)
    at.selectbox(key="jadwal_unit").set_value(unit).run()
    at.selectbox(key="jadwal_buka_bulan").set_value(3).run()
    assert not at.exception, at.exception
    return at


def test_a_month_past_its_deadline_says_why_it_is_closed_until_reopened(db: Engine, orang: dict) -> None:
    op = orang["operator"]
    save_realisasi(db, instansi_id=op.instansi_id, tahun=TAHUN, pengguna=op,
                   entries=[EntriRealisasi("IK-6.1.1", 2, nilai=Decimal(1))])  # February submitted, on time or not
    adm = open_app(orang["admin"], JADWAL)
    assert "Belum ada batas waktu isian" in shown(adm)
    adm.number_input(key="jadwal_hari").set_value(10)
    adm.button(key="jadwal_hari_simpan").click().run()
    assert "Batas waktu isian: tanggal 10 bulan berikutnya." in [s.value for s in adm.success]
    with new_session(db) as session:
        assert session.get(Instansi, op.instansi_id).hari_batas_isian == 10
    late = adm.dataframe[1].value.set_index("unit_nama")
    assert late.loc[PERENCANAAN, "jumlah_belum"] == 12  # every month of 2025 is past its deadline, none submitted
    assert "Mar" in late.loc[PERENCANAAN, "belum_diajukan"]

    at = open_isi(op)
    assert (f"Tidak dapat diubah: batas waktu isian {PERENCANAAN} Maret 2025 (10-04-2025) sudah lewat; minta admin "
            "membukanya kembali untuk unit ini") in errors(at)
    assert grid_locked(at, op) and "isi_simpan" not in keys(at)

    adm = pick_unit(adm, op)
    adm.text_area(key=f"jadwal_alasan_batas_{op.unit_id}_{TAHUN}_3").set_value("SPJ terlambat dari bendahara")
    adm.button(key="jadwal_buka_batas").click().run()
    assert not adm.error, errors(adm)
    assert "SPJ terlambat dari bendahara" in list(adm.dataframe[-1].value["Alasan"])
    at = open_isi(op)
    assert not at.error and not grid_locked(at, op)
    simpan(at, op, {"IK-6.1.1": {"nilai": "2"}})
    assert load_realisasi_3(db)["IK-6.1.1"] == Decimal(2)


def load_realisasi_3(engine: Engine) -> dict[str, Decimal | None]:
    with new_session(engine) as session:
        data = load_realisasi(session, get_instansi(session).id, TAHUN)
    return {k: months[3].nilai for k, months in data.items() if 3 in months}


# --- threads and evidence -------------------------------------------------------------------------


def test_a_response_reaches_the_operator_and_the_answer_reaches_the_verifier(db: Engine, orang: dict) -> None:
    op, sekcam = orang["operator"], orang["sekcam"]
    at = open_isi(op)
    simpan(at, op, {"IK-6.1.1": {"nilai": "2"}})
    ajukan(at)
    ver = choose_inbox(open_app(sekcam, VERIFIKASI), op)
    ver.text_area(key="ver_tgp_IK-6.1.1").set_value("Dokumen apa saja? Lampirkan daftar *Renja*.")
    ver.button(key="ver_tgp_kirim_IK-6.1.1").click().run()
    assert not ver.error, errors(ver)

    at = open_isi(op)  # locked, yet the operator can still answer
    assert "Dokumen apa saja? Lampirkan daftar \\*Renja\\*." in shown(at)  # typed Markdown stays plain text
    assert at.data_editor(key=current_key(at, grid_key(op))).value.set_index("kode").loc["IK-6.1.1", "tanggapan"] == 1
    at.text_area(key="isi_tgp_IK-6.1.1").set_value("Renja dan RKA, daftar terlampir.")
    at.button(key="isi_tgp_kirim_IK-6.1.1").click().run()
    assert "tidak terkirim" not in errors(at)

    ver = choose_inbox(open_app(sekcam, VERIFIKASI), op)
    text = shown(ver)
    assert text.index("Dokumen apa saja?") < text.index("Renja dan RKA, daftar terlampir.")  # oldest first
    assert "operator.satu · " in text


def test_evidence_uploaded_by_the_operator_is_listed_for_the_verifier_and_a_replacement_keeps_history(
    db: Engine, orang: dict
) -> None:
    op = orang["operator"]
    at = open_isi(op)
    at.selectbox(key="isi_bukti_untuk").set_value("IK-6.1.1").run()
    at.file_uploader(key="isi_bukti_berkas_0").set_value(("renja v1.pdf", PDF, "application/pdf")).run()
    at.button(key="isi_bukti_unggah").click().run()
    assert "Bukti renja v1.pdf tersimpan." in [s.value for s in at.success]
    assert any(b.label.startswith("renja v1.pdf") for b in at.download_button)
    first = next(b for b in at.download_button if b.label.startswith("renja v1.pdf"))

    at.selectbox(key="isi_bukti_untuk").set_value("IK-6.1.1").run()
    at.selectbox(key="isi_bukti_ganti").set_value(int(first.key.rsplit("_", 1)[1])).run()
    at.file_uploader(key="isi_bukti_berkas_1").set_value(("renja v2.pdf", PDF + b"%v2\n", "application/pdf")).run()
    at.button(key="isi_bukti_unggah").click().run()
    labels = [b.label for b in at.download_button]
    assert any(label.startswith("renja v2.pdf") for label in labels)
    assert not any(label.startswith("renja v1.pdf") for label in labels)  # the current file only ...
    with new_session(db) as session:
        history = list_bukti(session, instansi_id=op.instansi_id, tahun=TAHUN, pengguna=None, riwayat=True)
    assert [b.nama_asli for b in history] == ["renja v1.pdf", "renja v2.pdf"]  # ... the old one is kept

    ajukan(at)
    ver = choose_inbox(open_app(orang["sekcam"], VERIFIKASI), op)
    assert [b.label.split(" · ")[0] for b in ver.download_button] == ["renja v2.pdf"]
    assert ver.dataframe[1].value.set_index("kode").loc["IK-6.1.1", "bukti"] == 1


def test_a_file_that_is_not_evidence_is_refused_on_the_page(db: Engine, orang: dict) -> None:
    op = orang["operator"]
    at = open_isi(op)
    at.file_uploader(key="isi_bukti_berkas_0").set_value(("laporan.pdf", b"MZ\x90\x00" + b"\x00" * 64,
                                                          "application/pdf")).run()
    at.button(key="isi_bukti_unggah").click().run()
    assert "Berkas tidak disimpan:" in errors(at) and "isi berkas berjenis exe" in errors(at)
    with new_session(db) as session:
        assert list_bukti(session, instansi_id=op.instansi_id, tahun=TAHUN, pengguna=None, riwayat=True) == []


# --- two people, one grid -------------------------------------------------------------------------


def test_the_later_of_two_saves_is_refused_on_screen_and_the_grid_shows_the_other_value(
    db: Engine, orang: dict
) -> None:
    satu, dua = orang["operator"], orang["operator2"]
    a, b = open_isi(satu), open_isi(dua)
    simpan(a, satu, {"IK-6.1.1": {"nilai": "2"}})
    assert load_realisasi_3(db) == {"IK-6.1.1": Decimal(2)}
    edit_grid(b, grid_key(dua), {"IK-6.1.1": {"nilai": "3"}, "IK-6.1.4": {"nilai": "1"}})
    b.button(key="isi_simpan").click().run()
    assert ("IK-6.1.1 Maret sudah diubah oleh operator.satu menjadi 2 setelah Anda membuka halaman; periksa lalu "
            "simpan lagi") in errors(b)
    assert not b.success
    assert load_realisasi_3(db) == {"IK-6.1.1": Decimal(2)}  # neither the 3 nor the other row of the batch
    assert b.data_editor(key=current_key(b, grid_key(dua))).value.set_index("kode").loc["IK-6.1.1", "nilai"] == "2"
    b.run()  # the browser's own rerun of the reloaded grid keeps the message
    assert "sudah diubah oleh operator.satu" in errors(b)
    simpan(b, dua, {"IK-6.1.1": {"nilai": "3"}})
    assert load_realisasi_3(db) == {"IK-6.1.1": Decimal(3)}


def test_the_budget_page_refuses_a_stale_save_the_same_way(db: Engine, orang: dict) -> None:
    satu, dua = orang["operator"], orang["operator2"]
    a, b = open_isi(satu, ANGGARAN), open_isi(dua, ANGGARAN)
    edit_grid(a, grid_key(satu, "anggaran"), {"6.1.1": {"realisasi": "1.250.000"}})
    a.button(key="ang_simpan").click().run()
    assert [s.value for s in a.success] == ["1 isian anggaran Maret tersimpan."]
    edit_grid(b, grid_key(dua, "anggaran"), {"6.1.1": {"realisasi": "900.000"}})
    b.button(key="ang_simpan").click().run()
    assert ("6.1.1 Maret sudah diubah oleh operator.satu menjadi Rp 1.250.000 setelah Anda membuka halaman; periksa "
            "lalu simpan lagi") in errors(b)
    assert b.data_editor(key=current_key(b, grid_key(dua, "anggaran"))).value.set_index("kode").loc[
        "6.1.1", "realisasi"] == "Rp 1.250.000"  # the page shows Rupiah the Indonesian way
    with new_session(db) as session:
        assert load_realisasi_anggaran(session, get_instansi(session).id, TAHUN) == {"6.1.1": {3: 1_250_000}}


def test_operator_of_another_unit_never_sees_this_units_month(db: Engine, orang: dict) -> None:
    with new_session(db) as session:
        unit_ids = {u.kode: u.id for u in list_units(session, orang["admin"].instansi_id)}
    other = create_user(db, instansi_id=orang["admin"].instansi_id, username="operator.pemum", nama="Pemum",
                        password=PASSWORD, peran="operator", unit_id=unit_ids["PEMUM"], pengguna=orang["admin"])
    tambah = open_isi(orang["operator"])
    tambah.text_area(key="isi_tgp_IK-6.1.1").set_value("Catatan internal Perencanaan")
    tambah.button(key="isi_tgp_kirim_IK-6.1.1").click().run()
    at = open_isi(other)
    assert "Catatan internal Perencanaan" not in shown(at)
    assert "isi_tgp_IK-6.1.1" not in keys(at, "text_area")
    with pytest.raises(ValueError):  # the operator's router does not offer the Verifikasi page
        at.switch_page(VERIFIKASI)


# --- the calendar and the checker's sheet, without the screens, on SQLite and PostgreSQL ----------


@pytest.fixture
def kantor(seeded: Engine, instansi_id: int) -> dict[str, Pengguna]:
    """An admin, an operator of Perencanaan and the Camat, stored directly (no password needed here)."""
    with write_session(seeded) as session:
        units = {u.kode: u.id for u in list_units(session, instansi_id)}
        people = {"admin": Pengguna(username="admin", peran="admin"),
                  "operator": Pengguna(username="op.perencanaan", peran="operator", unit_id=units["PERENCANAAN"]),
                  "camat": Pengguna(username="camat", peran="pimpinan", unit_id=units["CAMAT"])}
        for p in people.values():
            p.instansi_id, p.nama, p.password_hash = instansi_id, p.username, "-"
            session.add(p)
        session.flush()
        return {k: Pengguna(**p.model_dump()) for k, p in people.items()}


def _jejak(engine: Engine, tabel: str) -> list[Jejak]:
    with new_session(engine) as session:
        return list(session.exec(select(Jejak).where(Jejak.tabel == tabel).order_by(Jejak.id)))


def test_only_the_admin_sets_the_deadline_and_each_change_leaves_one_audit_row(seeded, instansi_id, kantor):
    for who in ("operator", "camat"):
        with pytest.raises(ValidationError, match="hanya admin yang dapat mengatur batas waktu isian"):
            simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10, pengguna=kantor[who])
    with pytest.raises(ValidationError, match="1 sampai 31"):
        simpan_hari_batas(seeded, instansi_id=instansi_id, hari=32, pengguna=kantor["admin"])
    assert _jejak(seeded, "instansi") == []
    assert simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10, pengguna=kantor["admin"])
    assert not simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10, pengguna=kantor["admin"])  # unchanged
    assert simpan_hari_batas(seeded, instansi_id=instansi_id, hari=None, pengguna=kantor["admin"])
    rows = _jejak(seeded, "instansi")
    assert [(r.pengguna, baca_nilai(r.sebelum), baca_nilai(r.sesudah)) for r in rows] == [
        ("admin", {"hari_batas_isian": None}, {"hari_batas_isian": 10}),
        ("admin", {"hari_batas_isian": 10}, {"hari_batas_isian": None})]
    with new_session(seeded) as session:
        assert session.get(Instansi, instansi_id).hari_batas_isian is None


def test_a_months_own_deadline_opens_and_closes_it(seeded, instansi_id, kantor):
    admin = kantor["admin"]
    simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10, pengguna=admin)
    entri = [EntriRealisasi("IK-6.1.1", 3, nilai=Decimal(1))]
    with pytest.raises(ValidationError, match="sudah lewat"):
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, pengguna=kantor["operator"], entries=entri)
    with pytest.raises(ValidationError, match="hanya admin"):
        simpan_batas_bulan(seeded, instansi_id=instansi_id, tahun=TAHUN, bulan=3, batas=date(2099, 1, 1),
                           pengguna=kantor["operator"])
    with pytest.raises(ValidationError, match="lebih awal dari awal bulan Maret 2025"):
        simpan_batas_bulan(seeded, instansi_id=instansi_id, tahun=TAHUN, bulan=3, batas=date(2025, 2, 28),
                           pengguna=admin)
    simpan_batas_bulan(seeded, instansi_id=instansi_id, tahun=TAHUN, bulan=3, batas=date(2099, 1, 1), pengguna=admin)
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, pengguna=kantor["operator"], entries=entri)
    simpan_batas_bulan(seeded, instansi_id=instansi_id, tahun=TAHUN, bulan=3, batas=None, pengguna=admin)
    with pytest.raises(ValidationError, match=r"\(10-04-2025\) sudah lewat"):  # back to the office's day
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, pengguna=kantor["operator"],
                       entries=[EntriRealisasi("IK-6.1.1", 3, nilai=Decimal(2))])
    assert [(r.aksi, r.kunci) for r in _jejak(seeded, "batas_isian")] == [("tambah", "2025/3"), ("hapus", "2025/3")]


def test_the_late_list_names_missing_and_late_months_per_unit(seeded, instansi_id, kantor):
    simpan_hari_batas(seeded, instansi_id=instansi_id, hari=10, pengguna=kantor["admin"])
    with new_session(seeded) as session:
        units = {u.kode: u for u in list_units(session, instansi_id)}
    ubah_status(seeded, unit_id=units["PERENCANAAN"].id, tahun=TAHUN, bulan=2, aksi="ajukan",
                pengguna=kantor["operator"])  # submitted now, long after 10 March 2025
    with new_session(seeded) as session:
        office = session.get(Instansi, instansi_id)
        rekap = rekap_keterlambatan(session, office, TAHUN, [units["PERENCANAAN"], units["PEMUM"]],
                                    sekarang=datetime(2025, 4, 15, tzinfo=UTC)).set_index("unit")
    # By 15 April 2025 the deadlines of January (10 Feb), February (10 Mar) and March (10 Apr) have passed.
    assert rekap.loc["PERENCANAAN", ["belum_diajukan", "terlambat"]].tolist() == ["Jan, Mar", "Feb"]
    assert rekap.loc["PEMUM", ["belum_diajukan", "terlambat", "jumlah_belum"]].tolist() == ["Jan, Feb, Mar", "", 3]


def test_the_checkers_sheet_shows_the_month_and_the_running_total(seeded, instansi_id):
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, yakin=True, entries=[
        EntriRealisasi("IK-6.1.1", 1, nilai=Decimal(1)), EntriRealisasi("IK-6.1.1", 3, nilai=Decimal(2)),
        EntriRealisasi("IK-6.1", 1, pembilang=Decimal(1), penyebut=Decimal(2)),
        EntriRealisasi("IK-6.1", 3, pembilang=Decimal(3), penyebut=Decimal(4), keterangan="rapat evaluasi")])
    with new_session(seeded) as session:
        office = session.get(Instansi, instansi_id)
        unit = next(u for u in list_units(session, instansi_id) if u.kode == "PERENCANAAN")
        sheet = lembar_indikator(load_data_tahun(session, office, TAHUN, 3), unit.id, 3).set_index("kode")
    assert sheet.loc["IK-6.1.1", ["target", "bulan_ini", "sd_bulan"]].tolist() == ["3", "2", "3"]
    assert sheet.loc["IK-6.1", ["bulan_ini", "sd_bulan", "keterangan"]].tolist() == [
        "3 / 4 (75,00 %)", "4 / 6 (66,67 %)", "rapat evaluasi"]
    assert sheet.loc["IK-6.1.2", ["bulan_ini", "sd_bulan"]].tolist() == ["", ""]  # nothing entered is not zero
