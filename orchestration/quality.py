"""Great Expectations 1.x suites over the warehouse's PostgreSQL: the key source tables and every reporting relation.

A suite is plain data here (rules, each with a sentence that says what must hold); :func:`validate` turns it into
an ExpectationSuite and a ValidationDefinition on a whole-table batch of a PostgreSQL data source (one per schema)
in an ephemeral GX context, runs it, and returns one result per rule. The context is made once per process and
Great Expectations imported only when a suite runs (the import alone takes seconds); the asset checks have their
suites validated in the warehouse worker (orchestration/defs/warehouse/worker.py), often ahead of the check.

The database already enforces what must always hold (NOT NULL, CHECK, foreign keys); the source rules here catch
what a constraint cannot: totals that no longer agree with their lines, dates in the future, a time zone PostgreSQL
does not know. The source suites are critical: their checks block the dbt build.
"""

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, field
from functools import cache
from typing import Any

import dagster as dg

from oltp.errors import WarehouseError
from oltp.schemas import APP_SCHEMA, MARTS_SCHEMA, REPORTING_SCHEMA
from orchestration.resources import TRANSIENT_DATABASE_RETRY, WarehouseDatabase, failure_unless_transient


class ValidationError(WarehouseError):
    """A suite could not be evaluated (as opposed to evaluated and failed): the database or a query errored."""


@dataclass(frozen=True)
class Rule:
    """One expectation: the GX class name, its arguments, and the sentence a data engineer reads when it fails.

    ``computed`` names an argument whose value a SQL query returns when the suite runs (e.g. the expected row count).
    """

    description: str
    expectation: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    computed: tuple[str, str] | None = None


@dataclass(frozen=True)
class Suite:
    schema: str
    table: str
    description: str
    rules: tuple[Rule, ...]
    reads: tuple[tuple[str, str], ...] = ()  # other relations the rules query, as (schema, table)

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True)
class RuleResult:
    description: str
    expectation: str
    success: bool
    observed: str


@dataclass(frozen=True)
class SuiteResult:
    suite: Suite
    rules: tuple[RuleResult, ...]

    @property
    def success(self) -> bool:
        return all(rule.success for rule in self.rules)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(rule for rule in self.rules if not rule.success)


# -- rule builders -----------------------------------------------------------------------------------------------
def row_count_at_least(min_value: int) -> Rule:
    return Rule(f"at least {min_value} row(s)", "ExpectTableRowCountToBeBetween", {"min_value": min_value})


def row_count_equals(sql: str, description: str) -> Rule:
    return Rule(description, "ExpectTableRowCountToEqual", computed=("value", sql))


def row_count_at_most(sql: str, description: str) -> Rule:
    return Rule(description, "ExpectTableRowCountToBeBetween", {"min_value": 0}, computed=("max_value", sql))


