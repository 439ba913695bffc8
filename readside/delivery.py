"""Sending scheduled reports, each email exactly once: the scheduler finds what is due in every organization, records
one delivery per schedule, occurrence and recipient (unique in the database), claims each before sending and marks it
after the SMTP server answered.

A delivery's states (app.report_deliveries.status; docs/reports.md has the whole story):

    pending --claim--> claimed --server accepted (250)--> sent
                       claimed --5xx at once, or 4xx/no connection after the retries--> failed (owner told)
                       claimed --no data and skip when empty; schedule paused or deleted--> skipped
                       claimed --period not built or a blocking check failed, within grace--> held
    held --next check--> claimed
    a claim older than the lease (its process died) is claimed again by the next run, with the same Message-ID
    missed occurrences before the latest one, and alert checks that did not cross, are recorded skipped

The scheduler reads every organization's schedules through the owner's connection (oltp.database.get_engine());
every number in an email is read as its recipient through the reader's scoped connection (readside.email).
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

from oltp.errors import WarehouseError
from readside import email as report_email
from readside.access import REPORTS_READ, SignInRefused, Viewer, viewers_for_email
from readside.schedules import (
    REPORT_TYPES,
    Schedule,
    ScheduleError,
    alert_metrics,
    from_row,
    next_occurrence,
    occurrences,
    report_filters,
    select_list,
)

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # longer than rendering and every retry of one email take
CATCH_UP = timedelta(days=35)  # missed occurrences older than this before a run are not recorded
HOLD_RECHECK = timedelta(minutes=5)  # how often a held report looks at the data again
RETRIES = 3
BACKOFF_SECONDS = 2.0  # first wait between SMTP attempts; doubles each time (2, 4, 8 s)
OUTSIDE_ROLE = "outside recipient"
PLAN_BATCH = 200
# Headers unfolded up to SMTP's hard limit: Python folds some subjects (quotes in a report's name) onto a
# continuation line that clients then show with a leading space.
WIRE = policy.SMTP.clone(max_line_length=998)
KEPT_OUTCOMES = 2000  # a run's summary lists at most this many deliveries


# -- SMTP --------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> SmtpSettings:
        from oltp.settings import get_settings

        s = get_settings()
        return cls(s.smtp_host, s.smtp_port, s.smtp_from, s.smtp_user, s.smtp_password)


class SmtpFailure(Exception):
    """The server refused the message or could not be reached; ``reply`` is its answer (or the connection error),
    ``permanent`` a 5xx reply that no retry will change."""

    def __init__(self, reply: str, permanent: bool, attempts: int = 1) -> None:
        super().__init__(reply)
        self.reply, self.permanent, self.attempts = reply, permanent, attempts


def _failure(error: BaseException) -> SmtpFailure:
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, text = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return SmtpFailure(f"{type(error).__name__}: {error}".strip(), permanent=False)
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return SmtpFailure(f"{code} {text}", permanent=500 <= code < 600)


class Mailer:
    """One SMTP connection, opened on first use, kept for the next message, dropped after an error."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp
        self._server: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        server = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout)
        server.ehlo()
        if self.smtp.user:
            if server.has_extn("starttls"):
                server.starttls()
                server.ehlo()
            server.login(self.smtp.user, self.smtp.password or "")
        self._server = server
        return server

    def send(self, mail: EmailMessage) -> str:
        """Send ``mail`` to its To addresses; returns the server's reply to the message (e.g. '250 OK')."""
        try:
            server = self._server or self._connect()
            code, reply = server.mail(mail["From"])
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, mail["From"])
            for recipient in [address.strip() for address in str(mail["To"]).split(",")]:
                code, reply = server.rcpt(recipient)
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
            code, reply = server.data(mail.as_bytes(policy=WIRE))
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
            return f"{code} {reply.decode(errors='replace')}"
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _failure(error) from error

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            try:
                server.quit()
            except (smtplib.SMTPException, OSError):
                server.close()


def send_with_retries(
    mailer: Mailer, mail: EmailMessage, *, retries: int, backoff: float, sleep: Callable[[float], Any]
) -> tuple[str, int]:
    """The server's reply and the attempts it took; a 5xx fails at once, anything else is tried ``retries`` more
    times, waiting ``backoff`` seconds and twice as long each time. Raises SmtpFailure with the attempts made."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return mailer.send(mail), attempt
        except SmtpFailure as failure:
            if failure.permanent or attempt > retries:
                failure.attempts = attempt
                raise
            log.warning("SMTP attempt %d failed (%s); retrying", attempt, failure.reply)
            sleep(backoff * 2 ** (attempt - 1))


# -- who reads ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Organization:
    id: int
    name: str
    currency: str
    timezone: str
    allowed_domains: tuple[str, ...]


class RecipientRefused(WarehouseError):
    """The address may not receive the organization's reports (any more); the message says why."""


