"""Tables of an office's Perjanjian Kinerja, its realisations, surveys, users and audit trail.

Identity and versioned values are kept apart so that a PK Perubahan never rewrites what was
reported under the earlier version:
- an `Indikator` and an `Anggaran` node exist once per office and year; realisations hang on them;
- a `Versi` (PK Awal, PK Perubahan 1, ...) holds the values that a revision may change: the
  agreements (`Perjanjian`, `BarisPK`), the targets (`Target`) and the budget (`Pagu`), each in
  force from `Versi.berlaku_bulan` until the next version.
Every row belongs to one `Instansi` (directly or through its parent), so one PostgreSQL database can
hold every kecamatan of a kabupaten.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Realisations and targets keep 4 decimals: enough for scores (87,5) and percentages.
DIGITS = 20
DECIMALS = 4


def now_utc() -> datetime:
    """Return the current time, timezone-aware (stored as UTC)."""
    return datetime.now(UTC)


def _decimal(nullable: bool = True, **kw: object) -> Decimal | None:
    return Field(default=None, max_digits=DIGITS, decimal_places=DECIMALS, nullable=nullable, **kw)


def _text(default: str = "") -> str:
    return Field(default=default, sa_column=Column(Text, nullable=False, default=default))


class Instansi(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kode: str = Field(unique=True, max_length=40)
    nama: str
    kabupaten: str
    tempat: str = ""  # where agreements are signed, e.g. "LUWU TIMUR"
    demo: bool = False  # filled by `kinerja demo`: the app shows a DEMO banner
    zona_waktu: str = "Asia/Makassar"  # IANA name; times on screens and in exports are shown in it (WITA)
    hari_batas_isian: int | None = None  # figures are due by this day of the next month; None = no deadline set
    batas_cek_capaian: Decimal = Field(default=Decimal(200), max_digits=DIGITS, decimal_places=DECIMALS)
    jenis: str = "kecamatan"  # kecamatan | dinas | badan | sekretariat | inspektorat | kelurahan | lainnya | pemda
    # The pemda (kabupaten or kota) an office belongs to; its users with the role "kabupaten" read every office
    # under it. None for a lone office and for the pemda itself.
    induk_id: int | None = Field(default=None, foreign_key="instansi.id", index=True)
    # Bumped in the same transaction as every write of the office's data: a computed year is cached under
    # (office, year, versi_data), so a save is seen at once by every session on every app process.
    versi_data: int = 0
    renstra_awal: int | None = None  # first and last year of the Renstra period, e.g. 2021 .. 2026
    renstra_akhir: int | None = None


class ProfilInstansi(SQLModel, table=True):
    """What the admin writes once about the office, for Bab I and II of the LKjIP."""

    __tablename__ = "profil_instansi"
    instansi_id: int = Field(foreign_key="instansi.id", primary_key=True)
    alamat: str = _text()
    dasar_hukum: str = _text()  # the regulations that set up the office and its tasks
    tugas_pokok: str = _text()
    fungsi: str = _text()  # one function per line
    struktur_organisasi: str = _text()
    sumber_daya: str = _text()  # staff and assets, in the office's own words
    isu_strategis: str = _text()
    diisi_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)


class Unit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("instansi_id", "kode"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    kode: str = Field(max_length=40)
    nama: str
    jenis: str  # pimpinan | sekretariat | seksi | subbag
    induk_id: int | None = Field(default=None, foreign_key="unit.id")
    urutan: int = 0
    # Who checks this unit's months (verifikasi) and who approves them (pengesahan): the users of these
    # units. None = the defaults of kinerja.simpan.verifikasi (the sekretariat, and the pimpinan unit).
    verifikator_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    pengesah_unit_id: int | None = Field(default=None, foreign_key="unit.id")


class Pejabat(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("instansi_id", "kode"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    kode: str = Field(max_length=40)
    nama: str
    nip: str = ""
    jabatan: str
    unit_id: int | None = Field(default=None, foreign_key="unit.id")


class Versi(SQLModel, table=True):
    """One version of a year's agreements: PK Awal (nomor 0), PK Perubahan 1, 2..."""

    __table_args__ = (UniqueConstraint("instansi_id", "tahun", "nomor"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    tahun: int = Field(index=True)
    nomor: int = 0
    nama: str
    tanggal: date
    berlaku_bulan: int = 1  # first month in which this version's targets apply
    status: str = "terbit"  # draf | terbit
    keterangan: str = _text()


class Perjanjian(SQLModel, table=True):
    """The agreement of one unit within one version, signed by two officials."""

    __table_args__ = (UniqueConstraint("versi_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    versi_id: int = Field(foreign_key="versi.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    pihak_pertama_id: int = Field(foreign_key="pejabat.id")
    pihak_kedua_id: int = Field(foreign_key="pejabat.id")
    tanggal: date


class Anggaran(SQLModel, table=True):
    """A node of the budget tree: program, kegiatan or sub_kegiatan."""

    __table_args__ = (UniqueConstraint("instansi_id", "tahun", "kode"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    tahun: int = Field(index=True)
    kode: str = Field(max_length=60)
    tingkat: str  # program | kegiatan | sub_kegiatan
    induk_id: int | None = Field(default=None, foreign_key="anggaran.id")
    nama: str = _text()
    unit_id: int = Field(foreign_key="unit.id")
    urutan: int = 0


class Pagu(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("anggaran_id", "versi_id"),)
    id: int | None = Field(default=None, primary_key=True)
    anggaran_id: int = Field(foreign_key="anggaran.id", index=True)
    versi_id: int = Field(foreign_key="versi.id", index=True)
    pagu: int = Field(sa_type=BigInteger)


class Indikator(SQLModel, table=True):
    """One indicator of one year; shared by every agreement that lists it."""

    __table_args__ = (UniqueConstraint("instansi_id", "tahun", "kode"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    tahun: int = Field(index=True)
    kode: str = Field(max_length=60)
    nama: str = _text()
    satuan: str
    polaritas: str = "positif"  # positif | negatif
    agregasi: str = "jumlah"  # jumlah | rata_rata | terakhir
    jenis: str = "tunggal"  # tunggal | rasio
    sumber: str = "input"  # input | turunan | anggaran
    anggaran_id: int | None = Field(default=None, foreign_key="anggaran.id")
    unit_id: int = Field(foreign_key="unit.id")  # the unit that enters its realisations
    target_renstra: Decimal | None = _decimal()
    nilai_khusus: str | None = None  # ikm | akip: set from the survey or the LHE
    label_pembilang: str = ""
    label_penyebut: str = ""
    batas_wajar: Decimal | None = _decimal()  # soft maximum of one month's value; None = the default rule


class Target(SQLModel, table=True):
    """Annual target and cumulative Rencana Aksi per triwulan (empty = DOMAIN.md default)."""

    __table_args__ = (UniqueConstraint("indikator_id", "versi_id"),)
    id: int | None = Field(default=None, primary_key=True)
    indikator_id: int = Field(foreign_key="indikator.id", index=True)
    versi_id: int = Field(foreign_key="versi.id", index=True)
    tahunan: Decimal = _decimal(nullable=False)
    tw1: Decimal | None = _decimal()
    tw2: Decimal | None = _decimal()
    tw3: Decimal | None = _decimal()
    tw4: Decimal | None = _decimal()


class BarisPK(SQLModel, table=True):
    """A row of an agreement: its number, its sasaran, and the indicator it lists."""

    __tablename__ = "baris_pk"
    __table_args__ = (UniqueConstraint("perjanjian_id", "indikator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    perjanjian_id: int = Field(foreign_key="perjanjian.id", index=True)
    indikator_id: int = Field(foreign_key="indikator.id", index=True)
    no: str
    sasaran: str = _text()
    urutan: int = 0


class Penjelasan(SQLModel, table=True):
    """Text of a PK annex explaining one indicator, as written in one unit's agreement."""

    id: int | None = Field(default=None, primary_key=True)
    indikator_id: int = Field(foreign_key="indikator.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    no: str = ""
    uraian_sasaran: str = _text()
    uraian: str = _text()
    relevansi: str = _text()
    formulasi: str = _text()
    sumber_data: str = _text()
    penjelasan_target: str = _text()


class Pengguna(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    username: str = Field(unique=True, max_length=60)
    nama: str
    password_hash: str
    peran: str  # admin | pimpinan | operator | kabupaten (a pemda's users: read every office under it)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    aktif: bool = True
    dibuat_pada: datetime = Field(default_factory=now_utc)
    gagal_masuk: int = 0  # failed sign-ins in a row
    terkunci_sampai: datetime | None = None  # no sign-in before this time (after too many failures)


class Sesi(SQLModel, table=True):
    """A signed-in browser: the hash of its cookie token, until it expires or is revoked."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    pengguna_id: int = Field(foreign_key="pengguna.id", index=True)
    dibuat_pada: datetime = Field(default_factory=now_utc)
    kedaluwarsa: datetime
    dicabut: bool = False
    terakhir_aktif: datetime | None = None  # the last run of this browser: an idle session ends


class Realisasi(SQLModel, table=True):
    """The value of one indicator in one month (tunggal: nilai; rasio: pembilang/penyebut)."""

    __table_args__ = (UniqueConstraint("indikator_id", "bulan"),)
    id: int | None = Field(default=None, primary_key=True)
    indikator_id: int = Field(foreign_key="indikator.id", index=True)
    bulan: int
    nilai: Decimal | None = _decimal()
    pembilang: Decimal | None = _decimal()
    penyebut: Decimal | None = _decimal()
    keterangan: str = _text()
    diisi_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)
    versi: int = 1  # bumped by every write: a save based on an older versi is told someone else saved first


class RealisasiAnggaran(SQLModel, table=True):
    """Rupiah spent on one sub-kegiatan in one month."""

    __tablename__ = "realisasi_anggaran"
    __table_args__ = (UniqueConstraint("anggaran_id", "bulan"),)
    id: int | None = Field(default=None, primary_key=True)
    anggaran_id: int = Field(foreign_key="anggaran.id", index=True)
    bulan: int
    realisasi: int = Field(sa_type=BigInteger)
    keterangan: str = _text()
    diisi_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)
    versi: int = 1  # bumped by every write, like Realisasi.versi


class SurveiIKM(SQLModel, table=True):
    __tablename__ = "survei_ikm"
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    tahun: int
    bulan: int
    judul: str = ""
    populasi: int | None = None
    diisi_oleh: str = ""
    dibuat_pada: datetime = Field(default_factory=now_utc)


class JawabanIKM(SQLModel, table=True):
    """One respondent's answers (1-4, empty = not answered) to the 9 unsur."""

    __tablename__ = "jawaban_ikm"
    id: int | None = Field(default=None, primary_key=True)
    survei_id: int = Field(foreign_key="survei_ikm.id", index=True)
    responden: int
    u1: int | None = None
    u2: int | None = None
    u3: int | None = None
    u4: int | None = None
    u5: int | None = None
    u6: int | None = None
    u7: int | None = None
    u8: int | None = None
    u9: int | None = None


class RekapIKM(SQLModel, table=True):
    """A survey typed as counts: how many respondents gave `nilai` (1-4) to `unsur` (1-9)."""

    __tablename__ = "rekap_ikm"
    __table_args__ = (UniqueConstraint("survei_id", "unsur", "nilai"),)
    id: int | None = Field(default=None, primary_key=True)
    survei_id: int = Field(foreign_key="survei_ikm.id", index=True)
    unsur: int
    nilai: int
    jumlah: int


class NilaiAKIP(SQLModel, table=True):
    """The Inspektorat's LHE score of one year, by its four components."""

    __tablename__ = "nilai_akip"
    __table_args__ = (UniqueConstraint("instansi_id", "tahun"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    tahun: int
    bulan: int = 12
    perencanaan: Decimal = _decimal(nullable=False)
    pengukuran: Decimal = _decimal(nullable=False)
    pelaporan: Decimal = _decimal(nullable=False)
    evaluasi: Decimal = _decimal(nullable=False)
    keterangan: str = _text()
    diisi_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)


class Jejak(SQLModel, table=True):
    """Append-only audit trail: who changed what, when, from which value to which."""

    id: int | None = Field(default=None, primary_key=True)
    waktu: datetime = Field(default_factory=now_utc, index=True)
    instansi_id: int | None = Field(default=None, foreign_key="instansi.id", index=True)
    pengguna: str = ""
    tabel: str
    kunci: str
    aksi: str  # tambah | ubah | hapus
    sebelum: str = _text()  # JSON object (kinerja.simpan.jejak), "" when the row did not exist
    sesudah: str = _text()  # JSON object, "" when the row was removed
    alasan: str = _text()


class StatusBulan(SQLModel, table=True):
    """How far one unit's figures of one month got: draf, diajukan, diverifikasi, disahkan, or dikembalikan."""

    __tablename__ = "status_bulan"
    __table_args__ = (UniqueConstraint("unit_id", "tahun", "bulan"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    tahun: int
    bulan: int
    status: str = "draf"
    catatan: str = _text()  # the note of the last return, or the reason of the last reopening
    diubah_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)


class Tanggapan(SQLModel, table=True):
    """One message of the thread on an indicator-month: the superior's response, the operator's answer."""

    id: int | None = Field(default=None, primary_key=True)
    indikator_id: int = Field(foreign_key="indikator.id", index=True)
    bulan: int
    pengguna_id: int | None = Field(default=None, foreign_key="pengguna.id")
    oleh: str = ""
    isi: str = _text()
    waktu: datetime = Field(default_factory=now_utc)


class BatasIsian(SQLModel, table=True):
    """The deadline of one month's figures for the office, when it differs from Instansi.hari_batas_isian."""

    __tablename__ = "batas_isian"
    __table_args__ = (UniqueConstraint("instansi_id", "tahun", "bulan"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    tahun: int
    bulan: int
    batas: date


class BukaIsian(SQLModel, table=True):
    """A month opened again for one unit after its deadline, until a date, for a recorded reason."""

    __tablename__ = "buka_isian"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    tahun: int
    bulan: int
    sampai: datetime
    alasan: str = _text()
    oleh: str = ""
    dibuat_pada: datetime = Field(default_factory=now_utc)


class Bukti(SQLModel, table=True):
    """An evidence file (bukti dukung) of a unit-month or an indicator-month; never overwritten."""

    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    tahun: int
    bulan: int
    indikator_id: int | None = Field(default=None, foreign_key="indikator.id", index=True)
    nama_asli: str = _text()  # the name it was uploaded with, metadata only
    nama_berkas: str = Field(unique=True, max_length=80)  # the generated name it is stored under
    jenis: str  # the MIME type read from the content
    ukuran: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64)
    diganti_oleh_id: int | None = Field(default=None, foreign_key="bukti.id")  # a newer file replaced it
    diunggah_oleh: str = ""
    diunggah_pada: datetime = Field(default_factory=now_utc)


class PercobaanMasuk(SQLModel, table=True):
    """One sign-in attempt, kept to limit failures per account and per client."""

    __tablename__ = "percobaan_masuk"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(default="", max_length=60, index=True)
    klien: str = Field(default="", max_length=64, index=True)  # the client address (or its hash)
    waktu: datetime = Field(default_factory=now_utc, index=True)
    berhasil: bool = False


class Analisis(SQLModel, table=True):
    """The unit's explanation of one indicator in one triwulan, and the pimpinan's recommendation."""

    __table_args__ = (UniqueConstraint("indikator_id", "triwulan"),)
    id: int | None = Field(default=None, primary_key=True)
    indikator_id: int = Field(foreign_key="indikator.id", index=True)
    triwulan: int  # 1..4
    faktor_pendorong: str = _text()
    faktor_penghambat: str = _text()
    upaya: str = _text()  # upaya / solusi: the steps taken
    rencana_tindak_lanjut: str = _text()  # the follow-up planned for the next triwulan
    rekomendasi_pimpinan: str = _text()
    diisi_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)
    versi: int = 1  # bumped by every write, like Realisasi.versi


class TargetRenstra(SQLModel, table=True):
    """The Renstra target of an indicator (by kode) for one year of the Renstra period."""

    __tablename__ = "target_renstra"
    __table_args__ = (UniqueConstraint("instansi_id", "kode", "tahun"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    kode: str = Field(max_length=60)
    tahun: int
    target: Decimal = _decimal(nullable=False)


class RiwayatRealisasi(SQLModel, table=True):
    """The yearly realisation of an indicator (by kode) in a year before the app, e.g. from an earlier LKjIP."""

    __tablename__ = "riwayat_realisasi"
    __table_args__ = (UniqueConstraint("instansi_id", "kode", "tahun"),)
    id: int | None = Field(default=None, primary_key=True)
    instansi_id: int = Field(foreign_key="instansi.id", index=True)
    kode: str = Field(max_length=60)
    tahun: int
    realisasi: Decimal | None = _decimal()
    capaian: Decimal | None = _decimal()  # as published then; None = computed from the target of that year if known
    sumber: str = _text()  # where it comes from, e.g. "LKjIP 2023"
    diisi_oleh: str = ""
    diubah_pada: datetime = Field(default_factory=now_utc)


class AnggaranKas(SQLModel, table=True):
    """The monthly spending plan (anggaran kas) of a sub kegiatan: Rupiah planned to be spent in a month."""

    __tablename__ = "anggaran_kas"
    __table_args__ = (UniqueConstraint("anggaran_id", "bulan"),)
    id: int | None = Field(default=None, primary_key=True)
    anggaran_id: int = Field(foreign_key="anggaran.id", index=True)
    bulan: int
    rencana: int = Field(sa_type=BigInteger)
