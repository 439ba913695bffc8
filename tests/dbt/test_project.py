"""The dbt project's contracts that need no database: generated files are current, every reporting column is
documented with definition, unit and grain, and the semantic layer defines every metric targets are set on."""

from __future__ import annotations

import importlib.util
import re

import yaml

from oltp.models.analytics import TARGET_METRICS
from oltp.schemas import MARTS_SCHEMA, REPORTING_SCHEMA, STAGING_SCHEMA
from orchestration.dbt_runner import DBT_PROJECT_DIR
from readside.semantic import load_semantic_layer

REPORTING = ("mv_daily_metrics", "mv_daily_pipeline", "mv_daily_warranty", "mv_daily_jobs", "mv_current_state",
             "target_attainment")  # fmt: skip


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, DBT_PROJECT_DIR / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reporting_models() -> dict[str, dict]:
    document = yaml.safe_load((DBT_PROJECT_DIR / "models" / "reporting" / "_reporting__models.yml").read_text())
    return {model["name"]: model for model in document["models"]}


def test_sources_yaml_is_generated_from_the_current_operational_models():
    module = _script("generate_sources")
    assert module.SOURCES_FILE.read_text() == module.render(), "run: .venv/bin/python dbt/scripts/generate_sources.py"


def test_metric_glossary_is_generated_from_the_current_yaml():
    module = _script("generate_glossary")
    assert module.GLOSSARY.read_text() == module.render(), "run: .venv/bin/python dbt/scripts/generate_glossary.py"


def test_reporting_relations_have_exactly_the_issue_names_and_sql_files():
    files = {path.stem for path in (DBT_PROJECT_DIR / "models" / "reporting").glob("*.sql")}
    assert files == set(REPORTING)
    assert set(_reporting_models()) == set(REPORTING)


def test_every_reporting_column_has_a_definition_unit_grain_and_type():
    for name, model in _reporting_models().items():
        assert model.get("description"), name
        assert model["config"]["meta"]["grain"], name
        for column in model["columns"]:
            meta = column["config"]["meta"]
            where = f"{name}.{column['name']}"
            assert len(column.get("description", "")) > 15, where
            assert meta.get("unit") and meta.get("grain"), where
            assert column.get("data_type"), where


def test_reporting_contracts_are_enforced_and_schemas_are_the_named_constants():
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    models = project["models"]["fieldservice_warehouse"]
    assert models["reporting"]["+contract"] == {"enforced": True}
    assert models["reporting"]["+schema"] == REPORTING_SCHEMA
    assert models["marts"]["+schema"] == MARTS_SCHEMA
    assert models["staging"]["+schema"] == STAGING_SCHEMA
    assert (DBT_PROJECT_DIR / "packages.yml").exists() is False


def test_staging_models_read_one_source_and_join_nothing():
    for path in (DBT_PROJECT_DIR / "models" / "staging" / "app").glob("stg_app__*.sql"):
        sql = path.read_text()
        assert len(re.findall(r"source\('app', '(\w+)'\)", sql)) == 1, path.name
        assert path.stem == "stg_app__" + re.search(r"source\('app', '(\w+)'\)", sql).group(1), path.name
        assert not re.search(r"\bjoin\b", sql), path.name


def test_every_target_metric_is_a_semantic_layer_metric_with_a_unit():
    layer = load_semantic_layer()
    assert set(TARGET_METRICS) <= set(layer.metrics)
    for metric in layer.metrics.values():
        assert metric.unit and metric.description, metric.name
        for measure in layer.measures_of(metric.name):
            assert layer.model_of(measure), (metric.name, measure)