def outside_viewer(organization: Organization, email: str) -> Viewer:
    """An outside recipient at an allowed domain reads as a viewer with reports.read only: no finance figures, no
    private custom reports, nothing of any user's own."""
    return Viewer(
        user_id=None,
        organization_id=organization.id,
        email=email,
        full_name=email,
        organization_name=organization.name,
        currency=organization.currency,
        timezone=organization.timezone,
        roles=(OUTSIDE_ROLE,),
        permissions=frozenset({REPORTS_READ}),
    )


def recipient_viewer(organization: Organization, email: str, is_user: bool, reader=None) -> Viewer:
    """Whom an email to ``email`` is read as: its user in the organization, or (no user there) an outside viewer
    when its domain is allowed. A user who may not sign in gets nothing, whatever the domain."""
    try:
        found = [v for v in viewers_for_email(email, reader) if v.organization_id == organization.id]
    except SignInRefused as refused:
        found, reason = [], str(refused)
    else:
        reason = f"{email} may not open {organization.name}'s dashboards"
    if found:
        return found[0]
    if is_user:
        raise RecipientRefused(reason)
    if email.rpartition("@")[2] in organization.allowed_domains:
        return outside_viewer(organization, email)
    raise RecipientRefused(
        f"{email} is not a user of {organization.name} and {email.rpartition('@')[2]} is no longer one of its allowed "
        "email domains"
    )


# -- the ledger --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivery:
    organization_id: int
    id: int
    scheduled_report_id: int
    kind: str
    scheduled_for: datetime
    period_start: date
    period_end: date
    recipient: str
    recipient_user_id: int | None
    status: str
    attempts: int
    message_id_header: str
    claim_token: str | None


DELIVERY_COLUMNS = ", ".join(Delivery.__dataclass_fields__)


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    organization_id: int
    schedule_id: int
    recipient: str
    scheduled_for: datetime
    status: str
    reason: str | None = None


@dataclass
class RunSummary:
    """What one run did, for the CLI, the Dagster run's metadata and the benchmark."""

    at: datetime
    planned: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    held: int = 0
    notices: int = 0
    seconds: float = 0.0
    render_seconds: float = 0.0
    rendered: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def render_seconds_per_email(self) -> float:
        return self.render_seconds / self.rendered if self.rendered else 0.0

    @property
    def sends_per_second(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.sent} sent, {self.failed} failed, {self.skipped} skipped, {self.held} held "
            f"({self.planned} recorded, {self.notices} owner notice(s)) in {self.seconds:.1f} s; "
            f"{self.render_seconds_per_email:.3f} s rendering per email, {self.sends_per_second:.1f} sends/s"
        )


def _sql(statement: str):
    from sqlalchemy import text

    return text(statement)


def _organization(row) -> Organization:
    domains = row["allowed_domains"] if isinstance(row["allowed_domains"], list) else []
    return Organization(
        row["organization_id"],
        row["organization_name"],
        row["currency"],
        row["organization_timezone"],
        tuple(str(d).lower() for d in domains),
    )


SCHEDULE_QUERY = f"""
    select {select_list("s")}, o.name as organization_name, o.currency, o.timezone as organization_timezone,
           o.settings -> 'allowed_email_domains' as allowed_domains, u.email as owner_email
    from app.scheduled_reports s
    join app.organizations o on o.id = s.organization_id
    left join app.users u on u.organization_id = s.organization_id and u.id = s.created_by_user_id
"""


# -- planning: what is due ---------------------------------------------------------------------------------------------
def plan_due(at: datetime, *, engine=None, reader=None) -> list[Outcome]:
    """Record the deliveries of every active schedule due at or before ``at`` and move each to its next occurrence.
    Of several missed occurrences, only the latest is sent; the older ones are recorded skipped with the reason.
    Safe to run twice or concurrently: schedules are locked (SKIP LOCKED) and the ledger is unique. Returns the
    deliveries recorded (pending, or skipped with their reason)."""
    from oltp.database import get_engine

    engine = engine or get_engine()
    recorded: list[Outcome] = []
    while True:
        with engine.begin() as conn:
            rows = (
                conn.execute(
                    _sql(
                        SCHEDULE_QUERY
                        + """ where s.is_active and s.deleted_at is null and s.next_run_at <= :at
                          order by s.next_run_at, s.organization_id, s.id limit :batch for update of s skip locked"""
                    ),
                    {"at": at, "batch": PLAN_BATCH},
                )
                .mappings()
                .all()
            )
            for row in rows:
                recorded += _plan_schedule(conn, from_row(row), _organization(row), row["owner_email"], at, reader)
        if len(rows) < PLAN_BATCH:
            return recorded


