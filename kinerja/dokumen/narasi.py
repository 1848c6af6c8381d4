"""The wording of the LKjIP draft: templates in narasi.toml, which an office may override in its data folder."""

import tomllib
from importlib import resources
from pathlib import Path

from kinerja.config import get_settings

NAMA_BERKAS = "narasi.toml"


class _Isian(dict[str, object]):
    """Placeholders a template names but the caller does not fill stay visible, never raise."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_narasi(override: Path | None = None) -> dict[str, str]:
    """Return the templates as 'bagian.kunci' -> text: the shipped ones, overlaid by the office's file."""
    shipped = tomllib.loads(resources.files("kinerja.dokumen").joinpath(NAMA_BERKAS).read_text("utf-8"))
    path = override if override is not None else get_settings().data_dir / NAMA_BERKAS
    own = tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}
    templates: dict[str, str] = {}
    for source in (shipped, own):
        for bagian, isi in source.items():
            if isinstance(isi, dict):
                templates.update({f"{bagian}.{k}": str(v) for k, v in isi.items()})
    return templates


def tulis(templates: dict[str, str], kunci: str, **isian: object) -> str:
    """Fill one template ('bab3.indikator') with the figures given as already formatted text."""
    return templates[kunci].format_map(_Isian(isian))
