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


def get_settings() -> Settings:
    """Return the settings as the environment says now."""
    return Settings()