def _plan_schedule(
    conn, schedule: Schedule, organization: Organization, owner_email, at: datetime, reader
) -> list[Outcome]:
    try:
        due = occurrences(schedule, max(schedule.next_run_at, at - CATCH_UP), at)
        following = next_occurrence(schedule, at)
    except ScheduleError as error:  # a zone or cron expression that no longer parses: paused, loudly
        log.error("schedule #%s of organization %s paused: %s", schedule.id, organization.id, error)
        conn.execute(
            _sql(
                "update app.scheduled_reports set is_active = false, next_run_at = null "
                "where organization_id = :o and id = :i"
            ),
            {"o": organization.id, "i": schedule.id},
        )
        return []
    recorded = []
    if due:
        users = dict(
            conn.execute(
                _sql(
                    """select lower(email), id from app.users
                       where organization_id = :o and deleted_at is null and lower(email) = any(:emails)"""
                ),
                {"o": organization.id, "emails": list(schedule.recipients)},
            ).all()
        )
        latest = due[-1]
        status, reason = "pending", None
        if schedule.alert_condition is not None:
            status, reason, state = _alert(schedule, organization, owner_email, latest, reader)
            conn.execute(
                _sql("update app.scheduled_reports set alert_active = :state where organization_id = :o and id = :i"),
                {"state": state, "o": organization.id, "i": schedule.id},
            )
        missed = (
            f"missed: no scheduler ran at {{when}}; only the latest missed occurrence, "
            f"{_local(latest, schedule)}, is sent"
        )
        rows = []
        for occurrence in due:
            filters = report_filters(schedule, occurrence)
            for recipient in schedule.recipients:
                rows.append(
                    {
                        "o": organization.id,
                        "s": schedule.id,
                        "for": occurrence,
                        "start": filters.start,
                        "end": filters.end,
                        "recipient": recipient,
                        "user": users.get(recipient),
                        "status": status if occurrence == latest else "skipped",
                        "reason": reason if occurrence == latest else missed.format(when=_local(occurrence, schedule)),
                        "message_id": report_email.message_id(
                            "scheduled", organization.id, schedule.id, occurrence, recipient, _sender()
                        ),
                    }
                )
        insert = _sql(
            """insert into app.report_deliveries (organization_id, scheduled_report_id, kind, scheduled_for,
                   period_start, period_end, recipient, recipient_user_id, status, reason, next_attempt_at,
                   message_id_header)
               values (:o, :s, 'scheduled', :for, :start, :end, :recipient, :user, :status, :reason, :for, :message_id)
               on conflict on constraint uq_report_deliveries_once do nothing
               returning id, status"""
        )
        for row in rows:
            inserted = conn.execute(insert, row).first()
            if inserted is not None:
                recorded.append(
                    Outcome(
                        inserted.id,
                        organization.id,
                        schedule.id,
                        row["recipient"],
                        row["for"],
                        inserted.status,
                        row["reason"],
                    )
                )
    conn.execute(
        _sql("update app.scheduled_reports set next_run_at = :next where organization_id = :o and id = :i"),
        {"next": following, "o": organization.id, "i": schedule.id},
    )
    return recorded


def _alert(schedule: Schedule, organization: Organization, owner_email, occurrence: datetime, reader):
    """(status, reason, new state) of the deliveries of an alert's occurrence: sent only when the condition turns
    true; the value is read as the schedule's owner."""
    condition = schedule.alert_condition
    metric, op, threshold = condition["metric"], condition["op"], float(condition["threshold"])
    try:
        owner = recipient_viewer(organization, str(owner_email or ""), True, reader)
        value = alert_value(owner, schedule, occurrence, reader)
    except (RecipientRefused, SignInRefused) as refused:
        return "skipped", f"alert not checked: the owner cannot read the data ({refused})", schedule.alert_active
    if value is None:
        return "skipped", f"alert not checked: no value of {metric}", schedule.alert_active
    holds = value > threshold if op == "above" else value < threshold
    described = f"{metric} = {value:,.2f}, {op} {threshold:,.2f}"
    if not holds:
        return "skipped", f"alert condition not met ({metric} = {value:,.2f}, not {op} {threshold:,.2f})", False
    if schedule.alert_active:
        return "skipped", f"alert still holds ({described}); it was sent when it crossed", True
    return "pending", f"alert crossed: {described}", True


