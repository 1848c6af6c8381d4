"""Validate a year's Perjanjian Kinerja whole, from a data/ folder or a PK workbook alike.

Every problem names the file or sheet, the row or entry, and the field, in Indonesian; nothing is
loaded while any problem remains. Names are checked for every place they will be used: a unit
kode becomes a worksheet and file name (kinerja.aturan.kode), free text must fit the database (no NUL,
bounded length), numbers go through the one parser (kinerja.aturan.angka).
"""

from collections import defaultdict
from datetime import date
from typing import Any

from kinerja.aturan.angka import RUPIAH, AngkaError, parse_angka
from kinerja.aturan.capaian import AGREGASI, JENIS, POLARITAS, SUMBER
from kinerja.aturan.kode import MAKS_KODE_PEJABAT, cek_kode, cek_kode_instansi, cek_kode_unit, tampil_kode
from kinerja.aturan.pk_data import (
    INDUK_TINGKAT,
    JENIS_UNIT,
    MAKS_NAMA,
    MAKS_NIP,
    MAKS_NO,
    MAKS_SATUAN,
    MAKS_TEKS,
    MAKS_URAIAN,
    NILAI_KHUSUS,
    NOMOR_VERSI,
    PENJELASAN_COLUMNS,
    SHARED,
    TABEL_META,
    TAHUN,
    TINGKAT,
    SeedPK,
    Tempat,
    pagu_rupiah,
)
from kinerja.aturan.teks import cek_teks


def cek_bentuk(meta: Any, tempat: Tempat) -> list[str]:
    """Return what makes the office/year part unreadable: not a mapping, a missing or misshapen section."""
    if not isinstance(meta, dict):
        return [f"{tempat.info}: isi berkas bukan pemetaan YAML"]
    problems = [f"{tempat.info}: bagian '{k}' tidak ada" for k in ("instansi", "tahun", "versi", *TABEL_META)
                if k not in meta]
    problems += [f"{tempat.info}: bagian '{k}' harus berisi pasangan nama: nilai" for k in ("instansi", "versi")
                 if k in meta and not isinstance(meta[k], dict)]
    problems += [f"{tempat.info}: bagian '{k}' harus berupa daftar entri" for k in TABEL_META
                 if k in meta and not (isinstance(meta[k], list) and all(isinstance(r, dict) for r in meta[k]))]
    return problems


def check_seed(seed: SeedPK, tempat: Tempat) -> list[str]:
    """Return every problem of a year's agreements read from a folder or a workbook (empty: it can be loaded)."""
    problems = cek_bentuk(seed.meta, tempat)
    if problems:
        return problems
    _check_info(seed.meta, tempat, problems)
    units = _check_units(seed, tempat, problems)
    pejabat = _check_pejabat(seed, tempat, units, problems)
    _check_perjanjian(seed, tempat, units, pejabat, problems)
    nodes = _check_anggaran(seed, tempat, units, problems)
    _check_indikator(seed, tempat, units, nodes, problems)
    _check_penjelasan(seed, tempat, units, problems)
    return problems


def _di(where: str, kolom: str, masalah: str) -> str:
    return f"{where}: {kolom} {masalah}" if kolom else f"{where}: {masalah}"


def _teks(where: str, kolom: str, value: object, maks: int, problems: list[str], wajib: bool = True) -> str:
    """Check a free-text field (text, filled when required, bounded, no control characters); return it."""
    if value is not None and not isinstance(value, str):
        problems.append(_di(where, kolom, "harus teks; tulis di antara tanda kutip"))
        return ""
    text = value or ""
    if wajib and not text.strip():
        problems.append(_di(where, kolom, "harus diisi"))
    problems += cek_teks(text, f"{where}: {kolom}".rstrip(), maks)
    return text


def _bulat(where: str, kolom: str, value: object, lo: int, hi: int, problems: list[str]) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi):
        problems.append(_di(where, kolom, f"harus bilangan bulat {lo}-{hi}, bukan '{tampil_kode(str(value), 30)}'"))


def _tanggal(where: str, kolom: str, value: object, problems: list[str]) -> None:
    if not isinstance(value, date):
        problems.append(_di(where, kolom, "bukan tanggal (YYYY-MM-DD)"))