def not_null(*columns: str) -> tuple[Rule, ...]:
    return tuple(Rule(f"{c} is never NULL", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in columns)


def unique_together(*columns: str) -> Rule:
    if len(columns) == 1:
        return Rule(f"one row per {columns[0]}", "ExpectColumnValuesToBeUnique", {"column": columns[0]})
    return Rule(
        f"one row per ({', '.join(columns)})", "ExpectCompoundColumnsToBeUnique", {"column_list": list(columns)}
    )


def values_between(columns: Sequence[str], min_value: float, max_value: float | None, text: str) -> tuple[Rule, ...]:
    return tuple(
        Rule(
            f"{column} {text}",
            "ExpectColumnValuesToBeBetween",
            {"column": column, "min_value": min_value, "max_value": max_value},
        )
        for column in columns
    )


def non_negative(*columns: str) -> tuple[Rule, ...]:
    return values_between(columns, 0, None, "is never negative")


def percentages(*columns: str) -> tuple[Rule, ...]:
    return values_between(columns, 0, 100, "is a percentage (0-100)")


def no_rows(sql: str, description: str) -> Rule:
    """A rule that holds when ``sql`` (which reads the suite's table as ``{batch}``) returns no row."""
    return Rule(description, "UnexpectedRowsExpectation", {"unexpected_rows_query": sql.strip()})


# -- the suites --------------------------------------------------------------------------------------------------
REPORTING_DAYS = f"select count(*) from {MARTS_SCHEMA}.int_reporting_days"
# How far ahead of today a business date may be: organizations' local days run ahead of the server's, and the
# synthetic-data simulator advances a few days at a time; a date beyond it is a typo (2062 for 2026) or a clock bug.
FUTURE_DAYS_ALLOWED = 7
AHEAD = f"more than {FUTURE_DAYS_ALLOWED} days ahead"
DAILY_KEYS = ("organization_id", "metric_date")

ORDER_TOTALS_MATCH_LINES = f"""
select orders.organization_id, orders.id as order_id,
    orders.subtotal - orders.discount_total as net_on_order, coalesce(lines.line_total, 0) as net_of_lines,
    orders.tax_total as tax_on_order, coalesce(lines.tax_amount, 0) as tax_of_lines
from {{batch}} as orders
left join (
    select organization_id, order_id, sum(line_total) as line_total, sum(tax_amount) as tax_amount
    from {APP_SCHEMA}.order_line_items
    group by organization_id, order_id
) as lines
    on lines.organization_id = orders.organization_id and lines.order_id = orders.id
where orders.subtotal - orders.discount_total <> coalesce(lines.line_total, 0)
    or orders.tax_total <> coalesce(lines.tax_amount, 0)
"""

METRICS_AGREE_WITH_MARTS = f"""
with reported as (
    select organization_id, min(metric_date) as first_day, max(metric_date) as last_day,
        sum(orders) as orders, sum(booked_value) as booked_value,
        sum(invoices_issued) as invoices_issued, sum(invoiced_revenue) as invoiced_revenue,
        sum(credit_notes_amount) as credit_notes_amount
    from {{batch}}
    group by organization_id
),
booked as (
    select reported.organization_id, count(orders.order_id) as orders,
        coalesce(sum(orders.net_revenue), 0) as booked_value
    from reported
    left join {MARTS_SCHEMA}.fct_orders as orders
        on orders.organization_id = reported.organization_id and orders.is_booked
        and orders.order_date between reported.first_day and reported.last_day
    group by reported.organization_id
),
invoiced as (
    select reported.organization_id, count(orders.order_id) as invoices_issued,
        coalesce(sum(orders.net_revenue), 0) as invoiced_revenue
    from reported
    left join {MARTS_SCHEMA}.fct_orders as orders
        on orders.organization_id = reported.organization_id and orders.is_invoiced
        and orders.invoice_date between reported.first_day and reported.last_day
    group by reported.organization_id
),
credited as (
    select reported.organization_id, coalesce(sum(credits.credit_amount), 0) as credit_notes_amount
    from reported
    left join {MARTS_SCHEMA}.fct_credit_notes as credits
        on credits.organization_id = reported.organization_id and credits.is_effective
        and credits.issued_date between reported.first_day and reported.last_day
    group by reported.organization_id
)
select reported.organization_id,
    reported.orders, booked.orders as marts_orders,
    reported.booked_value, booked.booked_value as marts_booked_value,
    reported.invoices_issued, invoiced.invoices_issued as marts_invoices_issued,
    reported.invoiced_revenue, invoiced.invoiced_revenue as marts_invoiced_revenue,
    reported.credit_notes_amount, credited.credit_notes_amount as marts_credit_notes_amount
from reported
inner join booked on booked.organization_id = reported.organization_id
inner join invoiced on invoiced.organization_id = reported.organization_id
inner join credited on credited.organization_id = reported.organization_id
where reported.orders <> booked.orders
    or reported.booked_value <> booked.booked_value
    or reported.invoices_issued <> invoiced.invoices_issued
    or reported.invoiced_revenue <> invoiced.invoiced_revenue
    or reported.credit_notes_amount <> credited.credit_notes_amount
"""

SOURCE_SUITES: tuple[Suite, ...] = (
    Suite(
        APP_SCHEMA,
        "organizations",
        "Tenants: present, each with a time zone PostgreSQL knows (every business day is local to it).",
        (
            row_count_at_least(1),
            no_rows(
                "select id, timezone from {batch} where timezone not in (select name from pg_timezone_names)",
                "every organization's time zone is a known IANA zone",
            ),
        ),
    ),
    Suite(
        APP_SCHEMA,
        "customers",
        "Customers: present, and nobody became a customer in the far future.",
        (
            row_count_at_least(1),
            no_rows(
                "select organization_id, id, became_customer_at from {batch} "
                f"where became_customer_at > now() + interval '{FUTURE_DAYS_ALLOWED} days'",
                f"nobody became a customer {AHEAD}",
            ),
        ),
    ),
    Suite(
        APP_SCHEMA,
        "orders",
        "Orders: present, totals that agree with their lines, and no order or invoice dated in the far future.",
        (
            row_count_at_least(1),
            no_rows(ORDER_TOTALS_MATCH_LINES, "each order's subtotal - discount and tax equal the sums of its lines"),
            no_rows(
                "select organization_id, id, order_date from {batch} "
                f"where order_date > current_date + {FUTURE_DAYS_ALLOWED}",
                f"no order is dated {AHEAD}",
            ),
            no_rows(
                "select organization_id, id, invoice_date from {batch} "
                f"where invoice_date > current_date + {FUTURE_DAYS_ALLOWED}",
                f"no invoice is dated {AHEAD}",
            ),
        ),
        reads=((APP_SCHEMA, "order_line_items"),),
    ),
    Suite(
        APP_SCHEMA,
        "order_line_items",
        "Order lines: present.",
        (row_count_at_least(1),),
    ),
)

REPORTING_SUITES: tuple[Suite, ...] = (
    Suite(
        REPORTING_SCHEMA,
        "mv_daily_metrics",
        "Daily sales, billing and receivables: complete calendar, keys, no negative amounts, totals equal the marts'.",
        (
            row_count_equals(REPORTING_DAYS, "one row per organization and day of the reporting calendar"),
            *not_null(*DAILY_KEYS, "currency"),
            unique_together(*DAILY_KEYS),
            *non_negative(
                "orders",
                "booked_value",
                "new_customers",
                "invoices_issued",
                "invoiced_revenue",
                "credit_notes_amount",
                "cost_of_goods_sold",
                "invoices_paid",
                "cash_collected",
                "receivables_outstanding",
                "receivables_overdue",
            ),
            no_rows(
                METRICS_AGREE_WITH_MARTS,
                "orders, booked value, invoices, invoiced revenue and credit notes add up to the marts' totals",
            ),
        ),
        reads=((MARTS_SCHEMA, "int_reporting_days"), (MARTS_SCHEMA, "fct_orders"), (MARTS_SCHEMA, "fct_credit_notes")),
    ),
    Suite(
        REPORTING_SCHEMA,
        "mv_daily_pipeline",
        "Daily pipeline by stage: one row per day and open stage, keys, no negative values.",
        (
            row_count_equals(
                f"select ({REPORTING_DAYS}) * (select count(*) from {MARTS_SCHEMA}.opportunity_stages where is_open)",
                "one row per organization, day of the reporting calendar and open stage",
            ),
            *not_null(*DAILY_KEYS, "stage"),
            unique_together(*DAILY_KEYS, "stage"),
            *non_negative(
                "open_deals",
                "open_value",
                "weighted_value",
                "created_deals",
                "created_value",
                "won_value",
                "lost_value",
            ),
            *percentages("win_rate"),
        ),
        reads=((MARTS_SCHEMA, "int_reporting_days"), (MARTS_SCHEMA, "opportunity_stages")),
    ),
    Suite(
        REPORTING_SCHEMA,
        "mv_daily_warranty",
        "Daily warranty: complete calendar, keys, no negative counts or costs.",
        (
            row_count_equals(REPORTING_DAYS, "one row per organization and day of the reporting calendar"),
            *not_null(*DAILY_KEYS),
            unique_together(*DAILY_KEYS),
            *non_negative(
                "active_warranties",
                "warranties_registered",
                "claims_opened",
                "claims_approved",
                "claims_rejected",
                "claims_resolved",
                "claim_cost",
            ),
        ),
        reads=((MARTS_SCHEMA, "int_reporting_days"),),
    ),
    Suite(
        REPORTING_SCHEMA,
        "mv_daily_jobs",
        "Daily field jobs: complete calendar, keys, no negative hours or costs, rates within 0-100.",
        (
            row_count_equals(REPORTING_DAYS, "one row per organization and day of the reporting calendar"),
            *not_null(*DAILY_KEYS),
            unique_together(*DAILY_KEYS),
            *non_negative("jobs_scheduled", "jobs_completed", "hours_logged", "labour_cost", "material_cost"),
            *percentages("on_time_rate", "first_time_fix_rate", "checklist_completion_rate"),
        ),
        reads=((MARTS_SCHEMA, "int_reporting_days"),),
    ),
    Suite(
        REPORTING_SCHEMA,
        "mv_current_state",
        "Current state: one row per organization, no negative balances or values.",
        (
            row_count_equals(f"select count(*) from {MARTS_SCHEMA}.dim_organizations", "one row per organization"),
            *not_null("organization_id", "as_of_date", "currency"),
            unique_together("organization_id"),
            *non_negative(
                "open_orders_value",
                "receivables_outstanding",
                "receivables_overdue",
                "inventory_value",
                "open_pipeline_value",
            ),
        ),
        reads=((MARTS_SCHEMA, "dim_organizations"),),
    ),
    Suite(
        REPORTING_SCHEMA,
        "target_attainment",
        "Target attainment: at most one row per target, keys, elapsed days within the period.",
        (
            row_count_at_most(f"select count(*) from {APP_SCHEMA}.targets", "at most one row per target"),
            *not_null("organization_id", "target_id", "period_start", "period_end"),
            unique_together("organization_id", "target_id"),
            *non_negative("period_days", "elapsed_days"),
        ),
        reads=((APP_SCHEMA, "targets"),),
    ),
)


SUITES: dict[str, Suite] = {suite.name: suite for suite in (*SOURCE_SUITES, *REPORTING_SUITES)}


# -- running a suite ---------------------------------------------------------------------------------------------
def _observed(result: Mapping[str, Any]) -> str:
    if "observed_value" in result:
        return str(result["observed_value"])
    if "unexpected_count" in result:
        return f"{result['unexpected_count']} unexpected of {result.get('element_count', '?')}"
    return ""


def _exception_message(info: Mapping[str, Any]) -> str | None:
    """The error GX caught while evaluating an expectation, if any (GX reports it instead of raising)."""
    entries = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, Mapping)]
    for entry in entries:
        if entry.get("raised_exception"):
            lines = (entry.get("exception_message") or "unknown error").strip().splitlines()
            return lines[0] if lines else "unknown error"
    return None


