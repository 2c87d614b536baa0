"""The embedded PostgreSQL of `make run` and `make test` (lms/devdb.py), driven as the Makefile drives it:
`python -m lms.devdb COMMAND` in a process of its own, on a data folder of the test's own."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from lms import devdb

ROOT = Path(__file__).resolve().parents[2]
# The command run against the server: which server and database it reached, and whether Russian stems.
PROBE = """
import os, dj_database_url, psycopg2
db = dj_database_url.parse(os.environ["DATABASE_URL"])
with psycopg2.connect(host=db["HOST"], dbname=db["NAME"], user=db["USER"]) as connection, connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid() > 0, current_database(), "
                   "to_tsvector('russian', 'Английский для путешествий') @@ plainto_tsquery('russian', 'путешествия')")
    print(*cursor.fetchone())
"""


def with_db(pgdata: Path, *command: str, **options):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["EMBEDDED_PGDATA"] = str(pgdata)
    return subprocess.Popen(
        [sys.executable, "-m", "lms.devdb", *command], cwd=ROOT, env=environment, text=True, **options
    )


def probe(pgdata: Path) -> str:
    process = with_db(pgdata, sys.executable, "-c", PROBE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out.strip()


def holding(pgdata: Path, **options) -> subprocess.Popen:
    """A command that holds the server until it is stopped, once it runs (the server is up by then)."""
    running = pgdata.parent / "running"
    process = with_db(pgdata, sys.executable, "-c", f"open({str(running)!r}, 'w'); import time; time.sleep(60)", **options)
    assert wait_for(running.exists)
    running.unlink()
    return process


def servers_on(pgdata: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(pgdata) in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def pgdata():
    # Not under pytest's tmp_path: pytest makes its folder private to root again when another worker starts,
    # and the server runs as a user of its own (root may not run PostgreSQL).
    folder = Path(tempfile.mkdtemp(prefix="lms-devdb-test-")) / "pgdata"
    yield folder
    for process in servers_on(folder):  # whatever a failing test left running
        process.kill()
    shutil.rmtree(folder.parent, ignore_errors=True)


def test_starts_on_demand_with_russian_stemming_and_stops_when_the_command_ends(pgdata):
    assert probe(pgdata) == "True lms True"
    assert (pgdata / "PG_VERSION").exists()
    assert servers_on(pgdata) == []
    assert probe(pgdata) == "True lms True"  # the second run reuses the data folder


def test_a_server_in_use_outlives_a_second_command_and_stops_with_the_last(pgdata):
    first = holding(pgdata, start_new_session=True)
    assert probe(pgdata) == "True lms True"
    assert servers_on(pgdata), "the second command stopped the server the first one still uses"
    os.killpg(first.pid, signal.SIGINT)  # Ctrl-C reaches the terminal's process group: the command ends, then the server goes
    first.wait(timeout=60)
    assert wait_for(lambda: not servers_on(pgdata))


def test_what_a_crash_leaves_does_not_block_the_next_start(pgdata):
    crashed = holding(pgdata)
    crashed.kill()  # SIGKILL: no goodbye, its id stays in the server's list of users
    crashed.wait()
    for process in servers_on(pgdata):  # and the server dies too, leaving postmaster.pid and its socket lock
        process.kill()
    assert wait_for(lambda: not servers_on(pgdata))
    assert (pgdata / "postmaster.pid").exists()
    assert crashed.pid in json.loads((pgdata / ".handle_pids.json").read_text())

    assert probe(pgdata) == "True lms True"
    assert wait_for(lambda: not servers_on(pgdata)), "a dead process's id kept the server running"


def test_a_postmaster_pid_naming_another_program_is_cleared(pgdata):
    assert probe(pgdata) == "True lms True"
    # A stale pid file whose process id now belongs to another program (this test's own process).
    (pgdata / "postmaster.pid").write_text(f"{os.getpid()}\n{pgdata}\n0\n5432\n{pgdata}\n\n0 0\nready\n")
    assert probe(pgdata) == "True lms True"


def test_database_url_names_the_socket_folder(tmp_path):
    assert devdb.database_url(tmp_path) == f"postgres://postgres@{str(tmp_path).replace('/', '%2F')}/lms"
    (tmp_path / "postmaster.pid").write_text("1\n/data\n0\n5432\n/run/elsewhere\n\n0 0\nready\n")
    assert devdb.database_url(tmp_path, "other") == "postgres://postgres@%2Frun%2Felsewhere/other"
