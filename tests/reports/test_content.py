"""What each recipient gets: the numbers that recipient's dashboards show (read as the recipient, finance figures left
out with a line saying so for a role that may not see them), a MIME message mail clients render (text and HTML, an
inline PNG chart, a CSV whose rows equal the SQL), and alerts that fire once per crossing."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from readside.delivery import run_due
from readside.schedules import ScheduleError
from tests.reports.conftest import PARTNER_DOMAIN, deliveries, make_schedule, refreshed, viewer_of

NOW = datetime(2026, 11, 20, 14, tzinfo=UTC)  # 09:00 in New York
FIRST = datetime(2026, 11, 21, 13, tzinfo=UTC)  # the first daily 08:00 after it
START, END = date(2026, 11, 14), date(2026, 11, 20)  # the 7 days before 2026-11-21
ARTIFACTS = Path("/tmp/report-artifacts")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]  # fmt: skip
OUTSIDE = f"auditor@{PARTNER_DOMAIN}"


def run(at, smtp, **options):
    return run_due(at, smtp=smtp.settings, refresh_status=refreshed, backoff=0.01, **options)


def money(value) -> str:
    return f"{Decimal(value):,.2f}"


def csv_rows(text: str) -> tuple[list[str], list[dict]]:
    header = [line for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return header, list(csv.DictReader(io.StringIO(body)))


def attachment(message, filename_end: str = ".csv") -> str:
    part = next(p for p in message.iter_attachments() if (p.get_filename() or "").endswith(filename_end))
    return part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode()


@pytest.fixture(scope="module")
def sent(reports_url, people):
    """One weekly-range report of Sales and billing to a finance user, a sales user and an outside auditor of
    organization A, sent once for the whole module."""
    from tests.conftest import free_port
    from tests.reports.conftest import SmtpServer

    server = SmtpServer(free_port())
    server.start()
    try:
        owner = people[(0, "analyst")]
        recipients = (people[(0, "finance")].email, people[(0, "sales")].email, OUTSIDE)
        schedule_id = make_schedule(owner, NOW, recipients=recipients, format="both")
        summary = run(FIRST, server)
        with psycopg.connect(reports_url, autocommit=True) as conn:
            conn.execute("update app.scheduled_reports set is_active = false where id = %s", (schedule_id,))
        yield {"server": server, "summary": summary, "schedule_id": schedule_id, "owner": owner}
    finally:
        server.stop()


def email_to(sent, address: str):
    [message] = sent["server"].to(address)
    return message


def sql_totals(db, organization_id: int) -> dict:
    return dict(
        zip(
            ("orders", "booked_value", "revenue", "gross_margin", "cash_collected", "receivables_outstanding"),
            db.execute(
                """select sum(orders), sum(booked_value), sum(revenue), sum(gross_margin), sum(cash_collected),
                          sum(receivables_outstanding) filter (where metric_date = %s)
                   from reporting.mv_daily_metrics where organization_id = %s and metric_date between %s and %s""",
                (END, organization_id, START, END),
            ).fetchone(),
            strict=True,
        )
    )


def test_each_recipient_gets_the_numbers_its_own_dashboards_show(sent, db, people):
    from readside import figures

    assert sent["summary"].sent == 3
    finance, sales = people[(0, "finance")], people[(0, "sales")]
    totals = sql_totals(db, finance.organization_id)
    for person in (finance, sales):
        text = email_to(sent, person.email).get_body(("plain",)).get_content()
        viewer = viewer_of(person)
        frame = figures.daily_figures(viewer, "mv_daily_metrics", START, END, figures.TOTAL)
        for figure in figures.visible_figures("mv_daily_metrics", viewer):
            unit = figures.unit("mv_daily_metrics", figure.column)
            label = f"{figure.label} (USD)" if unit.startswith("money") else figure.label
            assert f"{label}: {figures.formatted(frame[figure.column].iloc[0], unit)}" in text, (person.role, label)
        assert f"Orders: {totals['orders']:,}" in text
        assert f"Booked value (USD): {money(totals['booked_value'])}" in text
    finance_text = email_to(sent, finance.email).get_body(("plain",)).get_content()
    assert f"Revenue (USD): {money(totals['revenue'])}" in finance_text
    assert f"Receivables outstanding (USD): {money(totals['receivables_outstanding'])}" in finance_text
    assert "left out" not in finance_text


def test_a_sales_user_and_an_outside_auditor_get_the_report_without_finance_figures_and_a_line_saying_so(sent, people):
    left_out = ("Finance figures (Invoices issued, Revenue, Gross margin, Cash collected, Receivables outstanding, "
                "Receivables overdue) are left out: your role ({role}) may not see finance figures (revenue, margin, "
                "cash collected, receivables).")  # fmt: skip
    for address, role in ((people[(0, "sales")].email, "sales"), (OUTSIDE, "outside recipient")):
        message = email_to(sent, address)
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert left_out.format(role=role) in text
        assert "Revenue" not in text.replace(left_out.format(role=role), "")
        assert "Orders: " in text
        header, rows = csv_rows(attachment(message))
        assert set(rows[0]) == {"period", "orders", "booked_value", "average_order_value", "new_customers"}
        assert not any("revenue" in line for line in header)
        assert "Gross margin" not in html.replace("Gross margin, Cash", "")


def test_an_address_of_another_organization_is_refused_when_saved_and_nothing_is_stored(db, people):
    owner, stranger = people[(0, "analyst")], people[(1, "analyst")]
    before = db.execute("select count(*) from app.scheduled_reports").fetchone()[0]
    with pytest.raises(ScheduleError) as refused:
        make_schedule(owner, NOW, recipients=(owner.email, stranger.email))
    domain = stranger.email.rpartition("@")[2]
    assert str(refused.value) == (
        f"recipient {stranger.email} is not a user of {owner.organization_name}, and {domain} is not one of its "
        f"allowed email domains ({PARTNER_DOMAIN}); add the domain to the organization's allowed_email_domains "
        "setting, or invite the person as a user"
    )
    assert db.execute("select count(*) from app.scheduled_reports").fetchone()[0] == before
    # The same address is fine for its own organization.
    make_schedule(stranger, NOW, recipients=(stranger.email,))


def test_the_csv_carries_the_filters_and_definitions_and_its_rows_equal_the_sql(sent, db, people):
    finance = people[(0, "finance")]
    message = email_to(sent, finance.email)
    header, rows = csv_rows(attachment(message))
    assert header[0] == f"# Sales and billing - {finance.organization_name}"
    assert header[1].startswith("# data as of 2026-12-0") and header[1].endswith("(America/New_York)")
    assert header[2:7] == ["# filter start: 2026-11-14", "# filter end: 2026-11-20", "# filter grain: day",
                           "# filter compare: previous", "# filter currency: USD"]  # fmt: skip
    assert any(line.startswith("# revenue: Revenue net of credit notes") for line in header)
    expected = db.execute(
        """select metric_date, orders, booked_value, revenue, cash_collected, receivables_outstanding
           from reporting.mv_daily_metrics where organization_id = %s and metric_date between %s and %s
           order by metric_date""",
        (finance.organization_id, START, END),
    ).fetchall()
    got = [
        (date.fromisoformat(row["period"]), int(float(row["orders"])), Decimal(row["booked_value"]),
         Decimal(row["revenue"]), Decimal(row["cash_collected"]), Decimal(row["receivables_outstanding"]))
        for row in rows
    ]  # fmt: skip
    assert got == [tuple(row) for row in expected]


@pytest.mark.slow
def test_the_email_is_text_and_html_with_an_inline_chart_and_renders_in_a_browser(sent, people):
    from PIL import Image

    finance = people[(0, "finance")]
    message = email_to(sent, finance.email)
    assert str(message["Subject"]) == "Sales and billing: 2026-11-14 to 2026-11-20"
    assert message["Message-ID"] == deliveries_of(sent, finance.email)["message_id_header"]
    kinds = [part.get_content_type() for part in message.walk()]
    assert kinds == ["multipart/mixed", "multipart/alternative", "text/plain", "multipart/related", "text/html",
                     "image/png", "text/csv"]  # fmt: skip
    image = next(part for part in message.walk() if part.get_content_type() == "image/png")
    assert image["Content-ID"] == "<chart>"
    png = image.get_content()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    assert picture.width >= 600 and picture.height >= 300
    assert len(picture.getcolors(maxcolors=1_000_000)) > 20  # lines, labels and a legend, not a blank canvas
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    link = "/sales?start=2026-11-14&amp;end=2026-11-20&amp;grain=day&amp;compare=previous"
    assert 'src="cid:chart"' in html and link in html and "Open in the dashboards" in html
    assert "Last refresh: 4 of 4 checks passed" in text and "Data as of 2026-12-0" in text
    assert "/sales?start=2026-11-14&end=2026-11-20&grain=day&compare=previous" in text
    assert "Changes against previous period: 2026-11-07 to 2026-11-13." in text
    assert "<script" not in html and "<link" not in html and "class=" not in html  # inline styles only
    # a rise is green, except for a figure whose rise is bad news (receivables overdue): red, the arrow still up
    colours = {}
    for label, colour, arrow in re.findall(
        r'<div style="[^"]*">([^<]+)</div><div style="[^"]*">[^<]+</div><div style="color:(#\w+);[^"]*">(&#\d+;)',
        html,
    ):
        colours[label] = (colour, arrow)
    green, red, up, down = "#047857", "#b91c1c", "&#9650;", "&#9660;"
    for label, (colour, arrow) in colours.items():
        rise_is_bad = label.startswith("Receivables overdue")
        assert colour == ({up: green, down: red} if not rise_is_bad else {up: red, down: green})[arrow], label
    assert "Receivables overdue (USD)" in colours and len(colours) >= 8

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "sales-and-billing-finance.png"
    inline = html.replace("cid:chart", "data:image/png;base64," + base64.b64encode(png).decode())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 700, "height": 900})
            page.route("**/*", lambda route: route.abort())  # nothing outside the message
            page.set_content(inline, wait_until="load")
            assert page.locator("img").evaluate("img => img.naturalWidth") == picture.width
            assert page.get_by_text("Revenue (USD)").first.is_visible()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    rendered = Image.open(shot).convert("RGB")
    assert rendered.height > 900 and len(rendered.getcolors(maxcolors=1_000_000)) > 50


def deliveries_of(sent, address: str) -> dict:
    from tests.reports.conftest import deliveries as rows

    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        return next(row for row in rows(conn, sent["schedule_id"]) if row["recipient"] == address)


def test_a_custom_report_is_run_as_each_recipient_over_the_schedules_period(db, smtp, people):
    from readside.custom_reports import save_report

    owner, sales = people[(0, "analyst")], people[(0, "sales")]
    report_id = save_report(viewer_of(owner), "Weekly revenue and orders",
                            {"metrics": ["orders", "revenue"], "time_grain": "day"}, shared=True)  # fmt: skip
    schedule_id = make_schedule(owner, NOW, name="Revenue and orders", report_type="custom",
                                custom_report_id=report_id, recipients=(owner.email, sales.email))  # fmt: skip

    assert run(FIRST, smtp).sent == 2
    orders, revenue = db.execute(
        """select sum(orders), sum(revenue) from reporting.mv_daily_metrics
           where organization_id = %s and metric_date between %s and %s""",
        (owner.organization_id, START, END),
    ).fetchone()
    owners_text = smtp.to(owner.email)[0].get_body(("plain",)).get_content()
    assert f"Orders: {orders:,}" in owners_text and f"Revenue: {money(revenue)}" in owners_text
    sales_text = smtp.to(sales.email)[0].get_body(("plain",)).get_content()
    assert f"Orders: {orders:,}" in sales_text and "Revenue:" not in sales_text
    assert "Finance figures (Revenue) are left out: your role (sales)" in sales_text
    assert f"/custom_reports?report={report_id}" in sales_text
    assert {row["status"] for row in deliveries(db, schedule_id)} == {"sent"}


def test_an_alert_is_sent_once_per_crossing_not_on_every_check(db, smtp, people):
    owner = people[(0, "analyst")]
    organization = owner.organization_id
    overdue = db.execute(
        "select receivables_overdue from reporting.mv_current_state where organization_id = %s", (organization,)
    ).fetchone()[0]
    threshold = float(overdue) - 1000
    schedule_id = make_schedule(
        owner, NOW, name="Overdue receivables", report_type="current_state", recipients=(owner.email,),
        alert_condition={"metric": "receivables_overdue", "op": "above", "threshold": threshold},
    )  # fmt: skip

    def check(day: int, value) -> tuple[str, str]:
        db.execute("update reporting.mv_current_state set receivables_overdue = %s where organization_id = %s",
                   (value, organization))  # fmt: skip
        run(FIRST + timedelta(days=day), smtp)
        row = deliveries(db, schedule_id)[-1]
        return row["status"], row["reason"] or ""

    try:
        crossed = check(0, overdue)
        still = check(1, overdue)
        below = check(2, threshold - 500)
        again = check(3, overdue)
    finally:
        db.execute("update reporting.mv_current_state set receivables_overdue = %s where organization_id = %s",
                   (overdue, organization))  # fmt: skip
    assert [status for status, _ in (crossed, still, below, again)] == ["sent", "skipped", "skipped", "sent"]
    assert still[1].startswith("alert still holds (receivables_overdue = ")
    assert (
        below[1]
        == f"alert condition not met (receivables_overdue = {threshold - 500:,.2f}, not above {threshold:,.2f})"
    )
    assert len(smtp.reports()) == 2
    text = smtp.reports()[0].message.get_body(("plain",)).get_content()
    assert f"Receivables overdue (USD): {money(overdue)}" in text
