"""Scheduled reports at scale: N deliveries due in the same minute (every organization's schedules at 08:00 in
Berlin, each to up to ten of its people), sent by `readside.delivery.run_due` on four workers to a real SMTP server
(aiosmtpd on loopback, in a process of its own), as the Dagster sensor's run sends them.

What it reports: the run's wall time, rendering per email, sends per second, what the server received (every
Message-ID once), what the ledger recorded, and this process's memory after 10 % and after all of the sends (a
flat line: one email per worker in memory at a time).

Run by `warehouse bench` with DATABASE_URL set to the bench database (its schedules are paused first, and the
bench's own are added); `python -m benchmarks.deliveries N` prints JSON.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import resource
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Berlin")
NAME = "Bench: 08:00 in Berlin"
REPORT_TYPES = ("daily_metrics", "pipeline", "jobs", "warranty", "current_state", "targets")
RECIPIENTS_PER_SCHEDULE = 10
WORKERS = 4


def _sink(port: int, ready, results) -> None:
    """An SMTP server that keeps only what proves exactly once: each message's Message-ID and its size."""
    from aiosmtpd.controller import Controller

    seen: dict[str, int] = {}

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            head = envelope.content.split(b"\r\n\r\n", 1)[0]
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    key = line.split(b":", 1)[1].strip().decode()
                    seen[key] = seen.get(key, 0) + 1
                    break
            seen["\0bytes"] = seen.get("\0bytes", 0) + len(envelope.content)
            return "250 2.0.0 Ok: queued"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.send(True)
    ready.recv()  # the run is over
    controller.stop()
    total_bytes = seen.pop("\0bytes", 0)
    results.send({"messages": sum(seen.values()), "message_ids": len(seen), "bytes": total_bytes})


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def recipients_by_organization(url: str) -> dict[int, tuple[int, list[str]]]:
    """Per organization: an owner who may write schedules, and the people who may read reports (the sign-in's own
    check, `readside.access.viewers_for_email`)."""
    import psycopg

    from oltp.database import libpq_url
    from readside.access import REPORTS_READ, SignInRefused, viewers_for_email

    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            """select organization_id, email from (
                   select organization_id, email, row_number() over (partition by organization_id order by id) n
                   from app.users where status = 'active' and deleted_at is null
               ) u where n <= 40 order by organization_id, n"""
        ).fetchall()
    found: dict[int, tuple[int, list[str]]] = {}
    owners: dict[int, object] = {}
    for organization_id, email in rows:
        try:
            viewer = next(v for v in viewers_for_email(email) if v.organization_id == organization_id)
        except (SignInRefused, StopIteration):
            continue
        if REPORTS_READ not in viewer.permissions:
            continue
        if "schedules.write" in viewer.permissions and organization_id not in owners:
            owners[organization_id] = viewer
        found.setdefault(organization_id, (0, []))[1].append(viewer.email)
    return {o: (owners[o], emails) for o, (_, emails) in found.items() if o in owners}


def prepare(url: str, deliveries: int) -> datetime:
    """Pause the database's schedules and add the bench's: ``deliveries`` recipients in all, due at one instant (08:00
    in Berlin on the day after the data's last day, so every report's period is built); returns that instant."""
    import psycopg

    from oltp.database import libpq_url
    from readside.schedules import Schedule, save_schedule

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        # an earlier bench run's schedules go; the database's own are paused, and what they left pending is skipped
        conn.execute(
            """delete from app.report_deliveries d using app.scheduled_reports s
               where s.organization_id = d.organization_id and s.id = d.scheduled_report_id and s.name like %s""",
            (NAME + "%",),
        )
        conn.execute("delete from app.scheduled_reports where name like %s", (NAME + "%",))
        conn.execute("update app.scheduled_reports set is_active = false, next_run_at = null where is_active")
        conn.execute(
            "update app.report_deliveries set status = 'skipped', claim_token = null, reason = 'paused for a bench' "
            "where status in ('pending', 'claimed', 'held')"
        )
        as_of = conn.execute("select min(as_of_date) from reporting.mv_current_state").fetchone()[0]
    due = datetime.combine(as_of + timedelta(days=1), clock(8, 0), ZONE)
    people = recipients_by_organization(url)
    if not people:
        raise SystemExit("no organization has a user who may write schedules and users who may read reports")
    per_organization = math.ceil(deliveries / len(people))
    left = deliveries
    for organization_id, (owner, emails) in sorted(people.items()):
        wanted = min(per_organization, left)
        n = 0
        while wanted > 0:
            count = min(RECIPIENTS_PER_SCHEDULE, len(emails), wanted)
            start = (n * count) % len(emails)
            recipients = tuple((emails + emails)[start : start + count])
            kind = REPORT_TYPES[n % len(REPORT_TYPES)]
            schedule = Schedule(organization_id, f"{NAME} {n + 1}", kind, recipients, "Europe/Berlin", "daily",
                                clock(8, 0), format="both", skip_when_empty=False)  # fmt: skip
            save_schedule(owner, schedule, now=due - timedelta(hours=1))
            wanted -= count
            left -= count
            n += 1
    if left:
        raise SystemExit(f"{left} of {deliveries} deliveries found no recipient")
    return due


