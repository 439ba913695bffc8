"""Sign-in to the dashboards end to end, nothing mocked: `warehouse serve` starts the local OpenID provider and the
Streamlit dashboards on the tiny warehouse, and Debian's Chromium signs people in through the provider's form.

Each person gets a browser context of their own. Screenshots of every page go to a temporary folder and
/tmp/e2e-artifacts/ (the path is printed) for a person to look at.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from playwright.sync_api import expect
from psycopg.rows import dict_row

from tests.conftest import REPO_ROOT, WAREHOUSE, free_port
from tests.e2e.conftest import RENDER_MS, screenshot, settle, wait_http

pytestmark = pytest.mark.slow

SIGN_IN_SECONDS = 240


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    organization_id: int
    organization: str


@dataclass(frozen=True)
class Served:
    url: str
    provider_url: str
    output: Path


def _owner(url: str):
    from oltp.database import libpq_url

    return psycopg.connect(libpq_url(url), connect_timeout=10)


def _clean_env(**values: str) -> dict[str, str]:
    """The test process's environment without any sign-in or address setting, plus ``values``."""
    env = dict(os.environ)
    for name in ("DASHBOARDS_URL", "STREAMLIT_ADDRESS", "OIDC_SERVER_METADATA_URL", "OIDC_CLIENT_ID",
                 "OIDC_CLIENT_SECRET", "OIDC_COOKIE_SECRET", "DAGSTER_HOME"):  # fmt: skip
        env.pop(name, None)
    env.update(values)
    return env


def _reader_password() -> str:
    """The password the session's migrations gave `warehouse_reader` (kept under the session's WAREHOUSE_HOME):
    a server with a WAREHOUSE_HOME of its own needs it passed in."""
    from oltp.reader import reader_password

    return reader_password()


def _read_until(process: subprocess.Popen, output: Path, needle: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace")
        if needle in text:
            return text
        if process.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} not printed within {seconds:.0f} s; output:\n{output.read_text()}")


def _stop(process: subprocess.Popen, output: Path) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"did not stop within 90 s of SIGINT; output:\n{output.read_text()}") from None