def alert_value(viewer: Viewer, schedule: Schedule, occurrence: datetime, reader=None) -> float | None:
    """The alert metric as ``viewer`` reads it: the period's total of a figure of the report, or the organization's
    current state."""
    from readside import figures

    metric = schedule.alert_condition["metric"]
    source = alert_metrics(schedule.report_type)[metric]
    if source == "mv_current_state":
        state = figures.current_state(viewer, engine=reader) or {}
        value = state.get(metric)
    else:
        filters = report_filters(schedule, occurrence)
        frame = figures.daily_figures(viewer, source, filters.start, filters.end, figures.TOTAL, engine=reader)
        value = None if frame.empty or metric not in frame else frame[metric].iloc[0]
    return None if value is None or value != value else float(value)


def _local(instant: datetime, schedule: Schedule) -> str:
    return f"{instant.astimezone(schedule.zone):%Y-%m-%d %H:%M} {schedule.timezone}"


def _sender() -> str:
    from oltp.settings import get_settings

    return get_settings().smtp_from


# -- sending -----------------------------------------------------------------------------------------------------------
@dataclass
class _Run:
    """What the workers of one run share."""

    at: datetime
    engine: Any
    reader: Any
    smtp: SmtpSettings
    lease: timedelta
    retries: int
    backoff: float
    sleep: Callable[[float], Any]
    refresh_status: Callable[[str], Any]
    after_send: Callable[[Delivery], Any] | None
    summary: RunSummary
    lock: threading.Lock = field(default_factory=threading.Lock)
    schedules: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)

    def count(self, outcome: Outcome, render_seconds: float | None = None) -> None:
        with self.lock:
            setattr(self.summary, outcome.status, getattr(self.summary, outcome.status) + 1)
            if render_seconds is not None:
                self.summary.render_seconds += render_seconds
                self.summary.rendered += 1
            if len(self.summary.outcomes) < KEPT_OUTCOMES:
                self.summary.outcomes.append(outcome)

    def status(self, relation: str):
        """The relation's last refresh and its checks, read once per run (Dagster's record of a run's checks is
        read from its whole event log: a thousand deliveries must not read it a thousand times). A refresh that ends
        during the run is seen by the next one, a minute later."""
        with self.lock:
            if relation in self.statuses:
                return self.statuses[relation]
        status = self.refresh_status(relation)
        with self.lock:
            return self.statuses.setdefault(relation, status)

    def schedule(self, organization_id: int, schedule_id: int):
        """The schedule, its organization and owner's email (read once per run)."""
        key = (organization_id, schedule_id)
        with self.lock:
            if key in self.schedules:
                return self.schedules[key]
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    _sql(SCHEDULE_QUERY + " where s.organization_id = :o and s.id = :i"),
                    {"o": organization_id, "i": schedule_id},
                )
                .mappings()
                .first()
            )
        found = (from_row(row), _organization(row), row["owner_email"]) if row else None
        with self.lock:
            self.schedules[key] = found
        return found


CLAIM = """
    update app.report_deliveries d
    set status = 'claimed', claimed_at = now(), claim_token = :token
    from (
        select organization_id, id from app.report_deliveries
        where (status in ('pending', 'held') and next_attempt_at <= :at)
           or (status = 'claimed' and claimed_at < now() - :lease)
        order by next_attempt_at, organization_id, id
        limit 1
        for update skip locked
    ) next
    where d.organization_id = next.organization_id and d.id = next.id
    returning {columns}
"""


def _claim_next(run: _Run) -> Delivery | None:
    token = str(uuid.uuid4())
    with run.engine.begin() as conn:
        row = (
            conn.execute(
                _sql(CLAIM.format(columns=", ".join(f"d.{c}" for c in Delivery.__dataclass_fields__))),
                {"token": token, "at": run.at, "lease": run.lease},
            )
            .mappings()
            .first()
        )
    return Delivery(**row) if row else None


def _finish(run: _Run, delivery: Delivery, status: str, reason: str | None, **values) -> Outcome:
    """Leave the claim for ``status`` (nothing changes when another run took it over after the lease ran out)."""
    assignments = "".join(f", {name} = :{name}" for name in values)
    with run.engine.begin() as conn:
        changed = conn.execute(
            _sql(
                f"""update app.report_deliveries set status = :status, reason = :reason, claim_token = null
                    {assignments}
                    where organization_id = :o and id = :i and claim_token = :token"""
            ),
            {
                "status": status,
                "reason": reason,
                "o": delivery.organization_id,
                "i": delivery.id,
                "token": delivery.claim_token,
                **values,
            },
        ).rowcount
    if not changed:
        log.warning("delivery #%s was taken over by another run before it was marked %s", delivery.id, status)
    return Outcome(
        delivery.id,
        delivery.organization_id,
        delivery.scheduled_report_id,
        delivery.recipient,
        delivery.scheduled_for,
        status,
        reason,
    )


