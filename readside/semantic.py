"""Custom reports on the semantic layer: the semantic models and metrics of `dbt/models/**/_*__models.yml` (the
MetricFlow definitions that also compute `reporting.target_attainment`), compiled to SQLAlchemy Core.

User input never becomes SQL text: metric, dimension and filter names are looked up in that YAML and anything
else is rejected with the list of valid names; filter values and dates are bound parameters. The SQL expressions
in the query come from the YAML in the repository. SQL filters, groups and sums the measures; ratios and derived
metrics are then evaluated in Python with Decimal arithmetic from their YAML formulas.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from oltp.errors import WarehouseError
from oltp.schemas import MARTS_SCHEMA
from oltp.settings import REPO_ROOT

DBT_MODELS_DIR = REPO_ROOT / "dbt" / "models"
TIME_GRAINS = ("day", "week", "month", "quarter", "year")
DEFINITION_KEYS = ("metrics", "dimensions", "time_grain", "filters", "date_range")
OPERATORS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte")
RELATIVE_UNITS = ("day", "week", "month", "quarter", "year")
METRIC_TIME = "metric_time"
# Units whose values are shown with 2 decimals (the rest are counts, or hours with 3).
TWO_DECIMAL_UNITS = ("money", "percent", "score", "points")
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_REF = re.compile(r"""ref\(\s*['"]([a-z_][a-z0-9_]*)['"]\s*\)""")


class ReportDefinitionError(WarehouseError, ValueError):
    """A custom report definition names something that does not exist or is malformed; the message says what."""


# -- the YAML ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    name: str
    expr: str
    time_dimension: str
    semantic_model: str


@dataclass(frozen=True)
class SemanticModel:
    name: str
    table: str
    primary_entity: str | None
    entities: Mapping[str, str]  # entity name -> column expression (primary and foreign)
    dimensions: Mapping[str, str]  # categorical dimension name -> column expression
    time_dimensions: Mapping[str, str]
    measures: Mapping[str, Measure]
    aliases: Mapping[str, str]  # short name users may type -> dimension name


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    description: str
    unit: str
    kind: str  # simple, ratio or derived
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    expr: str | None = None
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DimensionPath:
    """How one semantic model reaches a dimension: on its own table, or through an entity join to another model."""

    expr: str
    joined_model: str | None = None
    entity: str | None = None


@dataclass
class SemanticLayer:
    semantic_models: dict[str, SemanticModel]
    metrics: dict[str, Metric]
    _measure_models: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for model in self.semantic_models.values():
            for measure in model.measures:
                self._measure_models[measure] = model.name

    @classmethod
    def from_yaml_files(cls, paths: Sequence[Path]) -> SemanticLayer:
        import yaml

        models: dict[str, SemanticModel] = {}
        metrics: dict[str, Metric] = {}
        for path in sorted(paths):
            document = yaml.safe_load(path.read_text()) or {}
            for raw in document.get("semantic_models") or []:
                model = _semantic_model(raw)
                models[model.name] = model
            for raw in document.get("metrics") or []:
                metric = _metric(raw)
                metrics[metric.name] = metric
        return cls(models, metrics)

    # -- what a metric is made of ------------------------------------------------------------------------------
    def measures_of(self, metric_name: str) -> list[str]:
        metric = self.metrics[metric_name]
        if metric.kind == "simple":
            return [metric.measure]
        inputs = (metric.numerator, metric.denominator) if metric.kind == "ratio" else metric.inputs
        found: list[str] = []
        for name in inputs:
            found += [m for m in self.measures_of(name) if m not in found]
        return found

    def model_of(self, measure: str) -> SemanticModel:
        return self.semantic_models[self._measure_models[measure]]

    def dimension_paths(self, model: SemanticModel) -> dict[str, DimensionPath]:
        """Every dimension name the model can group or filter by: `entity__dimension` and, when unambiguous
        among them, the bare dimension name or an alias."""
        full: dict[str, DimensionPath] = {}
        short: dict[str, list[DimensionPath]] = {}

        def add(entity: str, owner: SemanticModel, path_of):
            for name, expr in owner.dimensions.items():
                path = path_of(expr)
                full[f"{entity}__{name}"] = path
                short.setdefault(name, []).append(path)
            for alias, target in owner.aliases.items():
                if target in owner.dimensions:
                    short.setdefault(alias, []).append(path_of(owner.dimensions[target]))

        if model.primary_entity:
            add(model.primary_entity, model, lambda expr: DimensionPath(expr))
        for entity in model.entities:
            if entity == model.primary_entity:
                continue
            for other in self.semantic_models.values():
                if other.primary_entity == entity and other.name != model.name:
                    add(entity, other, lambda expr, other=other, entity=entity: DimensionPath(expr, other.name, entity))
        for name, paths in short.items():
            if len(paths) == 1 and name not in full:
                full[name] = paths[0]
        return full

    def dimensions_for(self, metric_names: Sequence[str]) -> dict[str, dict[str, DimensionPath]]:
        """Dimension name -> (semantic model -> path), for the names every model behind the metrics reaches."""
        models = {self.model_of(m).name for name in metric_names for m in self.measures_of(name)}
        reachable = {name: self.dimension_paths(self.semantic_models[name]) for name in sorted(models)}
        common = set.intersection(*(set(paths) for paths in reachable.values())) if reachable else set()
        return {dim: {model: reachable[model][dim] for model in reachable} for dim in sorted(common)}


def _table_of(raw: dict) -> str:
    match = _REF.fullmatch(str(raw.get("model", "")).strip())
    if not match:
        raise ValueError(f"semantic model {raw.get('name')} must read a model with ref('...')")
    return match.group(1)


def _semantic_model(raw: dict) -> SemanticModel:
    entities = {e["name"]: e.get("expr") or e["name"] for e in raw.get("entities") or []}
    primary = next((e["name"] for e in raw.get("entities") or [] if e.get("type") == "primary"), None)
    dimensions, time_dimensions = {}, {}
    for dimension in raw.get("dimensions") or []:
        target = time_dimensions if dimension.get("type") == "time" else dimensions
        target[dimension["name"]] = dimension.get("expr") or dimension["name"]
    default_time = (raw.get("defaults") or {}).get("agg_time_dimension")
    measures = {}
    for measure in raw.get("measures") or []:
        if measure.get("agg") != "sum":
            raise ValueError(f"measure {measure['name']} must aggregate with sum")
        time_name = measure.get("agg_time_dimension") or default_time
        measures[measure["name"]] = Measure(
            measure["name"], str(measure.get("expr") or measure["name"]), time_name, raw["name"]
        )
    meta = ((raw.get("config") or {}).get("meta") or {}) | (raw.get("meta") or {})
    return SemanticModel(
        name=raw["name"],
        table=_table_of(raw),
        primary_entity=primary,
        entities=entities,
        dimensions=dimensions,
        time_dimensions=time_dimensions,
        measures=measures,
        aliases=dict(meta.get("aliases") or {}),
    )


def _metric(raw: dict) -> Metric:
    params = raw.get("type_params") or {}
    meta = ((raw.get("config") or {}).get("meta") or {}) | (raw.get("meta") or {})
    common = {
        "name": raw["name"],
        "label": raw.get("label") or raw["name"],
        "description": " ".join(str(raw.get("description") or "").split()),
        "unit": str(meta.get("unit", "")),
        "kind": raw["type"],
    }
    if raw["type"] == "simple":
        measure = params["measure"]
        return Metric(**common, measure=measure["name"] if isinstance(measure, dict) else measure)
    if raw["type"] == "ratio":
        return Metric(**common, numerator=_name(params["numerator"]), denominator=_name(params["denominator"]))
    return Metric(**common, expr=params["expr"], inputs=tuple(_name(m) for m in params["metrics"]))


def _name(value: Any) -> str:
    return value["name"] if isinstance(value, dict) else str(value)


@cache
def _cached_layer(models_dir: Path) -> SemanticLayer:
    return SemanticLayer.from_yaml_files(list(models_dir.rglob("*.yml")))


def load_semantic_layer(models_dir: Path = DBT_MODELS_DIR) -> SemanticLayer:
    """The semantic layer of the dbt project (read once per process)."""
    return _cached_layer(Path(models_dir).resolve())


# -- validating a definition ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class ReportRequest:
    metrics: tuple[str, ...]
    dimensions: tuple[str, ...]
    time_grain: str | None
    filters: tuple[Filter, ...]
    start: date | None
    end: date | None


def _listing(names) -> str:
    return ", ".join(sorted(names)) or "(none)"


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_definition(definition: Any, layer: SemanticLayer, as_of: date | None = None) -> ReportRequest:
    """Check a custom_reports definition against the semantic layer; raise ReportDefinitionError naming the
    problem and the valid choices."""
    if not isinstance(definition, Mapping):
        raise ReportDefinitionError(
            f"a report definition is an object with keys {', '.join(DEFINITION_KEYS)}, got {type(definition).__name__}"
        )
    unknown = [key for key in definition if key not in DEFINITION_KEYS]
    if unknown:
        raise ReportDefinitionError(
            f"unknown definition key {_describe(unknown[0])}; valid keys: {', '.join(DEFINITION_KEYS)}"
        )

    metrics = definition.get("metrics")
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str) for m in metrics):
        raise ReportDefinitionError(
            f"metrics must be a non-empty list of metric names, got {_describe(metrics)}; "
            f"valid metrics: {_listing(layer.metrics)}"
        )
    for name in metrics:
        if name not in layer.metrics:
            raise ReportDefinitionError(f"unknown metric {_describe(name)}; valid metrics: {_listing(layer.metrics)}")
    metrics = list(dict.fromkeys(metrics))
    available = layer.dimensions_for(metrics)

    dimensions = definition.get("dimensions") or []
    if not isinstance(dimensions, list) or not all(isinstance(d, str) for d in dimensions):
        raise ReportDefinitionError(
            f"dimensions must be a list of dimension names, got {_describe(dimensions)}; "
            f"valid dimensions for {', '.join(metrics)}: {_listing(available)}"
        )
    if METRIC_TIME in dimensions:
        raise ReportDefinitionError("metric_time is set with time_grain, not listed in dimensions")
    for name in dimensions:
        if name not in available:
            raise ReportDefinitionError(
                f"unknown dimension {_describe(name)} for metrics {', '.join(metrics)}; "
                f"valid dimensions: {_listing(available)}"
            )

    grain = definition.get("time_grain")
    if grain is not None and grain not in TIME_GRAINS:
        raise ReportDefinitionError(
            f"unknown time_grain {_describe(grain)}; valid time grains: {', '.join(TIME_GRAINS)} (or null for totals)"
        )

    filters = tuple(_filter(position, raw, available) for position, raw in enumerate(_filter_list(definition), 1))
    start, end = _date_range(definition.get("date_range"), as_of)
    return ReportRequest(tuple(metrics), tuple(dict.fromkeys(dimensions)), grain, filters, start, end)


