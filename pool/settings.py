"""Service configuration, read once from environment variables (see README, Configuration),
and the secrets kept in the data dir when no setting gives them (the cookie secret, the audit
key): readable by the service's user only (mode 0600), appearing atomically (written to a
private draft, then linked, first writer wins, so several workers starting at once agree; or
renamed over the old one, e.g. a rotated key). Nothing here logs a secret."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _default_data_dir() -> Path:
    return Path(os.environ.get("PATENTPOOL_DATA_DIR", "./data")).resolve()


MAIL_TRANSPORTS = ("smtp", "directory", "none")
_TRUE = {"1", "true", "yes"}
MIN_AUDIT_KEY_CHARS = 32


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, with safe single-machine defaults."""

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # Proxies whose X-Forwarded-For / -Proto are believed (uvicorn's --forwarded-allow-ips:
    # comma-separated addresses or networks, "*" for any); none by default.
    forwarded_allow_ips: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    session_token_hours: int = 12
    login_max_failures: int = 5  # per e-mail
    # per client address, for any e-mails: looser, as many users may sign in from behind one NAT
    login_max_failures_per_address: int = 50
    login_window_minutes: int = 15
    max_upload_bytes: int = 5 * 1024 * 1024
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    mail_transport: str = "directory"  # smtp | directory (.eml files under data_dir/outbox) | none
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = False
    smtp_timeout: float = 30.0  # seconds, per SMTP operation
    mail_from: str = "patentpool@localhost"
    cookie_secure: bool = False  # web cookies always Secure (behind a TLS-terminating proxy)
    # Signs CSRF tokens; several instances must share it (empty: kept in <data dir>/cookie_secret).
    cookie_secret: str = field(default="", repr=False)
    # Signs the audit trail's checkpoints (docs/audit.md); several instances must share it
    # (empty: kept in <data dir>/audit_key). Never logged, never stored in the database.
    audit_key: str = field(default="", repr=False)
    # Outside addresses that get the daily audit checkpoint e-mail besides the active auditor
    # users (comma-separated), e.g. an external auditor's mailbox with no account here.
    audit_checkpoint_to: tuple[str, ...] = ()
    # Capacity under load (docs/concurrency.md): requests using the database at once (= pooled
    # connections; 0: 2 on SQLite, which writes one at a time anyway and whose short reads are
    # fastest with few threads, 8 on PostgreSQL, where writers of different licensees proceed
    # side by side), how long and how many may wait for one before a 503, and the bounds on a
    # lock wait and a statement (PostgreSQL) or a write lock (SQLite busy timeout).
    db_slots: int = 0
    db_wait_seconds: float = 10.0
    db_queue_max: int = 2000
    db_lock_timeout_ms: int = 5000
    db_statement_timeout_ms: int = 20000
    saturated_after_seconds: float = 1.0
    # PostgreSQL connections of the reads that run on the event loop (pool.loop_reads), apart
    # from the `db_slots` ones; SQLite reads there on one connection per loop.
    db_read_connections: int = 4

    def __post_init__(self) -> None:
        if self.mail_transport not in MAIL_TRANSPORTS:
            raise ValueError(
                f"PATENTPOOL_MAIL_TRANSPORT must be one of {', '.join(MAIL_TRANSPORTS)}, "
                f"not {self.mail_transport!r}"
            )
        if self.db_read_connections < 1:
            raise ValueError("PATENTPOOL_DB_READ_CONNECTIONS must be at least 1")
        if self.db_slots < 0:
            raise ValueError("PATENTPOOL_DB_SLOTS must be at least 1 (or 0 for the default)")
        if self.audit_key and len(self.audit_key) < MIN_AUDIT_KEY_CHARS:
            raise ValueError(
                f"PATENTPOOL_AUDIT_KEY must be at least {MIN_AUDIT_KEY_CHARS} characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        if not self.database_url:
            object.__setattr__(
                self, "database_url", f"sqlite:///{self.data_dir / 'patentpool.sqlite3'}"
            )
        if self.db_slots == 0:
            object.__setattr__(self, "db_slots", 2 if self.is_sqlite else 8)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Build settings from `PATENTPOOL_*` variables; unset ones keep their defaults."""
        env = dict(os.environ if environ is None else environ)
        data_dir = Path(env.get("PATENTPOOL_DATA_DIR", "./data")).resolve()
        defaults = cls(data_dir=data_dir)

        def read(name: str, default: object) -> str:
            return env.get(f"PATENTPOOL_{name.upper()}", str(default))

        return cls(
            data_dir=data_dir,
            database_url=read("database_url", defaults.database_url),
            host=read("host", defaults.host),
            port=int(read("port", defaults.port)),
            forwarded_allow_ips=read("forwarded_allow_ips", defaults.forwarded_allow_ips),
            log_level=read("log_level", defaults.log_level).upper(),
            log_json=read("log_json", "true").lower() in _TRUE,
            session_token_hours=int(read("session_token_hours", defaults.session_token_hours)),
            login_max_failures=int(read("login_max_failures", defaults.login_max_failures)),
            login_max_failures_per_address=int(
                read("login_max_failures_per_address", defaults.login_max_failures_per_address)
            ),
            login_window_minutes=int(read("login_window_minutes", defaults.login_window_minutes)),
            max_upload_bytes=int(read("max_upload_bytes", defaults.max_upload_bytes)),
            argon2_time_cost=int(read("argon2_time_cost", defaults.argon2_time_cost)),
            argon2_memory_kib=int(read("argon2_memory_kib", defaults.argon2_memory_kib)),
            mail_transport=read("mail_transport", defaults.mail_transport).lower(),
            smtp_host=read("smtp_host", defaults.smtp_host),
            smtp_port=int(read("smtp_port", defaults.smtp_port)),
            smtp_username=read("smtp_username", defaults.smtp_username),
            smtp_password=read("smtp_password", defaults.smtp_password),
            smtp_starttls=read("smtp_starttls", "false").lower() in _TRUE,
            smtp_timeout=float(read("smtp_timeout", defaults.smtp_timeout)),
            mail_from=read("mail_from", defaults.mail_from),
            cookie_secure=read("cookie_secure", "false").lower() in _TRUE,
            cookie_secret=read("cookie_secret", defaults.cookie_secret),
            audit_key=read("audit_key", defaults.audit_key),
            audit_checkpoint_to=tuple(
                address.strip()
                for address in read("audit_checkpoint_to", "").split(",")
                if address.strip()
            ),
            db_slots=int(read("db_slots", 0)),
            db_wait_seconds=float(read("db_wait_seconds", defaults.db_wait_seconds)),
            db_queue_max=int(read("db_queue_max", defaults.db_queue_max)),
            db_lock_timeout_ms=int(read("db_lock_timeout_ms", defaults.db_lock_timeout_ms)),
            db_statement_timeout_ms=int(
                read("db_statement_timeout_ms", defaults.db_statement_timeout_ms)
            ),
            saturated_after_seconds=float(
                read("saturated_after_seconds", defaults.saturated_after_seconds)
            ),
            db_read_connections=int(read("db_read_connections", defaults.db_read_connections)),
        )


def _draft(path: Path, value: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(value)
        out.flush()
        os.fsync(out.fileno())
    return draft


def kept_secret(path: Path, *, nbytes: int = 32) -> str:
    """The secret in `path`, generated there (hex, `nbytes` random bytes) if there is none
    yet. Concurrent first calls agree: the first file to appear wins."""
    if not path.exists():
        draft = _draft(path, secrets.token_hex(nbytes))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def write_secret(path: Path, value: str) -> None:
    """Put `value` in `path` (mode 0600), replacing what was there in one atomic rename."""
    draft = _draft(path, value)
    try:
        os.replace(draft, path)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def move_secret(source: Path, target: Path) -> None:
    """Rename `source` over `target` (atomic), durably."""
    os.replace(source, target)
    _sync_dir(target.parent)


def _sync_dir(directory: Path) -> None:
    """Make a rename durable (a crash right after it must not bring the old file back)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
