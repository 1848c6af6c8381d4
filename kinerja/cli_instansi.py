"""Commands that set up a server for many offices: the pemda, each office from its data/ folder, the accounts.

`kinerja instansi pemda` makes the pemda (a kabupaten or kota: no units, no PK), `kinerja instansi add` an office
under it from a folder in the data/ layout, `kinerja pengguna add` the first admin of an office or a
pemda's kabupaten account. Every check is made before anything is written, and every write is one
transaction with its audit row.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kinerja.aturan.kode import cek_kode_instansi, tampil_kode
from kinerja.aturan.teks import cek_teks
from kinerja.cli_umum import Oleh, buka_engine, fail, oleh_cli, write_csv
from kinerja.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from kinerja.aturan.pk_data import SeedPK
    from kinerja.simpan.models import Instansi

instansi_app = typer.Typer(help="Kelola instansi: pemda, instansi baru dari folder data/, daftar instansi.")
pengguna_app = typer.Typer(help="Kelola pengguna: akun admin, pimpinan, operator atau kabupaten.")

PEMDA = "pemda"
SANDI_ENV = "KINERJA_SANDI_BARU"
DAFTAR_COLUMNS = ["kode", "nama", "jenis", "pemda", "tahun_pk", "pengguna"]
MAKS_NAMA = 200


# --- reads and writes (kept apart from the commands: they take an engine and say what is wrong) -----------


def _kode_dipakai(session: "Session", kode: str) -> list[str]:
    """Refuse a kode already used by an office, whatever its letter case (it names files and templates)."""
    from sqlmodel import func, select

    from kinerja.simpan.models import Instansi

    ada = session.exec(select(Instansi.kode).where(func.lower(Instansi.kode) == kode.lower())).first()
    if ada is None:
        return []
    sama = "" if ada == kode else f" (sebagai '{ada}')"
    return [f"kode instansi '{tampil_kode(kode)}' sudah dipakai{sama}; pilih kode lain"]


def _pemda(session: "Session", kode: str | None) -> tuple["Instansi | None", list[str]]:
    """Return the pemda with this kode, or the problem that it is unknown or not a pemda."""
    from sqlmodel import select

    from kinerja.simpan.models import Instansi

    if kode is None:
        return None, []
    found = session.exec(select(Instansi).where(Instansi.kode == kode)).first()
    if found is None:
        pemda = ", ".join(session.exec(select(Instansi.kode).where(Instansi.jenis == PEMDA).order_by(Instansi.kode)))
        return None, [f"pemda '{tampil_kode(kode)}' tidak ada (pemda yang ada: {pemda or '-'}); "
                      "buat dulu dengan `kinerja instansi pemda`"]
    if found.jenis != PEMDA:
        return None, [f"'{tampil_kode(kode)}' adalah instansi {found.jenis}, bukan pemda"]
    return found, []


def tambah_pemda(engine: "Engine", *, kode: str, nama: str, kabupaten: str, oleh: str) -> "Instansi":
    """Create a pemda (an Instansi of jenis "pemda": no units, no PK) with its audit row; all checks first."""
    from kinerja.simpan.db import write_session
    from kinerja.simpan.jejak import catat_jejak
    from kinerja.simpan.models import Instansi

    problems = [p for p in (cek_kode_instansi(kode),) if p]
    problems += cek_teks(nama, "--nama", MAKS_NAMA) + cek_teks(kabupaten, "--kabupaten", MAKS_NAMA)
    problems += [f"{label} tidak boleh kosong" for label, isi in (("--nama", nama), ("--kabupaten", kabupaten))
                 if not isi.strip()]
    with write_session(engine) as session:
        if cek_kode_instansi(kode) is None:
            problems += _kode_dipakai(session, kode)
        if problems:
            raise ValidationError(problems)
        pemda = Instansi(kode=kode, nama=nama.strip(), kabupaten=kabupaten.strip(), jenis=PEMDA)
        session.add(pemda)
        session.flush()
        catat_jejak(session, instansi_id=pemda.id, oleh=oleh, tabel="instansi", kunci=kode, sebelum=None,
                    sesudah={"nama": pemda.nama, "kabupaten": pemda.kabupaten, "jenis": PEMDA})
        return pemda


def tambah_instansi(engine: "Engine", *, folder: Path, pemda: str | None, oleh: str) -> tuple["Instansi", "SeedPK"]:
    """Create an office and its published PK year from a folder in the data/ layout, under a pemda.

    Every problem is named at once: the folder's (file, line, what), a kode already used, an unknown pemda.
    """
    from kinerja.aturan.pk_data import SeedError
    from kinerja.simpan.db import write_session
    from kinerja.simpan.jejak import catat_jejak
    from kinerja.simpan.seed import load_seed, read_seed

    problems: list[str] = []
    seed = None
    if not folder.is_dir():
        problems.append(f"{folder}: folder tidak ada")
    else:
        try:
            seed = read_seed(folder)
        except SeedError as e:
            problems += e.problems
    with write_session(engine) as session:
        induk, tidak_ada = _pemda(session, pemda)
        problems += tidak_ada
        if seed is not None:
            problems += _kode_dipakai(session, seed.instansi_kode)
        if problems or seed is None:
            raise ValidationError(problems)
        office = load_seed(session, seed)
        office.induk_id = induk.id if induk else None
        session.add(office)
        session.flush()
        catat_jejak(session, instansi_id=office.id, oleh=oleh, tabel="instansi", kunci=office.kode, sebelum=None,
                    sesudah={"nama": office.nama, "jenis": office.jenis, "pemda": induk.kode if induk else None,
                             "tahun": seed.tahun, "sumber": folder.name})
        return office, seed


@dataclass(frozen=True)
class BarisInstansi:
    """One line of `kinerja instansi list`."""

    kode: str
    nama: str
    jenis: str
    pemda: str
    tahun_pk: str
    pengguna: int


def _tahun_pk(semua: set[int], terbit: set[int]) -> str:
    """'2024 2025 2026(draf)': every PK year, a year not yet published marked."""
    return " ".join(str(t) if t in terbit else f"{t}(draf)" for t in sorted(semua))


def daftar_instansi(engine: "Engine") -> list[BarisInstansi]:
    """Return every office and pemda with its pemda, its PK years (drafts marked) and how many users it has."""
    from sqlmodel import func, select

    from kinerja.simpan.db import new_session
    from kinerja.simpan.models import Instansi, Pengguna, Versi

    with new_session(engine) as session:
        offices = list(session.exec(select(Instansi).order_by(Instansi.kode)))
        kode = {i.id: i.kode for i in offices}
        terbit: dict[int, set[int]] = {}
        semua: dict[int, set[int]] = {}
        for instansi_id, tahun, status in session.exec(select(Versi.instansi_id, Versi.tahun, Versi.status)):
            semua.setdefault(instansi_id, set()).add(tahun)
            if status == "terbit":
                terbit.setdefault(instansi_id, set()).add(tahun)
        users = dict(session.exec(  # type: ignore[arg-type]
            select(Pengguna.instansi_id, func.count()).group_by(Pengguna.instansi_id)).all())
    return [BarisInstansi(
        kode=i.kode, nama=i.nama, jenis=i.jenis, pemda=kode.get(i.induk_id, "") if i.induk_id else "",
        tahun_pk=_tahun_pk(semua.get(i.id, set()), terbit.get(i.id, set())),
        pengguna=users.get(i.id, 0)) for i in offices]


# --- the commands -------------------------------------------------------------------------------------------


def _tanpa_pemerintah(nama: str) -> str:
    """'Pemerintah Kabupaten Luwu Timur' -> 'Kabupaten Luwu Timur', as data/ folders write the kabupaten."""
    nama = nama.strip()
    return nama[len("Pemerintah "):].strip() if nama.lower().startswith("pemerintah ") else nama


@instansi_app.command("pemda")
def instansi_pemda(
    kode: Annotated[str, typer.Option(help="Kode pemda, mis. pemda-luwutimur (huruf, angka, _ atau -).")],
    nama: Annotated[str, typer.Option(help="Nama pemda, mis. \"Pemerintah Kabupaten Luwu Timur\".")],
    kabupaten: Annotated[str | None, typer.Option(
        metavar="NAMA", help="Nama kabupaten/kota (bawaan: --nama tanpa kata \"Pemerintah\").")] = None,
    oleh: Oleh = None,
) -> None:
    """Buat pemda (kabupaten/kota): induk instansi-instansi, tempat akun peran kabupaten."""
    pencatat = oleh_cli(oleh)
    engine = buka_engine()
    try:
        pemda = tambah_pemda(engine, kode=kode, nama=nama,
                             kabupaten=_tanpa_pemerintah(nama) if kabupaten is None else kabupaten, oleh=pencatat)
    except ValidationError as e:
        fail([*e.problems, "Tidak ada yang disimpan."], 2)
    typer.echo(f"Pemda dibuat: {pemda.kode} ({pemda.nama}).")
    typer.echo(f"Tambahkan instansinya: kinerja instansi add --data FOLDER --pemda {pemda.kode}")


@instansi_app.command("add")
def instansi_add(
    data: Annotated[Path, typer.Option(
        metavar="FOLDER", help="Folder berformat data/ (pk.yaml, anggaran.csv, indikator.csv, penjelasan.csv).")],
    pemda: Annotated[str | None, typer.Option(metavar="KODE", help="Kode pemda induk instansi ini.")] = None,
    oleh: Oleh = None,
) -> None:
    """Tambah instansi baru dari folder berformat data/: unit, pejabat, PK terbit satu tahun."""
    pencatat = oleh_cli(oleh)
    engine = buka_engine()
    try:
        office, seed = tambah_instansi(engine, folder=data, pemda=pemda, oleh=pencatat)
    except ValidationError as e:
        fail([*e.problems, "Tidak ada yang disimpan."], 2)
    di = f" di bawah pemda {pemda}" if pemda else ""
    typer.echo(f"Instansi dibuat{di}: {office.kode} ({office.nama}), PK {seed.tahun}: "
               f"{len(seed.indikator)} baris indikator, {len(seed.anggaran)} baris anggaran.")
    typer.echo(f"Buat admin pertamanya: kinerja pengguna add --instansi {office.kode} --peran admin "
               "--username NAMA --nama \"Nama Lengkap\"")


@instansi_app.command("list")
def instansi_list() -> None:
    """Daftar instansi (CSV): kode, nama, jenis, pemda, tahun PK dan jumlah pengguna."""
    write_csv(DAFTAR_COLUMNS, (vars(b) for b in daftar_instansi(buka_engine())))


def _sandi() -> str:
    """Return the new password: from KINERJA_SANDI_BARU (scripts), or typed twice at a hidden prompt."""
    dari_env = os.environ.get(SANDI_ENV)
    if dari_env is not None:
        return dari_env
    try:
        sandi = typer.prompt("Kata sandi", hide_input=True)
        ulang = typer.prompt("Ulangi kata sandi", hide_input=True)
    except typer.Abort:  # no terminal to type at (stdin closed) or Ctrl-D
        fail([f"kata sandi tidak diisi: ketik di prompt, atau isi variabel lingkungan {SANDI_ENV}; "
              "tidak ada yang disimpan"], 2)
    if sandi != ulang:
        fail(["kedua kata sandi tidak sama; tidak ada yang disimpan"], 2)
    return sandi


def _unit_id(session: "Session", office: "Instansi", unit: str | None) -> int | None:
    from sqlmodel import select

    from kinerja.simpan.models import Unit

    if unit is None:
        return None
    found = session.exec(select(Unit.id).where(Unit.instansi_id == office.id, Unit.kode == unit)).first()
    if found is None:
        kodes = session.exec(select(Unit.kode).where(Unit.instansi_id == office.id).order_by(Unit.urutan))
        fail([f"unit '{tampil_kode(unit)}' tidak ada di {office.nama} (yang ada: {', '.join(kodes) or '-'}); "
              "tidak ada yang disimpan"], 2)
    return found


@pengguna_app.command("add")
def pengguna_add(
    instansi: Annotated[str, typer.Option(metavar="KODE", help="Kode instansi atau pemda pengguna ini.")],
    username: Annotated[str, typer.Option(help="Nama pengguna untuk masuk (huruf kecil, angka, . _ -).")],
    nama: Annotated[str, typer.Option(help="Nama lengkap.")],
    peran: Annotated[str, typer.Option(
        metavar="PERAN", help="admin, pimpinan, operator, atau kabupaten (hanya untuk pemda).")],
    unit: Annotated[str | None, typer.Option(metavar="KODE", help="Kode unit (wajib untuk operator).")] = None,
    oleh: Oleh = None,
) -> None:
    """Buat akun pengguna; kata sandi diketik dua kali (tersembunyi) atau dari KINERJA_SANDI_BARU."""
    from kinerja.simpan.auth import check_user, create_user
    from kinerja.simpan.db import new_session
    from kinerja.simpan.queries import NotFound, get_instansi

    pencatat = oleh_cli(oleh)
    engine = buka_engine()
    with new_session(engine) as session:
        try:
            office = get_instansi(session, instansi)
        except NotFound as e:
            fail([f"{e}; tidak ada yang disimpan"], 2)
        unit_id = _unit_id(session, office, unit)
    # the fields first, so nobody types a password for an account that would be refused anyway
    problems = check_user(username.strip().lower(), nama, None, peran, unit_id)
    if problems:
        fail([*problems, "Tidak ada yang disimpan."], 2)
    try:
        user = create_user(engine, instansi_id=office.id, username=username, nama=nama, password=_sandi(),
                           peran=peran, unit_id=unit_id, oleh=pencatat)
    except ValidationError as e:
        fail([*e.problems, "Tidak ada yang disimpan."], 2)
    typer.echo(f"Pengguna dibuat: {user.username} ({user.peran}) di {office.nama}.")
