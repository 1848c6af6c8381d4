"""The kabupaten comparison (issue 13): a pemda's user sees its offices side by side, with the figures each
office's own Beranda shows, and never an office of another pemda.

The offices are the 2025 PK of Mangkutana loaded again under other kode (bench.generate.clone_seed and the
app's loader), so every figure below can be worked out by hand from data/mangkutana-2025/indikator.csv:
the head's agreement (CAMAT) has 8 rows, one per sasaran strategis: IK-AKIP (target 70,05), IK-IKM (target
87,5) and six program-level percentages IK-1..IK-6 (target 100), each derived from the kegiatan indicators
below it (IK-1 from IK-1.1 alone). Nothing entered: no capaian, so a row is left out of every mean.
"""

import functools
import random
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine, event
from sqlmodel import select

from bench.generate import Bulk, clone_seed, entries_tahun, flush_bulk, gather_bulk, office_kode
from kinerja.baca import grafik
from kinerja.baca.kabupaten import bandingkan_instansi, bandingkan_tersimpan, tahun_tersedia, triwulan_terakhir
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.baca.ringkasan import capaian_per_unit, penyerapan_total, skor_khusus
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.models import Instansi, Pengguna, Unit
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.seed import init_database, load_seed, read_seed
from kinerja.simpan.verifikasi import ubah_status
from kinerja.simpan.wewenang import KABUPATEN, instansi_terlihat
from pages._ui import CATATAN_DISAHKAN
from tests._app import DATA, open_app, shown, titles
from tests.conftest import SEED_2025

D = Decimal
TAHUN = 2025
HALAMAN = "pages/kabupaten.py"
PEMDA = "Pemerintah Kabupaten Uji"
# Units of the seed that enter figures every month (ringkasan.unit_pengisi): SEKCAM enters nothing itself (its
# input rows belong to the Kasubag), CAMAT's AKIP and IKM come from the LHE and the survey; the other six do.
UNIT_PENGISI = 6


@functools.cache
def _seed():  # type: ignore[no-untyped-def]
    return read_seed(SEED_2025)


def _pemda(session, nama: str) -> int:  # type: ignore[no-untyped-def]
    pemda = Instansi(kode=nama.lower().replace(" ", "-"), nama=nama, kabupaten=nama, jenis="pemda")
    session.add(pemda)
    session.flush()
    return pemda.id


def _kantor(session, kode: str, nama: str, induk_id: int, status: str = "terbit", tahun: int = TAHUN) -> int:  # type: ignore[no-untyped-def]
    office = load_seed(session, clone_seed(_seed(), kode, nama, tahun), status=status)
    office.induk_id = induk_id
    session.flush()
    return office.id


def _unit_id(engine: Engine, instansi_id: int, kode: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Unit.id).where(Unit.instansi_id == instansi_id, Unit.kode == kode)).one()


def _ikm(rata: list[int]) -> list[list[int]]:
    """Respondents whose answers to every unsur are `rata` (one answer per respondent): IKM = mean × 25."""
    return [[a] * 9 for a in rata]


