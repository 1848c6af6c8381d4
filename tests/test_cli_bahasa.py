"""The command line speaks Indonesian in its own words too: the help's panels, usage line and --help."""

import pytest
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.cli_bahasa import terjemahkan_galat


@pytest.mark.parametrize("args", [["--help"], ["demo", "--help"], ["export", "--help"],
                                  ["export", "capaian", "--help"]])
def test_the_help_is_in_indonesian(args: list[str]) -> None:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100"}, prog_name="kinerja")
    assert result.exit_code == 0, result.output
    assert "Pemakaian: kinerja" in result.output and "Opsi" in result.output
    assert "Tampilkan bantuan ini lalu keluar." in result.output
    for english in ("Usage:", "Options", "Commands", "Show this message"):
        assert english not in result.output
    if args[-1] == "--help" and len(args) < 3:
        assert ("Perintah" in result.output) == (args != ["demo", "--help"])


def test_a_usage_error_says_where_to_find_help_in_indonesian() -> None:
    result = CliRunner().invoke(app, ["tidak-ada"], env={"COLUMNS": "100"}, prog_name="kinerja")
    assert result.exit_code != 0
    assert "Pemakaian: kinerja" in result.output and "untuk bantuan" in result.output
    assert "Galat" in result.output


@pytest.mark.parametrize(("args", "pesan"), [
    (["perintah-salah"], "Perintah 'perintah-salah' tidak ada."),
    (["eksport"], "Perintah 'eksport' tidak ada. Mungkin maksudnya 'export', 'import'?"),
    (["export"], "Perintah belum disebutkan."),
    (["export", "lkjip"], "Opsi '--out' wajib diisi."),
    (["import", "realisasi"], "Argumen 'file' wajib diisi."),
    (["export", "capaian", "--triwulan", "5"], "Nilai '--triwulan' tidak sah: paling besar 4"),
    (["export", "capaian", "--triwulan", "0"], "Nilai '--triwulan' tidak sah: paling kecil 1"),
    (["export", "capaian", "--tahun", "dua"], "Nilai '--tahun' tidak sah: harus bilangan bulat"),
    (["export", "capaian", "--triwulan"], "Opsi '--triwulan' memerlukan nilai."),
    (["export", "capaian", "--trw", "1"], "Opsi --trw tidak dikenal. Mungkin maksudnya: --triwulan."),
    (["export", "capaian", "x"], "Argumen berlebih yang tidak dikenal: x."),
])
def test_a_mistyped_command_is_told_in_indonesian(args: list[str], pesan: str) -> None:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"}, prog_name="kinerja")
    assert result.exit_code == 2, result.output
    panel = " ".join(line.strip("│ ") for line in result.output.splitlines() if line.startswith("│"))
    assert panel == pesan
    for english in ("No such", "Missing", "Invalid value", "Input should", "Try '", "requires", "unexpected",
                    "[OPTIONS]", "COMMAND"):
        assert english not in result.output, english


@pytest.mark.parametrize(("english", "indonesia"), [
    # typer's path checks, for commands that declare `exists=True` (none of kinerja's do today)
    ("Invalid value for 'FILE': file 'a.csv' does not exist.", "Nilai 'FILE' tidak sah: Berkas 'a.csv' tidak ada."),
    ("Invalid value for '--out': dir 'x' is a file.",
     "Nilai '--out' tidak sah: Folder 'x' adalah berkas, bukan folder."),
    ("Invalid value for '--format': 'pdf' is not one of 'csv', 'xlsx'.",
     "Nilai '--format' tidak sah: 'pdf' bukan salah satu dari 'csv', 'xlsx'."),
    ("Missing parameter: tahun", "Parameter tahun wajib diisi."),
    ("a message of the app's own", "a message of the app's own"),  # anything else passes through untouched
])
def test_click_sentences_translate_and_others_pass_through(english: str, indonesia: str) -> None:
    assert terjemahkan_galat(english) == indonesia
