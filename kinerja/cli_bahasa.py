"""The command line's own words in Indonesian: Typer's help panels, the usage line, the --help option, and the
messages of a mistyped command ("No such command", "Missing option", "Invalid value ...").

Typer prints these from module constants (typer.rich_utils) and from its vendored click
(the "Usage: " prefix, the help option's text); `indonesiakan()` sets them once, before the app is built.
Typer 0.29's vendored click writes its error messages as f-strings, with no gettext call to hook, so
each exception's `format_message` is wrapped to translate the finished sentence (`terjemahkan_galat`).
"""

import re
from collections.abc import Callable

from typer import rich_utils
from typer._click import decorators, exceptions, formatting

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
METAVAR = {"[OPTIONS]": "[OPSI]", "COMMAND [ARGS]...": "PERINTAH [ARGUMEN]..."}
JENIS_PARAMETER = {"option": "Opsi", "argument": "Argumen", "parameter": "Parameter"}
JENIS_JALUR = {"file": "Berkas", "dir": "Folder", "path": "Jalur"}


def _kurang(m: re.Match[str]) -> str:
    jenis = JENIS_PARAMETER.get(m["jenis"], m["jenis"].capitalize())
    return f"{jenis} {m['nama']} wajib diisi." if m["nama"] else f"{jenis} wajib diisi."


def _opsi_asing(m: re.Match[str]) -> str:
    saran = f" Mungkin maksudnya: {m['saran']}." if m["saran"] else ""
    return f"Opsi {m['nama']} tidak dikenal.{saran}"


# click's and pydantic's fixed sentences, inner phrases first (they sit inside "Invalid value for ...: ...")
GALAT: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Input should be a valid integer(, unable to parse string as an integer)?"),
     "harus bilangan bulat"),
    (re.compile(r"Input should be a valid number(, unable to parse string as a number)?"), "harus angka"),
    (re.compile(r"Input should be a valid boolean(, unable to interpret input)?"), "harus ya atau tidak"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"paling kecil \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"paling besar \1"),
    (re.compile(r"Input should be greater than (\S+)"), r"harus lebih dari \1"),
    (re.compile(r"Input should be less than (\S+)"), r"harus kurang dari \1"),
    (re.compile(r"\b(file|dir|path) ('.*?') does not exist\."), lambda m: f"{JENIS_JALUR[m[1]]} {m[2]} tidak ada."),
    (re.compile(r"\b(file|dir|path) ('.*?') is a directory\."),
     lambda m: f"{JENIS_JALUR[m[1]]} {m[2]} adalah folder, bukan berkas."),
    (re.compile(r"\b(file|dir|path) ('.*?') is a file\."),
     lambda m: f"{JENIS_JALUR[m[1]]} {m[2]} adalah berkas, bukan folder."),
    (re.compile(r"\b(file|dir|path) ('.*?') is not readable\."),
     lambda m: f"{JENIS_JALUR[m[1]]} {m[2]} tidak dapat dibaca."),
    (re.compile(r"\b(file|dir|path) ('.*?') is not writable\."),
     lambda m: f"{JENIS_JALUR[m[1]]} {m[2]} tidak dapat ditulis."),
    (re.compile(r"('.*?') is not one of (.+)\.$"), r"\1 bukan salah satu dari \2."),
    (re.compile(r"Value ('.*?') is not a valid (\w+)\."), r"Nilai \1 bukan \2 yang sah."),
    (re.compile(r"^Invalid value for (.+?): "), r"Nilai \1 tidak sah: "),
    (re.compile(r"^Invalid value: "), "Nilai tidak sah: "),
    (re.compile(r"^Missing (?P<jenis>option|argument|parameter)(?: (?P<nama>.+?))?\.(?= |$)"), _kurang),
    (re.compile(r"^Missing parameter: (.+)$"), r"Parameter \1 wajib diisi."),
    (re.compile(r"^Missing command\.$"), "Perintah belum disebutkan."),
    (re.compile(r"^No such command ('.*?')\."), r"Perintah \1 tidak ada."),
    (re.compile(r" Did you mean (.+)\?$"), r" Mungkin maksudnya \1?"),
    (re.compile(r"^No such option: (?P<nama>\S+)(?: \(Possible options: (?P<saran>.+)\))?$"), _opsi_asing),
    (re.compile(r"^Option ('.*?') requires an argument\.$"), r"Opsi \1 memerlukan nilai."),
    (re.compile(r"^Option ('.*?') requires (\d+) arguments\.$"), r"Opsi \1 memerlukan \2 nilai."),
    (re.compile(r"^Got unexpected extra arguments? ?\(s\)? \((.*)\)$"), r"Argumen berlebih yang tidak dikenal: \1."),
]


def terjemahkan_galat(teks: str) -> str:
    """Return click's message of a usage error in Indonesian; a sentence not in GALAT stays as it is."""
    for pola, ganti in GALAT:
        teks = pola.sub(ganti, teks)
    return teks


def _galat_indonesia() -> None:
    """Wrap `format_message` of every click exception that defines one, so both the rich panel and the plain
    "Error:" line print Indonesian."""
    kelas = [c for c in vars(exceptions).values()
             if isinstance(c, type) and issubclass(c, exceptions.ClickException)]
    for cls in kelas:
        # ClickException inherits its format_message from TyperException: wrap it there, on ClickException only
        asli = cls.__dict__.get("format_message", cls.format_message if cls is exceptions.ClickException else None)
        if asli is None or getattr(asli, "_indonesia", False):
            continue

        def format_message(self: exceptions.ClickException, _asli: Callable[..., str] = asli) -> str:
            return terjemahkan_galat(_asli(self))

        format_message._indonesia = True  # type: ignore[attr-defined]
        cls.format_message = format_message  # type: ignore[method-assign]


def indonesiakan() -> None:
    """Switch Typer's and click's fixed help words and usage-error messages to Indonesian (idempotent)."""
    _galat_indonesia()
    for name, text in PANEL.items():
        setattr(rich_utils, name, text)
    rich_utils.OptionHighlighter.highlights = [
        *(h for h in rich_utils.OptionHighlighter.highlights if "usage" not in h), rf"(?P<usage>{PEMAKAIAN})"]
    write_usage = formatting.HelpFormatter.write_usage
    if not getattr(write_usage, "_indonesia", False):
        def _write_usage(self: formatting.HelpFormatter, prog: str, args: str = "", prefix: str | None = None) -> None:
            for inggris, indonesia in METAVAR.items():
                args = args.replace(inggris, indonesia)
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
