"""Shared pieces of the screens that fill and check a unit's month: status, threads, evidence, stale saves.

Not a page itself (the router never registers it); Streamlit glue only, the rules are in kinerja/.
Text users typed (notes, tanggapan, file and unit names) is escaped with `teks_polos`.
"""

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from kinerja.aturan.format import format_angka, nama_bulan
from kinerja.baca.pemeriksaan import KeadaanBulan, Kelengkapan, format_waktu, nama_unduhan
from kinerja.config import get_settings
from kinerja.errors import ValidationError
from kinerja.simpan.bukti import JENIS, baca_bukti, simpan_bukti
from kinerja.simpan.models import Bukti, Instansi, Pengguna, Unit
from kinerja.simpan.realisasi import SudahBerubah
from kinerja.simpan.tanggapan import Pesan, tambah_tanggapan
from kinerja.simpan.verifikasi import DIAJUKAN, DIKEMBALIKAN, DISAHKAN, DIVERIFIKASI, ubah_status
from pages._tampil import kunci_grid, masalah, teks_polos
from pages._ui import engine

UMUM = "Seluruh isian bulan ini"


def _markdown_teks(text: str) -> str:
    """Escape typed text and keep its line breaks in Markdown."""
    return "  \n".join(teks_polos(line) for line in text.splitlines() or [""])


def banner_status(keadaan: KeadaanBulan, office: Instansi, bulan: int, tahun: int, kunci: bool = True) -> None:
    """Show the month's status and, when returned, the superior's note; then (`kunci`) why it cannot be changed."""
    when = f"{nama_bulan(bulan)} {tahun}"
    catatan = f"\n\n**Catatan:** {_markdown_teks(keadaan.catatan)}" if keadaan.catatan else ""
    oleh = f" oleh {teks_polos(keadaan.diubah_oleh)}, {format_waktu(keadaan.diubah_pada, office.zona_waktu)}" \
        if keadaan.diubah_oleh else ""
    batas = f" Batas waktu isian: {keadaan.batas:%d-%m-%Y}." if keadaan.batas else ""
    if keadaan.status == DIKEMBALIKAN:
        st.warning(f"**Status {when}: Dikembalikan**{oleh}. Perbaiki, lalu ajukan kembali.{catatan}",
                   icon=":material/undo:")
    elif keadaan.status == DIAJUKAN:
        st.info(f"**Status {when}: Diajukan**{oleh}; menunggu verifikasi pimpinan "
                f"{teks_polos(keadaan.verifikator or 'atasan')}.{catatan}", icon=":material/hourglass_top:")
    elif keadaan.status == DIVERIFIKASI:
        st.info(f"**Status {when}: Diverifikasi**{oleh}; menunggu pengesahan pimpinan "
                f"{teks_polos(keadaan.pengesah or 'instansi')}.{catatan}", icon=":material/fact_check:")
    elif keadaan.status == DISAHKAN:
        st.success(f"**Status {when}: Disahkan**{oleh}.{catatan}", icon=":material/verified:")
    elif keadaan.catatan:  # a draft again: the admin reopened it, for this reason
        st.info(f"**Status {when}: Draf** (dibuka kembali{oleh}).{batas}\n\n"
                f"**Alasan:** {_markdown_teks(keadaan.catatan)}", icon=":material/edit_note:")
    else:
        st.info(f"**Status {when}: Draf**, belum diajukan.{batas}", icon=":material/edit_note:")
    if kunci and keadaan.terkunci:
        st.error(f"Tidak dapat diubah: {teks_polos(keadaan.terkunci)}.", icon=":material/lock:")


def tombol_ajukan(prefix: str, keadaan: KeadaanBulan, unit: Unit, tahun: int, bulan: int, user: Pengguna,
                  lengkap: Kelengkapan, editor_key: str | None = None) -> None:
    """Offer 'Ajukan <bulan> untuk diverifikasi' on a draft or returned month; submit it on click."""
    if not keadaan.boleh_ajukan:
        return
    edited = bool(editor_key and st.session_state.get(editor_key, {}).get("edited_rows"))
    isi = []
    if lengkap.indikator_total:
        isi.append(f"{lengkap.indikator} dari {lengkap.indikator_total} indikator")
    if lengkap.anggaran_total:
        isi.append(f"{lengkap.anggaran} dari {lengkap.anggaran_total} sub kegiatan")
    if isi:
        st.caption(f"Terisi {' dan '.join(isi)} bulan ini. Setelah diajukan, isian {nama_bulan(bulan)} terkunci "
                   "sampai diperiksa atasan.")
    if st.button(f"Ajukan {nama_bulan(bulan)} untuk diverifikasi", key=f"{prefix}_ajukan", icon=":material/send:",
                 disabled=edited, help="Simpan dulu perubahan di tabel." if edited else None):
        try:
            ubah_status(engine(), unit_id=unit.id, tahun=tahun, bulan=bulan, aksi="ajukan", pengguna=user)
        except ValidationError as e:
            masalah(e.problems, "Tidak diajukan:")
        else:
            st.session_state[f"{prefix}_generasi"] = st.session_state.get(f"{prefix}_generasi", 0) + 1
            st.session_state["periksa_pesan"] = f"{nama_bulan(bulan)} {tahun} diajukan untuk diverifikasi."
            st.rerun()