@pytest.fixture(scope="module")
def served(tiny_warehouse, tmp_path_factory) -> Iterator[Served]:
    """`warehouse serve --no-dagster` on the tiny warehouse: the local provider and the dashboards, on free ports."""
    home = tmp_path_factory.mktemp("serve-home")
    streamlit_port, provider_port = free_port(), free_port()
    output = home / "serve.log"
    env = _clean_env(
        DATABASE_URL=tiny_warehouse,
        WAREHOUSE_HOME=str(home),
        WAREHOUSE_READER_PASSWORD=_reader_password(),
        STREAMLIT_PORT=str(streamlit_port),
        OIDC_LOCAL_PORT=str(provider_port),
    )
    with output.open("w") as sink:
        process = subprocess.Popen(
            [WAREHOUSE, "serve", "--no-dagster"], cwd=REPO_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        printed = _read_until(process, output, "Ctrl-C stops everything", seconds=SIGN_IN_SECONDS)
        url = f"http://127.0.0.1:{streamlit_port}"
        assert f"Streamlit dashboards (analysts): {url}" in printed
        assert f"local sign-in (demo OpenID provider): http://127.0.0.1:{provider_port}" in printed
        with _owner(tiny_warehouse) as conn:
            names = [name for (name,) in conn.execute("select name from app.organizations order by id")]
        listed = printed.split("sign in to the dashboards as any of these", 1)[1].split("Ctrl-C stops everything")[0]
        user_lines = [line for line in listed.splitlines() if "@" in line and "nobody@example.com" not in line]
        organizations = {name for name in names for line in user_lines if line.rstrip().endswith(name)}
        assert len(organizations) >= 2, f"serve printed demo users of fewer than 2 organizations:\n{listed}"
        assert "nobody@example.com" in listed
        yield Served(url=url, provider_url=f"http://127.0.0.1:{provider_port}", output=output)
    finally:
        _stop(process, output)
    stopped = output.read_text()
    assert process.returncode == 0, stopped
    assert stopped.rstrip().endswith("stopped"), stopped


def _analysts(url: str) -> list[Person]:
    """One active analyst (primary role, and the analyst role granted) of each of two active organizations."""
    with _owner(url) as conn:
        rows = conn.execute(
            """
            select distinct on (o.id) u.email, u.full_name, o.id, o.name
            from app.users u
            join app.organizations o on o.id = u.organization_id
            join app.user_roles ur on ur.user_id = u.id and ur.organization_id = u.organization_id
            join app.roles r on r.id = ur.role_id and r.name = 'analyst'
            where u.status = 'active' and u.deleted_at is null and u.primary_role = 'analyst'
                and o.status = 'active' and o.deleted_at is null
                -- one account for the email, so the sidebar has no organization picker
                and (select count(*) from app.users same where lower(same.email) = lower(u.email)) = 1
            order by o.id, u.id
            limit 2
            """
        ).fetchall()
    assert len(rows) == 2, f"the tiny warehouse needs analysts in two active organizations, found {rows}"
    people = [Person(*row) for row in rows]
    first, second = (p.organization for p in people)
    assert first not in second and second not in first, "organization names must not contain each other"
    return people


def _current_state(url: str, organization_id: int) -> dict:
    with _owner(url) as conn, conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(
            "select * from reporting.mv_current_state where organization_id = %s", (organization_id,)
        ).fetchone()
    assert row is not None, f"mv_current_state has no row for organization {organization_id}"
    return row


def _permissions(url: str, email: str) -> set[str]:
    with _owner(url) as conn:
        rows = conn.execute(
            """
            select distinct p.code from app.users u
            join app.user_roles ur on ur.user_id = u.id
            join app.role_permissions rp on rp.role_id = ur.role_id
            join app.permissions p on p.id = rp.permission_id
            where lower(u.email) = lower(%s)
            """,
            (email,),
        ).fetchall()
    return {code for (code,) in rows}


def _title(page) -> str:
    heading = page.locator('[data-testid="stMain"] h1').first
    expect(heading).to_be_visible(timeout=RENDER_MS)
    return heading.inner_text().strip()


def _sign_in(page, served: Served, typed_email: str) -> None:
    """From the dashboards' sign-in page through the provider's form and back."""
    page.goto(served.url + "/")
    settle(page)
    expect(page.get_by_text("Sign in to see your organization's numbers.")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(served.provider_url + "/**", timeout=RENDER_MS)
    page.locator('input[name="sub"]').fill(typed_email)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(re.compile(re.escape(served.url) + r"/(\?.*)?$"), timeout=RENDER_MS)
    settle(page)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()


def _sign_out(page, served: Served) -> None:
    """The sidebar's Sign out; the provider's end-session page (when it shows one) confirms and returns."""
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    leaving = re.compile(f"^({re.escape(served.url)}/auth/logout|{re.escape(served.provider_url)}/)")
    page.wait_for_url(leaving, wait_until="commit")
    ended = re.compile(f"^{re.escape(served.provider_url)}/|^{re.escape(served.url)}/(\\?.*)?$")
    page.wait_for_url(ended, wait_until="domcontentloaded")
    if page.url.startswith(served.provider_url):
        page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(served.url) + r"/(\?.*)?$"), timeout=RENDER_MS)
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def _assert_clean(page, where: str, absent: str) -> str:
    assert page.get_by_test_id("stException").count() == 0, f"{where} shows an exception:\n{page.inner_text('body')}"
    text = page.inner_text("body")
    assert "Traceback" not in text, f"{where} shows a traceback"
    assert absent not in text, f"{where} shows the other organization's name {absent!r}"
    return text


def _nav_links(page) -> list[tuple[str, str]]:
    """(title, URL path) of each page in the sidebar navigation."""
    links = page.get_by_test_id("stSidebarNav").locator("a")
    expect(links.first).to_be_visible()
    found = []
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href") or ""
        label = link.inner_text().split("\n")[-1].strip()  # after the icon's ligature text
        found.append((label, "/" + href.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]))
    return found


def _tiles(page) -> list[tuple[str, str]]:
    """(label, value) of each tile (st.metric) in page order; the label without its help icon."""
    metrics = page.get_by_test_id("stMetric")
    return [
        (
            metrics.nth(index).get_by_test_id("stMetricLabel").inner_text().strip(),
            metrics.nth(index).get_by_test_id("stMetricValue").inner_text().strip(),
        )
        for index in range(metrics.count())
    ]


def _assert_now_tiles(page, state: dict, may_see_finance: bool) -> None:
    """The Overview's first tiles are the organization's row of reporting.mv_current_state, in the glossary's order,
    each value formatted for its unit (money: two decimals and thousands separators); finance figures only for
    viewers who may see them."""
    from readside import figures

    glossary = figures.glossary()["mv_current_state"]
    finance = {"receivables_outstanding", "receivables_overdue", "inventory_value"}
    columns = [
        column
        for column in glossary
        if column in state
        and column not in ("organization_id", "as_of_date", "as_of_at", "currency")
        and (may_see_finance or column not in finance)
    ]
    shown = _tiles(page)[: len(columns)]
    labels = [re.sub(r" \([A-Z]{3}\)$", "", label).lower() for label, _ in shown]
    assert labels == [column.replace("_", " ") for column in columns], f"Overview tiles: {shown}"
    values = dict(zip(columns, (value for _, value in shown), strict=True))
    for column in columns:
        assert values[column] == figures.formatted(state[column], glossary[column]["unit"]), (column, shown)
    assert values["open_orders"] == f"{state['open_orders']:,.0f}"
    assert values["open_orders_value"] == f"{float(state['open_orders_value']):,.2f}"


