"""The command line's own words in Indonesian: Typer's help panels, the usage line, the --help option.

Typer prints these from module constants (typer.rich_utils) and from its vendored click
(the "Usage: " prefix, the help option's text); `indonesiakan()` sets them once, before the app is built.
"""

from typer import rich_utils
from typer._click import decorators, formatting

PANEL = {
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "OPTIONS_PANEL_TITLE": "Opsi",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ERRORS_PANEL_TITLE": "Galat",
    "ABORTED_TEXT": "Dibatalkan.",
    "RICH_HELP": "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
    "DEFAULT_STRING": "[bawaan: {}]",
    "REQUIRED_LONG_STRING": "[wajib]",
    "DEPRECATED_STRING": "(usang) ",
    "ENVVAR_STRING": "[variabel lingkungan: {}]",
}
PEMAKAIAN = "Pemakaian: "
BANTUAN = "Tampilkan bantuan ini lalu keluar."


def indonesiakan() -> None:
    """Switch Typer's and click's fixed help words to Indonesian (idempotent)."""
    for name, text in PANEL.items():
        setattr(rich_utils, name, text)
    rich_utils.OptionHighlighter.highlights = [
        *(h for h in rich_utils.OptionHighlighter.highlights if "usage" not in h), rf"(?P<usage>{PEMAKAIAN})"]
    write_usage = formatting.HelpFormatter.write_usage
    if not getattr(write_usage, "_indonesia", False):
        def _write_usage(self: formatting.HelpFormatter, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, PEMAKAIAN if prefix is None else prefix)

        _write_usage._indonesia = True  # type: ignore[attr-defined]
        formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    help_option = decorators.help_option
    if not getattr(help_option, "_indonesia", False):
        def _help_option(param_decls: list[str]) -> object:
            attach = help_option(param_decls)

            def decorator(command: object) -> object:
                command = attach(command)
                command.params[-1].help = BANTUAN  # type: ignore[attr-defined]
                return command

            return decorator

        _help_option._indonesia = True  # type: ignore[attr-defined]
        decorators.help_option = _help_option  # type: ignore[assignment]
