"""Sign-in configuration against a real OpenID provider on localhost (oidc-provider-mock): a working provider passes,
a misconfigured one (unreachable discovery URL, a client it refuses) gives one clear message on the sign-in page and
in `warehouse doctor`, and the demo provider is never served beyond this machine."""

from __future__ import annotations

import json
import urllib.request

import oidc_provider_mock
import pytest
from streamlit.testing.v1 import AppTest

from oltp.settings import get_settings
from readside.oidc import OidcError, auth_secrets, check_provider, check_serving, write_secrets_file
from tests.conftest import REPO_ROOT, free_port, run_cli

APP = str(REPO_ROOT / "dashboards" / "app.py")


@pytest.fixture(scope="module")
def strict_provider():
    """A provider that only accepts registered clients, with one client registered: (base URL, id, secret)."""
    with oidc_provider_mock.run_server_in_thread(port=free_port(), require_client_registration=True) as server:
        base = f"http://localhost:{server.server_port}"
        request = urllib.request.Request(
            f"{base}/oauth2/clients",
            data=json.dumps({"redirect_uris": ["http://127.0.0.1:8501/oauth2callback"]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            client = json.loads(response.read())
        yield base, client["client_id"], client["client_secret"]


def settings_for(base: str, client_id: str, secret: str, **extra: str):
    return get_settings(
        {
            "OIDC_SERVER_METADATA_URL": f"{base}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": secret,
            "OIDC_COOKIE_SECRET": "a-cookie-secret",
            **extra,
        }
    )


def test_a_provider_that_accepts_the_client_passes_the_check(strict_provider):
    base, client_id, secret = strict_provider
    document = check_provider(settings_for(base, client_id, secret))
    assert document["issuer"] == base
    assert document["token_endpoint"].startswith(base)


def test_a_wrong_secret_or_unknown_client_is_named(strict_provider):
    base, client_id, _ = strict_provider
    for client, secret in ((client_id, "wrong-secret"), ("nobody-registered-me", "x")):
        with pytest.raises(OidcError) as error:
            check_provider(settings_for(base, client, secret))
        assert str(error.value) == (
            f"the identity provider refuses client {client!r} (invalid_client); "
            "check OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"
        )


def test_an_unreachable_discovery_url_is_named():
    url = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    with pytest.raises(OidcError, match="cannot reach the identity provider's discovery document") as error:
        check_provider(settings_for(url.rsplit("/.well-known", 1)[0], "id", "secret"))
    assert url in str(error.value) and "\n" not in str(error.value)


def test_a_url_that_is_no_discovery_document_is_named(strict_provider):
    base, client_id, secret = strict_provider
    settings = get_settings({"OIDC_SERVER_METADATA_URL": f"{base}/userinfo", "OIDC_CLIENT_ID": client_id,
                             "OIDC_CLIENT_SECRET": secret})  # fmt: skip
    with pytest.raises(OidcError, match="is not an OpenID discovery document"):
        check_provider(settings)


def test_a_provider_without_client_credentials_is_refused():
    with pytest.raises(OidcError) as error:
        auth_secrets(
            get_settings({"OIDC_SERVER_METADATA_URL": "https://id.example.com/.well-known/openid-configuration"})
        )
    assert str(error.value) == (
        "OIDC_SERVER_METADATA_URL is set but OIDC_CLIENT_ID and OIDC_CLIENT_SECRET not; set OIDC_SERVER_METADATA_URL, "
        "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_COOKIE_SECRET"
    )


def test_the_secrets_file_has_all_five_auth_keys_and_only_its_owner_reads_it(tmp_path):
    path = write_secrets_file(tmp_path / "secrets.toml", get_settings({"WAREHOUSE_HOME": str(tmp_path / "home")}))
    import tomllib

    auth = tomllib.loads(path.read_text())["auth"]
    assert set(auth) == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert auth["redirect_uri"] == "http://127.0.0.1:8501/oauth2callback"
    assert auth["server_metadata_url"] == "http://127.0.0.1:9400/.well-known/openid-configuration"
    assert len(auth["cookie_secret"]) >= 32
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "environment",
    [{"STREAMLIT_ADDRESS": "0.0.0.0"}, {"DASHBOARDS_URL": "http://dashboards.example.com:8501"}],
)
def test_the_demo_provider_is_never_served_beyond_this_machine(environment):
    with pytest.raises(OidcError, match="with the local demo sign-in, where anyone can sign in as anyone; set "):
        check_serving(get_settings(environment))
    completed = run_cli("serve", "--no-dagster", env=environment)
    assert completed.returncode == 1
    [line] = completed.stderr.strip().splitlines()
    assert line.startswith("error: the dashboards would be served on ")
    assert line.endswith("OIDC_CLIENT_SECRET and OIDC_COOKIE_SECRET for a real identity provider")


def test_a_real_provider_may_be_served_on_any_address(strict_provider):
    base, client_id, secret = strict_provider
    check_serving(settings_for(base, client_id, secret, STREAMLIT_ADDRESS="0.0.0.0",
                               DASHBOARDS_URL="https://dashboards.example.com"))  # fmt: skip


def test_doctor_names_a_refused_client_in_one_line(strict_provider):
    base, client_id, _ = strict_provider
    completed = run_cli(
        "doctor",
        env={
            "OIDC_SERVER_METADATA_URL": f"{base}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": "wrong-secret",
            "COLUMNS": "300",
        },
    )
    assert completed.returncode == 1
    assert "✗ sign-in: the identity provider refuses client" in completed.stdout
    assert "check OIDC_CLIENT_ID and OIDC_CLIENT_SECRET" in completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr


def test_the_sign_in_page_names_a_refused_client_and_offers_no_button(strict_provider, monkeypatch):
    base, client_id, _ = strict_provider
    monkeypatch.setenv("OIDC_SERVER_METADATA_URL", f"{base}/.well-known/openid-configuration")
    monkeypatch.setenv("OIDC_CLIENT_ID", client_id)
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "wrong-secret-for-the-page")
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    [message] = at.error
    assert message.value.startswith("Sign-in is not available: the identity provider refuses client")
    assert not [button for button in at.button if button.label == "Sign in"]
    assert not at.metric and not at.dataframe
