"""How fresh and how trustworthy a reporting relation is: when Dagster last materialized it, and how the checks of
that run went (dbt tests and the Great Expectations suite, blocking when ERROR). Dashboards show it beside the
numbers with a link to the asset in the Dagster UI; emailed reports wait for it (the freshness gate).

Read from the Dagster instance in DAGSTER_HOME (read only); with no instance there, nothing was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from oltp.schemas import REPORTING_SCHEMA
from oltp.settings import get_settings


@dataclass(frozen=True)
class RefreshStatus:
    relation: str
    refreshed_at: datetime | None
    checks_passed: int
    checks_failed: tuple[str, ...]  # blocking checks that failed in that run
    warnings: tuple[str, ...]  # non-blocking checks that failed
    asset_url: str

    @property
    def ok(self) -> bool:
        """Refreshed, and none of that run's blocking checks failed."""
        return self.refreshed_at is not None and not self.checks_failed

    def summary(self) -> str:
        if self.refreshed_at is None:
            return "no refresh recorded in Dagster"
        if self.checks_failed:
            return f"{len(self.checks_failed)} blocking check(s) failed: {', '.join(self.checks_failed)}"
        total = self.checks_passed + len(self.warnings)
        text = f"{self.checks_passed} of {total} checks passed" if total else "no checks ran"
        return text + (f" ({len(self.warnings)} warning(s))" if self.warnings else "")


def asset_url(relation: str) -> str:
    return f"{get_settings().dagster_url}/assets/{REPORTING_SCHEMA}/{relation}"


@cache
def _instance(home: str):
    from dagster import DagsterInstance

    return DagsterInstance.from_config(home)


def refresh_status(relation: str) -> RefreshStatus:
    """The last materialization of reporting.<relation> and the checks of its run."""
    settings = get_settings()
    url = asset_url(relation)
    if not (settings.dagster_home / "dagster.yaml").exists():
        return RefreshStatus(relation, None, 0, (), (), url)
    from dagster import AssetCheckSeverity, AssetKey, DagsterEventType

    instance = _instance(str(settings.dagster_home))
    key = AssetKey([REPORTING_SCHEMA, relation])
    event = instance.get_latest_materialization_event(key)
    if event is None:
        return RefreshStatus(relation, None, 0, (), (), url)
    passed, failed, warnings = 0, [], []
    for entry in instance.all_logs(event.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.dagster_event.event_specific_data
        if evaluation.asset_key != key:
            continue
        if evaluation.passed:
            passed += 1
        elif evaluation.severity == AssetCheckSeverity.ERROR:
            failed.append(evaluation.check_name)
        else:
            warnings.append(evaluation.check_name)
    refreshed = datetime.fromtimestamp(event.timestamp, UTC)
    return RefreshStatus(relation, refreshed, passed, tuple(sorted(failed)), tuple(sorted(warnings)), url)
