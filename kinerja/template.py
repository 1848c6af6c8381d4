"""Compatibility: the entry template now lives in kinerja.templat_buat (build) and kinerja.templat_baca (read).

Import from those modules; this one only keeps older imports working.
"""

from kinerja.templat_baca import parse_template, preview_changes
from kinerja.templat_buat import (
    CARA_MENGISI,
    EXTRA_ROWS,
    FIRST_MONTH_COL,
    HEADER,
    HEADER_ROW,
    MARK,
    META_COL,
    MIME,
    BarisTemplat,
    LembarUnit,
    build_template,
    list_lembar,
)

__all__ = [
    "CARA_MENGISI", "EXTRA_ROWS", "FIRST_MONTH_COL", "HEADER", "HEADER_ROW", "MARK", "META_COL", "MIME",
    "BarisTemplat", "LembarUnit", "build_template", "list_lembar", "parse_template", "preview_changes",
]
