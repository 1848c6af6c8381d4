"""Read a year's Perjanjian Kinerja from a `data/` folder, validate it whole, and load it.

A folder holds pk.yaml, anggaran.csv, indikator.csv and penjelasan.csv (see data/*/pk.yaml).
Every problem is reported with the file, the entry and what is wrong, and nothing is loaded
while any problem remains.
"""

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.angka import RUPIAH, AngkaError, parse_angka
from kinerja.capaian import AGREGASI, JENIS, POLARITAS, SUMBER
from kinerja.db import migrate, write_session
from kinerja.models import (
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

TINGKAT = ("program", "kegiatan", "sub_kegiatan")
INDUK_TINGKAT = {"program": None, "kegiatan": "program", "sub_kegiatan": "kegiatan"}
JENIS_UNIT = ("pimpinan", "sekretariat", "seksi", "subbag")
ANGGARAN_COLUMNS = ["kode", "tingkat", "induk", "nama", "unit", "pagu"]
INDIKATOR_COLUMNS = [
    "unit", "no", "sasaran", "kode", "indikator", "satuan", "target", "polaritas", "agregasi",
    "jenis", "sumber", "anggaran_kode", "target_renstra", "tw1", "tw2", "tw3", "tw4",
]
PENJELASAN_COLUMNS = [
    "unit", "kode", "no", "uraian_sasaran", "uraian", "relevansi", "formulasi", "sumber_data",
    "penjelasan_target",
]
# Columns that every agreement row of one shared indicator must agree on.
SHARED = [
    "indikator", "satuan", "target", "polaritas", "agregasi", "jenis", "sumber", "anggaran_kode",
    "target_renstra", "tw1", "tw2", "tw3", "tw4", "label_pembilang", "label_penyebut", "nilai_khusus",
]
NILAI_KHUSUS = ("", "ikm", "akip")


class SeedError(ValueError):
    """The seed folder is invalid; `problems` lists every 'file, entry: problem'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Data PK tidak valid, tidak ada yang dimuat:\n" + "\n".join(problems))


@dataclass
class SeedPK:
    """A validated seed folder, ready to load."""

    folder: Path
    meta: dict[str, Any]
    anggaran: list[dict[str, str]]
    indikator: list[dict[str, str]]
    penjelasan: list[dict[str, str]] = field(default_factory=list)

    @property
    def tahun(self) -> int:
        return int(self.meta["tahun"])

    @property
    def instansi_kode(self) -> str:
        return str(self.meta["instansi"]["kode"])


def _read_csv(path: Path, required: list[str], problems: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        problems.append(f"{path}: berkas tidak ada")
        return []
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{path}: kolom tidak ada: {', '.join(missing)}")
            return []
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _check_meta(path: Path, meta: Any, problems: list[str]) -> None:
    if not isinstance(meta, dict):
        problems.append(f"{path}: isi berkas bukan pemetaan YAML")
        return
    for key in ("instansi", "tahun", "versi", "unit", "pejabat", "perjanjian"):
        if key not in meta:
            problems.append(f"{path}: bagian '{key}' tidak ada")
    if problems:
        return
    units = {u.get("kode") for u in meta["unit"]}
    for u in meta["unit"]:
        if u.get("jenis") not in JENIS_UNIT:
            problems.append(f"{path}, unit {u.get('kode')}: jenis '{u.get('jenis')}' tidak dikenal")
        if u.get("induk") is not None and u["induk"] not in units:
            problems.append(f"{path}, unit {u.get('kode')}: induk '{u['induk']}' tidak ada")
    pejabat = {p.get("kode") for p in meta["pejabat"]}
    for p in meta["pejabat"]:
        if p.get("unit") is not None and p["unit"] not in units:
            problems.append(f"{path}, pejabat {p.get('kode')}: unit '{p['unit']}' tidak ada")
    for pk in meta["perjanjian"]:
        if pk.get("unit") not in units:
            problems.append(f"{path}, perjanjian {pk.get('unit')}: unit tidak ada")
        for side in ("pihak_pertama", "pihak_kedua"):
            if pk.get(side) not in pejabat:
                problems.append(f"{path}, perjanjian {pk.get('unit')}: {side} '{pk.get(side)}' tidak ada")
        if not isinstance(pk.get("tanggal"), date):
            problems.append(f"{path}, perjanjian {pk.get('unit')}: tanggal bukan tanggal (YYYY-MM-DD)")
    versi = meta["versi"]
    if not isinstance(versi.get("tanggal"), date):
        problems.append(f"{path}, versi: tanggal bukan tanggal (YYYY-MM-DD)")
    if versi.get("berlaku_bulan", 1) not in range(1, 13):
        problems.append(f"{path}, versi: berlaku_bulan harus 1-12")


def _pagu(text: str) -> int | None:
    """Return a pagu cell as whole Rupiah, or None when it is empty or not a valid amount."""
    try:
        value = parse_angka(text, RUPIAH)
    except AngkaError:
        return None
    return None if value is None else int(value)


def _check_anggaran(path: Path, rows: list[dict[str, str]], units: set[str], problems: list[str]) -> None:
    by_kode: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows, start=2):
        where = f"{path}, baris {n} (kode {row['kode'] or '?'})"
        if not row["kode"]:
            problems.append(f"{where}: kode kosong")
            continue
        if row["kode"] in by_kode:
            problems.append(f"{where}: kode ganda")
        by_kode[row["kode"]] = row
        if row["tingkat"] not in TINGKAT:
            problems.append(f"{where}: tingkat '{row['tingkat']}' tidak dikenal ({', '.join(TINGKAT)})")
        if row["unit"] not in units:
            problems.append(f"{where}: unit '{row['unit']}' tidak ada di pk.yaml")
        try:
            if parse_angka(row["pagu"], RUPIAH) is None:
                problems.append(f"{where}: pagu harus diisi")
        except AngkaError as e:
            problems.append(f"{where}: pagu {e}")
    for n, row in enumerate(rows, start=2):
        where = f"{path}, baris {n} (kode {row['kode']})"
        expected = INDUK_TINGKAT.get(row["tingkat"])
        induk = by_kode.get(row["induk"]) if row["induk"] else None
        if row["induk"] and induk is None:
            problems.append(f"{where}: induk '{row['induk']}' tidak ada")
        elif expected is None and row["induk"]:
            problems.append(f"{where}: program tidak boleh punya induk")
        elif expected and (induk is None or induk["tingkat"] != expected):
            problems.append(f"{where}: induk {row['tingkat']} harus sebuah {expected}")
        children = [c for c in rows if c["induk"] == row["kode"] and _pagu(c["pagu"]) is not None]
        own = _pagu(row["pagu"])
        if children and own is not None:
            total = sum(_pagu(c["pagu"]) or 0 for c in children)
            if total != own:
                pagu, anak = (f"{v:,}".replace(",", ".") for v in (own, total))
                problems.append(f"{where}: pagu {pagu} tidak sama dengan jumlah pagu anaknya {anak}")


def _check_indikator(
    path: Path, rows: list[dict[str, str]], units: set[str], nodes: set[str], problems: list[str]
) -> None:
    first: dict[str, tuple[int, dict[str, str]]] = {}
    seen_rows: set[tuple[str, str]] = set()
    for n, row in enumerate(rows, start=2):
        where = f"{path}, baris {n} (kode {row['kode'] or '?'})"
        if not row["kode"]:
            problems.append(f"{where}: kode kosong")
            continue
        if row["unit"] not in units:
            problems.append(f"{where}: unit '{row['unit']}' tidak ada di pk.yaml")
        if (row["unit"], row["kode"]) in seen_rows:
            problems.append(f"{where}: indikator ini sudah ada di perjanjian {row['unit']}")
        seen_rows.add((row["unit"], row["kode"]))
        for column, allowed in (
            ("polaritas", POLARITAS), ("agregasi", AGREGASI), ("jenis", JENIS), ("sumber", SUMBER)
        ):
            if row[column] not in allowed:
                problems.append(f"{where}: {column} '{row[column]}' tidak dikenal ({', '.join(allowed)})")
        for column in ("target", "target_renstra", "tw1", "tw2", "tw3", "tw4"):
            try:
                value = parse_angka(row[column])
            except ValueError as e:
                problems.append(f"{where}: {column} {e}")
                continue
            if column == "target" and value is None:
                problems.append(f"{where}: target kosong")
            if value is not None and value < 0:
                problems.append(f"{where}: {column} tidak boleh negatif")
        if not row["satuan"]:
            problems.append(f"{where}: satuan kosong")
        if row["anggaran_kode"] and row["anggaran_kode"] not in nodes:
            problems.append(f"{where}: anggaran_kode '{row['anggaran_kode']}' tidak ada di anggaran.csv")
        if row["sumber"] in ("turunan", "anggaran") and not row["anggaran_kode"]:
            problems.append(f"{where}: indikator {row['sumber']} harus menempel pada node anggaran")
        if row.get("nilai_khusus", "") not in NILAI_KHUSUS:
            problems.append(f"{where}: nilai_khusus '{row['nilai_khusus']}' tidak dikenal (ikm, akip)")
        if row["jenis"] == "rasio" and row["sumber"] != "input":
            problems.append(f"{where}: indikator rasio harus bersumber input")
        if row["kode"] in first:
            n0, row0 = first[row["kode"]]
            for column in SHARED:
                if row.get(column, "") != row0.get(column, ""):
                    problems.append(
                        f"{where}: kolom {column} berbeda dengan baris {n0} untuk indikator yang sama"
                    )
        else:
            first[row["kode"]] = (n, row)


def read_seed(folder: Path) -> SeedPK:
    """Read and validate one seed folder; raise SeedError listing every problem."""
    problems: list[str] = []
    pk_path = folder / "pk.yaml"
    meta: Any = None
    if not pk_path.exists():
        problems.append(f"{pk_path}: berkas tidak ada")
    else:
        try:
            meta = yaml.safe_load(pk_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            problems.append(f"{pk_path}: YAML tidak bisa dibaca: {e}")
        else:
            _check_meta(pk_path, meta, problems)
    if problems:
        raise SeedError(problems)
    units = {u["kode"] for u in meta["unit"]}
    anggaran = _read_csv(folder / "anggaran.csv", ANGGARAN_COLUMNS, problems)
    indikator = _read_csv(folder / "indikator.csv", INDIKATOR_COLUMNS, problems)
    penjelasan = (
        _read_csv(folder / "penjelasan.csv", PENJELASAN_COLUMNS, problems)
        if (folder / "penjelasan.csv").exists()
        else []
    )
    _check_anggaran(folder / "anggaran.csv", anggaran, units, problems)
    _check_indikator(folder / "indikator.csv", indikator, units, {r["kode"] for r in anggaran}, problems)
    signed = {pk.get("unit") for pk in meta["perjanjian"]}
    for n, row in enumerate(indikator, start=2):
        if row["unit"] in units and row["unit"] not in signed:
            problems.append(
                f"{folder / 'indikator.csv'}, baris {n} (kode {row['kode']}): "
                f"unit '{row['unit']}' tidak punya perjanjian di pk.yaml"
            )
    kodes = {r["kode"] for r in indikator}
    for n, row in enumerate(penjelasan, start=2):
        where = f"{folder / 'penjelasan.csv'}, baris {n} (kode {row['kode']})"
        if row["kode"] not in kodes:
            problems.append(f"{where}: indikator tidak ada di indikator.csv")
        if row["unit"] not in units:
            problems.append(f"{where}: unit '{row['unit']}' tidak ada di pk.yaml")
    if problems:
        raise SeedError(problems)
    return SeedPK(folder=folder, meta=meta, anggaran=anggaran, indikator=indikator, penjelasan=penjelasan)


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
        session.add(Pagu(anggaran_id=node.id, versi_id=versi.id, pagu=_pagu(row["pagu"]) or 0))
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