def buat_kabupaten(engine: Engine) -> dict[str, int]:
    """Four offices under one pemda and one under another; return their ids by kode.

    alfa   IKM 96,25 (Feb), AKIP 56,04 (Mar), Rp 10.745.500 spent on 1.1.1 in January, PELAYANAN's January
           and February submitted.
    beta   IKM 70 (Mar), IK-1.1 3 of 5 in January (derives IK-1).
    gamma  its PK and nothing else.
    delta  only a draft PK in 2025: no published agreement.
    lain   under another pemda, with entries: it must never show.
    """
    with write_session(engine) as session:
        pemda, lain = _pemda(session, PEMDA), _pemda(session, "Pemerintah Kabupaten Lain")
        ids = {
            "alfa": _kantor(session, "alfa", "Kecamatan Alfa", pemda),
            "beta": _kantor(session, "beta", "Kecamatan Beta", pemda),
            "gamma": _kantor(session, "gamma", "Kecamatan Gamma", pemda),
            "delta": _kantor(session, "delta", "Kecamatan Delta", pemda, status="draf"),
            "lain": _kantor(session, "lain", "Kecamatan Lain", lain),
            "pemda": pemda,
        }
    # IKM: 17 respondents answering 4 and 3 answering 3 -> NRR 77/20 = 3,85 -> IKM 3,85 × 25 = 96,25 (mutu A).
    save_survei_ikm(engine, instansi_id=ids["alfa"], tahun=TAHUN, bulan=2, answers=_ikm([4] * 17 + [3] * 3))
    # AKIP: 17 + 16 + 9 + 14,04 = 56,04 (predikat CC Cukup).
    save_akip(engine, instansi_id=ids["alfa"], tahun=TAHUN, bulan=3,
              komponen={"perencanaan": D(17), "pengukuran": D(16), "pelaporan": D(9), "evaluasi": D("14.04")})
    save_realisasi_anggaran(engine, instansi_id=ids["alfa"], tahun=TAHUN,
                            entries=[EntriAnggaran(kode="1.1.1", bulan=1, realisasi=10_745_500)])
    pelayanan = _unit_id(engine, ids["alfa"], "PELAYANAN")
    for bulan in (1, 2):
        ubah_status(engine, unit_id=pelayanan, tahun=TAHUN, bulan=bulan, aksi="ajukan")
    # IKM: 4 respondents answering 3 and 1 answering 2 -> NRR 14/5 = 2,8 -> IKM 70 (mutu C Kurang Baik).
    save_survei_ikm(engine, instansi_id=ids["beta"], tahun=TAHUN, bulan=3, answers=_ikm([3] * 4 + [2]))
    save_realisasi(engine, instansi_id=ids["beta"], tahun=TAHUN,
                   entries=[EntriRealisasi(kode="IK-1.1", bulan=1, pembilang=D(3), penyebut=D(5))])
    save_survei_ikm(engine, instansi_id=ids["lain"], tahun=TAHUN, bulan=3, answers=_ikm([4] * 5))
    return ids


def _pengguna_kabupaten(engine: Engine, pemda_id: int, username: str = "bappeda") -> Pengguna:
    """A pemda's user, stored straight in the database (how the account was made does not matter here)."""
    with write_session(engine) as session:
        user = Pengguna(username=username, nama="Bappeda Uji", peran=KABUPATEN, instansi_id=pemda_id,
                        password_hash="-")
        session.add(user)
        session.flush()
        return Pengguna(**user.model_dump())


@pytest.fixture
def kabupaten(engine: Engine) -> tuple[Engine, dict[str, int]]:
    """The offices above and the pemda's user (id under "pengguna")."""
    ids = buat_kabupaten(engine)
    return engine, ids | {"pengguna": _pengguna_kabupaten(engine, ids["pemda"]).id}


def _bandingkan(kabupaten, triwulan: int = 1, hanya_disahkan: bool = False):  # type: ignore[no-untyped-def]
    """The comparison as the pemda's user gets it: the offices `instansi_terlihat` gives them."""
    engine, ids = kabupaten
    with new_session(engine) as session:
        user = session.get(Pengguna, ids["pengguna"])
        return bandingkan_instansi(session, instansi_terlihat(session, user), TAHUN, triwulan, hanya_disahkan)


