"""The processes of `make bench` (bench/run.py): bench/prepare.py for each size, one gunicorn server per
size and catalog cache mode (`CATALOG_CACHE` on or off), and bench/load.py for each (round, size, mode,
scenario), with the environment they all share.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from run_report import fmt, log

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable


def bench_env(secret_key: str, url: str, schema: str | None = None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # Per second, so that DRF's throttle history (kept in the cache for the rate's period) stays as
        # short as in production while never refusing a request.
        "THROTTLE_ANON_RATE": "1000000/s",
        "THROTTLE_USER_RATE": "1000000/s",
        "THROTTLE_LOGIN_RATE": "1000000/s",
        "THROTTLE_LOGIN_ADDRESS_RATE": "1000000/s",
        "JWT_ACCESS_MINUTES": "720",
        "MEDIA_ROOT": str(RESULTS_DIR / "media"),
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(BASE_DIR),
    }
    if schema:
        env["BENCH_SCHEMA"] = schema
        # The cache as in production: Redis, one database per catalog size (numbered by size), emptied
        # before each run (prepare.py).
        database = len(schema.rsplit("_", 1)[1])  # 4 for bench_1000, 5 for bench_10000…
        env["REDIS_URL"] = f"{os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379')}/{database}"
    return env


def ensure_static(env: dict, force: bool) -> None:
    """The site's templates need collectstatic's manifest with debug off (as in production)."""
    manifest = RESULTS_DIR / "static" / "staticfiles.json"
    sources = [path for path in (BASE_DIR / "static").rglob("*") if path.is_file()]
    stale = not manifest.exists() or any(path.stat().st_mtime > manifest.stat().st_mtime for path in sources)
    if force or stale:
        log("Collecting static files into bench/results/static (once; about two minutes)…")
        subprocess.run(  # noqa: S603 (our own commands, no outside input)
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=BASE_DIR, env=env, check=True
        )


def prepare(size: int, env: dict, args) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    command = [PYTHON, str(BENCH_DIR / "prepare.py"), "--courses", str(size), "--out", path]
    if args.reseed:
        command.append("--reseed")
    if args.profile:
        command += ["--profile", args.profile]
    # Tasks run inline here: seeding saves cover images, whose index updates are tasks.
    prepare_env = {**env, "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    subprocess.run(command, cwd=BASE_DIR, env=prepare_env, check=True)  # noqa: S603 (our own commands)
    data = json.loads(Path(path).read_text())
    os.unlink(path)
    return data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn lms.wsgi:application` as in production (bench settings from the environment)."""

    def __init__(self, env: dict, workers: int, log_path: Path):
        self.port = free_port()
        self.log_file = log_path.open("w")
        self.command = [
            PYTHON, "-m", "gunicorn", "lms.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", "sync",
            "--timeout", "120",
            "--graceful-timeout", "10",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 (our own commands, no outside input)
            self.command, cwd=BASE_DIR, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 90, path: str = "/bench/floor/courses/") -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}{path}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_file.name}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def drive(port: int, scenario: dict, args, warmup: float, seed: int) -> dict:
    """One load run of a scenario; `seed` draws a class's requests (the same in both cache modes)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump({**scenario, "seed": seed}, spec)
    command = [
        PYTHON, str(BENCH_DIR / "load.py"), "--port", str(port), "--spec", spec.name,
        "--concurrency", str(args.concurrency), "--duration", str(args.duration), "--warmup", str(warmup),
        "--min-requests", str(args.concurrency), "--keep-samples",
    ]  # fmt: skip
    try:
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 (our own commands, no outside input)
    finally:
        os.unlink(spec.name)
    return json.loads(output)


def prepare_size(size: int, secret: str, url: str, args) -> dict:
    schema = f"bench_{size}"
    log(f"\n=== {size:,} courses (schema {schema}) ===")
    env = bench_env(secret, url, schema)
    prep = prepare(size, env, args)
    prep["env"], prep["schema"] = env, schema
    prep["scenarios"] = {s["name"]: s for s in prep["scenarios"] if s["name"] in args.scenarios}
    return prep


def mode_scenarios(prep: dict, mode: str, modes: list[str]) -> dict:
    """The scenarios run against a mode's server: all of them in the first mode; the peer (Wagtail's API,
    which reads no catalog cache) only there."""
    return {name: s for name, s in prep["scenarios"].items() if mode == modes[0] or name != "peer"}


def drive_all(preps: dict, args) -> dict:
    """Every scenario at every size and cache mode, interleaved: round after round, size after size, mode
    after mode, scenario after scenario.

    One server per size and mode runs for the whole phase (idle ones cost nothing), so a change in the
    machine's load during the run spreads over every figure alike instead of skewing one size, one mode
    or one scenario. The `off` servers run with `CATALOG_CACHE=false`: no catalog answer is cached.
    """
    modes = args.cache_modes
    servers = {
        (size, mode): Server(
            {**prep["env"], "CATALOG_CACHE": "true" if mode == "on" else "false"},
            args.workers,
            RESULTS_DIR / f"gunicorn-{size}-cache-{mode}.log",
        )
        for size, prep in preps.items()
        for mode in modes
    }
    runs = {
        size: {mode: {name: [] for name in mode_scenarios(prep, mode, modes)} for mode in modes}
        for size, prep in preps.items()
    }
    loadavg = []
    try:
        for server in servers.values():
            server.wait_ready()
        ports = ", ".join(f"{size:,} cache {mode} on :{server.port}" for (size, mode), server in servers.items())
        log(
            f"\ngunicorn: one server per size and catalog cache mode ({ports}), {args.workers} sync workers each; "
            f"{args.concurrency} requests in flight; {args.rounds} rounds × {args.duration:g} s per scenario, size "
            f"and mode (warm-up {args.warmup:g} s before the first)"
        )
        for number in range(args.rounds):
            loadavg.append(round(os.getloadavg()[0], 2))
            for size, prep in preps.items():
                for mode in modes:
                    for name, scenario in mode_scenarios(prep, mode, modes).items():
                        port = servers[(size, mode)].port
                        result = drive(port, scenario, args, args.warmup if number == 0 else 0, seed=number + 1)
                        runs[size][mode][name].append(result)
                        distinct = f"  {result['distinct_requests']:>5} distinct" if scenario.get("requests") else ""
                        log(
                            f"  round {number + 1}  {size:>7,}  cache {mode:<3}  {name:<18} {result['rps']:>7.1f} rps  "
                            f"p50 {fmt(result['p50_ms'], '>7.1f')} ms  p95 {fmt(result['p95_ms'], '>7.1f')} ms  "
                            f"errors {result['errors']}{distinct}"
                        )
        loadavg.append(round(os.getloadavg()[0], 2))
    finally:
        for server in servers.values():
            server.stop()
    return {"runs": runs, "loadavg": loadavg}
