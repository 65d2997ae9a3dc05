"""Settings from the environment (and an optional .env file)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-insecure-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", alias="AXMATCH_ENV"
    )
    data_dir: Path = Field(PROJECT_DIR / "var", alias="AXMATCH_DATA_DIR")
    database_url: str = Field("", alias="DATABASE_URL")
    secret_key: str = Field("", alias="SECRET_KEY")
    embedding_model: str = Field("default", alias="AXMATCH_EMBEDDING_MODEL")
    cookie_secure: bool = Field(False, alias="AXMATCH_COOKIE_SECURE")
    session_days: int = Field(14, alias="AXMATCH_SESSION_DAYS", ge=1, le=365)
    login_max_failures: int = Field(5, alias="AXMATCH_LOGIN_MAX_FAILURES", ge=1, le=1000)
    login_ip_max_failures: int = Field(30, alias="AXMATCH_LOGIN_IP_MAX_FAILURES", ge=1)
    login_window_minutes: int = Field(15, alias="AXMATCH_LOGIN_WINDOW_MINUTES", ge=1)
    index_poll_seconds: float = Field(1.0, alias="AXMATCH_INDEX_POLL_SECONDS", gt=0)

    @model_validator(mode="after")
    def _defaults(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'axmatch.db'}"
        if not self.secret_key:
            if self.environment == "production":
                raise ValueError("SECRET_KEY is required when AXMATCH_ENV=production")
            self.secret_key = DEV_SECRET
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
