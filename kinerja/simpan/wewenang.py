"""Who may do what: one rule for every write and one table for every page.

Every write function calls `pastikan_wewenang` inside its own transaction, with the user as
stored now (role, active, office, unit), so a stale browser tab cannot act on a role or an
account that has since been changed. The router and each page's guard read `HALAMAN`.
A pemda's `kabupaten` users read every office under the pemda and write nothing anywhere.
`pengguna=None` means the system itself: the command line run by whoever operates the
server, the demo, and the IKM/AKIP pages writing the score they computed.
"""

from collections.abc import Iterable

from sqlmodel import Session, select

from kinerja.errors import ValidationError
from kinerja.simpan.models import Indikator, Instansi, Pengguna
from kinerja.simpan.versi import catat_kantor

ADMIN, PIMPINAN, OPERATOR = "admin", "pimpinan", "operator"
# A pemda's user (Bupati, Sekda, Bappeda, Inspektorat): reads every office under the pemda, writes nothing.
KABUPATEN = "kabupaten"
PERAN = (ADMIN, PIMPINAN, OPERATOR, KABUPATEN)
PERAN_INSTANSI = (ADMIN, PIMPINAN, OPERATOR)  # the roles of an office's own users
PERAN_PEMDA = (ADMIN, KABUPATEN)  # a pemda has no units and no PK: its admin manages its kabupaten accounts
# Not a stored role: the page table's name for an admin of a pemda, who manages the pemda's accounts only.
ADMIN_PEMDA = "admin_pemda"
HANYA_MELIHAT = "peran kabupaten hanya dapat melihat, tidak mengubah"

# aksi -> (roles allowed, what the refusal says the action is)
AKSI: dict[str, tuple[frozenset[str], str]] = {
    "isi_realisasi": (frozenset({ADMIN, OPERATOR}), "mengisi realisasi"),
    "isi_anggaran": (frozenset({ADMIN, OPERATOR}), "mengisi realisasi anggaran"),
    "kelola_pengguna": (frozenset({ADMIN}), "mengelola pengguna"),
    "ubah_target": (frozenset({ADMIN}), "mengubah target dan rencana aksi"),
    "ubah_pagu": (frozenset({ADMIN}), "mengubah pagu anggaran"),
    "kelola_versi": (frozenset({ADMIN}), "mengubah versi dan tahun perjanjian kinerja"),
    "simpan_penilaian": (frozenset({ADMIN}), "menyimpan IKM dan nilai AKIP"),
    "atur_isian": (frozenset({ADMIN}), "mengatur batas waktu isian dan membuka kembali bulan yang terkunci"),
    "lihat": (frozenset({ADMIN, PIMPINAN, OPERATOR, KABUPATEN}), "melihat data instansi ini"),
    "isi_analisis": (frozenset({ADMIN, OPERATOR}), "mengisi analisis triwulan unit"),
    "beri_rekomendasi": (frozenset({ADMIN, PIMPINAN}), "menulis rekomendasi pimpinan"),
    "isi_anggaran_kas": (frozenset({ADMIN}), "mengisi anggaran kas"),
    "kelola_renstra": (frozenset({ADMIN}), "mengelola target Renstra dan riwayat realisasi"),
    "kelola_profil": (frozenset({ADMIN}), "mengubah profil instansi"),
}
# Actions an operator may take for their own unit only.
UNIT_SENDIRI = frozenset({"isi_realisasi", "isi_anggaran", "isi_analisis"})
# The only actions in a pemda itself: it has no units and no PK, only its own accounts.
_AKSI_PEMDA = frozenset({"kelola_pengguna", "lihat"})

# The pimpinan's read pages; a pemda's kabupaten users read them too, for the office they chose.
_PIMPINAN_PAGES = ("beranda", "capaian", "unit", "anggaran", "laporan", "evaluasi")
_ISIAN_PAGES = ("isi_realisasi", "isi_anggaran")
_ADMIN_PAGES = ("target", "pagu", "revisi", "ikm", "akip", "riwayat")
# page file -> the roles that see it (the router offers exactly these; the page guard refuses the rest)
HALAMAN: dict[str, frozenset[str]] = {
    **{f"pages/{p}.py": frozenset({ADMIN, PIMPINAN, KABUPATEN}) for p in _PIMPINAN_PAGES},
    **{f"pages/{p}.py": frozenset({ADMIN, OPERATOR}) for p in _ISIAN_PAGES},
    **{f"pages/{p}.py": frozenset({ADMIN}) for p in _ADMIN_PAGES},
    "pages/pengguna.py": frozenset({ADMIN, ADMIN_PEMDA}),  # an office's users; a pemda's kabupaten accounts
    "pages/akun.py": frozenset({*PERAN, ADMIN_PEMDA}),  # Akun saya: one's own password
    "pages/kabupaten.py": frozenset({KABUPATEN}),  # Perbandingan instansi: every office of the pemda side by side
    "pages/verifikasi.py": frozenset({ADMIN, PIMPINAN}),  # the pimpinan verify and approve; the admin oversees
    "pages/jadwal.py": frozenset({ADMIN}),  # deadlines and reopening closed or locked months
    "pages/profil.py": frozenset({ADMIN}),  # Profil instansi: Bab I of the LKjIP draft
    "pages/renstra.py": frozenset({ADMIN}),  # Renstra & riwayat: the period, targets per year, earlier years
    "pages/analisis.py": frozenset(PERAN_INSTANSI),  # Analisis triwulan: the unit writes, the pimpinan recommends
    "pages/kinerja_unit.py": frozenset({ADMIN, OPERATOR}),  # Kinerja unit saya: the operator's own view
}