def _check_info(meta: dict[str, Any], tempat: Tempat, problems: list[str]) -> None:
    info, versi = meta["instansi"], meta["versi"]
    where = tempat.bidang("instansi.kode")
    kode = _teks(where, "", info.get("kode"), 40, problems)
    why = cek_kode_instansi(kode) if kode else None
    if why:
        problems.append(f"{where}: {why}")
    for key, wajib in (("nama", True), ("kabupaten", True), ("tempat", False)):
        _teks(tempat.bidang(f"instansi.{key}"), "", info.get(key), MAKS_NAMA, problems, wajib)
    _bulat(tempat.bidang("tahun"), "", meta["tahun"], *TAHUN, problems)
    _bulat(tempat.bidang("versi.nomor"), "", versi.get("nomor", 0), *NOMOR_VERSI, problems)
    _teks(tempat.bidang("versi.nama"), "", versi.get("nama"), MAKS_NAMA, problems)
    _tanggal(tempat.bidang("versi.tanggal"), "", versi.get("tanggal"), problems)
    _bulat(tempat.bidang("versi.berlaku_bulan"), "", versi.get("berlaku_bulan", 1), 1, 12, problems)


def _kode_of(row: dict[str, Any], key: str = "kode") -> str:
    value = row.get(key)
    return value if isinstance(value, str) else "" if value is None else str(value)


def _check_units(seed: SeedPK, tempat: Tempat, problems: list[str]) -> set[str]:
    rows = seed.meta["unit"]
    kodes = {_kode_of(u) for u in rows}
    induk_of = {_kode_of(u): u.get("induk") for u in rows}
    seen: dict[str, str] = {}
    for i, u in enumerate(rows):
        kode = _kode_of(u)
        where = tempat.baris("unit", seed.baris_ke("unit", i), f"kode {tampil_kode(kode) or '?'}")
        why = cek_kode_unit(kode) if isinstance(u.get("kode"), str) else "kode unit harus teks"
        if why:
            problems.append(f"{where}: {why}")
        elif kode.casefold() in seen:
            problems.append(f"{where}: kode unit ganda (sudah ada {seen[kode.casefold()]}; huruf besar dan kecil "
                            "tidak dibedakan)")
        seen.setdefault(kode.casefold(), kode)
        _teks(where, "nama", u.get("nama"), MAKS_NAMA, problems)
        if u.get("jenis") not in JENIS_UNIT:
            problems.append(f"{where}: jenis '{tampil_kode(str(u.get('jenis')))}' tidak dikenal "
                            f"({', '.join(JENIS_UNIT)})")
        induk = u.get("induk")
        if induk is not None and induk not in kodes:
            problems.append(f"{where}: induk '{tampil_kode(str(induk))}' tidak ada")
        elif _melingkar(kode, induk_of):
            problems.append(f"{where}: induk melingkar (unit ini akhirnya menjadi induk dirinya sendiri)")
    return kodes


def _melingkar(kode: str, induk_of: dict[str, Any]) -> bool:
    """Tell whether following a unit's induk leads back to it."""
    current, steps = induk_of.get(kode), 0
    while current is not None and steps <= len(induk_of):
        if current == kode:
            return True
        current, steps = induk_of.get(current), steps + 1
    return False


def _check_pejabat(seed: SeedPK, tempat: Tempat, units: set[str], problems: list[str]) -> set[str]:
    kodes: set[str] = set()
    for i, p in enumerate(seed.meta["pejabat"]):
        kode = _kode_of(p)
        where = tempat.baris("pejabat", seed.baris_ke("pejabat", i), f"kode {tampil_kode(kode) or '?'}")
        why = cek_kode(kode, MAKS_KODE_PEJABAT)
        if why:
            problems.append(f"{where}: {why}")
        elif kode in kodes:
            problems.append(f"{where}: kode pejabat ganda")
        kodes.add(kode)
        _teks(where, "nama", p.get("nama"), MAKS_NAMA, problems)
        _teks(where, "jabatan", p.get("jabatan"), MAKS_NAMA, problems)
        nip = p.get("nip")
        _teks(where, "nip", str(nip) if isinstance(nip, int) else nip, MAKS_NIP, problems, wajib=False)
        if p.get("unit") is not None and p["unit"] not in units:
            problems.append(f"{where}: unit '{tampil_kode(str(p['unit']))}' tidak ada")
    return kodes