def refresh_status():
    """Dagster's record of the last refresh, as the sensor's run reads it; when this instance has none (a bench
    run without the Dagster steps), a passing refresh, so that the gate does not hold what this measures."""
    from datetime import UTC

    from readside.freshness import RefreshStatus, asset_url
    from readside.freshness import refresh_status as dagster_status

    recorded = {"used": "Dagster's record"}

    def status(relation: str) -> RefreshStatus:
        found = dagster_status(relation)
        if found.refreshed_at is not None:
            return found
        recorded["used"] = "none recorded in Dagster: taken as passing"
        return RefreshStatus(relation, datetime.now(UTC), 1, (), (), asset_url(relation))

    return status, recorded


def measure(url: str, deliveries: int) -> dict:
    port = _free_port()
    ready, ready_child = multiprocessing.Pipe()
    results, results_child = multiprocessing.Pipe()
    sink = multiprocessing.get_context("spawn").Process(target=_sink, args=(port, ready_child, results_child))
    sink.start()
    ready.recv()
    try:
        from readside.delivery import SmtpSettings, run_due

        due = prepare(url, deliveries)
        status, used = refresh_status()
        memory = {"before_mb": round(_rss_mb(), 1)}
        sent = [0]

        def after_send(_delivery) -> None:
            sent[0] += 1
            if sent[0] == max(1, deliveries // 10):
                memory["after_10pct_mb"] = round(_rss_mb(), 1)

        started = time.perf_counter()
        summary = run_due(due, smtp=SmtpSettings("127.0.0.1", port, "reports@warehouse.example"), workers=WORKERS,
                          refresh_status=status, after_send=after_send)  # fmt: skip
        seconds = time.perf_counter() - started
        memory["after_all_mb"] = round(_rss_mb(), 1)
    finally:
        ready.send(True)
        received = results.recv() if sink.is_alive() else {}
        sink.join(10)
    import psycopg

    from oltp.database import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        ledger = dict(
            conn.execute(
                """select status, count(*) from app.report_deliveries d
                   join app.scheduled_reports s on s.organization_id = d.organization_id
                       and s.id = d.scheduled_report_id
                   where s.name like %s group by 1""",
                (NAME + "%",),
            ).fetchall()
        )
        organizations = conn.execute(
            "select count(distinct organization_id) from app.scheduled_reports where name like %s", (NAME + "%",)
        ).fetchone()[0]
    return {
        "due_at": due.isoformat(),
        "deliveries": deliveries,
        "organizations": organizations,
        "workers": WORKERS,
        "seconds": round(seconds, 1),
        "sent": summary.sent,
        "failed": summary.failed,
        "held": summary.held,
        "skipped": summary.skipped,
        "render_ms_per_email": round(summary.render_seconds_per_email * 1000, 1),
        "sends_per_second": round(summary.sent / seconds, 1) if seconds else 0.0,
        "received": received,
        "ledger": ledger,
        "freshness": used["used"],
        "memory": memory,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    from oltp.database import database_url

    print(json.dumps(measure(database_url(), int(sys.argv[1]) if len(sys.argv) > 1 else 1000)))
