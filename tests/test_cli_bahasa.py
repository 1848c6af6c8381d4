"""The command line speaks Indonesian in its own words too: the help's panels, usage line and --help."""

import pytest
from typer.testing import CliRunner

from kinerja.cli import app


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
