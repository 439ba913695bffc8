"""`warehouse serve` starts the UIs that exist, prints their URLs, and Ctrl-C stops them cleanly."""

from __future__ import annotations

import email
import os
import signal
import smtplib
import subprocess
import time
import urllib.request
from email import policy
from email.message import EmailMessage
from pathlib import Path

from oltp.database import port_in_use
from tests.conftest import REPO_ROOT, WAREHOUSE, free_port


def _read_until(process: subprocess.Popen, needle: str, seconds: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line.rstrip())
        if needle in line:
            return lines
    raise AssertionError(f"{needle!r} not printed; output so far: {lines}")


def _environment_of(command_part: str) -> dict[str, str]:
    """The environment of the one process whose command line contains ``command_part``."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if command_part in command and "streamlit" in command:
                pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                return dict(pair.decode().split("=", 1) for pair in pairs if b"=" in pair)
        except OSError:
            continue
    raise AssertionError(f"no process runs {command_part!r}")


def test_serve_starts_dagster_and_streamlit_and_ctrl_c_stops_both(pg_server, tmp_path):
    dagster_port, streamlit_port, smtp_port = free_port(), free_port(), free_port()
    env = dict(
        os.environ,
        DATABASE_URL=pg_server.url(),
        DAGSTER_PORT=str(dagster_port),
        STREAMLIT_PORT=str(streamlit_port),
        SMTP_HOST="localhost",
        SMTP_PORT=str(smtp_port),
        OIDC_LOCAL_PORT=str(free_port()),
        DAGSTER_HOME=str(tmp_path / "dagster"),
    )
    process = subprocess.Popen(
        [WAREHOUSE, "serve"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # started with SIGINT ignored, as a background job of a non-interactive shell is: Ctrl-C must still stop it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        lines = _read_until(process, "Ctrl-C stops everything", seconds=240)
        assert f"Dagster UI (data engineers): http://127.0.0.1:{dagster_port}" in lines
        assert f"Streamlit dashboards (analysts): http://127.0.0.1:{streamlit_port}" in lines
        with urllib.request.urlopen(f"http://127.0.0.1:{dagster_port}/server_info", timeout=10) as response:
            assert b"dagster_webserver_version" in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{streamlit_port}/_stcore/health", timeout=10) as response:
            assert response.read() == b"ok"
        # nothing listened on SMTP_PORT: a local mail sink keeps what is sent as files a person can read
        [sink] = [line for line in lines if line.startswith("local mail sink (scheduled reports): ")]
        assert sink.startswith(f"local mail sink (scheduled reports): smtp://127.0.0.1:{smtp_port} (every email is ")
        maildir = Path(sink.split("kept as a file in ", 1)[1].rstrip(")"))
        before = set(maildir.iterdir())
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "reports@warehouse.example", "a@example.com", "Sink check"
        mail.set_content("kept as a file")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as server:
            server.send_message(mail)
        [kept] = set(maildir.iterdir()) - before
        received = email.message_from_bytes(kept.read_bytes(), policy=policy.default)
        assert (received["Subject"], received.get_content().strip()) == ("Sink check", "kept as a file")
        # the dashboards' server holds the read side's URL only, never the owner's
        environment = _environment_of(f"--server.port {streamlit_port}")
        assert "DATABASE_URL" not in environment
        assert environment["READER_DATABASE_URL"].startswith("postgresql+psycopg://warehouse_reader:")
    finally:
        process.send_signal(signal.SIGINT)
        remaining = process.communicate(timeout=60)[0]
    assert process.returncode == 0
    assert "stopped" in remaining
    for port in (dagster_port, streamlit_port):  # and the sink's port is free again
        assert not port_in_use("127.0.0.1", smtp_port)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            raise AssertionError(f"port {port} still answers after Ctrl-C")
        except OSError:
            pass


def test_stopping_kills_what_a_service_leaves_behind_in_its_process_group():
    """A service whose main process stops on Ctrl-C but leaves a child running (as Dagster's daemon can, when it
    restarts its code server while stopping): nothing of the service's process group outlives serve."""
    import sys

    from orchestration.serve import Service, _stop

    child = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(300)"
    leader = (
        "import subprocess, sys, time; "
        f"subprocess.Popen([sys.executable, '-c', {child!r}]); print('started', flush=True); time.sleep(300)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", leader], start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "started"
    service = Service("test service", [], 0, "/", process)
    started = time.monotonic()
    _stop([service], seconds=5)
    assert process.returncode is not None
    assert _live_processes_in_group(process.pid) == []
    assert time.monotonic() - started < 30


def _live_processes_in_group(group: int) -> list[int]:
    """Processes of process group ``group`` that are still running (killed ones not yet reaped do not count)."""
    from pathlib import Path

    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state not in ("Z", "X"):
            live.append(int(stat.parent.name))
    return live