def _filter_list(definition: Mapping) -> list:
    raw = definition.get("filters")
    if raw is None:
        return []
    if isinstance(raw, Mapping):  # shorthand {field: value or [values]}
        return [
            {"field": key, "op": "in", "values": value}
            if isinstance(value, list)
            else {"field": key, "op": "eq", "value": value}
            for key, value in raw.items()
        ]
    if isinstance(raw, list):
        return raw
    raise ReportDefinitionError(f"filters must be a list of {{field, op, value}} objects, got {_describe(raw)}")


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, date))


def _filter(position: int, raw: Any, available: Mapping[str, Any]) -> Filter:
    shape = (
        f'filter #{position} is malformed ({_describe(raw)}): use {{"field": name, "op": one of '
        f'{", ".join(OPERATORS)}, "value": v}}, or "values": [v, ...] with in / not_in'
    )
    if not isinstance(raw, Mapping) or not isinstance(raw.get("field"), str) or raw.get("op") not in OPERATORS:
        raise ReportDefinitionError(shape)
    if set(raw) - {"field", "op", "value", "values"}:
        raise ReportDefinitionError(shape)
    if raw["field"] not in available:
        raise ReportDefinitionError(
            f"unknown filter field {_describe(raw['field'])} in filter #{position}; valid fields: {_listing(available)}"
        )
    if raw["op"] in ("in", "not_in"):
        values = raw.get("values", raw.get("value"))
        if not isinstance(values, list) or not values or not all(_scalar(v) for v in values):
            raise ReportDefinitionError(shape)
        return Filter(raw["field"], raw["op"], tuple(values))
    if "value" not in raw or not _scalar(raw["value"]):
        raise ReportDefinitionError(shape)
    return Filter(raw["field"], raw["op"], (raw["value"],))