def _still_mine(run: _Run, delivery: Delivery) -> bool:
    """Renew the claim just before sending; False when another run took it over meanwhile (it sends instead)."""
    with run.engine.begin() as conn:
        return bool(
            conn.execute(
                _sql(
                    """update app.report_deliveries set claimed_at = now()
                       where organization_id = :o and id = :i and claim_token = :token"""
                ),
                {"o": delivery.organization_id, "i": delivery.id, "token": delivery.claim_token},
            ).rowcount
        )


def _record_sent(run: _Run, delivery: Delivery, reply: str, attempts: int, *, as_of, checks: str, late: bool) -> bool:
    """Mark the delivery sent and write its audit row, in one transaction; False when the claim was lost."""
    with run.engine.begin() as conn:
        changed = conn.execute(
            _sql(
                """update app.report_deliveries
                   set status = 'sent', sent_at = now(), smtp_response = :reply, attempts = attempts + :attempts,
                       reason = null, claim_token = null, data_as_of = :as_of, checks = :checks, late = :late
                   where organization_id = :o and id = :i and claim_token = :token"""
            ),
            {
                "reply": reply,
                "attempts": attempts,
                "as_of": as_of,
                "checks": checks,
                "late": late,
                "o": delivery.organization_id,
                "i": delivery.id,
                "token": delivery.claim_token,
            },
        ).rowcount
        if not changed:
            return False
        _audit(
            conn,
            delivery.organization_id,
            "report_deliveries",
            delivery.id,
            {
                "schedule_id": delivery.scheduled_report_id,
                "kind": delivery.kind,
                "recipient": delivery.recipient,
                "scheduled_for": delivery.scheduled_for,
                "period": [delivery.period_start, delivery.period_end],
                "message_id": delivery.message_id_header,
                "smtp_response": reply,
                "late": late,
            },
        )
        conn.execute(
            _sql("update app.scheduled_reports set last_sent_at = now() where organization_id = :o and id = :i"),
            {"o": delivery.organization_id, "i": delivery.scheduled_report_id},
        )
    return True


def _audit(conn, organization_id: int, table: str, row_pk: int, values: dict) -> None:
    """An email_sent row of audit_logs, written by the scheduler (user_id NULL: the system)."""
    conn.execute(
        _sql(
            """insert into app.audit_logs (organization_id, user_id, action, table_name, row_pk, new_values)
               values (:o, null, 'email_sent', :table, :pk, cast(:values as jsonb))"""
        ),
        {"o": organization_id, "table": table, "pk": row_pk, "values": json.dumps(values, default=str)},
    )


def _deliver(run: _Run, mailer: Mailer, delivery: Delivery) -> None:
    from readside import figures

    found = run.schedule(delivery.organization_id, delivery.scheduled_report_id)
    if found is None or (delivery.kind == "scheduled" and not found[0].is_active):
        run.count(_finish(run, delivery, "skipped", "the schedule was paused or deleted before it was sent"))
        return
    schedule, organization, _ = found
    try:
        is_user = delivery.recipient_user_id is not None or _user_id(run.engine, organization, delivery.recipient)
        viewer = recipient_viewer(organization, delivery.recipient, bool(is_user), run.reader)
    except RecipientRefused as refused:
        run.count(_finish(run, delivery, "failed", str(refused)))
        return
    filters = replace(
        report_filters(schedule, delivery.scheduled_for), start=delivery.period_start, end=delivery.period_end
    )
    relation = REPORT_TYPES[schedule.report_type].relation
    state = figures.current_state(viewer, engine=run.reader)
    status = run.status(relation)
    as_of_date, as_of_at = (state["as_of_date"], state["as_of_at"]) if state else (None, None)
    ready = as_of_date is not None and as_of_date >= delivery.period_end and status.ok
    late = None
    if not ready and delivery.kind == "scheduled":
        waited = (
            f"data through {delivery.period_end} with passing checks (data as of {as_of_date or 'never'}; "
            f"last refresh: {status.summary()})"
        )
        deadline = delivery.scheduled_for + timedelta(minutes=schedule.grace_minutes)
        if run.at < deadline:
            run.count(
                _finish(
                    run, delivery, "held", f"waiting for {waited}", next_attempt_at=min(run.at + HOLD_RECHECK, deadline)
                )
            )
            return
        late = (
            f"Sent late: this report waited {schedule.grace_minutes} minutes for {waited}. The figures are what the "
            "warehouse held when it was sent."
        )
    started = time.perf_counter()
    try:
        report = report_email.render(
            viewer,
            schedule,
            filters,
            as_of_at=as_of_at,
            status=status,
            late=late,
            test=delivery.kind == "test",
            engine=run.reader,
        )
    except (ScheduleError, WarehouseError) as error:
        run.count(_finish(run, delivery, "failed", f"could not be rendered: {error}"))
        return
    render_seconds = time.perf_counter() - started
    if report.empty and schedule.skip_when_empty and delivery.kind == "scheduled":
        reason = f"no data for {report.period}, and the schedule skips empty reports"
        run.count(_finish(run, delivery, "skipped", reason), render_seconds)
        return
    mail = report_email.message(
        report,
        to=delivery.recipient,
        sender=run.smtp.sender,
        message_id=delivery.message_id_header,
        format="both" if schedule.format == "pdf" else schedule.format,
    )
    if not _still_mine(run, delivery):
        return
    try:
        reply, attempts = send_with_retries(mailer, mail, retries=run.retries, backoff=run.backoff, sleep=run.sleep)
    except SmtpFailure as failure:
        run.count(
            _finish(run, delivery, "failed", failure.reply, attempts=delivery.attempts + failure.attempts),
            render_seconds,
        )
        return
    if _record_sent(run, delivery, reply, attempts, as_of=as_of_at, checks=status.summary(), late=late is not None):
        run.count(
            Outcome(
                delivery.id,
                delivery.organization_id,
                delivery.scheduled_report_id,
                delivery.recipient,
                delivery.scheduled_for,
                "sent",
                reply,
            ),
            render_seconds,
        )
        if run.after_send is not None:
            run.after_send(delivery)


