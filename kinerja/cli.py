"""The `kinerja` command line. Command names and CSV columns are a contract: keep them stable.

A command ends in one of three ways: its output; its problems in Indonesian on stderr and a
non-zero exit; or, for anything unexpected, one Indonesian line on stderr and exit code 1 (the
trace only with KINERJA_DEBUG=1). Every write is one transaction, so nothing is half-saved, and
every output file is written whole (temporary file, then rename), never over an existing file
unless --timpa is given.

This module is the app and its error handling; the commands live in the parts `kinerja/cli_*.py`
(cli_umum: what they share). `kinerja --help` imports no model, database or document library:
each command imports what it needs when it runs (issue 13).
"""

import csv
import logging
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from kinerja import cli_cadangan, cli_ekspor, cli_impor, cli_instansi
from kinerja.cli_umum import alasan_csv, alasan_os

log = logging.getLogger("kinerja.cli")
GALAT = ("terjadi kesalahan tak terduga; tidak ada yang tersimpan sebagian. "
         "Jalankan lagi dengan KINERJA_DEBUG=1 untuk rinciannya, atau hubungi pengelola server.")
GALAT_DB = ("basis data menolak isian ini (angka terlalu besar, teks terlalu panjang atau berisi karakter yang "
            "tidak sah); tidak ada yang tersimpan.")


class _Perintah(TyperGroup):
    """The root command: an unexpected error becomes one Indonesian line on stderr and exit code 1."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        args = sys.argv[1:] if args is None else list(args)
        if _bantuan(self, args):
            _indonesiakan()
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except typer.Exit:
            raise
        except (typer.Abort, TyperException):  # usage errors, a refused prompt: typer draws them, in Indonesian
            _indonesiakan()
            raise
        except KeyboardInterrupt:
            typer.echo("Dibatalkan.", err=True)
            raise typer.Exit(130) from None
        except Exception as e:  # the one place that turns any error into a message
            if _debug():
                log.error("Rincian kesalahan:", exc_info=e)
            typer.echo(f"Gagal: {pesan_galat(e)}", err=True)
            raise typer.Exit(1) from None


def _indonesiakan() -> None:
    from kinerja.cli_bahasa import indonesiakan  # here: it loads rich, which only drawing help needs

    indonesiakan()


def _bantuan(group: TyperGroup, args: list[str]) -> bool:
    """Tell whether Typer will draw help for these arguments: none, --help, or a path that ends at no command.

    Typer draws help and usage errors with rich, which costs about a third of a bare `import sqlalchemy`;
    the Indonesian words are set, and rich loaded, only then (issue 13). An error in a command's own options
    is caught in `invoke`.
    """
    if "--help" in args:
        return True
    command: object = group
    for arg in args:
        if not isinstance(command, TyperGroup):
            return False  # a command's own options and arguments follow
        command = command.commands.get(arg)
        if command is None:
            return True  # an unknown command or an option of the group: a usage error
    return isinstance(command, TyperGroup)


def _debug() -> bool:
    try:
        from kinerja.config import get_settings

        return get_settings().debug
    except Exception:  # a broken environment must not hide the original error
        return False


def pesan_galat(e: BaseException) -> str:
    """Return one Indonesian line that says what an unexpected error means to the user (no trace, no SQL)."""
    from sqlalchemy.exc import DBAPIError, OperationalError, StatementError

    if isinstance(e, csv.Error):
        return f"berkas CSV tidak dapat dibaca: {alasan_csv(e)}"
    if isinstance(e, OSError):
        return f"{e.filename}: {alasan_os(e)}" if e.filename else alasan_os(e)
    if isinstance(e, OperationalError):
        return "basis data tidak dapat dibuka atau sedang sibuk; tidak ada yang tersimpan. Coba lagi."
    if isinstance(e, DBAPIError | StatementError | OverflowError):
        return GALAT_DB
    if isinstance(e, UnicodeError):
        return "berkas berisi teks yang bukan UTF-8"
    return GALAT


app = typer.Typer(help="Kinerja: Perjanjian Kinerja, realisasi dan capaian.", no_args_is_help=True, cls=_Perintah)
for part in (cli_cadangan, cli_ekspor, cli_impor):
    app.add_typer(part.perintah)  # no name: the part's commands are `kinerja <command>`
app.add_typer(cli_impor.import_app, name="import")
app.add_typer(cli_ekspor.export_app, name="export")
app.add_typer(cli_instansi.instansi_app, name="instansi")
app.add_typer(cli_instansi.pengguna_app, name="pengguna")


if __name__ == "__main__":
    app()
