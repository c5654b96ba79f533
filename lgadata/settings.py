"""The one settings object, read from the environment on first use."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


class Settings(BaseSettings):
    """Configuration from LGADATA_* variables (and DATABASE_URL)."""

    model_config = SettingsConfigDict(env_prefix="LGADATA_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DATA_DIR / 'lgadata.db'}",
        validation_alias=AliasChoices("LGADATA_DATABASE_URL", "DATABASE_URL"),
    )
    # "production" makes the dashboard refuse to start with unsafe server settings.
    environment: Literal["development", "production"] = "development"
    seed_samples: bool = True
    max_upload_mb: int = 25
    max_rows_per_sheet: int = 500_000
    max_columns: int = 200
    max_uncompressed_mb: int = 400
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 10_000
    reader_memory_mb: int = 2048
    reader_timeout_s: float = 120.0
    # Failed passwords in a row for one address from one client before that client is
    # locked out of that address (the owner can still sign in from elsewhere), and failures
    # from one client over every address before the client is locked out altogether.
    max_failed_sign_ins: int = Field(default=5, ge=1)
    max_failed_sign_ins_per_client: int = Field(default=50, ge=1)
    # The first lock's length; each further lock of the same key lasts twice as long.
    lockout_minutes: float = Field(default=15, gt=0)
    session_idle_minutes: float = Field(default=30, gt=0)
    session_absolute_hours: float = Field(default=12, gt=0)
    # Behind a reverse proxy on this machine (deploy/nginx.conf), take the client's address
    # from X-Real-IP when the connection comes from loopback.
    trust_proxy_headers: bool = False
    public_view: bool = False
    # Identity-provider groups or roles mapped to dashboard roles, as JSON in the environment:
    # LGADATA_ROLE_CLAIMS='{"lga-productivity-officers": "officer"}'
    role_claims: dict[str, str] = {}
    poll_seconds: float = Field(default=5.0, gt=0)
    # Meeting mode: how long each screen stays up before the next; 0 leaves it to the presenter.
    present_seconds: float = Field(default=30.0, ge=0)
    # The board paper's contact officer, as JSON: LGADATA_CONTACT_OFFICER='{"name": "Jane
    # Smith", "position": "Programme Manager", "telephone": "020 7664 3000", "email": "..."}'
    contact_officer: dict[str, str] = {}
    # E-mail through the organisation's relay (see the README's "E-mail"); no host, no mail.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    # starttls: upgrade a plain connection (port 587); tls: TLS from the start (port 465).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_user: str = ""
    # The password from the environment, or from a file only the service can read (a systemd
    # credential, say), which wins when both are set. SecretStr keeps it out of reprs and logs.
    smtp_password: SecretStr = SecretStr("")
    smtp_password_file: Path | None = None
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    mail_from: str = ""
    # The board pack goes this many days before each registered meeting.
    mail_pack_days: int = Field(default=7, ge=0)
    # Officers are reminded of a return due within this many days, and weekly while overdue.
    mail_reminder_days: int = Field(default=14, ge=0)
    # Each dashboard process sends what is due this often (APScheduler); 0 leaves it to
    # `python -m lgadata mail send-due` from cron or a systemd timer.
    mail_every_minutes: int = Field(default=15, ge=0)
    # The dashboard's address, for the link at the foot of each message.
    mail_dashboard_url: str = ""
    fraud_value_per_property_gbp: float = 18_000.0
    fraud_value_basis: str = (
        "Audit Commission, Protecting the Public Purse: £18,000 a year per social home "
        "recovered from tenancy fraud"
    )


@lru_cache
def get_settings() -> Settings:
    """Return the settings, read once from the environment."""
    return Settings()
