"""Admin: the pagu of each sub-kegiatan in a version; kegiatan and programs are their sums."""

import streamlit as st

from kinerja.aturan.format import format_rupiah
from kinerja.baca.entri import parse_rupiah_grid
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import list_anggaran
from kinerja.simpan.revisi import save_pagu
from pages._tampil import kunci_grid, simpan_grid
from pages._ui import engine, instansi, pilih_versi, require

user = require()
office = instansi(user)
tahun, versi = pilih_versi(office, "pagu")
with new_session(engine()) as session:
    nodes = list_anggaran(session, versi)

total = sum(n.pagu for n in nodes if n.induk_kode is None)
st.title(f"Pagu anggaran {tahun}")
st.caption(f"{versi.nama}: total {format_rupiah(total)}. Ubah pagu sub kegiatan (Rupiah bulat); kegiatan dan program "
           "dijumlahkan otomatis saat disimpan.")
if versi.status == "terbit":
    st.warning("Versi ini sudah terbit. Perubahan anggaran di tengah tahun sebaiknya lewat **PK Perubahan**.")
before = [{"kode": n.node.kode, "sub_kegiatan": n.node.nama, "unit": n.unit.nama, "pagu": str(n.pagu)}
          for n in nodes if n.node.tingkat == "sub_kegiatan"]
editor_key = kunci_grid("pagu", f"grid_pagu_{versi.id}")
after = st.data_editor(before, key=editor_key, hide_index=True, width="stretch",
                       disabled=["kode", "sub_kegiatan", "unit"],
                       column_config={"kode": "Kode", "sub_kegiatan": "Sub kegiatan", "unit": "Unit",
                                      "pagu": "Pagu (Rp)"})
simpan_grid(
    "Simpan pagu", "pagu", editor_key, lambda: tuple(parse_rupiah_grid(before, after)),
    lambda pagu, _yakin: save_pagu(engine(), versi_id=versi.id, pagu=pagu, pengguna=user),
    lambda n: f"{n} pagu sub kegiatan diubah; kegiatan dan program dijumlahkan ulang.",
)
