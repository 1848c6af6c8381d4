"""The floor of figure 2: the home screen drawn from frames computed beforehand.

Run by bench.run through AppTest. It executes pages/beranda.py itself, so it draws exactly the same
widgets, charts and tables, but every database read and computation the page calls (each function
of kinerja.simpan.queries and kinerja.baca.* that takes a session, and the signed-in user and office)
answers from a memo filled on the first (warm-up) run. What is left is the drawing.
"""

import runpy

from bench.lantai import ROOT, memoized

with memoized():
    runpy.run_path(str(ROOT / "pages" / "beranda.py"), run_name="__main__")
