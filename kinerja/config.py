"""Settings read from the environment (prefix KINERJA_)."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the database and the seed data live; every field can be set as KINERJA_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="KINERJA_")

    database_url: str = "sqlite:///kinerja.db"
    data_dir: Path = PROJECT_ROOT / "data"
    demo_database_url: str = "sqlite:///kinerja-demo.db"
    debug: bool = False  # KINERJA_DEBUG=1: the command line prints the trace of an unexpected error
    bukti_dir: Path = Path("bukti")  # evidence files; outside anything the app serves
    bukti_maks_mb: int = 10  # the largest evidence file (server.maxUploadSize must allow it)
    sesi_jam: int = 12  # a session ends this many hours after sign-in
    sesi_menganggur_menit: int = 60  # ... or after this many minutes without any action
    gagal_masuk_maks: int = 5  # failed sign-ins in a row before the account is locked for a while
    kunci_menit: int = 15  # how long a locked account waits


def get_settings() -> Settings:
    """Return the settings as the environment says now."""
    return Settings()
