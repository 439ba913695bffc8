"""`warehouse serve` starts the UIs that exist, prints their URLs, and Ctrl-C stops them cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request

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


def test_serve_starts_dagster_and_streamlit_and_ctrl_c_stops_both(pg_server, tmp_path):
    dagster_port, streamlit_port = free_port(), free_port()
    env = dict(
        os.environ,
        DATABASE_URL=pg_server.url(),
        DAGSTER_PORT=str(dagster_port),
        STREAMLIT_PORT=str(streamlit_port),
        DAGSTER_HOME=str(tmp_path / "dagster"),
    )
    process = subprocess.Popen(
        [WAREHOUSE, "serve"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = _read_until(process, "Ctrl-C stops everything", seconds=240)
        assert f"Dagster UI (data engineers): http://127.0.0.1:{dagster_port}" in lines
        assert f"Streamlit dashboards (analysts): http://127.0.0.1:{streamlit_port}" in lines
        with urllib.request.urlopen(f"http://127.0.0.1:{dagster_port}/server_info", timeout=10) as response:
            assert b"dagster_webserver_version" in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{streamlit_port}/_stcore/health", timeout=10) as response:
            assert response.read() == b"ok"
    finally:
        process.send_signal(signal.SIGINT)
        remaining = process.communicate(timeout=60)[0]
    assert process.returncode == 0
    assert "stopped" in remaining
    for port in (dagster_port, streamlit_port):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            raise AssertionError(f"port {port} still answers after Ctrl-C")
        except OSError:
            pass
