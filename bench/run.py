"""`make bench`: the portal's speed, measured side by side with a framework floor and Wagtail's own API.

    python bench/run.py [--sizes 1000,10000] [--large] [--rounds 3] [--duration 8] [--concurrency 8]

Each catalog size has its own PostgreSQL schema in the `lms_bench` database, seeded once and reused.

1. For each size, bench/prepare.py seeds the schema if needed, makes credentials, counts SQL queries
   per request in-process and times certificate PDFs.
2. For each size, the portal starts as in production: `gunicorn lms.wsgi:application` with several sync
   workers, debug off, a secret key made for the run, `DJANGO_ALLOWED_HOSTS=127.0.0.1`, no HTTPS
   redirect and throttling rates raised out of the way, on a free localhost port, with the bench URL
   configuration (bench/urls.py: the portal plus the floor and the peer).
3. bench/load.py, a separate process, drives every scenario at a fixed concurrency: a warm-up, then
   `--rounds` rounds; within a round every size and every scenario take their turn, so that drift (a
   noisy neighbour, PostgreSQL's caches) spreads over all figures alike.
4. The servers stop.

Then it prints a table per size and the growth across sizes, checks the targets (reported with ✓/✗,
never asserted) and writes everything to bench/results/latest.json. See bench/README.md.
"""

import argparse
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench"
LARGE_SIZE = 100_000

ORDER = ["floor", "peer", "catalog", "catalog_jwt", "search", "detail", "course_html", "lesson_html", "quiz"]
LISTS = ["catalog", "catalog_jwt", "search"]


def log(message: str = "") -> None:
    print(message, flush=True)


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description="Measure the portal side by side with a floor and a peer.")
    parser.add_argument("--sizes", default="1000,10000", help="catalog sizes (courses), comma-separated")
    parser.add_argument("--large", action="store_true", help=f"add {LARGE_SIZE:,} courses to the sizes")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds of every scenario")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of one round of one scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up before the first round")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2×cores+1)")
    parser.add_argument(
        "--only", default="", help="comma-separated scenario names (floor, peer and catalog are always kept)"
    )
    parser.add_argument("--profile", default="", help="also profile this scenario in-process (cProfile) at each size")
    parser.add_argument("--reseed", action="store_true", help="seed again even when a seeded schema exists")
    parser.add_argument("--collectstatic", action="store_true", help="run collectstatic even if done before")
    parser.add_argument("--output", default=str(RESULTS_DIR / "latest.json"))
    args = parser.parse_args()
    args.size_list = sorted(
        {int(size) for size in args.sizes.split(",") if size.strip()} | ({LARGE_SIZE} if args.large else set())
    )
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = wanted - set(ORDER)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}; known: {', '.join(ORDER)}")
    args.scenarios = [name for name in ORDER if not wanted or name in wanted or name in ("floor", "peer", "catalog")]
    return args


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not parsed.scheme.startswith("postgres"):
        sys.exit(f"The benchmark runs on PostgreSQL; DATABASE_URL is {parsed.scheme}://…")
    if "bench" not in name:
        # Seeding drops and recreates schemas: never let it near the portal's or the tests' database.
        sys.exit(f"Refusing to use database {name!r}: the benchmark's database name must contain 'bench'.")
    return url


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

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/bench/floor/courses/"
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


def drive(port: int, scenario: dict, args, warmup: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump(scenario, spec)
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


def ratio(numerator, denominator, digits: int = 3) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)


def fmt(value, spec: str = ".1f", suffix: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{suffix}"


def percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))], 2)


