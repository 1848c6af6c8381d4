"""How strong a new password must be, wherever one is set (first admin, new user, reset, own change).

Length alone does not stop the passwords that are guessed first, so a password is also refused when
it is only digits, the user's own username or name, or a common password: one on the list in
`sandi_umum.txt`, or such a word with the digits and marks people put around it (`sayang123`,
`2024kinerja`, `p@ssw0rd!`). A word joined to digits by a hyphen (`rahasia-123`) is accepted.
"""

import re
from functools import cache
from importlib.resources import files

MIN_PASSWORD = 10
MAKS_PASSWORD = 128
# The one description of the rule: the forms' tooltips show it.
ATURAN_SANDI = (f"Paling sedikit {MIN_PASSWORD} karakter; bukan hanya angka; bukan nama pengguna atau nama Anda; "
                "bukan kata sandi umum (mis. sayang123, password, kinerja2025). Beberapa kata yang digabung "
                "dengan tanda hubung mudah diingat dan sulit ditebak, mis. kopi-pagi-di-malili.")
_DIGITS_AROUND = re.compile(r"^[0-9]+|[0-9!?.*#$@]+$")
_LEET = (str.maketrans("@4310$5!7", "aaeiosslt"), str.maketrans("@4310$5!7", "aaeloss1t"))
# Rows of a keyboard and counting: any run of them ("asdfghjkl;", "0987654321") is a common password.
_URUTAN = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "01234567890")


@cache
def _umum() -> frozenset[str]:
    text = files("kinerja.aturan").joinpath("sandi_umum.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _inti(password: str) -> str:
    """The word inside a password: lower case, without the digits and marks around it."""
    return _DIGITS_AROUND.sub("", password.lower())


def _huruf(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def is_umum(password: str) -> bool:
    """Tell whether a password is a common one or a simple variant of one (case-insensitive)."""
    lower, inti = password.lower(), _inti(password)
    candidates = {lower, inti} | {inti.translate(t) for t in _LEET}
    if any(c in _umum() for c in candidates if c):
        return True
    if len(set(lower)) < 4 or not inti:  # "aaaaaaaaaa", "abababab12", "2024!!!!!!"
        return True
    for urutan in _URUTAN:
        if any(c in urutan or c in urutan[::-1] for c in (lower, inti) if len(c) >= 4):
            return True
    half = len(inti) // 2
    return len(inti) % 2 == 0 and inti[:half] == inti[half:] and is_umum(inti[:half])  # "sayangsayang"


def _nama_sendiri(password: str, username: str, nama: str) -> bool:
    """Tell whether a password is the username, the name, or one word of the name (with digits around)."""
    own = {_huruf(username), _huruf(nama)} | {w for w in re.split(r"[^0-9a-z]+", nama.lower()) if len(w) >= 3}
    own.discard("")
    return bool(own & {_huruf(password), _huruf(_inti(password)), _inti(password)})


def check_password(password: str, *, username: str = "", nama: str = "") -> list[str]:
    """Return the problems of a new password, in Indonesian (empty: strong enough)."""
    if len(password) < MIN_PASSWORD:
        return [f"Kata sandi paling sedikit {MIN_PASSWORD} karakter"]
    if len(password) > MAKS_PASSWORD:
        return [f"Kata sandi paling banyak {MAKS_PASSWORD} karakter"]
    if password.isdigit():
        return ["Kata sandi tidak boleh hanya angka"]
    if _nama_sendiri(password, username, nama):
        return ["Kata sandi tidak boleh sama dengan nama pengguna atau nama Anda"]
    if is_umum(password):
        return ["Kata sandi ini terlalu umum dan mudah ditebak (mis. kata umum dengan angka di belakangnya); "
                "pilih yang lain, mis. beberapa kata yang digabung dengan tanda hubung"]
    return []
