"""How a message leaves: an SMTP server, or `.eml` files in a directory (single-machine
installs and the demo), chosen by `PATENTPOOL_MAIL_TRANSPORT`."""

import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from pool.settings import Settings


class Transport(Protocol):
    def send(self, message: EmailMessage, *, sender: str, recipients: Sequence[str]) -> list[str]:
        """Hand the message over; return the recipients the server refused (others got it).
        Raise if nobody got it."""


@dataclass(frozen=True)
class SmtpTransport:
    """One SMTP connection per message; STARTTLS and login when configured."""

    host: str
    port: int
    timeout: float
    starttls: bool = False
    username: str = ""
    password: str = field(default="", repr=False)

    def send(self, message: EmailMessage, *, sender: str, recipients: Sequence[str]) -> list[str]:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password)
            refused = smtp.send_message(message, from_addr=sender, to_addrs=list(recipients))
        finally:
            _close(smtp)
        return sorted(refused)


def _close(smtp: smtplib.SMTP) -> None:
    """QUIT after the server accepted the message: a failure here must not undo the send."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


@dataclass(frozen=True)
class DirectoryTransport:
    """Writes each message as an RFC 5322 `.eml` file named after its Message-ID (a retry
    overwrites the same file)."""

    directory: Path

    def send(self, message: EmailMessage, *, sender: str, recipients: Sequence[str]) -> list[str]:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", str(message["Message-ID"]).strip("<>"))
        with tempfile.NamedTemporaryFile(dir=self.directory, suffix=".tmp", delete=False) as f:
            f.write(message.as_bytes(policy=policy.SMTP))
        os.replace(f.name, self.directory / f"{name}.eml")
        return []


def transport_for(settings: Settings) -> Transport | None:
    """The configured transport; None when delivery is switched off (`none`)."""
    if settings.mail_transport == "smtp":
        return SmtpTransport(
            host=settings.smtp_host,
            port=settings.smtp_port,
            timeout=settings.smtp_timeout,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password,
        )
    if settings.mail_transport == "directory":
        return DirectoryTransport(settings.data_dir / "outbox")
    return None