def aggregate(rounds: list[dict]) -> dict:
    """One scenario's rounds: rps per round (median reported), latencies pooled over the rounds."""
    samples = sorted(value for run in rounds for value in run["latencies_ms"])
    statuses: dict[str, int] = {}
    for run in rounds:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    rps = [run["rps"] for run in rounds]
    return {
        "rps": round(statistics.median(rps), 2),
        "rps_rounds": rps,
        "p50_ms": percentile(samples, 0.50),
        "p95_ms": percentile(samples, 0.95),
        "p99_ms": percentile(samples, 0.99),
        "mean_ms": round(statistics.fmean(samples), 2) if samples else None,
        "requests": len(samples),
        "errors": sum(run["errors"] for run in rounds),
        "statuses": statuses,
        "bytes_per_response": rounds[-1]["bytes_per_response"],
        "load_cpu_cores": round(statistics.fmean(run["load_cpu_cores"] for run in rounds), 2),
    }


def prepare_size(size: int, secret: str, url: str, args) -> dict:
    schema = f"bench_{size}"
    log(f"\n=== {size:,} courses (schema {schema}) ===")
    env = bench_env(secret, url, schema)
    prep = prepare(size, env, args)
    prep["env"], prep["schema"] = env, schema
    prep["scenarios"] = {s["name"]: s for s in prep["scenarios"] if s["name"] in args.scenarios}
    return prep


def drive_all(preps: dict, args) -> dict:
    """Every scenario at every size, interleaved: round after round, size after size, scenario after scenario.

    One server per size runs for the whole phase (idle ones cost nothing), so a change in the machine's
    load during the run spreads over every figure alike instead of skewing one size or one scenario.
    """
    servers = {
        size: Server(prep["env"], args.workers, RESULTS_DIR / f"gunicorn-{size}.log") for size, prep in preps.items()
    }
    runs = {size: {name: [] for name in prep["scenarios"]} for size, prep in preps.items()}
    loadavg = []
    try:
        for server in servers.values():
            server.wait_ready()
        log(
            f"\ngunicorn: one server per size ({', '.join(f'{size:,} on :{server.port}' for size, server in servers.items())}), "
            f"{args.workers} sync workers each; {args.concurrency} requests in flight; {args.rounds} rounds × "
            f"{args.duration:g} s per scenario and size (warm-up {args.warmup:g} s before the first)"
        )
        for number in range(args.rounds):
            loadavg.append(round(os.getloadavg()[0], 2))
            for size, prep in preps.items():
                for name, scenario in prep["scenarios"].items():
                    result = drive(servers[size].port, scenario, args, args.warmup if number == 0 else 0)
                    runs[size][name].append(result)
                    log(
                        f"  round {number + 1}  {size:>7,}  {name:<12} {result['rps']:>7.1f} rps  p50 "
                        f"{fmt(result['p50_ms'], '>7.1f')} ms  p95 {fmt(result['p95_ms'], '>7.1f')} ms  "
                        f"errors {result['errors']}"
                    )
        loadavg.append(round(os.getloadavg()[0], 2))
    finally:
        for server in servers.values():
            server.stop()
    return {"runs": runs, "loadavg": loadavg}


def summarize_size(size: int, prep: dict, runs: dict) -> dict:
    measured = {}
    for name, rounds in runs.items():
        scenario, queries = prep["scenarios"][name], prep["queries"][name]
        entry = aggregate(rounds)
        entry.update(
            label=scenario["label"],
            method=scenario["method"],
            path=scenario["path"],
            queries=queries["queries"],
            queries_by_page_size={k: v["queries"] for k, v in queries.get("by_page_size", {}).items()},
            sql=queries["sql"],
        )
        measured[name] = entry
    for entry in measured.values():
        entry["x_floor_rps"] = ratio(entry["rps"], measured["floor"]["rps"])
        entry["x_peer_rps"] = ratio(entry["rps"], measured["peer"]["rps"])
        entry["x_floor_p50"] = ratio(entry["p50_ms"], measured["floor"]["p50_ms"], 2)
    return {
        "courses": size,
        "schema": prep["schema"],
        "seed": prep["seed"],
        "scenarios": measured,
        "uncached": prep["uncached"],
        "certificate_pdf": prep["certificate_pdf"],
        "profile": prep.get("profile"),
    }