def _user_id(engine, organization: Organization, email: str) -> int | None:
    """The organization's user with this address (a test asked for from the dashboards does not know it)."""
    with engine.connect() as conn:
        return conn.execute(
            _sql("select id from app.users where organization_id = :o and lower(email) = :e and deleted_at is null"),
            {"o": organization.id, "e": email},
        ).scalar()


def _work(run: _Run, errors: list) -> None:
    mailer = Mailer(run.smtp)
    try:
        while (delivery := _claim_next(run)) is not None:
            _deliver(run, mailer, delivery)
    except BaseException as error:  # handed to run_due, which raises it once every worker stopped
        errors.append(error)
    finally:
        mailer.close()


# -- owners are told ---------------------------------------------------------------------------------------------------
def notify_owners(engine, smtp: SmtpSettings, *, retries: int, backoff: float, sleep) -> int:
    """Email each schedule's owner about its deliveries that failed (and ALERT_EMAIL) or went out late, once each;
    returns the notices sent. A notice that cannot be sent is tried again by the next run."""
    from oltp.settings import get_settings

    with engine.begin() as conn:
        rows = (
            conn.execute(
                _sql(
                    """update app.report_deliveries set owner_notified_at = now()
                   where kind = 'scheduled' and owner_notified_at is null
                     and (status = 'failed' or (status = 'sent' and late))
                   returning organization_id, id, scheduled_report_id, scheduled_for, recipient, status, reason,
                             attempts"""
                )
            )
            .mappings()
            .all()
        )
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row["organization_id"], row["scheduled_report_id"], row["status"]), []).append(row)
    mailer, sent = Mailer(smtp), 0
    try:
        for (organization_id, schedule_id, status), items in sorted(groups.items()):
            with engine.connect() as conn:
                row = (
                    conn.execute(
                        _sql(SCHEDULE_QUERY + " where s.organization_id = :o and s.id = :i"),
                        {"o": organization_id, "i": schedule_id},
                    )
                    .mappings()
                    .one()
                )
            addresses = (row["owner_email"], get_settings().alert_email if status == "failed" else None)
            to = [address for address in addresses if address]
            subject, body = _notice_text(from_row(row), row["organization_name"], status, items)
            mail = report_email.notice(to=to, sender=smtp.sender, subject=subject, body=body)
            ids = [item["id"] for item in items]
            try:
                send_with_retries(mailer, mail, retries=retries, backoff=backoff, sleep=sleep)
            except SmtpFailure as failure:
                log.error("notice on schedule #%s not sent (%s); the next run tries again", schedule_id, failure.reply)
                with engine.begin() as conn:
                    conn.execute(
                        _sql(
                            """update app.report_deliveries set owner_notified_at = null
                               where organization_id = :o and id = any(:ids)"""
                        ),
                        {"o": organization_id, "ids": ids},
                    )
                continue
            sent += 1
            with engine.begin() as conn:
                notice = {"notice": status, "to": to, "deliveries": ids, "message_id": mail["Message-ID"]}
                _audit(conn, organization_id, "scheduled_reports", schedule_id, notice)
    finally:
        mailer.close()
    return sent