def test_each_office_shows_the_capaian_its_own_beranda_shows(kabupaten) -> None:  # type: ignore[no-untyped-def]
    hasil = _bandingkan(kabupaten)
    rows = hasil.instansi.set_index("instansi")
    # Offices of the pemda only, the best capaian first, offices without any capaian after, by name.
    assert list(hasil.instansi["instansi"]) == ["Kecamatan Alfa", "Kecamatan Beta", "Kecamatan Delta",
                                                "Kecamatan Gamma"]
    alfa = rows.loc["Kecamatan Alfa"]
    # IKM 96,25 / 87,5 × 100 = 110 (Sangat Tinggi); AKIP 56,04 / 70,05 × 100 = 80 (Tinggi); IK-1..IK-6 have
    # nothing below them yet. Mean of the two, each capped at 100 first: (100 + 80) / 2 = 90 -> Tinggi.
    # (Uncapped it would be (110 + 80) / 2 = 95, Sangat Tinggi: over-achievement hiding a weak AKIP.)
    assert alfa["capaian"] == pytest.approx(90)
    assert alfa["kategori"] == "Tinggi"
    assert (alfa["indikator"], alfa["ada_capaian"], alfa["belum_ada"]) == (8, 2, 6)
    assert (alfa["sangat_tinggi"], alfa["tinggi"], alfa["sedang"], alfa["rendah"], alfa["sangat_rendah"]) == (
        1, 1, 0, 0, 0)
    assert (alfa["ikm"], alfa["mutu_ikm"]) == (pytest.approx(96.25), "A Sangat Baik")
    assert (alfa["akip"], alfa["predikat_akip"]) == (pytest.approx(56.04), "CC Cukup")
    # Rp 10.745.500 of the office's pagu Rp 3.006.467.857 = 0,357...%.
    assert (alfa["realisasi_anggaran"], alfa["pagu"]) == (10_745_500, 3_006_467_857)
    assert alfa["penyerapan"] == pytest.approx(10_745_500 / 3_006_467_857 * 100)
    # 6 units × 3 months = 18 unit-months due s.d. Triwulan I; PELAYANAN submitted January and February: 2 / 18.
    assert (alfa["bulan_diajukan"], alfa["bulan_wajib"]) == (2, UNIT_PENGISI * 3)
    assert alfa["kelengkapan"] == pytest.approx(2 / 18 * 100)

    beta = rows.loc["Kecamatan Beta"]
    # IKM 70 / 87,5 × 100 = 80 (Tinggi). IK-1.1 = 3 / 5 × 100 = 60 against its 100 -> capaian 60, so IK-1
    # (the mean of its one child) realises 60 of 100 -> 60 (Rendah). (80 + 60) / 2 = 70 -> Sedang.
    assert (beta["capaian"], beta["kategori"]) == (pytest.approx(70), "Sedang")
    assert (beta["tinggi"], beta["rendah"], beta["belum_ada"]) == (1, 1, 6)
    assert (beta["ikm"], beta["mutu_ikm"]) == (pytest.approx(70), "C Kurang Baik")
    assert pd.isna(beta["akip"]) and beta["predikat_akip"] == ""
    assert pd.isna(beta["penyerapan"]) and pd.isna(beta["realisasi_anggaran"])  # nothing spent yet: no figure
    assert beta["kelengkapan"] == 0

    gamma = rows.loc["Kecamatan Gamma"]
    assert pd.isna(gamma["capaian"]) and gamma["kategori"] == "Belum ada data"
    assert (gamma["indikator"], gamma["belum_ada"], gamma["keterangan"]) == (8, 8, "")


def test_an_office_without_a_published_pk_gets_a_row_that_says_so(kabupaten) -> None:  # type: ignore[no-untyped-def]
    delta = _bandingkan(kabupaten).instansi.set_index("instansi").loc["Kecamatan Delta"]
    assert delta["keterangan"] == "Belum ada perjanjian kinerja terbit tahun 2025"
    assert pd.isna(delta["capaian"]) and pd.isna(delta["indikator"]) and delta["kategori"] == "Belum ada PK"


def test_an_office_of_another_pemda_never_appears(kabupaten) -> None:  # type: ignore[no-untyped-def]
    engine, _ = kabupaten
    hasil = _bandingkan(kabupaten)
    assert "Kecamatan Lain" not in set(hasil.instansi["instansi"]) | set(hasil.sasaran["instansi"])
    # ...and the other pemda's user sees only its own office.
    with new_session(engine) as session:
        user = session.get(Pengguna, _pengguna_kabupaten_lain(engine).id)
        assert [o.nama for o in instansi_terlihat(session, user)] == ["Kecamatan Lain"]


def _pengguna_kabupaten_lain(engine: Engine) -> Pengguna:
    with write_session(engine) as session:
        lain = session.exec(select(Instansi.id).where(Instansi.nama == "Pemerintah Kabupaten Lain")).one()
        user = Pengguna(username="bappeda.lain", nama="Bappeda Lain", peran=KABUPATEN, instansi_id=lain,
                        password_hash="-")
        session.add(user)
        session.flush()
        return Pengguna(**user.model_dump())


