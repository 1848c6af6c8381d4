"""Read a year's Perjanjian Kinerja from a `data/` folder, validate it whole, and load it.

A folder holds pk.yaml, anggaran.csv, indikator.csv and penjelasan.csv (see data/*/pk.yaml).
Every problem is reported with the file, the entry and what is wrong (kinerja.aturan.pk_periksa), and
nothing is loaded while any problem remains.
"""

import csv
import io
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.angka import parse_angka
from kinerja.aturan.pk_data import (
    ANGGARAN_COLUMNS,
    INDIKATOR_COLUMNS,
    PENJELASAN_COLUMNS,
    TABEL_CSV,
    SeedError,
    SeedPK,
    pagu_rupiah,
    tempat_folder,
)
from kinerja.aturan.pk_periksa import cek_bentuk, check_seed
from kinerja.simpan.db import migrate, write_session
from kinerja.simpan.models import (
    Anggaran,
    BarisPK,
    Indikator,
    Instansi,
    Pagu,
    Pejabat,
    Penjelasan,
    Perjanjian,
    Target,
    Unit,
    Versi,
)


def _read_csv(path: Path, required: list[str], problems: list[str]) -> tuple[list[dict[str, str]], list[int]]:
    if not path.exists():
        problems.append(f"{path}: berkas tidak ada")
        return [], []
    text = _read_text(path, problems)
    if text is None:
        return [], []
    rows, lines = [], []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{path}: kolom tidak ada: {', '.join(missing)}")
            return [], []
        for row in reader:
            rows.append({k: (v or "").strip() for k, v in row.items() if k})
            lines.append(reader.line_num)
    except csv.Error:  # a cell over 128 KB, or a quote that never closes
        problems.append(f"{path}, baris {reader.reader.line_num}: tidak dapat dibaca sebagai CSV")
    return rows, lines


