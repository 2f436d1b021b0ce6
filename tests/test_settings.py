import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.timezone import localtime

from backend.settings import _cache_settings, _email_settings

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7!pQ2#vLm9@rT4$wZ8^bN1&cY6*hJ3(kF5)dS0-gA+eU_oI=lK",
        ALLOWED_HOSTS="pacte.example.org",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", DEBUG="0", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("k" * 60 + "\n")
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(len(settings.SECRET_KEY))",
        DEBUG="0",
        SECRET_KEY_FILE=str(secret),
        ALLOWED_HOSTS="x",
        VAR_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == "60", result.stderr


def test_people_read_french_in_paris_time(api):
    """An API answer speaks French; a moment is shown on Paris's clock (summer time included)."""
    response = api.post("/api/auth/token/", {}, format="json")

    assert response["Content-Language"] == "fr"
    assert response.json()["username"] == ["Ce champ est obligatoire."]
    assert localtime(dt.datetime(2026, 7, 14, 10, 0, tzinfo=dt.UTC)).strftime("%H:%M") == "12:00"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mailpit:1025", {"EMAIL_HOST": "mailpit", "EMAIL_PORT": 1025, "EMAIL_USE_TLS": False}),
        (
            "smtp://u%40x:p%3Ass@smtp.example.org:587?tls=1",
            {"EMAIL_HOST_USER": "u@x", "EMAIL_HOST_PASSWORD": "p:ss", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True},
        ),
        ("smtps://smtp.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("file:///tmp/mails", {"EMAIL_FILE_PATH": "/tmp/mails"}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url_configures_the_django_backend(url, expected):
    settings = _email_settings(url)
    assert {key: settings[key] for key in expected} == expected


def test_an_unknown_email_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        _email_settings("pigeon://voyageur")


def test_embedded_mode_counts_throttles_in_a_cache_every_process_shares(tmp_path):
    """Two web processes (here two commands) see the same counters: not a per-process cache."""
    write = run_manage("shell", "-c", "from django.core.cache import cache; cache.set('essais', 4)", DEBUG="1",
                       VAR_DIR=str(tmp_path))  # fmt: skip
    read = run_manage("shell", "-c", "from django.core.cache import cache; print(cache.get('essais'))", DEBUG="1",
                      VAR_DIR=str(tmp_path))  # fmt: skip

    assert write.returncode == 0, write.stderr
    assert read.stdout.strip().splitlines()[-1] == "4", read.stderr


def test_an_unknown_cache_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="memcached"):
        _cache_settings("memcached://127.0.0.1:11211")


def fresh_environment(var_dir: Path) -> dict:
    """Embedded mode from a fresh clone: no service chosen, every local path under var_dir."""
    chosen = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT", "STATIC_ROOT")
    environment = {key: value for key, value in os.environ.items() if key not in chosen}
    return {**environment, "DEBUG": "1", "VAR_DIR": str(var_dir)}


def test_importing_the_settings_creates_nothing(tmp_path):
    var_dir = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-c", "import backend.settings"],
        cwd=ROOT, env=fresh_environment(var_dir), capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()


def test_a_command_from_a_fresh_clone_makes_the_folders_it_needs(tmp_path):
    """SQLite opens its file, the filesystem broker takes a message: their folders exist."""
    var_dir = tmp_path / "var"
    code = (
        "from django.db import connection; connection.ensure_connection();"
        "from backend.celery import app; app.send_task('essai'); print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=fresh_environment(var_dir), capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.stdout.strip().splitlines()[-1:] == ["ok"], result.stderr
    assert (var_dir / "db.sqlite3").is_file()
    assert list((var_dir / "broker" / "queue").glob("*.msg"))
