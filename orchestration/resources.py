"""Dagster resources, configured from the environment through oltp.settings (the same code for every deployment).

A resource reads the settings when it is used, never when it is defined, so one set of definitions serves the
embedded database, docker-compose and the tests. Also here: the retry policy for transient database errors.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

import dagster as dg

# -- retries -----------------------------------------------------------------------------------------------------
# Retried: the database restarting, a dropped connection, a deadlock or a serialization failure. Everything else
# (a failed test, a failed check, bad SQL) fails at once: see `failure_unless_transient`.
TRANSIENT_DATABASE_RETRY = dg.RetryPolicy(
    max_retries=3, delay=5, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
# SQLSTATE classes and codes of errors that go away when tried again.
_TRANSIENT_SQLSTATES = ("08", "40001", "40P01", "53300", "57P01", "57P02", "57P03")
_TRANSIENT_MESSAGES = (
    "could not connect to server",
    "connection refused",
    "connection timed out",
    "server closed the connection unexpectedly",
    "terminating connection due to administrator command",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "deadlock detected",
    "could not serialize access",
    "too many connections",
    "canceling statement due to conflict with recovery",
    "ssl syscall error",
    "connection already closed",
)


def is_transient_database_error(error: BaseException | str) -> bool:
    """True for a database error that is worth retrying (looks through the exception's causes)."""
    if isinstance(error, str):
        text = error.lower()
        return any(message in text for message in _TRANSIENT_MESSAGES)
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        sqlstate = getattr(current, "sqlstate", None) or getattr(getattr(current, "orig", None), "sqlstate", None)
        if sqlstate and str(sqlstate).startswith(_TRANSIENT_SQLSTATES):
            return True
        if is_transient_database_error(str(current)):
            return True
        current = current.__cause__ or current.__context__
    return False


def failure_unless_transient(error: BaseException, what: str) -> BaseException:
    """What to raise for ``error``: itself when transient (the RetryPolicy retries it), else a final Failure."""
    if is_transient_database_error(error):
        return error
    return dg.Failure(description=f"{what}: {error}", allow_retries=False)


# -- database ----------------------------------------------------------------------------------------------------
class WarehouseDatabase(dg.ConfigurableResource):
    """The platform's PostgreSQL: DATABASE_URL, or the embedded server when it is unset."""

    url: str | None = None

    def resolved_url(self) -> str:
        from oltp.database import database_url

        return self.url or database_url()

    def engine(self):
        from oltp.database import get_engine

        return get_engine(self.resolved_url())


# -- e-mail ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


class SmtpResource(dg.ConfigurableResource):
    """The SMTP server for alerts and e-mailed reports: SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM.

    Fields left unset are read from the settings when a message is sent. With a user name, the connection is
    upgraded with STARTTLS when the server offers it, then authenticated.
    """

    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = None
    sender: str | None = None
    timeout_seconds: float = 30.0

    def message(
        self,
        to: str | Sequence[str],
        subject: str,
        text: str,
        html: str | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> EmailMessage:
        """The message :meth:`send` would send (plain text, an optional HTML alternative, attachments)."""
        from oltp.settings import get_settings

        recipients = [to] if isinstance(to, str) else list(to)
        message = EmailMessage()
        message["From"] = self.sender or get_settings().smtp_from
        message["To"] = ", ".join(recipients)
        message["Subject"] = subject
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
        for attachment in attachments:
            maintype, _, subtype = attachment.mime_type.partition("/")
            message.add_attachment(
                attachment.content, maintype=maintype, subtype=subtype or "octet-stream", filename=attachment.filename
            )
        return message

    def send(
        self,
        to: str | Sequence[str],
        subject: str,
        text: str,
        html: str | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> EmailMessage:
        """Send one message; raises smtplib.SMTPException or OSError when the server refuses or cannot be reached."""
        from oltp.settings import get_settings

        settings = get_settings()
        message = self.message(to, subject, text, html, attachments)
        user = self.user or settings.smtp_user
        with smtplib.SMTP(
            self.host or settings.smtp_host, self.port or settings.smtp_port, timeout=self.timeout_seconds
        ) as server:
            server.ehlo()
            if user:
                if server.has_extn("starttls"):
                    server.starttls()
                    server.ehlo()
                server.login(user, self.password or settings.smtp_password or "")
            server.send_message(message)
        return message


def warehouse_resources() -> dict[str, object]:
    """Every resource the definitions use, all configured from the environment when used."""
    return {"database": WarehouseDatabase(), "smtp": SmtpResource()}
