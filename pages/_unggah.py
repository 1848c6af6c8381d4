"""Parse an uploaded file once per upload: every rerun reuses the result, or the refusal, kept in the session."""

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kinerja.dokumen.unggah import MB, Batas
from kinerja.errors import ValidationError

T = TypeVar("T")


def pilih_berkas(label: str, batas: Batas, jenis: list[str], key: str) -> UploadedFile | None:
    """A file uploader whose label states the size limit, and which refuses a larger file in the browser.

    Streamlit's own "… per file" line is hidden by the app's CSS (it is English and states the server-wide
    limit), so the label carries this upload's limit instead.
    """
    mb = max(1, batas.maks_byte // MB)
    return st.file_uploader(f"{label} (paling besar {mb} MB)", type=jenis, key=key, max_upload_size=mb)


def baca_unggahan(berkas: UploadedFile, baca: Callable[[bytes, str], T], *, kunci: str,
                  konteks: Hashable = None) -> T:
    """Return `baca(bytes, name)` of this upload, parsed once per upload and `konteks`; raise its ValidationError.

    `kunci` names the slot (one per uploader: only the latest upload is kept); `konteks` holds whatever
    else the result depends on (year, unit...), so a change of it parses again.
    """
    penanda = (getattr(berkas, "file_id", None) or hashlib.sha256(berkas.getvalue()).hexdigest(), konteks)
    slot = f"_unggah_{kunci}"
    tersimpan = st.session_state.get(slot)
    if tersimpan is None or tersimpan[0] != penanda:
        try:
            tersimpan = (penanda, baca(berkas.getvalue(), berkas.name), None)
        except ValidationError as e:
            tersimpan = (penanda, None, e.problems)
        st.session_state[slot] = tersimpan
    if tersimpan[2] is not None:
        raise ValidationError(list(tersimpan[2]))  # a fresh error: re-raising one object would grow its traceback
    return tersimpan[1]
