"""The one writer and the one reader of the audit trail (Jejak).

Every change leaves exactly one row: which table, which item (`kunci`), the values before and
after as JSON objects (empty when the item did not exist or was removed), who, and why. The row
is added in the same transaction as the change, so a change and its trail commit together or
not at all, and the caller reads the old values under the same lock as it writes the new ones.
"""

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from kinerja.models import Jejak

TAMBAH, UBAH, HAPUS = "tambah", "ubah", "hapus"


def catat_jejak(
    session: Session,
    *,
    instansi_id: int | None,
    oleh: str,
    tabel: str,
    kunci: str,
    sebelum: Mapping[str, Any] | None,
    sesudah: Mapping[str, Any] | None,
    alasan: str = "",
) -> Jejak:
    """Add one audit row for a change inside the caller's transaction and return it."""
    aksi = TAMBAH if sebelum is None else HAPUS if sesudah is None else UBAH
    row = Jejak(
        instansi_id=instansi_id, pengguna=oleh, tabel=tabel, kunci=kunci, aksi=aksi,
        sebelum=_json(sebelum), sesudah=_json(sesudah), alasan=alasan,
    )
    session.add(row)
    return row


def baca_nilai(text: str) -> dict[str, Any] | None:
    """Return the values stored in a `sebelum` / `sesudah` column (None when empty)."""
    if not text:
        return None
    data = json.loads(text)
    if not isinstance(data, dict):  # rows written before the one writer existed
        return {"nilai": data}
    return data


def _json(values: Mapping[str, Any] | None) -> str:
    return "" if values is None else json.dumps(dict(values), default=_json_value, ensure_ascii=False,
                                                sort_keys=True)


def _json_value(value: object) -> str:
    """Write a Decimal the same way whatever its stored scale (1.0000 and 1 are both '1')."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
