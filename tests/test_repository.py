"""The repository's contracts: the README's two commands, CI, lint, and a docker-compose file that hangs together."""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from oltp.settings import ENVIRONMENT_VARIABLES
from tests.conftest import REPO_ROOT

BIN = Path(sys.executable).parent
APP_SERVICES_IMAGE = "fieldservice-warehouse:latest"


def _compose() -> dict:
    return yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())


def _app_services() -> dict[str, dict]:
    return {name: svc for name, svc in _compose()["services"].items() if svc.get("image") == APP_SERVICES_IMAGE}


def test_readme_starts_with_the_two_commands_and_ci_runs_exactly_the_test_one():
    readme = (REPO_ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.S)
    assert blocks[0].strip().splitlines()[-1] == "make run"
    assert blocks[1].strip().splitlines()[-1] == "make test"
    ci = [line for line in (REPO_ROOT / ".ci/run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "make test"


def test_readme_documents_every_environment_variable_and_cli_command():
    readme = (REPO_ROOT / "README.md").read_text()
    for name in ENVIRONMENT_VARIABLES:
        assert f"`{name}`" in readme, name
    for command in ("db start", "db stop", "db status", "db url", "migrate", "doctor", "run", "serve"):
        assert f"warehouse {command}" in readme, command
    assert "```mermaid" in readme


def test_python_packages_import_from_the_repository():
    for package in ("oltp", "orchestration", "dashboards", "benchmarks"):
        assert importlib.util.find_spec(package) is not None, package


def test_ruff_lint_and_format_are_clean():
    lint = subprocess.run([BIN / "ruff", "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run([BIN / "ruff", "format", "--check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout


def test_compose_has_the_platform_services_with_healthy_ordering():
    services = _compose()["services"]
    assert set(services) == {
        "postgres", "migrate", "dagster-webserver", "dagster-daemon", "streamlit", "oidc", "mailpit"
    }  # fmt: skip
    assert services["postgres"]["image"].startswith("postgres:16")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["postgres"]["volumes"])
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"
            if rule["condition"] == "service_completed_successfully":
                assert services[dependency].get("restart") == "no", f"{dependency} is not a one-shot"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("dagster-webserver", "dagster-daemon", "streamlit"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_host_ports_do_not_clash():
    published = [
        str(port).split(":")[0] for service in _compose()["services"].values() for port in service.get("ports", [])
    ]
    assert len(published) == len(set(published)), published


def test_compose_app_commands_exist_in_the_project():
    for name, service in _app_services().items():
        command = service["command"]
        command = shlex.split(command) if isinstance(command, str) else command
        assert (BIN / command[0]).exists(), f"{name}: {command[0]} is not installed by the project"
        if "-m" in command:
            module = command[command.index("-m") + 1]
            assert importlib.util.find_spec(module) is not None, f"{name}: module {module} not found"
        for argument in command[1:]:
            if argument.endswith(".py"):
                assert (REPO_ROOT / argument).exists(), f"{name}: {argument} does not exist"
    assert (REPO_ROOT / "Dockerfile").exists()
    assert "uv.lock" in (REPO_ROOT / "Dockerfile").read_text()


def test_compose_sets_only_environment_variables_the_settings_module_reads():
    for name, service in _app_services().items():
        for variable in service.get("environment", {}):
            assert variable in ENVIRONMENT_VARIABLES, f"{name} sets {variable}, which oltp.settings does not read"


def test_installed_packages_are_compiled_to_bytecode():
    # `make install` compiles site-packages once; without it, and with PYTHONDONTWRITEBYTECODE set (as on the CI
    # machines), every process compiles each module it imports, which doubled the import of the heavy libraries.
    import sqlalchemy

    package = Path(sqlalchemy.__file__).parent
    assert (package / "__pycache__" / f"__init__.{sys.implementation.cache_tag}.pyc").exists()
    assert "UV_COMPILE_BYTECODE=1" in (REPO_ROOT / "Dockerfile").read_text()


def test_compose_dashboards_sign_in_through_the_demo_provider_at_one_address_for_browser_and_server():
    services = _compose()["services"]
    dashboards = services["streamlit"]
    assert dashboards["network_mode"] == "service:oidc"
    assert "8501:8501" in services["oidc"]["ports"] and "9400:9400" in services["oidc"]["ports"]
    environment = dashboards["environment"]
    assert environment["OIDC_SERVER_METADATA_URL"].startswith("http://localhost:9400/")
    assert environment["DASHBOARDS_URL"] == "http://localhost:8501"
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_COOKIE_SECRET"):
        assert environment[name], name
    assert "WAREHOUSE_READER_PASSWORD" in services["migrate"]["environment"]
    assert dashboards["depends_on"]["oidc"]["condition"] == "service_healthy"