def _parse_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ReportDefinitionError(f"date_range {what} {_describe(value)} is not a date; use YYYY-MM-DD") from None


def _date_range(raw: Any, as_of: date | None) -> tuple[date | None, date | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, Mapping):
        raise ReportDefinitionError(
            f'date_range must be {{"start": date, "end": date}} or {{"type": "relative", "last": n, '
            f'"unit": one of {", ".join(RELATIVE_UNITS)}}}, got {_describe(raw)}'
        )
    if raw.get("type") == "relative":
        last, unit = raw.get("last"), raw.get("unit")
        if not isinstance(last, int) or isinstance(last, bool) or last < 1:
            raise ReportDefinitionError(f"date_range last must be a whole number of at least 1, got {_describe(last)}")
        if unit not in RELATIVE_UNITS:
            raise ReportDefinitionError(
                f"unknown date_range unit {_describe(unit)}; valid units: {', '.join(RELATIVE_UNITS)}"
            )
        today = as_of or date.today()
        return _period_start(today, unit, last - 1), today
    if raw.get("type") not in (None, "absolute") or set(raw) - {"type", "start", "end"}:
        raise ReportDefinitionError(
            f"date_range {_describe(raw)} is neither absolute {{start, end}} nor relative {{type, last, unit}}"
        )
    start = _parse_date(raw["start"], "start") if raw.get("start") is not None else None
    end = _parse_date(raw["end"], "end") if raw.get("end") is not None else None
    if start and end and start > end:
        raise ReportDefinitionError(f"date_range start {start} is after its end {end}; swap them")
    return start, end