def test_capaian_per_sasaran_strategis(kabupaten) -> None:  # type: ignore[no-untyped-def]
    per_sasaran = _bandingkan(kabupaten).sasaran
    # Every office with a PK has the head's 8 sasaran, in the order of its PK; the offices in the comparison's order.
    assert list(dict.fromkeys(per_sasaran["instansi"])) == ["Kecamatan Alfa", "Kecamatan Beta", "Kecamatan Gamma"]
    assert list(per_sasaran[per_sasaran["instansi"] == "Kecamatan Alfa"]["no"]) == list(range(1, 9))
    alfa = per_sasaran[per_sasaran["instansi"] == "Kecamatan Alfa"].set_index("no")
    # Sasaran 1 is AKIP's: 80. Sasaran 2 is IKM's: its indicator shows 110, the sasaran's mean is capped at 100.
    assert (alfa.loc[1, "capaian"], alfa.loc[1, "kategori"]) == (pytest.approx(80), "Tinggi")
    assert (alfa.loc[2, "capaian"], alfa.loc[2, "kategori"]) == (pytest.approx(100), "Sangat Tinggi")
    assert pd.isna(alfa.loc[3, "capaian"]) and alfa.loc[3, "kategori"] == "Belum ada data"
    beta = per_sasaran[per_sasaran["instansi"] == "Kecamatan Beta"].set_index("no")
    # Sasaran 4 is program 1's: IK-1 = 60.
    assert (beta.loc[4, "capaian"], beta.loc[4, "kategori"]) == (pytest.approx(60), "Rendah")
    assert beta.loc[4, "sasaran"].startswith("Meningkatnya Penyelenggaraan Pemerintahan dan Pelayanan Publik")


def test_approved_only_counts_approved_months(kabupaten) -> None:  # type: ignore[no-untyped-def]
    # Nothing of beta is approved: with approved figures only, its IKM (CAMAT's month 3) and IK-1.1 drop out.
    beta = _bandingkan(kabupaten, hanya_disahkan=True).instansi.set_index("instansi").loc["Kecamatan Beta"]
    assert pd.isna(beta["capaian"]) and pd.isna(beta["ikm"])


def test_years_and_latest_triwulan_across_offices(kabupaten) -> None:  # type: ignore[no-untyped-def]
    engine, ids = kabupaten
    with new_session(engine) as session:
        offices = [session.get(Instansi, ids[k]) for k in ("alfa", "beta", "gamma", "delta")]
        assert tahun_tersedia(session, offices) == [TAHUN]
        assert tahun_tersedia(session, offices[3:]) == []  # a draft is no year to compare
        assert triwulan_terakhir(session, offices, TAHUN) == 1  # the latest entry is March
        assert triwulan_terakhir(session, offices[2:], TAHUN) == 1  # nothing at all: I


def test_the_chart_ranks_offices_by_capaian_and_says_the_period(kabupaten) -> None:  # type: ignore[no-untyped-def]
    fig = grafik.capaian_per_instansi(_bandingkan(kabupaten).instansi, "s.d. Triwulan I 2025")
    assert fig.layout.title.text == "Capaian sasaran strategis per instansi"
    assert fig.layout.title.subtitle.text == "s.d. Triwulan I 2025"
    bars = {bar.name: list(bar.y) for bar in fig.data}
    assert bars["Tinggi"] == ["Kecamatan Alfa"] and bars["Sedang"] == ["Kecamatan Beta"]
    assert bars["Belum ada data"] == ["Kecamatan Gamma"] and "Belum ada PK" not in bars  # no PK: no bar at all
    assert fig.data[0].marker.color == grafik.WARNA_KATEGORI[fig.data[0].name]
    # The best on top: Plotly draws the first category at the bottom.
    assert list(fig.layout.yaxis.categoryarray)[::-1][:2] == ["Kecamatan Alfa", "Kecamatan Beta"]


# --- the screen -------------------------------------------------------------------------------------------------


@pytest.fixture
def layar(app_url: str) -> tuple[Engine, dict[str, int], Pengguna]:
    """The app's database (data/ loaded, as on first start) with the pemda's offices and its Bappeda user."""
    from kinerja.simpan.db import get_engine

    engine = get_engine(app_url)
    init_database(engine, DATA)
    ids = buat_kabupaten(engine)
    return engine, ids, _pengguna_kabupaten(engine, ids["pemda"])