@cache
def _context():
    """One ephemeral Great Expectations context per process: the library's import and set-up are paid once."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _data_source(context, url: str, schema: str):
    """The context's PostgreSQL data source for ``schema`` of the database at ``url``, added on first use, its
    search_path set to the schema (table assets then need no schema name)."""
    name = f"warehouse_{schema}_{hashlib.sha256(url.encode()).hexdigest()[:12]}"
    try:
        return context.data_sources.get(name)
    except KeyError:
        return context.data_sources.add_postgres(
            name=name, connection_string=url, kwargs={"connect_args": {"options": f"-c search_path={schema}"}}
        )


def _computed_values(url: str, suite: Suite) -> dict[int, Any]:
    from sqlalchemy import text

    from oltp.database import get_engine

    queries = {index: rule.computed[1] for index, rule in enumerate(suite.rules) if rule.computed}
    if not queries:
        return {}
    with get_engine(url).connect() as conn:
        return {index: conn.execute(text(sql)).scalar_one() for index, sql in queries.items()}


def prepare() -> None:
    """Import Great Expectations and set its context up now (seconds), not when the first suite runs."""
    _context()


def result_as_dict(result: SuiteResult) -> dict:
    return {"suite": result.suite.name, "rules": [list(astuple(rule)) for rule in result.rules]}


def result_from_dict(data: Mapping[str, Any]) -> SuiteResult:
    return SuiteResult(SUITES[data["suite"]], tuple(RuleResult(*rule) for rule in data["rules"]))


_VALIDATING = threading.Lock()


def validate(url: str, suites: Sequence[Suite]) -> list[SuiteResult]:
    """Run ``suites`` against the database at ``url``; raises ValidationError when a rule could not be evaluated."""
    with _VALIDATING:
        context = _context()
        return [_validate_suite(context, url, suite) for suite in suites]


def _validate_suite(context, url: str, suite: Suite) -> SuiteResult:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    source = _data_source(context, url, suite.schema)
    computed = _computed_values(url, suite)
    expectations = []
    for index, rule in enumerate(suite.rules):
        kwargs = {name: value for name, value in rule.kwargs.items() if value is not None}
        if rule.computed:
            kwargs[rule.computed[0]] = computed[index]
        expectations.append(getattr(gxe, rule.expectation)(**kwargs, meta={"rule": index}))
    try:
        asset = source.get_asset(suite.name)
    except LookupError:
        asset = source.add_table_asset(name=suite.name, table_name=suite.table)
    try:
        batch = asset.get_batch_definition("whole table")
    except KeyError:
        batch = asset.add_batch_definition_whole_table(name="whole table")
    expectation_suite = context.suites.add_or_update(gx.ExpectationSuite(name=suite.name, expectations=expectations))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=expectation_suite)
    )
    outcome = definition.run(result_format="SUMMARY")
    by_rule: dict[int, RuleResult] = {}
    for result in outcome.results:
        index = result.expectation_config.meta["rule"]
        rule = suite.rules[index]
        message = _exception_message(result.exception_info or {})
        if message is not None:
            raise ValidationError(f"{suite.name}: could not evaluate '{rule.description}': {message}")
        by_rule[index] = RuleResult(rule.description, rule.expectation, bool(result.success), _observed(result.result))
    return SuiteResult(suite, tuple(by_rule[index] for index in sorted(by_rule)))


# -- as Dagster asset checks -------------------------------------------------------------------------------------
def _rules_markdown(result: SuiteResult) -> str:
    lines = ["| | rule | observed |", "| --- | --- | --- |"]
    lines += [f"| {'✅' if r.success else '❌'} | {r.description} | {r.observed} |" for r in result.rules]
    return "\n".join(lines)


def check_result(result: SuiteResult) -> dg.AssetCheckResult:
    """A suite's outcome as a Dagster check result: the failed rules in the description, every rule in metadata."""
    failed = result.failed
    return dg.AssetCheckResult(
        passed=result.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"all {len(result.rules)} rules hold"
            if not failed
            else "failed: " + "; ".join(f"{r.description} (observed {r.observed})" for r in failed)
        ),
        metadata={
            "suite": result.suite.name,
            "rules": dg.MetadataValue.int(len(result.rules)),
            "failed_rules": dg.MetadataValue.int(len(failed)),
            "results": dg.MetadataValue.md(_rules_markdown(result)),
        },
    )


