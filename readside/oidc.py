"""Sign-in with OpenID Connect through Streamlit's own `st.login` (Authlib): the provider's settings as Streamlit's
`[auth]` secrets, a check that the provider answers and accepts our client (for the page and `warehouse doctor`),
and the local demo provider `warehouse serve` starts when no provider is configured.

Any provider with a discovery URL works: set OIDC_SERVER_METADATA_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
OIDC_COOKIE_SECRET (oltp/settings.py). With none set, sign-in goes through `oidc-provider-mock` on 127.0.0.1, where
one signs in as any email: fine on loopback, refused on any other address.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from oltp.errors import WarehouseError
from oltp.settings import Settings, get_settings, home_secret

CALLBACK_PATH = "/oauth2callback"  # Streamlit's own callback route
LOCAL_CLIENT_ID = "warehouse-dashboards"
CONFIGURE = "OIDC_SERVER_METADATA_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_COOKIE_SECRET"


class OidcError(WarehouseError):
    """Sign-in cannot work as configured; the message names the setting to fix."""


def metadata_url(settings: Settings) -> str:
    if settings.oidc_server_metadata_url:
        return settings.oidc_server_metadata_url
    return f"http://127.0.0.1:{settings.oidc_local_port}/.well-known/openid-configuration"


def auth_secrets(settings: Settings | None = None) -> dict[str, str]:
    """Streamlit's `[auth]` section: all five keys it needs, from the settings (local demo values when no
    provider is configured)."""
    settings = settings or get_settings()
    if not settings.local_oidc:
        missing = [
            name
            for name, value in (
                ("OIDC_CLIENT_ID", settings.oidc_client_id),
                ("OIDC_CLIENT_SECRET", settings.oidc_client_secret),
            )
            if not value
        ]
        if missing:
            raise OidcError(f"OIDC_SERVER_METADATA_URL is set but {' and '.join(missing)} not; set {CONFIGURE}")
    return {
        "redirect_uri": settings.dashboards_url + CALLBACK_PATH,
        "cookie_secret": settings.oidc_cookie_secret or home_secret(settings, "cookie-secret"),
        "client_id": settings.oidc_client_id or LOCAL_CLIENT_ID,
        "client_secret": settings.oidc_client_secret or home_secret(settings, "local-oidc-client-secret"),
        "server_metadata_url": metadata_url(settings),
    }


def write_secrets_file(path: Path, settings: Settings | None = None) -> Path:
    """Write Streamlit's secrets file (mode 600) with the `[auth]` section; returns its path."""
    values = auth_secrets(settings)
    lines = ["[auth]"] + [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_serving(settings: Settings | None = None) -> None:
    """Refuse to serve the dashboards beyond this machine with the local demo provider (anyone could sign in as
    anyone), and a DASHBOARDS_URL that sign-in could not return to."""
    settings = settings or get_settings()
    parsed = urllib.parse.urlsplit(settings.dashboards_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise OidcError(
            f"DASHBOARDS_URL={settings.dashboards_url!r} is not an http(s) address such as http://host:8501"
        )
    if settings.local_oidc and not (_is_loopback(settings.streamlit_address) and _is_loopback(parsed.hostname)):
        raise OidcError(
            f"the dashboards would be served on {settings.streamlit_address} ({settings.dashboards_url}) with the "
            f"local demo sign-in, where anyone can sign in as anyone; set {CONFIGURE} for a real identity provider"
        )


def _fetch_json(url: str, what: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise OidcError(f"cannot reach the identity provider's {what} at {url}: {reason}") from None
    except ValueError:
        raise OidcError(f"the identity provider's {what} at {url} did not answer with JSON") from None


def check_provider(settings: Settings | None = None) -> dict:
    """Check that sign-in can work: the discovery document answers with the endpoints Authlib needs, and the
    token endpoint accepts our client id and secret. Returns the discovery document; raises OidcError naming the
    setting to fix."""
    settings = settings or get_settings()
    values = auth_secrets(settings)
    url = values["server_metadata_url"]
    setting = (
        "OIDC_SERVER_METADATA_URL" if settings.oidc_server_metadata_url else "the local provider (OIDC_LOCAL_PORT)"
    )
    status, document = _fetch_json(url, f"discovery document ({setting})")
    missing = [key for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if key not in document]
    if status != 200 or missing:
        raise OidcError(
            f"{url} is not an OpenID discovery document (HTTP {status}, missing {', '.join(missing) or 'nothing'}); "
            "check OIDC_SERVER_METADATA_URL"
        )
    # RFC 6749 authenticates the client before it looks at the code: a made-up code answers invalid_grant to a
    # client it accepts, invalid_client to one it does not.
    body = urllib.parse.urlencode(
        {"grant_type": "authorization_code", "code": secrets.token_urlsafe(16), "redirect_uri": values["redirect_uri"]}
    ).encode()
    credentials = (
        f"{urllib.parse.quote(values['client_id'], safe='')}:{urllib.parse.quote(values['client_secret'], safe='')}"
    )
    import base64

    basic = base64.b64encode(credentials.encode()).decode()
    status, answer = _fetch_json(
        document["token_endpoint"],
        "token endpoint",
        data=body,
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    if status == 401 or answer.get("error") == "invalid_client":
        raise OidcError(
            f"the identity provider refuses client {values['client_id']!r} (invalid_client); "
            "check OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"
        )
    return document


def local_provider(settings: Settings | None = None):
    """The local demo provider as a context manager (a server thread on 127.0.0.1:OIDC_LOCAL_PORT)."""
    import logging

    import oidc_provider_mock

    settings = settings or get_settings()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return oidc_provider_mock.run_server_in_thread(port=settings.oidc_local_port)