def _period_start(day: date, unit: str, periods_back: int) -> date:
    """First day of the `unit` containing `day`, `periods_back` units earlier."""
    if unit == "day":
        return day - timedelta(days=periods_back)
    if unit == "week":
        return day - timedelta(days=day.weekday() + 7 * periods_back)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    first_month = (day.month - 1) // months * months
    index = day.year * 12 + first_month - periods_back * months
    return date(index // 12, index % 12 + 1, 1)


# -- compiling ------------------------------------------------------------------------------------------------------
def _expression(sql: str):
    """A SQL expression from the semantic-layer YAML (repository code, never user input)."""
    from sqlalchemy import literal_column

    return literal_column(f"({sql})")


def _table(name: str):
    from sqlalchemy import table

    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"semantic model table {name!r} is not a plain identifier")
    return table(name, schema=MARTS_SCHEMA)


def _compare(column, op: str, values: tuple):
    if op == "eq":
        return column == values[0]
    if op == "ne":
        return column != values[0]
    if op == "in":
        return column.in_(list(values))
    if op == "not_in":
        return column.not_in(list(values))
    return {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}[op](column, values[0])


def compile_report(layer: SemanticLayer, request: ReportRequest, organization_id: int):
    """The SQLAlchemy query for a validated request: one row per time bucket and dimension values, one column per
    measure (m_0, m_1, ...); returns (query, measure names by column)."""
    from sqlalchemy import Date, and_, bindparam, cast, func, select, true, union

    organization = bindparam("organization_id", organization_id)
    measures: dict[str, list[str]] = {}
    for metric in request.metrics:
        for measure in layer.measures_of(metric):
            model = layer.model_of(measure)
            key = f"{model.name}:{model.measures[measure].time_dimension}"
            measures.setdefault(key, [])
            if measure not in measures[key]:
                measures[key].append(measure)
    paths = layer.dimensions_for(request.metrics)
    wanted = list(request.dimensions) + [f.field for f in request.filters if f.field not in request.dimensions]
    key_names = ([METRIC_TIME] if request.time_grain else []) + [f"d_{i}" for i in range(len(request.dimensions))]

    groups, measure_columns = [], {}
    for group_index, (key, names) in enumerate(measures.items()):
        model = layer.semantic_models[key.split(":")[0]]
        time_expr = model.time_dimensions[model.measures[names[0]].time_dimension]
        base_columns = [
            _expression("organization_id").label("organization_id"),
            cast(_expression(time_expr), Date).label("metric_date"),
        ]
        local = {}
        joins: dict[str, list] = {}
        for index, name in enumerate(wanted):
            path = paths[name][model.name]
            if path.joined_model is None:
                local[name] = f"l_{index}"
                base_columns.append(_expression(path.expr).label(f"l_{index}"))
            else:
                joins.setdefault(path.joined_model, []).append((name, index, path))
        for entity_index, joined in enumerate(joins):
            entity = joins[joined][0][2].entity
            base_columns.append(_expression(model.entities[entity]).label(f"e_{entity_index}"))
        for index, name in enumerate(names):
            base_columns.append(_expression(model.measures[name].expr).label(f"v_{index}"))
        base_filter = [_expression("organization_id") == organization, _expression(time_expr).is_not(None)]
        if request.start:
            base_filter.append(_expression(time_expr) >= bindparam(f"start_{group_index}", request.start))
        if request.end:
            base_filter.append(_expression(time_expr) <= bindparam(f"end_{group_index}", request.end))
        base = select(*base_columns).select_from(_table(model.table)).where(*base_filter).subquery(f"b_{group_index}")

        columns_by_name = {name: base.c[label] for name, label in local.items()}
        source = base
        for entity_index, (joined, items) in enumerate(joins.items()):
            other = layer.semantic_models[joined]
            entity = items[0][2].entity
            dimension_columns = [_expression(path.expr).label(f"j_{index}") for _, index, path in items]
            side = (
                select(_expression(other.entities[entity]).label("k"), *dimension_columns)
                .select_from(_table(other.table))
                .where(_expression("organization_id") == organization)
                .subquery(f"j_{group_index}_{entity_index}")
            )
            source = source.outerjoin(side, side.c.k == base.c[f"e_{entity_index}"])
            for name, index, _ in items:
                columns_by_name[name] = side.c[f"j_{index}"]

        keys = []
        if request.time_grain:
            keys.append(
                cast(
                    func.date_trunc(bindparam(f"grain_{group_index}", request.time_grain), base.c.metric_date), Date
                ).label(METRIC_TIME)
            )
        keys += [columns_by_name[name].label(f"d_{i}") for i, name in enumerate(request.dimensions)]
        sums = []
        for index, name in enumerate(names):
            label = f"m_{len(measure_columns)}"
            measure_columns[label] = name
            sums.append(func.sum(base.c[f"v_{index}"]).label(label))
        conditions = [_compare(columns_by_name[f.field], f.op, f.values) for f in request.filters]
        query = select(*keys, *sums).select_from(source)
        if conditions:
            query = query.where(and_(*conditions))
        if keys:
            query = query.group_by(*keys)
        groups.append(query.subquery(f"g_{group_index}"))

    if not key_names:
        # each group is one row of totals
        source = groups[0]
        for group in groups[1:]:
            source = source.join(group, true())
        return select(*[column for group in groups for column in group.c]).select_from(source), measure_columns

    all_keys = union(*[select(*[group.c[name] for name in key_names]) for group in groups]).subquery("all_keys")
    query = select(*[all_keys.c[name] for name in key_names]).select_from(all_keys)
    outer = all_keys
    for group in groups:
        outer = outer.outerjoin(
            group, and_(*[group.c[name].is_not_distinct_from(all_keys.c[name]) for name in key_names])
        )
        query = query.add_columns(*[column for column in group.c if column.name.startswith("m_")])
    query = query.select_from(outer).order_by(*[all_keys.c[name] for name in key_names])
    return query, measure_columns


