"""The anggaran kas grid of the Pagu page: one row per sub kegiatan, one column per month (whole Rupiah)."""

from collections.abc import Mapping, Sequence

from kinerja.aturan.angka import RUPIAH, AngkaError, parse_angka
from kinerja.aturan.format import format_angka, format_rupiah, nama_bulan_singkat
from kinerja.simpan.anggaran_kas import EntriKas
from kinerja.simpan.queries import NodeAnggaran

BULAN = [nama_bulan_singkat(b) for b in range(1, 13)]


def grid_kas(nodes: Sequence[NodeAnggaran], kas: Mapping[str, Mapping[int, int]]) -> list[dict[str, str]]:
    """Return one row per sub kegiatan: kode, name, pagu and the Rupiah planned each month ('' when none)."""
    rows = []
    for n in nodes:
        if n.node.tingkat != "sub_kegiatan":
            continue
        months = kas.get(n.node.kode, {})
        rows.append({"kode": n.node.kode, "sub_kegiatan": n.node.nama, "pagu": format_rupiah(n.pagu),
                     **{BULAN[b - 1]: format_angka(months[b], 0, 0) if b in months else "" for b in range(1, 13)}})
    return rows


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()


def entri_kas_dari_grid(before: Sequence[Mapping[str, object]], after: Sequence[Mapping[str, object]]
                        ) -> tuple[list[EntriKas], list[str]]:
    """Return the months the user changed (an emptied month plans 0) and the cells that are not whole Rupiah."""
    old = {row["kode"]: row for row in before}
    entries, problems = [], []
    for row in after:
        prev = old.get(row["kode"])
        if prev is None:
            continue
        for b, label in enumerate(BULAN, start=1):
            text = _text(row[label])
            if text == _text(prev[label]):
                continue
            try:
                value = parse_angka(text, RUPIAH)
            except AngkaError as e:
                problems.append(f"{row['kode']} {label}: {e}")
                continue
            entries.append(EntriKas(str(row["kode"]), b, int(value or 0), lokasi=f"{row['kode']} {label}"))
    return entries, problems