def periksa_wewenang(
    session: Session, pengguna: Pengguna | None, aksi: str, *, instansi_id: int, unit_ids: Iterable[int] = ()
) -> list[str]:
    """Return why this user may not take this action in this office for these units (empty: allowed)."""
    catat_kantor(session, instansi_id)  # the office whose data version this transaction's writes bump
    if pengguna is None:
        return []
    roles, label = AKSI[aksi]
    now = session.get(Pengguna, pengguna.id)
    if now is None or not now.aktif:
        return ["akun ini tidak aktif; masuk kembali dengan akun yang aktif"]
    if now.peran == KABUPATEN:
        return _periksa_kabupaten(session, now, aksi, instansi_id)
    if now.instansi_id != instansi_id:
        return ["pengguna hanya dapat mengubah data instansinya sendiri"]
    if aksi not in _AKSI_PEMDA and _is_pemda(session, instansi_id):
        return ["pemda tidak punya unit dan perjanjian kinerja; admin pemda hanya mengelola akun pemda"]
    if now.peran not in roles:
        if now.peran == PIMPINAN and aksi in UNIT_SENDIRI:
            return ["peran pimpinan hanya dapat melihat, tidak mengisi"]
        return [f"hanya {' atau '.join(sorted(roles))} yang dapat {label}"]
    if now.peran == OPERATOR and aksi in UNIT_SENDIRI and any(u != now.unit_id for u in unit_ids):
        return ["operator hanya dapat mengisi indikator dan anggaran unitnya sendiri"]
    return []


def _is_pemda(session: Session, instansi_id: int) -> bool:
    office = session.get(Instansi, instansi_id)
    return office is not None and office.jenis == "pemda"


def _periksa_kabupaten(session: Session, now: Pengguna, aksi: str, instansi_id: int) -> list[str]:
    """A pemda's user reads the offices under the pemda and writes nothing, there or anywhere."""
    if aksi != "lihat":
        return [HANYA_MELIHAT]
    office = session.get(Instansi, instansi_id)
    if office is None or office.induk_id != now.instansi_id:
        return ["pengguna kabupaten hanya dapat melihat instansi di bawah pemdanya"]
    return []


def pastikan_wewenang(
    session: Session, pengguna: Pengguna | None, aksi: str, *, instansi_id: int, unit_ids: Iterable[int] = ()
) -> None:
    """Raise ValidationError unless this user may take this action (see `periksa_wewenang`)."""
    problems = periksa_wewenang(session, pengguna, aksi, instansi_id=instansi_id, unit_ids=unit_ids)
    if problems:
        raise ValidationError(problems)


def boleh_buka(peran: str | None, halaman: str) -> bool:
    """Tell whether a role may open a page ('pages/beranda.py'); for a user, pass `peran_halaman`."""
    return peran is not None and peran in HALAMAN.get(halaman, frozenset())


def peran_halaman(pengguna: Pengguna, office: Instansi | None) -> str:
    """Return the role HALAMAN knows this user by: a pemda's admin manages its accounts, nothing else."""
    if pengguna.peran == ADMIN and office is not None and office.jenis == "pemda":
        return ADMIN_PEMDA
    return pengguna.peran


def diisi_tangan(ind: Indikator) -> bool:
    """Tell whether an indicator's realisations are typed by its unit (not derived, not budget, not IKM/AKIP)."""
    return ind.sumber == "input" and not ind.nilai_khusus


def instansi_terlihat(session: Session, pengguna: Pengguna) -> list[Instansi]:
    """Return the offices this user may read, by name: their own, or for a pemda's user every office under it."""
    if pengguna.peran == KABUPATEN:
        return list(session.exec(select(Instansi).where(Instansi.induk_id == pengguna.instansi_id)
                                 .order_by(Instansi.nama)))
    own = session.get(Instansi, pengguna.instansi_id)
    return [own] if own is not None else []