DAILY_VALUES = "int_metric_daily_values"


def compile_daily_report(layer: SemanticLayer, request: ReportRequest, organization_id: int):
    """The query for a request without dimensions or filters, from the daily values every measure already has per
    organization and day (``int_metric_daily_values``, built with the marts: the same sums, one index range per
    measure instead of scanning each fact table's organization); same shape as compile_report's. A report over
    two years by month reads ~730 rows per measure and person, not every order of those years."""
    from sqlalchemy import Date, and_, bindparam, case, cast, column, func, select, table

    daily = table(DAILY_VALUES, column("organization_id"), column("metric_date"), column("measure_name"),
                  column("value"), schema=MARTS_SCHEMA)  # fmt: skip
    names = list(dict.fromkeys(measure for metric in request.metrics for measure in layer.measures_of(metric)))
    conditions = [
        daily.c.organization_id == bindparam("organization_id", organization_id),
        daily.c.measure_name.in_(bindparam("measures", names, expanding=True)),
    ]
    if request.start:
        conditions.append(daily.c.metric_date >= bindparam("start", request.start))
    if request.end:
        conditions.append(daily.c.metric_date <= bindparam("end", request.end))
    keys = []
    if request.time_grain:
        keys.append(
            cast(func.date_trunc(bindparam("grain", request.time_grain), daily.c.metric_date), Date).label(METRIC_TIME)
        )
    measure_columns = {f"m_{index}": name for index, name in enumerate(names)}
    sums = [
        func.sum(case((daily.c.measure_name == bindparam(f"measure_{index}", name), daily.c.value))).label(label)
        for index, (label, name) in enumerate(measure_columns.items())
    ]
    query = select(*keys, *sums).where(and_(*conditions))
    if keys:
        query = query.group_by(*keys).order_by(*keys)
    return query, measure_columns