@pytest.mark.usefixtures("navigation_only", "quick")
def test_the_kabupaten_user_compares_the_offices_of_its_pemda(layar) -> None:  # type: ignore[no-untyped-def]
    _, _, user = layar
    at = open_app(user, HALAMAN)
    assert titles(at) == [f"Perbandingan instansi {PEMDA} {TAHUN}"]
    table = at.dataframe[0].value
    assert list(table["instansi"]) == ["Kecamatan Alfa", "Kecamatan Beta", "Kecamatan Delta", "Kecamatan Gamma"]
    alfa = table[table["instansi"] == "Kecamatan Alfa"].iloc[0]
    assert alfa["capaian"] == pytest.approx(90) and alfa["kategori"] == "Tinggi"
    assert not {"Kecamatan Lain", "Kecamatan Mangkutana"} & set(table["instansi"])
    assert "Belum ada perjanjian kinerja terbit tahun 2025" in set(table["keterangan"])
    sasaran = at.dataframe[1].value
    assert set(sasaran["instansi"]) == {"Kecamatan Alfa", "Kecamatan Beta", "Kecamatan Gamma"}
    assert "s.d. Triwulan I" in shown(at)
    assert len(at.get("plotly_chart")) == 1  # the offices' bars
    # A later triwulan: the IKM and AKIP are the last known scores; the capaian follow the Rencana Aksi of TW II.
    at.selectbox(key="kabupaten_triwulan").set_value(2).run()
    assert not at.exception and "s.d. Triwulan II" in shown(at)
    # Approved figures only: nothing is approved, so no office has a capaian, and the page says which figures it shows.
    at.toggle(key="hanya_disahkan").set_value(True).run()
    assert CATATAN_DISAHKAN in shown(at)
    assert at.dataframe[0].value["capaian"].isna().all()


@pytest.mark.usefixtures("navigation_only", "quick")
def test_a_pemda_without_offices_says_so(layar) -> None:  # type: ignore[no-untyped-def]
    engine, _, _ = layar
    with write_session(engine) as session:
        kosong = _pemda(session, "Pemerintah Kabupaten Baru")
    at = open_app(_pengguna_kabupaten(engine, kosong, "bappeda.baru"), HALAMAN)
    assert "Belum ada instansi di bawah pemda ini" in shown(at)
    assert not at.dataframe


@pytest.mark.usefixtures("navigation_only", "quick")
def test_an_office_user_cannot_open_the_comparison(layar) -> None:  # type: ignore[no-untyped-def]
    engine, ids, _ = layar
    with write_session(engine) as session:
        camat = Pengguna(username="camat.alfa", nama="Camat Alfa", peran="pimpinan", instansi_id=ids["alfa"],
                         password_hash="-")
        session.add(camat)
        session.flush()
        camat = Pengguna(**camat.model_dump())
    at = open_app(camat)
    with pytest.raises(ValueError):
        at.switch_page(HALAMAN)


# --- a whole kabupaten ------------------------------------------------------------------------------------------


def isi_setahun(engine: Engine, ids: list[int]) -> None:
    """Enter a full plausible year for these offices, as bench.generate does (every kind of indicator, budget,
    an IKM survey in June and an AKIP score in December)."""
    bulk = Bulk()
    with new_session(engine) as session:
        for i in ids:
            gather_bulk(session, entries_tahun(session, i, TAHUN, random.Random(f"kabupaten/{i}")), bulk)
    flush_bulk(engine, bulk)


def kabupaten_penuh(engine: Engine, jumlah: int) -> tuple[int, list[int]]:
    """A pemda with `jumlah` kecamatan of Luwu Timur, each with a full year; return the pemda's id and theirs."""
    with write_session(engine) as session:
        pemda = _pemda(session, "Pemerintah Kabupaten Luwu Timur")
        ids = [_kantor(session, *office_kode(i), pemda) for i in range(1, jumlah + 1)]
    isi_setahun(engine, ids)
    return pemda, ids


def test_every_figure_is_the_one_the_office_s_beranda_shows(engine: Engine) -> None:
    """On a full year of every kind of indicator, each triwulan: the same capaian, kategori, penyerapan, IKM, AKIP."""
    _, ids = kabupaten_penuh(engine, 2)
    with new_session(engine) as session:
        offices = [session.get(Instansi, i) for i in ids]
        for triwulan in (1, 2, 3, 4):
            rows = bandingkan_instansi(session, offices, TAHUN, triwulan).instansi.set_index("instansi_id")
            for office in offices:
                capaian = compute_capaian_tahun(session, office, TAHUN, triwulan)
                per_unit = capaian_per_unit(capaian).set_index("unit")  # the Beranda's first metric
                row = rows.loc[office.id]
                assert row["capaian"] == pytest.approx(per_unit.loc["CAMAT", "capaian"])
                assert row["kategori"] == per_unit.loc["CAMAT", "kategori"]
                _, _, serapan = penyerapan_total(capaian.data_tahun, 3 * triwulan)
                assert row["penyerapan"] == pytest.approx(float(serapan))
                skor = skor_khusus(capaian)
                # The survey is in June and the LHE in December: no IKM before Triwulan II, no AKIP before IV.
                assert _sama(row["ikm"], skor["ikm"]["nilai"]) and row["mutu_ikm"] == (skor["ikm"]["label"] or "")
                assert _sama(row["akip"], skor["akip"]["nilai"]) and (pd.isna(row["akip"]) == (triwulan < 4))
                assert pd.isna(row["ikm"]) == (triwulan < 2)