def _open(page, served: Served, title: str, path: str) -> None:
    """Click a page's link in the sidebar navigation and wait for the page to settle."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(re.escape(served.url + path) + r"(\?.*)?$"))
    settle(page)


def _expected_nav(page) -> list[tuple[str, str]]:
    """The pages an analyst may open, in order, as (title, URL path): Streamlit names each page's path after its file,
    and gives the default page "/"."""
    from dashboards.navigation import PAGES

    found = _nav_links(page)
    assert [title for title, _ in found] == [spec.title for spec in PAGES], f"sidebar navigation: {found}"
    assert [path for _, path in found].count("/") == 1, f"no single default page: {found}"
    for (title, path), spec in zip(found, PAGES, strict=True):
        assert path in ("/", "/" + spec.file.removesuffix(".py")), f"{title} is at {path}"
    return found


def test_analysts_of_two_organizations_each_see_only_their_own(served, tiny_warehouse, new_context, artifacts):
    from dashboards.navigation import PAGES

    a, b = _analysts(tiny_warehouse)
    titles = {spec.title: spec.file for spec in PAGES}

    # A signs in, typing the email with an upper-case letter: the account is found all the same.
    page = new_context().new_page()
    _sign_in(page, served, a.email[0].upper() + a.email[1:])
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    assert f"{a.full_name} · {a.organization}" in sidebar
    assert "analyst" in sidebar
    _assert_clean(page, "A's first page", b.organization)
    screenshot(page, artifacts, "a-00-after-sign-in")

    for number, (title, path) in enumerate(_expected_nav(page), start=1):
        _open(page, served, title, path)
        heading = _title(page)
        where = f"A's {title} page ({path})"
        text = _assert_clean(page, where, b.organization)
        assert "Not allowed" not in text, f"A may not open {title}: {text}"
        if titles[title] == "overview.py":
            assert heading == a.organization, where
        elif titles[title] != "home.py":  # Home greets the person instead
            assert heading == title, where
        if titles[title] == "account.py":
            assert a.email.lower() in text and a.organization in text
        screenshot(page, artifacts, f"a-{number:02d}-{titles[title].removesuffix('.py')}")

    _sign_out(page, served)
    assert a.organization not in page.inner_text("body")
    screenshot(page, artifacts, "a-99-signed-out")

    # B, in a browser of their own.
    page = new_context().new_page()
    _sign_in(page, served, b.email)
    assert f"{b.full_name} · {b.organization}" in page.get_by_test_id("stSidebar").inner_text()
    _assert_clean(page, "B's first page", a.organization)
    overview = next(spec.title for spec in PAGES if spec.file == "overview.py")
    _open(page, served, overview, dict(_nav_links(page))[overview])
    assert _title(page) == b.organization
    _assert_clean(page, "B's Overview", a.organization)
    state = _current_state(tiny_warehouse, b.organization_id)
    _assert_now_tiles(page, state, may_see_finance="finance.read" in _permissions(tiny_warehouse, b.email))
    with _owner(tiny_warehouse) as conn:
        query = "select timezone from app.organizations where id = %s"
        (timezone,) = conn.execute(query, (b.organization_id,)).fetchone()
    as_of = state["as_of_at"].astimezone(ZoneInfo(timezone))
    caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first.inner_text()
    assert f"as of {as_of:%Y-%m-%d %H:%M} ({timezone})" in caption, "the as-of time is not in the organization's zone"
    screenshot(page, artifacts, "b-01-overview")


def test_an_email_no_account_uses_is_refused(served, new_context, artifacts):
    email = f"nobody-{secrets.token_hex(4)}@example.com"
    page = new_context().new_page()
    _sign_in(page, served, email)
    assert _title(page) == "You cannot use the dashboards"
    text = _assert_clean(page, "the refusal page", "\x00")
    assert f"Signed in as {email}" in text
    assert f"no account uses {email}" in text
    assert page.get_by_test_id("stMetric").count() == 0
    assert page.get_by_test_id("stSidebarNav").count() == 0
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, artifacts, "refused")


@dataclass(frozen=True)
class Unreachable:
    url: str
    metadata_url: str


@pytest.fixture
def unreachable_provider(tiny_warehouse, tmp_path) -> Iterator[Unreachable]:
    """A fresh `streamlit run` of the dashboards whose OIDC_SERVER_METADATA_URL points at a closed local port, with
    the secrets file readside.oidc.write_secrets_file writes, as serve starts it."""
    from oltp.settings import get_settings
    from readside.oidc import write_secrets_file

    port, closed = free_port(), free_port()  # nothing listens on `closed`
    metadata_url = f"http://127.0.0.1:{closed}/.well-known/openid-configuration"
    env = _clean_env(
        DATABASE_URL=tiny_warehouse,
        WAREHOUSE_HOME=str(tmp_path / "home"),
        WAREHOUSE_READER_PASSWORD=_reader_password(),
        STREAMLIT_PORT=str(port),
        OIDC_SERVER_METADATA_URL=metadata_url,
        OIDC_CLIENT_ID="warehouse-dashboards",
        OIDC_CLIENT_SECRET=secrets.token_urlsafe(16),
        OIDC_COOKIE_SECRET=secrets.token_urlsafe(32),
    )
    secrets_file = write_secrets_file(tmp_path / "secrets.toml", get_settings(env))
    output = tmp_path / "streamlit.log"
    command = [
        str(Path(WAREHOUSE).parent / "streamlit"), "run", str(REPO_ROOT / "dashboards" / "app.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer", "--secrets.files", str(secrets_file),
    ]  # fmt: skip
    with output.open("w") as sink:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/_stcore/health", SIGN_IN_SECONDS, process)
        yield Unreachable(url, metadata_url)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_an_unreachable_provider_is_named_on_the_sign_in_page(unreachable_provider, new_context, artifacts):
    page = new_context().new_page()
    page.goto(unreachable_provider.url + "/")
    settle(page)
    alerts = page.get_by_test_id("stAlert")
    expect(alerts.first).to_be_visible()
    assert alerts.count() == 1, page.inner_text("body")
    message = alerts.first.get_by_test_id("stMarkdownContainer").inner_text().strip()  # without the icon
    assert message.startswith("Sign-in is not available"), message
    assert unreachable_provider.metadata_url in message, message
    assert "OIDC_SERVER_METADATA_URL" in message, message
    _assert_clean(page, "the sign-in page", "\x00")
    assert page.get_by_role("button", name="Sign in").count() == 0
    screenshot(page, artifacts, "provider-unreachable")


def test_a_fresh_server_lists_no_pages_and_runs_none_before_sign_in(unreachable_provider, new_context, artifacts):
    page = new_context().new_page()
    page.goto(unreachable_provider.url + "/")
    settle(page)
    listed = page.get_by_test_id("stSidebarNav").count()
    page.goto(unreachable_provider.url + "/account")
    settle(page)
    screenshot(page, artifacts, "fresh-server-account-before-sign-in")
    assert listed == 0, "the sign-in page lists the page files in the sidebar"
    _assert_clean(page, "/account before sign-in", "\x00")


def test_a_csv_export_downloads_the_viewers_rows_with_its_header_and_is_audited(served, tiny_warehouse, new_context):
    person = _analysts(tiny_warehouse)[0]
    with _owner(tiny_warehouse) as conn:
        user_id = conn.execute(
            "select id from app.users where organization_id = %s and lower(email) = lower(%s)",
            (person.organization_id, person.email),
        ).fetchone()[0]
    page = new_context().new_page()
    _sign_in(page, served, person.email)
    page.goto(f"{served.url}/sales?start=2000-01-01&end={date.today()}&grain=year")
    settle(page)
    with _owner(tiny_warehouse) as conn:
        before = conn.execute(
            "select count(*) from app.audit_logs where user_id = %s and action = 'export'", (user_id,)
        ).fetchone()[0]
        orders = conn.execute(
            "select extract(year from metric_date)::int, sum(orders) from reporting.mv_daily_metrics "
            "where organization_id = %s group by 1 order by 1",
            (person.organization_id,),
        ).fetchall()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    text = Path(download.value.path()).read_text()
    lines = text.splitlines()
    assert lines[0] == f"# Sales and billing - {person.organization}"
    assert lines[1].startswith("# data as of ")
    assert "# filter start: 2000-01-01" in lines and "# filter grain: year" in lines
    assert any(line.startswith("# orders: ") for line in lines)
    import csv

    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert [(int(row["period"][:4]), int(float(row["orders"]))) for row in rows] == [(y, int(n)) for y, n in orders]
    with _owner(tiny_warehouse) as conn:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            after = conn.execute(
                "select count(*) from app.audit_logs where user_id = %s and action = 'export' and organization_id = %s",
                (user_id, person.organization_id),
            ).fetchone()[0]
            if after == before + 1:
                break
            time.sleep(0.5)
    assert after == before + 1