def _notice_text(schedule: Schedule, organization_name: str, status: str, items) -> tuple[str, str]:
    which = f"The scheduled report '{schedule.name}' (#{schedule.id}, {organization_name})"
    when = f"Occurrence: {', '.join(sorted({_local(item['scheduled_for'], schedule) for item in items}))}"
    if status == "failed":
        subject = f"[warehouse] scheduled report '{schedule.name}' failed for {len(items)} recipient(s)"
        lines = [f"{which} could not be delivered.", when, ""]
        lines += [
            f"  - {item['recipient']} (delivery #{item['id']}, {item['attempts']} attempt(s)): {item['reason']}"
            for item in items
        ]
        lines += [
            "",
            "Nothing was recorded as sent for these recipients. Fix the cause (the address, the SMTP server) and send",
            "it again from the Schedules page (Send test), or wait for the next occurrence.",
        ]
    else:
        subject = f"[warehouse] scheduled report '{schedule.name}' went out late"
        lines = [
            f"{which} went out past its grace time of {schedule.grace_minutes} minutes, without its period's data",
            "or with failed checks.",
            when,
            "",
        ]
        lines += [f"  - {item['recipient']} (delivery #{item['id']})" for item in items]
        lines += ["", "Each email says so and carries the data-as-of time and check status it was sent with."]
    return subject, "\n".join(lines) + "\n"


def due_work(at: datetime, *, engine=None, lease: timedelta = LEASE) -> tuple[int, int]:
    """How many schedules are due and how many deliveries wait at ``at``: what the sensor asks before a run."""
    from oltp.database import get_engine

    with (engine or get_engine()).connect() as conn:
        return tuple(
            conn.execute(
                _sql(
                    """select (select count(*) from app.scheduled_reports
                               where is_active and deleted_at is null and next_run_at <= :at),
                              (select count(*) from app.report_deliveries
                               where (status in ('pending', 'held') and next_attempt_at <= :at)
                                  or (status = 'claimed' and claimed_at < now() - :lease))"""
                ),
                {"at": at, "lease": lease},
            ).one()
        )


# -- one run -----------------------------------------------------------------------------------------------------------
def run_due(
    at: datetime | None = None,
    *,
    engine=None,
    reader=None,
    smtp: SmtpSettings | None = None,
    workers: int = 4,
    lease: timedelta = LEASE,
    retries: int = RETRIES,
    backoff: float = BACKOFF_SECONDS,
    sleep: Callable[[float], Any] = time.sleep,
    refresh_status: Callable[[str], Any] | None = None,
    after_send: Callable[[Delivery], Any] | None = None,
) -> RunSummary:
    """Everything due at ``at`` (default now): record what is due, send every pending, held-and-now-ready or
    abandoned delivery on ``workers`` threads (each with its own SMTP connection; memory stays bounded, one email
    per thread at a time), then tell owners of failures and late reports. ``refresh_status`` (relation ->
    RefreshStatus) defaults to Dagster's record; ``after_send`` is called after each delivery is recorded sent."""
    from oltp.database import get_engine
    from readside.database import reader_engine
    from readside.freshness import refresh_status as dagster_status

    at = (at or datetime.now(UTC)).astimezone(UTC)
    started = time.perf_counter()
    engine = engine or get_engine()
    run = _Run(
        at=at,
        engine=engine,
        reader=reader or reader_engine(),
        smtp=smtp or SmtpSettings.from_settings(),
        lease=lease,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        refresh_status=refresh_status or dagster_status,
        after_send=after_send,
        summary=RunSummary(at),
    )
    recorded = plan_due(at, engine=engine, reader=run.reader)
    run.summary.planned = len(recorded)
    for outcome in recorded:
        if outcome.status == "skipped":
            run.count(outcome)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_work, args=(run, errors), name=f"reports-{i}") for i in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    run.summary.notices = notify_owners(engine, run.smtp, retries=retries, backoff=backoff, sleep=sleep)
    run.summary.seconds = time.perf_counter() - started
    return run.summary