def _read_text(path: Path, problems: list[str]) -> str | None:
    """Return a file's text, or None with a problem naming it when it is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.append(f"{path}: bukan teks UTF-8 (byte ke-{e.start + 1}); simpan ulang berkas sebagai UTF-8")
        return None


def read_seed(folder: Path) -> SeedPK:
    """Read and validate one seed folder; raise SeedError listing every problem."""
    pk_path = folder / "pk.yaml"
    if not pk_path.exists():
        raise SeedError([f"{pk_path}: berkas tidak ada"])
    problems: list[str] = []
    text = _read_text(pk_path, problems)
    if text is None:
        raise SeedError(problems)
    try:
        meta = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise SeedError([f"{pk_path}: YAML tidak bisa dibaca: {e}"]) from None
    tempat = tempat_folder(folder)
    problems = cek_bentuk(meta, tempat)
    if problems:
        raise SeedError(problems)
    tables: dict[str, list[dict[str, str]]] = {}
    nomor: dict[str, list[int]] = {}
    for name, columns in zip(TABEL_CSV, (ANGGARAN_COLUMNS, INDIKATOR_COLUMNS, PENJELASAN_COLUMNS), strict=True):
        if name == "penjelasan" and not (folder / "penjelasan.csv").exists():
            tables[name], nomor[name] = [], []
            continue
        tables[name], nomor[name] = _read_csv(folder / f"{name}.csv", columns, problems)
    seed = SeedPK(meta=meta, anggaran=tables["anggaran"], indikator=tables["indikator"],
                  penjelasan=tables["penjelasan"], folder=folder, nomor=nomor)
    problems += check_seed(seed, tempat)
    if problems:
        raise SeedError(problems)
    return seed


def seed_folders(data_dir: Path) -> list[Path]:
    """Return the seed folders (those with a pk.yaml) under data/, in name order."""
    return sorted(p.parent for p in data_dir.glob("*/pk.yaml"))


def is_loaded(session: Session, seed: SeedPK) -> bool:
    """Tell whether the office and year of this seed are already in the database."""
    return (
        session.exec(
            select(Versi.id)
            .join(Instansi, Instansi.id == Versi.instansi_id)
            .where(Instansi.kode == seed.instansi_kode, Versi.tahun == seed.tahun)
        ).first()
        is not None
    )


def load_seed(session: Session, seed: SeedPK, status: str = "terbit") -> Instansi:
    """Insert a validated seed (office, units, officials, version, budget, indicators); no commit."""
    meta = seed.meta
    info = meta["instansi"]
    instansi = session.exec(select(Instansi).where(Instansi.kode == info["kode"])).first()
    if instansi is None:
        instansi = Instansi(
            kode=info["kode"], nama=info["nama"], kabupaten=info["kabupaten"], tempat=info.get("tempat", "")
        )
        session.add(instansi)
        session.flush()
    unit_ids = _load_units(session, instansi, meta["unit"])
    pejabat_ids = _load_pejabat(session, instansi, meta["pejabat"], unit_ids)
    v = meta["versi"]
    versi = Versi(
        instansi_id=instansi.id, tahun=seed.tahun, nomor=int(v.get("nomor", 0)), nama=v["nama"],
        tanggal=v["tanggal"], berlaku_bulan=int(v.get("berlaku_bulan", 1)), status=status,
    )
    session.add(versi)
    session.flush()
    node_ids: dict[str, int] = {}
    for urutan, row in enumerate(seed.anggaran):
        node = Anggaran(
            instansi_id=instansi.id, tahun=seed.tahun, kode=row["kode"], tingkat=row["tingkat"],
            induk_id=node_ids.get(row["induk"]) if row["induk"] else None, nama=row["nama"],
            unit_id=unit_ids[row["unit"]], urutan=urutan,
        )
        session.add(node)
        session.flush()
        node_ids[row["kode"]] = node.id
        session.add(Pagu(anggaran_id=node.id, versi_id=versi.id, pagu=pagu_rupiah(row["pagu"]) or 0))
    node_units = {r["kode"]: r["unit"] for r in seed.anggaran}
    indikator_ids: dict[str, int] = {}
    for row in seed.indikator:
        if row["kode"] in indikator_ids:
            continue
        unit = node_units.get(row["anggaran_kode"], row["unit"])
        ind = Indikator(
            instansi_id=instansi.id, tahun=seed.tahun, kode=row["kode"], nama=row["indikator"],
            satuan=row["satuan"], polaritas=row["polaritas"], agregasi=row["agregasi"],
            jenis=row["jenis"], sumber=row["sumber"],
            anggaran_id=node_ids.get(row["anggaran_kode"]) if row["anggaran_kode"] else None,
            unit_id=unit_ids[unit], target_renstra=parse_angka(row["target_renstra"]),
            nilai_khusus=row.get("nilai_khusus") or None,
            label_pembilang=row.get("label_pembilang", ""), label_penyebut=row.get("label_penyebut", ""),
        )
        session.add(ind)
        session.flush()
        indikator_ids[row["kode"]] = ind.id
        session.add(
            Target(
                indikator_id=ind.id, versi_id=versi.id, tahunan=parse_angka(row["target"]),
                tw1=parse_angka(row["tw1"]), tw2=parse_angka(row["tw2"]),
                tw3=parse_angka(row["tw3"]), tw4=parse_angka(row["tw4"]),
            )
        )
    perjanjian_ids: dict[str, int] = {}
    for pk in meta["perjanjian"]:
        doc = Perjanjian(
            versi_id=versi.id, unit_id=unit_ids[pk["unit"]], tanggal=pk["tanggal"],
            pihak_pertama_id=pejabat_ids[pk["pihak_pertama"]], pihak_kedua_id=pejabat_ids[pk["pihak_kedua"]],
        )
        session.add(doc)
        session.flush()
        perjanjian_ids[pk["unit"]] = doc.id
    for urutan, row in enumerate(seed.indikator):
        session.add(
            BarisPK(
                perjanjian_id=perjanjian_ids[row["unit"]], indikator_id=indikator_ids[row["kode"]],
                no=row["no"], sasaran=row["sasaran"], urutan=urutan,
            )
        )
    for row in seed.penjelasan:
        session.add(
            Penjelasan(
                indikator_id=indikator_ids[row["kode"]], unit_id=unit_ids[row["unit"]], no=row["no"],
                **{k: row[k] for k in PENJELASAN_COLUMNS[3:]},
            )
        )
    session.flush()
    return instansi


def _load_units(session: Session, instansi: Instansi, rows: list[dict[str, Any]]) -> dict[str, int]:
    existing = {u.kode: u for u in session.exec(select(Unit).where(Unit.instansi_id == instansi.id))}
    for urutan, row in enumerate(rows):
        if row["kode"] not in existing:
            unit = Unit(instansi_id=instansi.id, kode=row["kode"], nama=row["nama"], jenis=row["jenis"], urutan=urutan)
            session.add(unit)
            existing[row["kode"]] = unit
    session.flush()
    for row in rows:
        if row.get("induk"):
            existing[row["kode"]].induk_id = existing[row["induk"]].id
    session.flush()
    return {k: u.id for k, u in existing.items()}


def _load_pejabat(
    session: Session, instansi: Instansi, rows: list[dict[str, Any]], unit_ids: dict[str, int]
) -> dict[str, int]:
    existing = {p.kode: p for p in session.exec(select(Pejabat).where(Pejabat.instansi_id == instansi.id))}
    for row in rows:
        if row["kode"] not in existing:
            p = Pejabat(
                instansi_id=instansi.id, kode=row["kode"], nama=row["nama"], nip=str(row.get("nip") or ""),
                jabatan=row["jabatan"], unit_id=unit_ids.get(row["unit"]) if row.get("unit") else None,
            )
            session.add(p)
            existing[row["kode"]] = p
    session.flush()
    return {k: p.id for k, p in existing.items()}


def init_database(engine: Engine, data_dir: Path) -> list[str]:
    """Migrate the schema and load every seed folder not loaded yet; return what was done.

    Every folder is validated before anything is written, and all loading happens in one
    transaction, so a broken folder leaves the database as it was. Running it again changes
    nothing: an office-year already present is never reloaded over an admin's edits.
    """
    migrate(engine)
    seeds = [read_seed(folder) for folder in seed_folders(data_dir)]
    done: list[str] = []
    with write_session(engine) as session:
        for seed in seeds:
            label = f"{seed.meta['instansi']['nama']} {seed.tahun}"
            if is_loaded(session, seed):
                done.append(f"{label}: sudah ada, tidak diubah")
                continue
            load_seed(session, seed)
            done.append(
                f"{label}: dimuat ({len(seed.indikator)} baris indikator, {len(seed.anggaran)} baris anggaran)"
            )
    return done