def pesan_langkah() -> None:
    """Show the message a workflow step left for the next run."""
    if msg := st.session_state.pop("periksa_pesan", None):
        st.success(msg, icon=":material/check_circle:")


def simpan_atau_muat_ulang(prefix: str, editor_key: str, save: Callable[[], int]) -> int:
    """Save; when someone else changed a month since the grid was loaded, reload the grid and say so."""
    try:
        return save()
    except SudahBerubah as e:
        st.session_state[f"{prefix}_generasi"] = st.session_state.get(f"{prefix}_generasi", 0) + 1
        st.session_state.pop(f"{prefix}_konfirmasi", None)
        st.session_state[f"{prefix}_bentrok"] = (kunci_grid(prefix, editor_key.rsplit("_v", 1)[0]), e.problems)
        st.rerun()
        raise  # not reached: st.rerun() ends this run


def versi_dilihat(prefix: str, editor_key: str, before: pd.DataFrame) -> pd.DataFrame:
    """Return the grid with each row's versi as the user saw it before typing.

    The page reads the database on every run, so the grid's frame is always fresh; what the user
    typed over is what the grid showed when they started editing. The versi is taken on every run
    without pending edits and kept while there are, until the grid gets a new key (after a save).
    """
    saved = st.session_state.get(f"{prefix}_versi")
    if saved is None or saved[0] != editor_key or not st.session_state.get(editor_key, {}).get("edited_rows"):
        saved = (editor_key, dict(zip(before["kode"], before["versi"], strict=True)))
        st.session_state[f"{prefix}_versi"] = saved
    return before.assign(versi=[saved[1].get(k, 0) for k in before["kode"]])


def tampil_bentrok(prefix: str, editor_key: str) -> None:
    """Show the refused stale save above the reloaded grid, until the user edits it again."""
    saved = st.session_state.get(f"{prefix}_bentrok")
    if not saved or saved[0] != editor_key:
        return
    if st.session_state.get(editor_key, {}).get("edited_rows"):
        del st.session_state[f"{prefix}_bentrok"]
        return
    masalah(saved[1], "Tidak disimpan: angka berikut diubah orang lain setelah Anda membuka halaman. Tabel sudah "
                      "dimuat ulang dengan angka terbaru; periksa, ketik lagi, lalu simpan:")


