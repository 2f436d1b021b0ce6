"""An address longer than MAX_URL_LENGTH is a French 414 (JSON under /api/), and gunicorn,
which refuses longer request lines with its own HTML page, is set to accept every address
below its maximum so that Django's bound answers first."""

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_a_query_string_over_the_limit_is_a_json_414(api):
    response = api.get("/api/actions/", {"search": "x" * settings.MAX_URL_LENGTH})

    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert "trop longue" in response.json()["detail"]


def test_an_address_within_the_limit_is_served(api):
    response = api.get("/api/actions/", {"search": "x" * (settings.MAX_URL_LENGTH - 100)})

    assert response.status_code == 200


def test_a_long_address_outside_the_api_is_a_plain_french_414(client):
    response = client.get("/admin/" + "x" * settings.MAX_URL_LENGTH)

    assert response.status_code == 414
    assert "trop longue" in response.content.decode()


def test_the_schema_documents_the_414_of_every_operation(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [op for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)]

    assert operations and all("414" in op["responses"] for op in operations)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_leaves_addresses_up_to_its_maximum_to_django(tmp_path):
    # A plain WSGI app: what is measured is gunicorn's own limit, read from gunicorn.conf.py.
    (tmp_path / "echo.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [str(len(environ.get('QUERY_STRING', ''))).encode()]\n"
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--chdir", str(tmp_path), "echo:app"],
        cwd=ROOT,  # gunicorn reads ./gunicorn.conf.py from where it starts, as in the Dockerfile
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        # Longer than gunicorn's default limit (4094), shorter than its maximum (8190).
        connection.request("GET", "/?q=" + "x" * 6000)
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"6002")
    finally:
        server.terminate()
        server.wait(timeout=10)
