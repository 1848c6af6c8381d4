"""Memoize every read a screen makes, so that the same screen can be drawn from frames computed beforehand.

`memoized()` patches, for as long as it is open, each function of kinerja.simpan.queries and of the
kinerja.baca modules whose first parameter is a session, and the page helpers that read the signed-in
user, the office and the years (pages._ui). The first call computes and keeps the answer; later
calls with the same arguments return it. The patches are undone on exit, so the real screen, run
in the same process, is never affected.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEMO: dict[tuple, Any] = {}
STATE: dict[str, Any] = {}  # "user": the Pengguna the floor draws for (set by bench.run)
_PLAIN = (int, str, bool, float, Decimal, type(None))


def _key(name: str, args: tuple, kwargs: dict) -> tuple:
    def one(a: object) -> object:
        return a if isinstance(a, _PLAIN) else ("id", id(a))

    return (name, tuple(one(a) for a in args), tuple(sorted((k, one(v)) for k, v in kwargs.items())))


def _memo(name: str, fn: Callable, skip_first: bool) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = _key(name, args[1:] if skip_first else args, kwargs)
        if key not in MEMO:
            MEMO[key] = fn(*args, **kwargs)
        return MEMO[key]

    return wrapper


def _reading_modules() -> list[Any]:
    import kinerja.baca

    names = ["kinerja.simpan.queries"] + [f"kinerja.baca.{m.name}" for m in pkgutil.iter_modules(kinerja.baca.__path__)]
    return [importlib.import_module(n) for n in names]


def _session_functions(module: Any) -> list[str]:
    found = []
    for name, fn in vars(module).items():
        if not inspect.isfunction(fn) or name.startswith("_"):
            continue
        params = list(inspect.signature(fn).parameters)
        # "engine": the per-version cache (kinerja.baca.singgahan), read from memory in the floor too
        if params and params[0] in ("session", "engine"):
            found.append(name)
    return found


@contextmanager
def memoized() -> Iterator[None]:
    """Patch the readers (see the module's docstring) while open."""
    import pages._ui as ui

    patches: list[tuple[Any, str, Any]] = []
    for module in _reading_modules():
        for name in _session_functions(module):
            patches.append((module, name, _memo(f"{module.__name__}.{name}", getattr(module, name), True)))
    patches.append((ui, "require", lambda: STATE["user"]))
    for name in ("instansi", "list_tahun", "list_versi", "is_demo"):
        if hasattr(ui, name):
            patches.append((ui, name, _memo(f"pages._ui.{name}", getattr(ui, name), name != "instansi")))
    originals = [(m, n, getattr(m, n)) for m, n, _ in patches]
    try:
        for m, n, f in patches:
            setattr(m, n, f)
        yield
    finally:
        for m, n, f in originals:
            setattr(m, n, f)
