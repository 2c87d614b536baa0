"""`make bench`: the portal's speed, measured side by side with a framework floor and Wagtail's own API.

    python bench/run.py [--sizes 1000,10000] [--large] [--cache on,off] [--rounds 3] [--duration 8] [--concurrency 8]

Each catalog size has its own PostgreSQL schema in the `lms_bench` database, seeded once and reused.

1. For each size, bench/prepare.py seeds the schema if needed, makes credentials, counts SQL queries
   per request in-process and times certificate PDFs.
2. For each size and catalog cache mode (`--cache`: on, and off with `CATALOG_CACHE=false`), the portal
   starts as in production: `gunicorn lms.wsgi:application` with several sync workers, debug off, a
   secret key made for the run, `DJANGO_ALLOWED_HOSTS=127.0.0.1`, no HTTPS redirect and throttling rates
   raised out of the way, on a free localhost port, with the bench URL configuration (bench/urls.py: the
   portal plus the floor and the peer).
3. bench/load.py, a separate process, drives every scenario at a fixed concurrency: a warm-up, then
   `--rounds` rounds; within a round every size, every mode and every scenario take their turn, so that
   drift (a noisy neighbour, PostgreSQL's caches) spreads over all figures alike. The same-URL scenarios
   ask one request again and again; the cache-hostile classes (bench/scenario_mix.py) draw one of
   thousands of distinct requests each time.
4. The servers stop.

Then it prints a table per size and the growth across sizes, checks the targets (reported with ✓/✗,
never asserted) and writes everything to bench/results/latest.json. See bench/README.md.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

# Sibling modules of this script (bench/ is first on sys.path when it runs as `python bench/run.py`).
from run_processes import PYTHON, RESULTS_DIR, bench_env, drive_all, ensure_static, prepare_size
from run_report import LARGE_SIZE, ORDER, log, report, summarize_size
from run_targets import targets

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench"


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description="Measure the portal side by side with a floor and a peer.")
    parser.add_argument("--sizes", default="1000,10000", help="catalog sizes (courses), comma-separated")
    parser.add_argument("--large", action="store_true", help=f"add {LARGE_SIZE:,} courses to the sizes")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds of every scenario")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of one round of one scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up before the first round")
    parser.add_argument(
        "--cache", default="on,off", help="catalog cache modes, each with its own server: on, off (CATALOG_CACHE=false)"
    )
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
    args.cache_modes = list(dict.fromkeys(mode.strip() for mode in args.cache.split(",") if mode.strip()))
    if not args.cache_modes or set(args.cache_modes) - {"on", "off"}:
        parser.error(f"--cache takes on, off or on,off; got {args.cache!r}")
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
            "cache_modes": args.cache_modes,
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