def _sama(shown: object, expected: object) -> bool:
    """The frame's float is the engine's Decimal (both empty, or equal)."""
    return bool(pd.isna(shown)) if expected is None else shown == pytest.approx(float(expected))  # type: ignore[arg-type]


def test_the_cost_per_office_is_flat_and_no_query_per_indicator(engine: Engine) -> None:
    _, ids = kabupaten_penuh(engine, 3)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with new_session(engine) as session:
        offices = [session.get(Instansi, i) for i in ids]
        counts = []
        for n in (1, 2, 3):
            statements.clear()
            bandingkan_instansi(session, offices[:n], TAHUN, 4)
            counts.append(len(statements))
    # Each office adds the same number of statements, far fewer than its 58 indicators.
    assert counts[1] - counts[0] == counts[2] - counts[1] == counts[0]
    assert counts[0] <= 12


def test_a_rerun_reads_only_the_versions_and_a_save_is_seen_at_once(kabupaten) -> None:  # type: ignore[no-untyped-def]
    engine, ids = kabupaten
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]) if args[2].lstrip().startswith("SELECT") else None)
    with new_session(engine) as session:
        offices = instansi_terlihat(session, session.get(Pengguna, ids["pengguna"]))
    pertama = bandingkan_tersimpan(engine, offices, TAHUN, 1).instansi.set_index("instansi")
    statements.clear()
    lagi = bandingkan_tersimpan(engine, offices, TAHUN, 1).instansi.set_index("instansi")
    assert len(statements) == 1  # the four offices' data versions, in one SELECT
    pd.testing.assert_frame_equal(pertama, lagi)
    # Gamma's AKIP arrives: 70,05 of 70,05 = 100 -> its capaian is 100 on the very next run; the others are kept.
    save_akip(engine, instansi_id=ids["gamma"], tahun=TAHUN, bulan=3, komponen={
        "perencanaan": D(20), "pengukuran": D(20), "pelaporan": D(10), "evaluasi": D("20.05")})
    statements.clear()
    sesudah = bandingkan_tersimpan(engine, offices, TAHUN, 1).instansi.set_index("instansi")
    assert sesudah.loc["Kecamatan Gamma", "capaian"] == pytest.approx(100)
    assert sesudah.loc["Kecamatan Alfa", "capaian"] == pytest.approx(90)
    assert 1 < len(statements) <= 1 + 12  # the versions, then gamma's year alone


@pytest.fixture
def sebelas(app_url: str) -> Pengguna:
    """Luwu Timur's 11 kecamatan under one pemda, each with a full year of entries (bench.generate's)."""
    from kinerja.simpan.db import get_engine

    engine = get_engine(app_url)
    init_database(engine, DATA)  # the real Mangkutana, as the app's first start loads it
    pemda, _ = kabupaten_penuh(engine, 10)
    with write_session(engine) as session:
        mangkutana = session.exec(select(Instansi).where(Instansi.kode == "mangkutana")).one()
        mangkutana.induk_id = pemda
        mangkutana_id = mangkutana.id
    isi_setahun(engine, [mangkutana_id])
    return _pengguna_kabupaten(engine, pemda)


@pytest.mark.usefixtures("navigation_only", "quick")
def test_eleven_offices_on_one_screen(sebelas: Pengguna) -> None:
    at = open_app(sebelas, HALAMAN)
    assert titles(at) == [f"Perbandingan instansi Pemerintah Kabupaten Luwu Timur {TAHUN}"]
    table = at.dataframe[0].value
    assert len(table) == 11 and table["capaian"].notna().all()
    assert list(table["capaian"]) == sorted(table["capaian"], reverse=True)  # the best first
    # A full year entered: the page opens on Triwulan IV, every office has its IKM and AKIP.
    assert "s.d. Triwulan IV" in shown(at)
    assert table["ikm"].notna().all() and table["akip"].notna().all()
    assert len(at.dataframe[1].value) == 11 * 8  # every office's 8 sasaran strategis
