"""Every file uploader says its own size limit, and the browser refuses a larger file before it is sent.

Streamlit's English "200MB per file" line is hidden by the app's CSS, so the label is the only place a
user learns the limit; it must be the limit the server applies to that upload (kinerja.dokumen.unggah).
"""

import re

import pytest

from tests._app import Akun, open_app

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")

# page, role, tab or radio to open first (None: the uploader shows at once), the limits expected (MB)
UPLOADERS = [
    ("pages/isi_realisasi.py", "operator", [10, 2]),  # evidence (KINERJA_BUKTI_MAKS_MB default), template 2 MB
    ("pages/revisi.py", "admin", [10]),  # PK workbook
    ("pages/renstra.py", "admin", [2, 2]),  # Renstra targets CSV, earlier years CSV
]


@pytest.mark.parametrize(("page", "peran", "limits"), UPLOADERS)
def test_each_uploader_states_the_limit_the_server_applies(akun: Akun, page: str, peran: str, limits: list) -> None:
    at = open_app(akun[peran], page)
    uploaders = at.get("file_uploader")
    stated = [int(m.group(1)) if (m := re.search(r"paling besar (\d+) MB", u.proto.label)) else None
              for u in uploaders]
    assert stated == limits
    assert [u.proto.max_upload_size_mb for u in uploaders] == limits
