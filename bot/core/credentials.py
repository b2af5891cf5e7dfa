"""Credentials written into URLs, found in any text and hidden before it is shown or logged.

Two forms: the password of a URL's user information (``scheme://user:password@host``, where the
password may itself hold ``@`` or ``:``) and a query parameter that names a secret
(``?password=…``, ``&sslpassword=…``, ``&token=…``, ``&api_key=…``). The user name and the rest of
the URL stay, so a reader can still tell which URL is meant.
"""

from __future__ import annotations

import re

HIDDEN = "<redacted>"

# scheme://user:password@ — the password runs to the last "@" before the path, query or fragment.
_USERINFO_RE = re.compile(
    r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#\s@]*):(?P<password>[^/?#\s]*)@"
)
# ?password=… or &token=… (or ;key=…): the names libpq, proxies and feed services use for secrets.
_SECRET_PARAMS = "|".join(
    (
        *("password", "passwd", "pwd", "pass", "sslpassword", "secret", "client_secret"),
        *("token", "access_token", "auth_token", "api_key", "apikey", "key", "auth"),
        *("sig", "signature"),
    )
)
_QUERY_RE = re.compile(rf"(?P<head>[?&;](?:{_SECRET_PARAMS})=)(?P<value>[^&#\s'\"]+)", re.I)


def hide_credentials(text: str) -> str:
    """``text`` with every URL password and secret-named query value replaced by ``<redacted>``."""
    text = _USERINFO_RE.sub(lambda m: f"{m['head']}:{HIDDEN}@", text)
    return _QUERY_RE.sub(lambda m: f"{m['head']}{HIDDEN}", text)


def url_secrets(url: str) -> list[str]:
    """The secret values written in ``url``: its password and secret-named query values."""
    found = [m["password"] for m in _USERINFO_RE.finditer(url) if m["password"]]
    found += [m["value"] for m in _QUERY_RE.finditer(url)]
    return found
