"""docker/entrypoint.sh run as the containers run it, without Docker: the environment and
command of each service in docker-compose.yml, pointed at this machine's database (the
run's PostgreSQL in services mode, a SQLite file otherwise) instead of the compose hosts."""

import json
import os
import sys
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.support.processes import Process, wait_until
from tests.support.smtp import HOST, free_port
from tests.test_compose import command, environment, interpolate, load_healthcheck, option

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


@pytest.fixture(scope="module")
def services():
    import yaml

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


@pytest.fixture
def database_url(tmp_path):
    """A new, empty database on this machine."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    config = connection.settings_dict
    name = f"pacte_entrypoint_{uuid.uuid4().hex[:10]}"
    server = {"host": config["HOST"] or "localhost", "port": config["PORT"] or 5432, "user": config["USER"]}
    server["password"] = config["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    yield f"postgres://{config['USER']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def container_environment(service: dict, database_url: str, tmp_path: Path) -> dict[str, str]:
    """The service's variables as compose sets them, the compose hosts swapped for this machine."""
    env = {name: interpolate(value) for name, value in environment(service).items()}
    env.update(
        SECRET_KEY="k" * 60,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL="filesystem://",
        CACHE_URL=f"file://{tmp_path / 'cache'}",
        EMAIL_URL="console://",
        MEDIA_ROOT=str(tmp_path / "media"),
        VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    # `python` and `gunicorn` of this checkout's environment, as the image's PATH finds its own.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {"PATH": path, "HOME": str(tmp_path), "LANG": "C.UTF-8", **env}


def test_the_web_container_migrates_the_new_database_then_serves_the_api(services, database_url, tmp_path):
    web = services["web"]
    port = free_port()
    tokens = command(web)
    tokens[tokens.index(option(tokens, "--bind", "-b"))] = f"{HOST}:{port}"
    tokens[tokens.index(option(tokens, "--workers", "-w"))] = "1"
    server = Process(
        ["sh", str(ENTRYPOINT), *tokens], tmp_path / "web.log", container_environment(web, database_url, tmp_path)
    )
    server.name = "web container"
    server.start()
    try:
        healthcheck = load_healthcheck()
        healthcheck.URL = f"http://{HOST}:{port}/api/"
        wait_until(lambda: healthcheck.main() == 0 or not server.running, "the web container", timeout=240,
                   every=0.5, logs=[server])  # fmt: skip
        assert server.running, server.log_tail()
        # A list read from the tables the entrypoint's migration made, over plain HTTP.
        with urllib.request.urlopen(f"http://{HOST}:{port}/api/pacts/", timeout=10) as response:
            assert response.status == 200
            assert json.load(response)["count"] == 0
    finally:
        server.stop()


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_the_worker_and_beat_containers_run_their_command_without_migrating(services, name, tmp_path):
    database = tmp_path / "db.sqlite3"
    env = container_environment(services[name], f"sqlite:///{database}", tmp_path)
    process = Process(["sh", str(ENTRYPOINT), "python", "-c", "print('commande du service')"], tmp_path / "log", env)
    process.start()
    process.process.wait(timeout=60)

    assert process.process.returncode == 0, process.log_tail()
    assert process.log.read_text().strip() == "commande du service"
    assert not database.exists()  # no migration ran: nothing opened the database