def _ukuran(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{format_angka(n / 1024 / 1024, 1, 1)} MB"
    return f"{format_angka(max(1, round(n / 1024)), 0, 0)} KB"


def daftar_bukti(prefix: str, files: Sequence[Bukti], user: Pengguna, office: Instansi) -> None:
    """List evidence files with download buttons that read a file only when clicked."""
    eng, folder = engine(), get_settings().bukti_dir
    for b in files:
        st.download_button(
            f"{teks_polos(b.nama_asli)} · {_ukuran(b.ukuran)}",
            data=lambda b=b: baca_bukti(eng, folder=folder, bukti_id=b.id, pengguna=user)[1],
            file_name=nama_unduhan(b), mime=b.jenis, key=f"{prefix}_unduh_{b.id}", on_click="ignore",
            icon=":material/download:", type="tertiary",
            help=f"Diunggah {teks_polos(b.diunggah_oleh)}, {format_waktu(b.diunggah_pada, office.zona_waktu)}",
        )


def utas(prefix: str, kode: str, pesan: Sequence[Pesan], user: Pengguna, office: Instansi, tahun: int, bulan: int
         ) -> None:
    """Show the thread of an indicator-month, oldest first, and a box to answer or respond."""
    for p in pesan:
        sendiri = p.oleh == user.username
        with st.chat_message("user" if sendiri else "assistant",
                             avatar=":material/person:" if sendiri else ":material/forum:"):
            st.markdown(f"**{teks_polos(p.oleh)}** · {format_waktu(p.waktu, office.zona_waktu)}  \n"
                        f"{_markdown_teks(p.isi)}")
    with st.form(f"{prefix}_tgp_form_{kode}", clear_on_submit=True, border=False):
        isi = st.text_area("Tulis tanggapan", key=f"{prefix}_tgp_{kode}", height=80,
                           placeholder="Tanggapan atau jawaban untuk indikator ini")
        if st.form_submit_button("Kirim tanggapan", key=f"{prefix}_tgp_kirim_{kode}", icon=":material/reply:"):
            try:
                tambah_tanggapan(engine(), instansi_id=office.id, tahun=tahun, kode=kode, bulan=bulan, isi=isi,
                                 pengguna=user)
            except ValidationError as e:
                masalah(e.problems, "Tanggapan tidak terkirim:")
            else:
                st.rerun()


def panel_indikator(prefix: str, indikator: Sequence[tuple[str, str]], threads: dict[str, list[Pesan]],
                    bukti: dict[str | None, list[Bukti]], user: Pengguna, office: Instansi, tahun: int, bulan: int,
                    ringkas: dict[str, str] | None = None) -> None:
    """Per indicator, an expander with its figures (optional), its thread and answer box, and its evidence."""
    for kode, nama in indikator:
        pesan, files = threads.get(kode, []), bukti.get(kode, [])
        tanda = [f"{len(pesan)} tanggapan"] if pesan else []
        tanda += [f"{len(files)} bukti"] if files else []
        label = f"{kode} · {nama}" + (f" ({', '.join(tanda)})" if tanda else "")
        with st.expander(teks_polos(label), expanded=bool(pesan), icon=":material/forum:" if pesan else None):
            if ringkas and ringkas.get(kode):
                st.markdown(ringkas[kode])
            kiri, kanan = st.columns([3, 2])
            with kiri:
                utas(prefix, kode, pesan, user, office, tahun, bulan)
            with kanan:
                st.caption("Bukti dukung")
                if files:
                    daftar_bukti(prefix, files, user, office)
                else:
                    st.caption("Belum ada berkas.")


def unggah_bukti(prefix: str, pilihan: dict[str | None, str], bukti: dict[str | None, list[Bukti]],
                 user: Pengguna, office: Instansi, unit: Unit, tahun: int, bulan: int) -> None:
    """Upload an evidence file to the unit's month or one indicator, optionally replacing a current file."""
    settings = get_settings()
    c1, c2 = st.columns(2)
    with c1:
        untuk = st.selectbox("Bukti untuk", list(pilihan), format_func=pilihan.get, key=f"{prefix}_bukti_untuk")
    lama = bukti.get(untuk, [])
    with c2:
        ganti = st.selectbox("Mengganti berkas", [None, *[b.id for b in lama]], key=f"{prefix}_bukti_ganti",
                             format_func=lambda i: "– (berkas baru)" if i is None else
                             next(b.nama_asli for b in lama if b.id == i),
                             help="Berkas lama tetap tersimpan dalam riwayat.")
    n = st.session_state.get(f"{prefix}_bukti_n", 0)
    berkas = st.file_uploader(f"Berkas PDF, JPG, PNG, XLSX atau DOCX, paling besar {settings.bukti_maks_mb} MB",
                              type=[*JENIS, "jpeg"], key=f"{prefix}_bukti_berkas_{n}")
    if st.button("Unggah bukti", key=f"{prefix}_bukti_unggah", disabled=berkas is None, icon=":material/upload:"):
        try:
            simpan_bukti(engine(), folder=settings.bukti_dir, instansi_id=office.id, tahun=tahun, unit_id=unit.id,
                         bulan=bulan, data=berkas.getvalue(), nama_asli=berkas.name, kode=untuk, ganti_id=ganti,
                         maks_mb=settings.bukti_maks_mb, pengguna=user)
        except ValidationError as e:
            masalah(e.problems, "Berkas tidak disimpan:")
        else:
            st.session_state[f"{prefix}_bukti_n"] = n + 1
            st.session_state["periksa_pesan"] = f"Bukti {teks_polos(berkas.name)} tersimpan."
            st.rerun()


def bagian_bukti(prefix: str, pilihan: dict[str | None, str], bukti: dict[str | None, list[Bukti]], user: Pengguna,
                 office: Instansi, unit: Unit, tahun: int, bulan: int, unggah: bool) -> None:
    """Show the unit-month's own evidence with downloads and, when the month is open (`unggah`), the upload box."""
    if len(pilihan) > 1:
        st.markdown(f"**{UMUM}**")
    if bukti.get(None):
        daftar_bukti(prefix, bukti[None], user, office)
    else:
        st.caption("Belum ada berkas untuk seluruh bulan ini.")
    if unggah:
        with st.expander("Unggah bukti dukung", icon=":material/upload_file:"):
            unggah_bukti(prefix, pilihan, bukti, user, office, unit, tahun, bulan)