def _check_perjanjian(seed: SeedPK, tempat: Tempat, units: set[str], pejabat: set[str], problems: list[str]) -> None:
    signed: set[str] = set()
    for i, pk in enumerate(seed.meta["perjanjian"]):
        unit = _kode_of(pk, "unit")
        where = tempat.baris("perjanjian", seed.baris_ke("perjanjian", i), f"unit {tampil_kode(unit) or '?'}")
        if unit not in units:
            problems.append(f"{where}: unit tidak ada")
        elif unit in signed:
            problems.append(f"{where}: unit ini sudah punya perjanjian (satu perjanjian per unit)")
        signed.add(unit)
        for side in ("pihak_pertama", "pihak_kedua"):
            if pk.get(side) not in pejabat:
                problems.append(f"{where}: {side} '{tampil_kode(str(pk.get(side)))}' tidak ada")
        _tanggal(where, "tanggal", pk.get("tanggal"), problems)


def _check_anggaran(seed: SeedPK, tempat: Tempat, units: set[str], problems: list[str]) -> set[str]:
    rows = seed.anggaran
    by_kode: dict[str, dict[str, str]] = {}
    children: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["induk"]:
            children[row["induk"]].append(row)
    for i, row in enumerate(rows):
        where = tempat.baris("anggaran", seed.baris_ke("anggaran", i), f"kode {tampil_kode(row['kode']) or '?'}")
        why = cek_kode(row["kode"])
        if why:
            problems.append(f"{where}: {why}")
            continue
        if row["kode"] in by_kode:
            problems.append(f"{where}: kode ganda")
        by_kode[row["kode"]] = row
        _teks(where, "nama", row["nama"], MAKS_TEKS, problems)
        if row["tingkat"] not in TINGKAT:
            problems.append(f"{where}: tingkat '{tampil_kode(row['tingkat'])}' tidak dikenal ({', '.join(TINGKAT)})")
        if row["unit"] not in units:
            problems.append(f"{where}: unit '{tampil_kode(row['unit'])}' tidak ada di {tempat.asal('unit')}")
        try:
            if parse_angka(row["pagu"], RUPIAH) is None:
                problems.append(f"{where}: pagu harus diisi")
        except AngkaError as e:
            problems.append(f"{where}: pagu {e}")
    for i, row in enumerate(rows):
        if row["kode"] in by_kode and by_kode[row["kode"]] is row:
            where = tempat.baris("anggaran", seed.baris_ke("anggaran", i), f"kode {row['kode']}")
            _check_node(where, row, by_kode, children.get(row["kode"], []), problems)
    return set(by_kode)


def _check_node(where: str, row: dict[str, str], by_kode: dict[str, dict[str, str]],
                children: list[dict[str, str]], problems: list[str]) -> None:
    """Check a budget line's place in the tree and that its pagu is the sum of its children's."""
    expected = INDUK_TINGKAT.get(row["tingkat"])
    induk = by_kode.get(row["induk"]) if row["induk"] else None
    if row["induk"] and induk is None:
        problems.append(f"{where}: induk '{tampil_kode(row['induk'])}' tidak ada")
    elif expected is None and row["induk"]:
        problems.append(f"{where}: program tidak boleh punya induk")
    elif expected and (induk is None or induk["tingkat"] != expected):
        problems.append(f"{where}: induk {row['tingkat']} harus sebuah {expected}")
    valued = [pagu_rupiah(c["pagu"]) for c in children]
    own = pagu_rupiah(row["pagu"])
    if any(v is not None for v in valued) and own is not None:
        total = sum(v or 0 for v in valued)
        if total != own:
            pagu, anak = (f"{v:,}".replace(",", ".") for v in (own, total))
            problems.append(f"{where}: pagu {pagu} tidak sama dengan jumlah pagu anaknya {anak}")


