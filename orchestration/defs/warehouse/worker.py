"""The warehouse worker: dbt and Great Expectations in a process of their own, kept for the life of the Dagster process
that started it.

A Dagster run spends much of its time in Python writing events; dbt spends much of its own compiling SQL, and Great
Expectations takes seconds to import. In one process they would take turns (one interpreter lock), so they run here:
the worker imports dbt and Great Expectations and parses the project (from its partial-parse state) once, while the
run is still being planned, then runs each `dbt build` it is sent on the Manifest it holds (no invocation imports or
parses again, not even one with --vars) and each suite it is asked to validate. It reports every dbt node's result as
one JSON line the moment dbt finishes the node; dbt's own log goes to stderr. Suites are validated ahead, beside the
rest: the source suites a run will check while it is planned, a reporting suite as soon as dbt built its relation; a
check takes such a result only if it was validated on the data the check would see.

Protocol, one JSON object per line. The client sends `{"target", "env", "url", "args": [...]}` (a dbt command for the
project parsed into ``target``, connected by ``env``), `{"url", "validate": [suite names], "bases": {...}}`, or
`{"target", "env", "url", "validate_ahead": [...], "write_manifest": ...}` (prepare: import, parse and validate now).
The worker answers `{"node": {...}}` per finished dbt node, `{"suites": [...]}` for a validation, then
`{"done": true, "exception": ...}`.
Started as `python -m orchestration.defs.warehouse.worker`; it exits when its standard input closes.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from oltp.errors import WarehouseError
from orchestration.dbt_runner import DBT_PROJECT_DIR, DbtRunError, dbt_args

RESULT_EVENT = "NodeFinished"
# Dagster's own dbt artifacts, apart from `dbt/target` that the dbt runner and people at a shell use, one folder
# per database name (the manifest's relation names carry it).
DAGSTER_TARGET_PATH = Path("target") / "dagster"
# The folders and files whose change makes a parse stale.
DBT_SOURCE_ENTRIES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "snapshots", "tests", "analyses")


class WorkerError(WarehouseError):
    """The worker could not do what it was asked (its message is the worker's error, transient ones included)."""


def dbt_target(url: str) -> Path:
    """Where Dagster's dbt invocations on the database at ``url`` keep the project's parse state and artifacts."""
    from orchestration.dbt_runner import dbt_environment

    return DBT_PROJECT_DIR / DAGSTER_TARGET_PATH / dbt_environment(url)["DBT_PG_DBNAME"]


def newest_source_change(project_dir: Path = DBT_PROJECT_DIR) -> float:
    """When a file of the dbt project last changed (its modification time; 0 for an empty project)."""
    newest = 0.0
    for entry in DBT_SOURCE_ENTRIES:
        path = project_dir / entry
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for root, _dirs, files in os.walk(path):
                newest = max([newest, *(Path(root, name).stat().st_mtime for name in files)])
    return newest


@contextmanager
def parse_lock(target: Path) -> Iterator[None]:
    """One parse of a target folder at a time, across processes (they share its partial-parse state)."""
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# -- the worker --------------------------------------------------------------------------------------------------
BUILT = "built in this worker"  # what a reporting suite validated ahead was evaluated on


class _Worker:
    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.writing = threading.Lock()
        self.parsed: dict[str, tuple[float, Any]] = {}
        # Suites validated ahead of the check that asks for them: name -> (what they were evaluated on, the result).
        # One at a time, beside dbt: most of a suite's time is the database's.
        self.ahead: dict[str, tuple[str, Future]] = {}
        self.ahead_lock = threading.Lock()
        self.checking = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suite-ahead")
        self.url: str | None = None  # the database of the build running

    def send(self, message: dict) -> None:
        line = json.dumps(message, default=str)
        with self.writing:
            self.out.write(line + "\n")
            self.out.flush()

    def manifest(self, target: str, write: bool = False) -> Any:
        """The project's Manifest for ``target`` (its partial-parse state), parsed again when a file changed; with
        ``write``, the parse also writes the manifest the definitions read (a fresh clone has none)."""
        from dbt.cli.main import dbtRunner

        cached = self.parsed.get(target)
        if cached is not None and cached[0] >= newest_source_change():
            return cached[1]
        parsed_at = time.time()
        json_files = "--write-json" if write else "--no-write-json"
        parse = dbt_args("parse", extra=["--quiet", json_files, "--target-path", target])
        with parse_lock(Path(target)):
            result = dbtRunner().invoke(parse)
        if not result.success:
            raise DbtRunError(f"dbt parse failed in {DBT_PROJECT_DIR}: {result.exception}")
        self.parsed[target] = (parsed_at, result.result)
        return result.result

    # -- suites validated ahead -------------------------------------------------------------------------------
    def validate_ahead(self, url: str, name: str, basis: str | None = None) -> None:
        """Start validating a suite now, on the worker's thread for it: a source suite (``basis`` None) on the data
        versions of its tables read first, a reporting suite on the relation just built."""
        from orchestration import quality

        suite = quality.SUITES[name]

        def run() -> tuple[str, quality.SuiteResult]:
            fingerprint = basis or _passed_fingerprint(url, suite)
            [result] = quality.validate(url, [suite])
            return fingerprint, result

        with self.ahead_lock:
            self.ahead[name] = (basis or "source", self.checking.submit(run))

    def built(self, relation: tuple[str, str]) -> None:
        """A relation was rebuilt: the suites validated ahead that read it are stale, and its own suite starts."""
        from orchestration import quality

        with self.ahead_lock:
            for name in [n for n in self.ahead if relation in _reads(quality.SUITES[n])]:
                del self.ahead[name]
        suite = next((s for s in quality.REPORTING_SUITES if (s.schema, s.table) == relation), None)
        if suite is not None and self.url is not None:
            self.validate_ahead(self.url, suite.name, BUILT)

    def validate(self, url: str, name: str, basis: str | None) -> Any:
        """A suite's result: the one validated ahead on the same ``basis`` (a source suite's data versions), or on
        the relation as this worker built it (``basis`` None), else validated now."""
        from orchestration import quality

        with self.ahead_lock:
            entry = self.ahead.pop(name, None)
        if entry is not None:
            try:
                evaluated_on, result = entry[1].result()
            except Exception:  # validated again below, where its error is reported
                evaluated_on, result = None, None
            if result is not None and evaluated_on == (basis or BUILT):
                return result
        [result] = quality.validate(url, [quality.SUITES[name]])
        return result

    def on_event(self, event) -> None:
        # dbt calls this on its own threads; an exception here would fail the node, so nothing may raise
        try:
            if event.info.name == RESULT_EVENT:
                from google.protobuf.json_format import MessageToDict

                node = MessageToDict(event.data, preserving_proto_field_name=True)
                self.send({"node": node})
                relation = node.get("node_info", {}).get("node_relation", {})
                if node.get("run_result", {}).get("status") == "success" and relation.get("alias"):
                    self.built((relation.get("schema"), relation["alias"]))
        except Exception as error:
            self.send({"callback_error": repr(error)})

    def handle(self, request: dict) -> None:
        from dbt.cli.main import dbtRunner

        from orchestration import quality

        exception = None
        try:
            if request.get("validate"):
                bases = request.get("bases", {})
                results = [self.validate(request["url"], name, bases.get(name)) for name in request["validate"]]
                self.send({"suites": [quality.result_as_dict(result) for result in results]})
            else:
                with _environment(request.get("env", {})):
                    if request.get("args"):
                        manifest = self.manifest(request["target"])
                        self.url = request.get("url")
                        result = dbtRunner(manifest=manifest, callbacks=[self.on_event]).invoke(request["args"])
                        exception = result.exception
                    else:  # while another process may parse the project, this one imports
                        quality.prepare()
                        for name in request.get("validate_ahead", []):
                            self.validate_ahead(request["url"], name)
                        self.manifest(request["target"], write=request.get("write_manifest", False))
        except Exception as error:
            exception = error
        failed = None if exception is None else f"{type(exception).__name__}: {exception}"
        self.send({"done": True, "exception": failed})


def _reads(suite) -> set[tuple[str, str]]:
    return {(suite.schema, suite.table), *suite.reads}


def _passed_fingerprint(url: str, suite) -> str:
    """What a source suite's outcome depends on, read now (quality.passed_fingerprint)."""
    from oltp.database import get_engine
    from orchestration.defs.warehouse.changes import read_inputs
    from orchestration.quality import passed_fingerprint

    with get_engine(url).connect() as conn:
        return passed_fingerprint(suite, read_inputs(conn))


def serve(requests: IO[str], out: IO[str]) -> None:
    """Answer requests until ``requests`` closes."""
    worker = _Worker(out)
    for line in requests:
        if line.strip():
            worker.handle(json.loads(line))


# -- the client --------------------------------------------------------------------------------------------------
class WarehouseWorker:
    """The worker process of this process, started on first use (or ahead of it with :meth:`prepare`)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.answers: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.pending = 0  # answers to `prepare` requests not read yet

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.pending = 0
            self.answers = queue.Queue()
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                bufsize=1,
                env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
            )
            threading.Thread(target=_relay, args=(self.process.stderr,), name="worker-log", daemon=True).start()
            # every answer is read as it comes, so dbt never waits for the run to take in the previous node
            collect = threading.Thread(target=_collect, args=(self.process.stdout, self.answers), name="worker-answers")
            collect.daemon = True
            collect.start()
            atexit.register(_stop, self.process)
        return self.process

    def _send(self, request: dict) -> subprocess.Popen:
        process = self._start()
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except OSError as error:
            raise WorkerError(f"the warehouse worker stopped: {error}") from error
        return process

    def prepare(self, url: str, write_manifest: bool = False, validate_ahead: Sequence[str] = ()) -> None:
        """Start the worker and have it import dbt and Great Expectations and parse the project for the database at
        ``url`` now (``write_manifest``: and write the manifest the definitions read), and validate the source suites
        named in ``validate_ahead`` meanwhile (a check that asks for one on the same data then has its result)."""
        from orchestration.dbt_runner import dbt_environment

        request = {"target": str(dbt_target(url)), "env": dbt_environment(url), "url": url}
        with self.lock:
            self._send({**request, "write_manifest": write_manifest, "validate_ahead": list(validate_ahead)})
            self.pending += 1

    def _answers(self, request: dict) -> Iterator[dict]:
        """Send ``request`` and yield the worker's answers up to its end; raises WorkerError when it failed."""
        with self.lock:
            process = self._send(request)
            answers = self.answers
            skip, self.pending = self.pending, 0
            finished = False
            try:
                while True:
                    line = answers.get()
                    if not line:
                        raise WorkerError(f"the warehouse worker exited with code {process.wait()}")
                    message = json.loads(line)
                    if "callback_error" in message:
                        raise WorkerError(f"reading dbt's results failed: {message['callback_error']}")
                    if not message.get("done"):
                        yield message
                    elif skip:  # the end of a `prepare`
                        skip -= 1
                    else:
                        finished = True
                        if message["exception"]:
                            raise WorkerError(message["exception"])
                        return
            finally:
                if not finished:  # abandoned halfway: its answers would be read as the next request's
                    process.kill()
                    process.wait()
                    self.process = None

    def build(self, target: Path, url: str, args: Sequence[str]) -> Iterator[dict]:
        """Run ``args`` (a dbt command) on the database at ``url``; yield each node's result as it finishes. Raises
        WorkerError when dbt could not run at all (its nodes' own failures are in their results). Each reporting
        relation it builds has its suite validated at once, beside dbt."""
        from orchestration.dbt_runner import dbt_environment

        request = {"target": str(target), "env": dbt_environment(url), "url": url, "args": list(args)}
        for message in self._answers(request):
            yield message["node"]

    def validate(self, url: str, suites: Sequence[str], bases: Mapping[str, str] | None = None) -> list[dict]:
        """Validate the suites named ``suites`` against ``url``; their results, as `quality.result_as_dict` gives.
        A source suite validated ahead on the data versions ``bases`` gives (`quality.passed_fingerprint`), or a
        reporting suite validated as its relation was built, is not validated again."""
        answers = self._answers({"url": url, "validate": list(suites), "bases": dict(bases or {})})
        return [result for message in answers for result in message["suites"]]


def _stop(process: subprocess.Popen) -> None:
    """At exit: close the worker's input, so it ends, and wait for it (its CPU time then counts as this process's)."""
    try:
        process.stdin.close()
        process.wait(timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()


def _collect(stream: IO[str], answers: queue.Queue) -> None:
    for line in stream:
        answers.put(line)
    answers.put("")  # the worker exited


def _relay(stream: IO[str]) -> None:
    """The worker's log lines, onto this process's stdout as it is when they arrive (a run's log, or the terminal)."""
    for line in stream:
        sys.stdout.write(line)


_WORKER = WarehouseWorker()


def warehouse_worker() -> WarehouseWorker:
    return _WORKER


if __name__ == "__main__":
    # The protocol has the real stdout to itself; dbt's log lines go to stderr.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin, channel)
    # nothing to tear down (the database sees its connections close): an interpreter's shutdown with dbt and Great
    # Expectations loaded takes seconds, which the process that waits for this one would spend waiting
    sys.stderr.flush()
    os._exit(0)
