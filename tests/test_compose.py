"""docker-compose.yml, the Dockerfile and the project stay coherent.

There is no Docker engine in the test run: the files are read as data and checked
against what they name in the project (the settings' variables, the Celery app, the
WSGI module, the URLconf), so that a rename on either side fails here and not at the
first `docker compose up`. What the containers do when they start (the entrypoint,
migrations, the API answering) is run for real in test_docker_entrypoint.py.
"""

import ast
import http.server
import importlib
import importlib.util
import json
import re
import shlex
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.conf import settings
from django.urls import resolve
from kombu.utils.imports import symbol_by_name

from backend.celery import app as celery_app
from backend.settings import _email_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"
SETTINGS_FILE = ROOT / "backend" / "settings.py"
SYSTEM_DEPS = ROOT / "scripts" / "system-deps.sh"
REQUIREMENTS = ROOT / "requirements.txt"

# The services built from the project's image, and the ones they talk to.
APP_SERVICES = ("web", "worker", "beat")
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list"}
DATABASE_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
_INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


# --- reading the files -------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def interpolate(value: str) -> str:
    """The value compose uses when no variable is set in the shell: defaults applied."""

    def replace(match: re.Match) -> str:
        if match["op"] in (":-", "-"):
            return match["arg"]
        return ""

    return _INTERPOLATION.sub(replace, str(value))


def environment(service: dict) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {name: "" if value is None else str(value) for name, value in raw.items()}


def command(service: dict) -> list[str]:
    raw = service.get("command") or []
    return shlex.split(raw) if isinstance(raw, str) else [str(token) for token in raw]


def option(tokens: list[str], *names: str) -> str | None:
    """Value of a command-line option given as `--name value`, `--name=value` or `-Nvalue`."""
    for index, token in enumerate(tokens):
        for name in names:
            if token == name and index + 1 < len(tokens):
                return tokens[index + 1]
            if name.startswith("--") and token.startswith(f"{name}="):
                return token.split("=", 1)[1]
            if not name.startswith("--") and token.startswith(name) and len(token) > len(name):
                return token[len(name) :]
    return None


def depends_on(service: dict) -> dict[str, str]:
    """Name of each service depended on, with its condition."""
    raw = service.get("depends_on") or {}
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in raw.items()}


def container_ports(service: dict) -> set[int]:
    """Container-side ports a service publishes or exposes."""
    ports = set()
    for entry in [*(service.get("ports") or []), *(service.get("expose") or [])]:
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    return ports


def volume_mounts(service: dict) -> dict[str, str]:
    """Named volumes a service mounts (bind mounts left out), by container path."""
    mounts = {}
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            if entry.get("type", "volume") == "volume" and entry.get("source"):
                mounts[entry["target"]] = entry["source"]
            continue
        source, _, rest = str(entry).partition(":")
        if rest and not source.startswith((".", "/", "~", "$")):
            mounts[rest.split(":")[0]] = source
    return mounts