# --- report -----------------------------------------------------------------------------------------------


def check(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def _compare(value, limit) -> bool | None:
    """value ≤ limit, or None when either was not measured."""
    return None if value is None or limit is None else value <= limit


def targets(results: dict) -> list[dict]:
    """The issue's targets, per size where they apply; reported, never asserted."""
    out = []

    def add(target, courses, value, met):
        out.append({"target": target, "courses": courses, "value": value, "met": met})

    for size, result in results.items():
        s = result["scenarios"]
        catalog, floor, peer = s["catalog"], s["floor"], s["peer"]
        add(
            "catalog list ≥ 0.5× the floor in rps",
            size,
            f"{fmt(catalog['x_floor_rps'], '.2f')}× ({catalog['rps']:.1f} vs {floor['rps']:.1f} rps)",
            None if catalog["x_floor_rps"] is None else catalog["x_floor_rps"] >= 0.5,
        )
        add(
            "catalog list ≥ 2× the peer in rps",
            size,
            f"{fmt(catalog['x_peer_rps'], '.2f')}× ({catalog['rps']:.1f} vs {peer['rps']:.1f} rps)",
            None if catalog["x_peer_rps"] is None else catalog["x_peer_rps"] >= 2,
        )
        for name in LISTS:
            if name in s:
                by_size = s[name]["queries_by_page_size"]
                counts = [s[name]["queries"], *by_size.values()]
                add(
                    f"{name}: SQL queries independent of page size and ≤ 4",
                    size,
                    f"{s[name]['queries']} at 20/page; " + ", ".join(f"{q} at {k}" for k, q in by_size.items()),
                    len(set(by_size.values())) == 1 and max(counts) <= 4,
                )
        if "search" in s:
            add(
                "search p95 ≤ catalog list p95",
                size,
                f"{fmt(s['search']['p95_ms'])} vs {fmt(catalog['p95_ms'])} ms",
                _compare(s["search"]["p95_ms"], catalog["p95_ms"]),
            )
        if "quiz" in s:
            limit = 1.5 * catalog["p95_ms"] if catalog["p95_ms"] is not None else None
            add(
                "quiz submission p95 ≤ 1.5× catalog list p95",
                size,
                f"{fmt(s['quiz']['p95_ms'])} vs 1.5 × {fmt(catalog['p95_ms'])} = {fmt(limit)} ms",
                _compare(s["quiz"]["p95_ms"], limit),
            )
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    growth = ratio(
        results[large]["scenarios"]["catalog"]["p50_ms"], results[small]["scenarios"]["catalog"]["p50_ms"], 2
    )
    measured = small <= 1000 and large >= LARGE_SIZE
    add(
        "catalog p50 at 100,000 courses ≤ 1.5× at 1,000",
        large,
        f"{fmt(growth, '.2f')}× from {small:,} to {large:,}" + ("" if measured else " (run --large for 100,000)"),
        _compare(growth, 1.5) if measured else None,
    )
    return out


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        cells = zip(row, widths, strict=True)
        return "  ".join(
            str(cell).rjust(width) if i else str(cell).ljust(width) for i, (cell, width) in enumerate(cells)
        )

    return "\n".join([line(header), "  ".join("-" * width for width in widths), *(line(row) for row in rows)])


def report(results: dict, target_list: list[dict], loadavg: list[float]) -> None:
    for size, result in results.items():
        log(f"\n{size:,} courses — rps: median of rounds; latency: pooled over rounds; queries: in-process")
        rows = []
        for name in ORDER:
            if name in result["scenarios"]:
                s = result["scenarios"][name]
                rows.append(
                    [
                        s["label"], fmt(s["rps"]), fmt(s["p50_ms"]), fmt(s["p95_ms"]), fmt(s["p99_ms"]),
                        str(s["queries"]), fmt(s["x_floor_rps"], ".2f"), fmt(s["x_peer_rps"], ".2f"), str(s["errors"]),
                    ]
                )  # fmt: skip
        log(table(rows, ["scenario", "rps", "p50 ms", "p95 ms", "p99 ms", "queries", "×floor", "×peer", "errors"]))
        for name, cold in result["uncached"].items():
            log(
                f"{name} right after a catalog change (uncached, in-process): {cold['p50_ms']:.0f} ms, {cold['queries']} queries"
            )
        pdf = result["certificate_pdf"]
        log(
            f"certificate PDF (render_pdf in-process, {pdf['renders']} renders): p50 {pdf['p50_ms']:.0f} ms, "
            f"max {pdf['max_ms']:.0f} ms, {pdf['per_second']:.1f}/s on one core, {pdf['queries']} queries"
        )
    sizes = list(results)
    if len(sizes) > 1:
        log(f"\nGrowth from {sizes[0]:,} to {sizes[-1]:,} courses (p50 ms, then rps)")
        rows = []
        for name in ORDER:
            if all(name in results[size]["scenarios"] for size in sizes):
                p50 = [results[size]["scenarios"][name]["p50_ms"] for size in sizes]
                rps = [results[size]["scenarios"][name]["rps"] for size in sizes]
                rows.append(
                    [name, *(fmt(value) for value in p50), fmt(ratio(p50[-1], p50[0], 2), ".2f", "×"),
                     *(fmt(value) for value in rps), fmt(ratio(rps[-1], rps[0], 2), ".2f", "×")]
                )  # fmt: skip
        header = [
            "scenario",
            *(f"p50@{size:,}" for size in sizes),
            "p50 growth",
            *(f"rps@{size:,}" for size in sizes),
            "rps growth",
        ]
        log(table(rows, header))
    log(f"\nMachine load average (1 min) at the start of each round and at the end: {loadavg}")
    for size, result in results.items():
        if result.get("profile"):
            log(f"\ncProfile at {size:,} courses:\n{result['profile']}")
    log("\nTargets (reported, not asserted)")
    log(
        table(
            [[check(t["met"]), t["target"], f"{t['courses']:,}", t["value"]] for t in target_list],
            ["", "target", "courses", "measured"],
        )
    )


def main() -> None:
    args = parse_args()
    url = database_url()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(50)  # made for this run: sessions and tokens die with it
    started = time.monotonic()
    ensure_static(bench_env(secret, url), args.collectstatic)
    preps = {size: prepare_size(size, secret, url, args) for size in args.size_list}
    load = drive_all(preps, args)
    results = {size: summarize_size(size, preps[size], load["runs"][size]) for size in args.size_list}
    target_list = targets(results)
    gunicorn_version = subprocess.run(  # noqa: S603 (our own commands, no outside input)
        [PYTHON, "-m", "gunicorn", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    document = {
        "meta": {
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "wall_seconds": round(time.monotonic() - started, 1),
            "cpu_cores": os.cpu_count(),
            "note": "load generator, gunicorn and PostgreSQL share the machine's cores",
            "python": sys.version.split()[0],
            "gunicorn": gunicorn_version,
            "workers": args.workers,
            "worker_class": "sync",
            "concurrency": args.concurrency,
            "rounds": args.rounds,
            "round_seconds": args.duration,
            "warmup_seconds": args.warmup,
            "database": urlparse(url).path.lstrip("/"),
            # The machine's 1-minute load average at the start of each round and at the end: the benchmark
            # itself accounts for about 2 to 3 of it; more means other work shared the cores.
            "loadavg_per_round": load["loadavg"],
        },
        "sizes": {str(size): result for size, result in results.items()},
        "targets": target_list,
    }
    output = Path(args.output)
    output.write_text(json.dumps(document, indent=1, default=str, ensure_ascii=False))
    report(results, target_list, load["loadavg"])
    log(f"\nWrote {output} in {document['meta']['wall_seconds']:.0f} s")


if __name__ == "__main__":
    main()