def send_now(
    schedule_id: int,
    to: str,
    *,
    organization_id: int | None = None,
    at: datetime | None = None,
    engine=None,
    reader=None,
    smtp: SmtpSettings | None = None,
    retries: int = RETRIES,
    backoff: float = BACKOFF_SECONDS,
    sleep: Callable[[float], Any] = time.sleep,
    refresh_status: Callable[[str], Any] | None = None,
) -> Outcome:
    """Send schedule ``schedule_id``'s report to ``to`` now, read as ``to`` (a test from the dashboards or the CLI):
    recorded in the ledger as a test delivery, not waiting for fresh data, stamped with the data it has. Raises
    ScheduleError for an unknown schedule or a recipient the organization does not allow."""
    from oltp.database import get_engine
    from readside.database import reader_engine
    from readside.freshness import refresh_status as dagster_status

    at = (at or datetime.now(UTC)).astimezone(UTC)
    engine = engine or get_engine()
    to = to.strip().lower()
    with engine.connect() as conn:
        row = (
            conn.execute(
                _sql(
                    SCHEDULE_QUERY
                    + " where s.id = :i and s.deleted_at is null"
                    + (" and s.organization_id = :o" if organization_id is not None else "")
                ),
                {"i": schedule_id, "o": organization_id},
            )
            .mappings()
            .first()
        )
        if row is None:
            raise ScheduleError(f"there is no schedule #{schedule_id}; `warehouse reports list` shows them")
    schedule, organization = from_row(row), _organization(row)
    user = _user_id(engine, organization, to)
    run = _Run(
        at=at,
        engine=engine,
        reader=reader or reader_engine(),
        smtp=smtp or SmtpSettings.from_settings(),
        lease=LEASE,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
        refresh_status=refresh_status or dagster_status,
        after_send=None,
        summary=RunSummary(at),
    )
    try:
        recipient_viewer(organization, to, user is not None, run.reader)
    except RecipientRefused as refused:
        raise ScheduleError(str(refused)) from None
    filters = report_filters(schedule, at)
    token = str(uuid.uuid4())
    with engine.begin() as conn:
        delivery = Delivery(
            **conn.execute(
                _sql(f"""insert into app.report_deliveries (organization_id, scheduled_report_id, kind, scheduled_for,
                         period_start, period_end, recipient, recipient_user_id, status, next_attempt_at, claimed_at,
                         claim_token, message_id_header)
                     values (:o, :s, 'test', :at, :start, :end, :to, :user, 'claimed', :at, now(), :token, :mid)
                     returning {DELIVERY_COLUMNS}"""),
                {
                    "o": organization.id,
                    "s": schedule.id,
                    "at": at,
                    "start": filters.start,
                    "end": filters.end,
                    "to": to,
                    "user": user,
                    "token": token,
                    "mid": report_email.message_id("test", organization.id, schedule.id, at, to, run.smtp.sender),
                },
            )
            .mappings()
            .one()
        )
    mailer = Mailer(run.smtp)
    try:
        _deliver(run, mailer, delivery)
    finally:
        mailer.close()
    return (
        run.summary.outcomes[-1]
        if run.summary.outcomes
        else Outcome(delivery.id, delivery.organization_id, schedule.id, to, at, "failed", "taken over by another run")
    )


def request_test(viewer: Viewer, schedule_id: int, to: str, *, now: datetime | None = None, engine=None) -> int:
    """The dashboards' "send test": a pending test delivery of the organization's schedule ``schedule_id`` to ``to``,
    added as the viewer (row-level security; the dashboards hold no other credentials). The scheduler's next run
    (the sensor, within a minute) sends it, read as ``to``, and the delivery log shows how it went. Needs
    schedules.write; returns the delivery's id."""
    from oltp.settings import get_settings
    from readside.access import SCHEDULES_WRITE
    from readside.database import scoped
    from readside.schedules import EMAIL, get_schedule

    viewer.require(SCHEDULES_WRITE)
    schedule = get_schedule(viewer, schedule_id, engine)
    if schedule is None:
        raise ScheduleError(f"there is no schedule #{schedule_id} in {viewer.organization_name}")
    to = (to or "").strip().lower()
    if not EMAIL.match(to):
        raise ScheduleError(f"{to!r} is not an email address")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    filters = report_filters(schedule, now)
    mid = report_email.message_id("test", viewer.organization_id, schedule.id, now, to, get_settings().smtp_from)
    with scoped(viewer.scope, engine) as conn:
        return conn.execute(
            _sql(
                """insert into app.report_deliveries (organization_id, scheduled_report_id, kind, scheduled_for,
                       period_start, period_end, recipient, status, next_attempt_at, message_id_header)
                   values (:o, :s, 'test', :at, :start, :end, :to, 'pending', :at, :mid) returning id"""
            ),
            {"o": viewer.organization_id, "s": schedule.id, "at": now, "start": filters.start, "end": filters.end,
             "to": to, "mid": mid},
        ).scalar_one()  # fmt: skip