def settings_variables() -> set[str]:
    """Environment variables that backend/settings.py reads, found in its source."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        first = node.args[0]
        reads_environ = called == "getenv" or (called == "get" and "environ" in ast.unparse(func))
        if (
            (called in ENV_HELPERS or reads_environ)
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            names.add(first.value)
    return names


def entrypoint_variables() -> set[str]:
    return set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", ENTRYPOINT.read_text(encoding="utf-8")))


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    lines = [line for line in DOCKERFILE.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    text = re.sub(r"\\\s*\n", " ", "\n".join(lines))
    instructions = []
    for line in text.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def dockerfile(keyword: str) -> list[str]:
    return [arguments for instruction, arguments in dockerfile_instructions() if instruction == keyword]


def dockerfile_env() -> dict[str, str]:
    env = {}
    for arguments in dockerfile("ENV"):
        for token in shlex.split(arguments):
            name, _, value = token.partition("=")
            env[name] = value
    return env


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\[=<>~!; ]", line, maxsplit=1)[0].lower())
    return names


# --- the services ------------------------------------------------------------------


def test_web_worker_and_beat_run_the_image_built_from_the_project(services):
    for name in APP_SERVICES:
        build = services[name].get("build")
        context = build if isinstance(build, str) else (build or {}).get("context")
        assert context == ".", f"{name} must be built from the project's Dockerfile"
    assert len({services[name].get("image") for name in APP_SERVICES}) == 1


def test_the_worker_runs_the_project_celery_app(services):
    tokens = command(services["worker"])
    assert tokens[0] == "celery"
    assert "worker" in tokens
    app_name = option(tokens, "--app", "-A")
    assert app_name == "backend"
    assert isinstance(celery_app, Celery)
    # Resolved the way the celery command line resolves -A.
    assert find_app(app_name) is celery_app


def test_beat_runs_the_project_celery_app_with_the_database_scheduler(services):
    tokens = command(services["beat"])
    assert tokens[0] == "celery"
    assert "beat" in tokens
    assert find_app(option(tokens, "--app", "-A")) is celery_app
    scheduler = option(tokens, "--scheduler", "-S")
    assert scheduler == DATABASE_SCHEDULER
    assert isinstance(symbol_by_name(scheduler), type)
    assert "django_celery_beat" in settings.INSTALLED_APPS


def test_the_web_service_serves_the_project_wsgi_app_with_gunicorn(services):
    tokens = command(services["web"])
    assert tokens[0] == "gunicorn"
    assert "gunicorn" in requirement_names(REQUIREMENTS)
    targets = [token for token in tokens if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", token)]
    assert targets == ["backend.wsgi:application"]
    module_name, attribute = targets[0].split(":")
    assert callable(getattr(importlib.import_module(module_name), attribute))
    assert f"{module_name}.{attribute}" == settings.WSGI_APPLICATION
    assert option(tokens, "--bind", "-b") == "0.0.0.0:8000"
    assert option(tokens, "--access-logfile") == "-", "access log goes to stdout"


def test_the_web_service_publishes_the_port_gunicorn_listens_on(services):
    port = int(option(command(services["web"]), "--bind", "-b").rsplit(":", 1)[1])
    assert port in container_ports(services["web"])
    assert str(port) in dockerfile("EXPOSE")


def test_the_web_service_runs_the_image_default_command(services):
    (cmd,) = dockerfile("CMD")
    assert json.loads(cmd) == command(services["web"])


# --- environment -------------------------------------------------------------------


def test_the_settings_parser_sees_the_variables_the_settings_read():
    # Guards the next test: an empty parse would let any variable through.
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG", "MEDIA_ROOT"} <= (
        settings_variables()
    )


def test_every_variable_the_app_services_set_is_read_by_the_settings(services):
    known = settings_variables()
    readable = known | {f"{name}_FILE" for name in known} | entrypoint_variables()
    for name in APP_SERVICES:
        unknown = set(environment(services[name])) - readable
        assert not unknown, f"{name} sets variables that nothing reads: {sorted(unknown)}"


def test_every_variable_the_image_sets_is_read_by_the_settings():
    known = settings_variables()
    unknown = {name for name in dockerfile_env() if not name.startswith(("PYTHON", "PIP_"))} - known
    assert not unknown, f"the Dockerfile sets variables that the settings do not read: {sorted(unknown)}"


def test_web_worker_and_beat_share_the_same_settings(services):
    shared = [{k: v for k, v in environment(services[name]).items() if k != "MIGRATE"} for name in APP_SERVICES]
    assert shared[0] == shared[1] == shared[2]


def test_the_secret_key_must_come_from_the_environment(services):
    for name in APP_SERVICES:
        match = _INTERPOLATION.fullmatch(environment(services[name])["SECRET_KEY"])
        assert match and match["name"] == "SECRET_KEY" and match["op"] == ":?", (
            f"{name}: SECRET_KEY must be ${{SECRET_KEY:?message}}, never a default"
        )
    assert "SECRET_KEY" not in dockerfile_env()
    assert not any(arguments.split("=")[0].strip() == "SECRET_KEY" for arguments in dockerfile("ARG"))


def test_the_database_url_points_to_the_compose_postgres_with_its_credentials(services):
    postgres = environment(services["postgres"])
    assert services["postgres"]["image"].startswith("postgres:")
    for name in APP_SERVICES:
        database = dj_database_url.parse(interpolate(environment(services[name])["DATABASE_URL"]))
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["HOST"] == "postgres"
        assert database["PORT"] in (5432, "", None)
        assert database["USER"] == postgres["POSTGRES_USER"]
        assert database["PASSWORD"] == postgres["POSTGRES_PASSWORD"]
        assert database["NAME"] == postgres["POSTGRES_DB"]


def test_the_postgres_healthcheck_asks_for_the_project_database(services):
    postgres = environment(services["postgres"])
    probe = services["postgres"]["healthcheck"]["test"]
    probe = shlex.split(probe) if isinstance(probe, str) else probe
    assert "pg_isready" in " ".join(probe)
    assert option(probe, "-U", "--username") == postgres["POSTGRES_USER"]
    assert option(probe, "-d", "--dbname") == postgres["POSTGRES_DB"]


def test_the_celery_broker_url_points_to_the_compose_redis(services):
    assert services["redis"]["image"].startswith("redis:")
    assert "redis" in requirement_names(REQUIREMENTS)
    for name in APP_SERVICES:
        broker = urlsplit(interpolate(environment(services[name])["CELERY_BROKER_URL"]))
        assert broker.scheme == "redis"
        assert broker.hostname == "redis"
        assert broker.port in (6379, None)


def test_the_email_url_points_to_the_mailpit_smtp_port(services):
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    mailpit_ports = container_ports(services["mailpit"])
    assert 8025 in mailpit_ports, "Mailpit's web UI"
    for name in APP_SERVICES:
        email = _email_settings(interpolate(environment(services[name])["EMAIL_URL"]))
        assert email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        assert email["EMAIL_HOST"] == "mailpit"
        assert email["EMAIL_PORT"] == 1025
        assert email["EMAIL_PORT"] in mailpit_ports


# --- start-up order and migrations -------------------------------------------------


def test_services_depend_only_on_services_that_exist(services):
    for name, service in services.items():
        missing = set(depends_on(service)) - set(services)
        assert not missing, f"{name} depends on unknown services {sorted(missing)}"


def test_a_service_waited_for_until_healthy_has_a_healthcheck(services):
    for name, service in services.items():
        for dependency, condition in depends_on(service).items():
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits for {dependency} to be healthy"


def test_the_app_services_wait_for_postgres_and_redis_to_be_healthy(services):
    for name in APP_SERVICES:
        dependencies = depends_on(services[name])
        assert dependencies.get("postgres") == "service_healthy", name
        assert dependencies.get("redis") == "service_healthy", name


def test_worker_and_beat_start_once_the_web_service_has_migrated(services):
    for name in ("worker", "beat"):
        assert depends_on(services[name]).get("web") == "service_healthy", name


def test_the_web_healthcheck_probes_a_url_the_project_serves(services):
    probe = services["web"]["healthcheck"]["test"]
    assert probe[0] == "CMD"
    (workdir,) = dockerfile("WORKDIR")
    assert probe[-1] == f"{workdir}/{HEALTHCHECK.relative_to(ROOT).as_posix()}"
    url = urlsplit(load_healthcheck().URL)
    resolve(url.path)
    assert url.port == int(option(command(services["web"]), "--bind", "-b").rsplit(":", 1)[1])
    assert url.hostname in interpolate(environment(services["web"])["ALLOWED_HOSTS"]).split(",")


def load_healthcheck():
    spec = importlib.util.spec_from_file_location("docker_healthcheck", HEALTHCHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (400, True), (500, False)])
def test_the_web_healthcheck_fails_only_on_a_server_error(status, healthy):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        module = load_healthcheck()
        module.URL = f"http://127.0.0.1:{server.server_port}/api/"
        assert (module.main() == 0) is healthy
    finally:
        server.shutdown()
        server.server_close()


def test_the_web_healthcheck_fails_when_nothing_listens():
    with socket.socket() as probe:
        # The port is free once this socket closes: nothing listens on it.
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    module = load_healthcheck()
    module.URL = f"http://127.0.0.1:{port}/api/"
    assert module.main() == 1


# --- volumes -----------------------------------------------------------------------


def test_every_volume_used_is_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        undeclared = set(volume_mounts(service).values()) - declared
        assert not undeclared, f"{name} mounts undeclared volumes {sorted(undeclared)}"


def test_every_declared_volume_is_used(compose, services):
    used = {volume for service in services.values() for volume in volume_mounts(service).values()}
    assert set(compose.get("volumes") or {}) <= used


def test_web_and_worker_share_the_media_volume_at_media_root(services):
    media_root = interpolate(environment(services["web"])["MEDIA_ROOT"])
    web_volume = volume_mounts(services["web"]).get(media_root)
    assert web_volume, "the web service must mount a volume at MEDIA_ROOT"
    assert volume_mounts(services["worker"]).get(media_root) == web_volume
    # The image creates that directory for its unprivileged user; a volume mounted
    # anywhere else would start owned by root and refuse the worker's files.
    assert dockerfile_env().get("MEDIA_ROOT") == media_root


def test_postgres_keeps_its_data_in_a_volume(services):
    assert "/var/lib/postgresql/data" in volume_mounts(services["postgres"])


# --- the image ---------------------------------------------------------------------


def test_the_image_installs_the_system_libraries_weasyprint_needs():
    script = SYSTEM_DEPS.read_text(encoding="utf-8")
    needed = set(re.findall(r"missing\+=\(([^)]+)\)", script))
    assert {"libharfbuzz-subset0", "libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"} <= needed
    (apt,) = [run for run in dockerfile("RUN") if "apt-get install" in run]
    install = apt.split("apt-get install", 1)[1].split("&&", 1)[0]
    installed = {token for token in install.split() if not token.startswith("-")}
    assert installed == needed, "the image installs what scripts/system-deps.sh checks for, nothing more"
    assert "--no-install-recommends" in install
    assert "rm -rf /var/lib/apt/lists" in apt


def test_the_image_installs_the_runtime_requirements_only():
    runs = dockerfile("RUN")
    assert any(re.search(r"pip install (.* )?-r requirements\.txt", run) for run in runs)
    assert not any("requirements-dev" in run for run in runs)
    assert any(arguments.split()[0] == "requirements.txt" for arguments in dockerfile("COPY"))


def test_the_compose_services_keep_the_image_static_root(services):
    static_root = dockerfile_env()["STATIC_ROOT"]
    for name in APP_SERVICES:
        assert environment(services[name]).get("STATIC_ROOT", static_root) == static_root, name


def test_the_image_runs_as_an_unprivileged_user():
    users = dockerfile("USER")
    assert users, "the image must switch to a non-root user"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_image_entrypoint_is_the_project_script():
    (entrypoint,) = dockerfile("ENTRYPOINT")
    (workdir,) = dockerfile("WORKDIR")
    assert json.loads(entrypoint)[-1] == f"{workdir}/{ENTRYPOINT.relative_to(ROOT).as_posix()}"
    assert ENTRYPOINT.is_file()


def test_the_build_context_leaves_out_local_state_and_secrets():
    ignored = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert {".git", ".venv", "var", "bench/out", ".env"} <= ignored