# -- evaluating metrics -------------------------------------------------------------------------------------------
def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate_formula(expr: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """Evaluate a derived metric's YAML formula (numbers, metric names, + - * /, nullif, coalesce) the way SQL would:
    NULL in, NULL out; nullif(x, y) is NULL when x = y."""

    def walk(node) -> Decimal | None:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = walk(node.operand)
            return None if inner is None else -inner
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Div) and right == 0:
                raise ZeroDivisionError(f"division by zero in metric formula {expr!r}")
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            arguments = [walk(argument) for argument in node.args]
            if node.func.id == "nullif" and len(arguments) == 2:
                return None if arguments[0] is None or arguments[0] == arguments[1] else arguments[0]
            if node.func.id == "coalesce" and arguments:
                return next((a for a in arguments if a is not None), None)
        raise ValueError(f"unsupported metric formula {expr!r}")

    return walk(ast.parse(expr, mode="eval"))


def metric_value(layer: SemanticLayer, name: str, measure_totals: Mapping[str, Decimal | None]) -> Decimal | None:
    """A metric from its measures' totals, as in the YAML: simple metrics fill a missing total with 0."""
    metric = layer.metrics[name]
    if metric.kind == "simple":
        total = measure_totals.get(metric.measure)
        return Decimal(0) if total is None else total
    if metric.kind == "ratio":
        numerator = metric_value(layer, metric.numerator, measure_totals)
        denominator = metric_value(layer, metric.denominator, measure_totals)
        if numerator is None or denominator is None or denominator == 0:
            return None
        return numerator / denominator
    inputs = {input_name: metric_value(layer, input_name, measure_totals) for input_name in metric.inputs}
    return evaluate_formula(metric.expr, inputs)


def _rounded(value: Decimal | None, unit: str) -> float | None:
    if value is None:
        return None
    places = Decimal("0.01") if unit in TWO_DECIMAL_UNITS else Decimal("0.001")
    return float(value.quantize(places, rounding=ROUND_HALF_UP))


# -- the entry point ------------------------------------------------------------------------------------------------
def run_custom_report(
    definition: Mapping[str, Any],
    organization_id: int,
    *,
    engine=None,
    connection=None,
    layer: SemanticLayer | None = None,
):
    """Run a custom_reports definition for one organization and return a pandas DataFrame: metric_time (when a
    time_grain is set), one column per dimension (named as requested), one column per metric (money and rates to
    the cent, counts and hours exact). Raises ReportDefinitionError for an invalid definition.

    The read side passes ``connection``: the reader's, scoped to the organization (readside.database.scoped), so
    row-level security bounds the query whatever it compiles to."""
    from contextlib import nullcontext

    from sqlalchemy import bindparam, select, table

    from oltp.database import get_engine

    if isinstance(organization_id, bool) or not isinstance(organization_id, int):
        raise ReportDefinitionError(f"organization_id must be a whole number, got {_describe(organization_id)}")
    layer = layer or load_semantic_layer()
    with nullcontext(connection) if connection is not None else (engine or get_engine()).connect() as conn:
        as_of = conn.execute(
            select(_expression("as_of_date"))
            .select_from(table("dim_organizations", schema=MARTS_SCHEMA))
            .where(_expression("organization_id") == bindparam("organization_id", organization_id))
        ).scalar()
        request = validate_definition(definition, layer, as_of=as_of)
        if request.dimensions or request.filters:
            query, measure_columns = compile_report(layer, request, organization_id)
        else:
            query, measure_columns = compile_daily_report(layer, request, organization_id)
        result = conn.execute(query)
        rows = [row._mapping for row in result]
    return report_frame(layer, request, rows, measure_columns)


def report_frame(layer: SemanticLayer, request: ReportRequest, rows, measure_columns: Mapping[str, str]):
    """The report's DataFrame from its query's rows: each metric computed from its measures' totals."""
    import pandas as pd

    key_columns = ([METRIC_TIME] if request.time_grain else []) + list(request.dimensions)
    records = []
    for row in rows:
        totals: dict[str, Decimal | None] = {}
        for label, measure in measure_columns.items():
            totals[measure] = _decimal(row.get(label))
        record = {}
        if request.time_grain:
            record[METRIC_TIME] = row[METRIC_TIME]
        for index, name in enumerate(request.dimensions):
            record[name] = row[f"d_{index}"]
        for name in request.metrics:
            record[name] = _rounded(metric_value(layer, name, totals), layer.metrics[name].unit)
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[*key_columns, *request.metrics])
    for name in request.metrics:
        frame[name] = frame[name].astype("float64")
    return frame
