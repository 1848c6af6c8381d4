"""Admin: the pagu of each sub-kegiatan in a version; kegiatan and programs are their sums."""

import streamlit as st

from kinerja.aturan.format import format_rupiah
from kinerja.baca.entri import parse_rupiah_grid
from kinerja.baca.kas_tabel import entri_kas_dari_grid, grid_kas
from kinerja.simpan.anggaran_kas import load_anggaran_kas, save_anggaran_kas
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

# --- Anggaran kas: the monthly spending plan the early warning compares spending with ---

st.subheader(f"Anggaran kas {tahun}")
st.caption("Rencana belanja per bulan tiap sub kegiatan (Rupiah bulat). Bila diisi, peringatan dini di Beranda "
           "membandingkan realisasi anggaran dengan rencana ini, bukan dengan Rencana Aksi; jumlah 12 bulan tidak "
           "boleh melebihi pagu. Dapat juga diimpor dengan `kinerja import anggaran-kas FILE.csv` "
           "(kolom kode,bulan,rencana).")
with new_session(engine()) as session:
    kas_before = grid_kas(nodes, load_anggaran_kas(session, office.id, tahun))
kas_key = kunci_grid("kas", f"grid_kas_{tahun}")
kas_after = st.data_editor(kas_before, key=kas_key, hide_index=True, width="stretch",
                           disabled=["kode", "sub_kegiatan", "pagu"],
                           column_config={"kode": "Kode", "sub_kegiatan": "Sub kegiatan", "pagu": "Pagu"})
simpan_grid(
    "Simpan anggaran kas", "kas", kas_key, lambda: entri_kas_dari_grid(kas_before, kas_after),
    lambda entries, _yakin: save_anggaran_kas(engine(), instansi_id=office.id, tahun=tahun, entries=entries,
                                              pengguna=user),
    lambda n: f"{n} bulan anggaran kas tersimpan.",
)
