"""Security headers: a Content-Security-Policy on every page, HSTS preload and subdomains
and the trusted proxy header only when settings say so."""

import re

import pytest
from django.test import Client

from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

PAGES = ["/admin/login/", "/api/", "/api/docs/", "/api/redoc/", "/api/municipalities/"]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_policy_that_runs_only_the_sites_own_scripts(path):
    response = Client().get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_swagger_ui_has_no_inline_script():
    page = Client().get("/api/docs/").content.decode()

    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_redoc_fetches_no_third_party_font_and_its_script_carries_the_nonce():
    response = Client().get("/api/redoc/")
    page = response.content.decode()

    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page
    [nonce] = re.findall(r"<script nonce=\"([^\"]+)\">", page)
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]


def production(tmp_path, code: str, **env) -> str:
    result = run_manage("shell", "-c", code, DEBUG="0", SECRET_KEY="k" * 60, ALLOWED_HOSTS="x", VAR_DIR=str(tmp_path),
                        **env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


HSTS = "from django.conf import settings as s; print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
PROXY = "from django.conf import settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"


def test_hsts_binds_subdomains_and_asks_for_preload_only_when_told(tmp_path):
    assert production(tmp_path, HSTS) == "False False"
    told = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}
    assert production(tmp_path, HSTS, **told) == "True True"


def test_x_forwarded_proto_is_trusted_only_when_a_proxy_is_said_to_set_it(tmp_path):
    assert production(tmp_path, PROXY) == "None"
    assert production(tmp_path, PROXY, PROXY_SETS_X_FORWARDED_PROTO="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