def source_tables(suite: Suite) -> set[str]:
    """The `app` tables a suite reads: its own and those its rules query."""
    return {table for schema, table in ((suite.schema, suite.table), *suite.reads) if schema == APP_SCHEMA}


def passed_node(suite: Suite) -> str:
    """The name under which `marts.built_from` keeps the inputs a source suite last passed on."""
    return f"check:{suite.name} gx_suite"


def passed_fingerprint(suite: Suite, inputs) -> str:
    """What a source suite's outcome depends on: its rules and the data versions of the tables it reads (every rule
    on dates only gets easier to meet as time passes, so a suite that passed on these tables passes again)."""
    from orchestration.defs.warehouse.changes import check_fingerprint

    return check_fingerprint(repr(suite), source_tables(suite), inputs)


def suite_check(
    suite: Suite,
    asset_key: dg.AssetKey,
    blocking: bool,
    additional_deps: Sequence[dg.AssetKey] = (),
    remember_pass: bool = False,
) -> dg.AssetChecksDefinition:
    """The asset check `gx_suite` on ``asset_key`` that runs ``suite``; a rule that fails fails the check (ERROR).
    With ``remember_pass`` (the source suites), a pass is recorded with the data versions it was evaluated on, and a
    refresh leaves the check out while they stay the same."""

    @dg.asset_check(
        asset=asset_key,
        name="gx_suite",
        description=f"Great Expectations suite {suite.name}: {suite.description}",
        blocking=blocking,
        additional_deps=list(additional_deps),
        retry_policy=TRANSIENT_DATABASE_RETRY,
        metadata={"rules": dg.MetadataValue.md("\n".join(f"- {rule.description}" for rule in suite.rules))},
    )
    def gx_suite(database: WarehouseDatabase) -> dg.AssetCheckResult:
        from orchestration.defs.warehouse import changes
        from orchestration.defs.warehouse.worker import warehouse_worker

        try:
            bases = {}
            if remember_pass:
                with database.engine().connect() as conn:
                    inputs = changes.read_inputs(conn)
                bases[suite.name] = passed_fingerprint(suite, inputs)
            # in the warehouse worker, where Great Expectations is imported once and the suite may have been
            # validated ahead, on the same data (while the run was planned, or as dbt built the relation)
            [answer] = warehouse_worker().validate(database.resolved_url(), [suite.name], bases)
            result = result_from_dict(answer)
            if remember_pass and result.success:
                with database.engine().begin() as conn:
                    changes.record_built(conn, {passed_node(suite): passed_fingerprint(suite, inputs)})
        except Exception as error:
            raise failure_unless_transient(error, f"suite {suite.name} could not run") from error
        return check_result(result)

    return gx_suite