def _check_indikator(seed: SeedPK, tempat: Tempat, units: set[str], nodes: set[str], problems: list[str]) -> None:
    first: dict[str, tuple[int, dict[str, str]]] = {}
    seen_rows: set[tuple[str, str]] = set()
    signed = {_kode_of(pk, "unit") for pk in seed.meta["perjanjian"]}
    for i, row in enumerate(seed.indikator):
        n = seed.baris_ke("indikator", i)
        where = tempat.baris("indikator", n, f"kode {tampil_kode(row['kode']) or '?'}")
        why = cek_kode(row["kode"])
        if why:
            problems.append(f"{where}: {why}")
            continue
        if row["unit"] not in units:
            problems.append(f"{where}: unit '{tampil_kode(row['unit'])}' tidak ada di {tempat.asal('unit')}")
        elif row["unit"] not in signed:
            problems.append(f"{where}: unit '{row['unit']}' tidak punya perjanjian di {tempat.asal('perjanjian')}")
        if (row["unit"], row["kode"]) in seen_rows:
            problems.append(f"{where}: indikator ini sudah ada di perjanjian {tampil_kode(row['unit'])}")
        seen_rows.add((row["unit"], row["kode"]))
        _check_indikator_row(where, row, nodes, tempat, problems)
        if row["kode"] in first:
            n0, row0 = first[row["kode"]]
            problems += [f"{where}: kolom {c} berbeda dengan baris {n0} untuk indikator yang sama"
                         for c in SHARED if row.get(c, "") != row0.get(c, "")]
        else:
            first[row["kode"]] = (n, row)


def _check_indikator_row(where: str, row: dict[str, str], nodes: set[str], tempat: Tempat,
                         problems: list[str]) -> None:
    """Check one indicator row's names, kinds and numbers."""
    _teks(where, "indikator", row["indikator"], MAKS_TEKS, problems)
    _teks(where, "satuan", row["satuan"], MAKS_SATUAN, problems)
    _teks(where, "no", row["no"], MAKS_NO, problems, wajib=False)
    _teks(where, "sasaran", row["sasaran"], MAKS_TEKS, problems, wajib=False)
    for column in ("label_pembilang", "label_penyebut"):
        _teks(where, column, row.get(column, ""), MAKS_NAMA, problems, wajib=False)
    for column, allowed in (("polaritas", POLARITAS), ("agregasi", AGREGASI), ("jenis", JENIS), ("sumber", SUMBER)):
        if row[column] not in allowed:
            problems.append(f"{where}: {column} '{tampil_kode(row[column])}' tidak dikenal ({', '.join(allowed)})")
    for column in ("target", "target_renstra", "tw1", "tw2", "tw3", "tw4"):
        try:
            value = parse_angka(row[column])
        except AngkaError as e:
            problems.append(f"{where}: {column} {e}")
            continue
        if column == "target" and value is None:
            problems.append(f"{where}: target kosong")
    if row["anggaran_kode"] and row["anggaran_kode"] not in nodes:
        problems.append(f"{where}: anggaran_kode '{tampil_kode(row['anggaran_kode'])}' tidak ada di "
                        f"{tempat.asal('anggaran')}")
    if row["sumber"] in ("turunan", "anggaran") and not row["anggaran_kode"]:
        problems.append(f"{where}: indikator {row['sumber']} harus menempel pada node anggaran")
    if row.get("nilai_khusus", "") not in NILAI_KHUSUS:
        problems.append(f"{where}: nilai_khusus '{tampil_kode(row['nilai_khusus'])}' tidak dikenal (ikm, akip)")
    if row["jenis"] == "rasio" and row["sumber"] != "input":
        problems.append(f"{where}: indikator rasio harus bersumber input")


def _check_penjelasan(seed: SeedPK, tempat: Tempat, units: set[str], problems: list[str]) -> None:
    kodes = {r["kode"] for r in seed.indikator}
    for i, row in enumerate(seed.penjelasan):
        where = tempat.baris("penjelasan", seed.baris_ke("penjelasan", i), f"kode {tampil_kode(row['kode']) or '?'}")
        if row["kode"] not in kodes:
            problems.append(f"{where}: indikator tidak ada di {tempat.asal('indikator')}")
        if row["unit"] not in units:
            problems.append(f"{where}: unit '{tampil_kode(row['unit'])}' tidak ada di {tempat.asal('unit')}")
        _teks(where, "no", row["no"], MAKS_NO, problems, wajib=False)
        for column in PENJELASAN_COLUMNS[3:]:
            _teks(where, column, row[column], MAKS_URAIAN, problems, wajib=False)
