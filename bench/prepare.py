"""The Django side of one catalog size: seed (or reuse) its schema, then measure in-process.

Run by bench/run.py as `python bench/prepare.py --courses N --out FILE` (one process per size, with
`BENCH_SCHEMA` and the bench settings in its environment), it:

1. makes the `lms_bench` database and the size's schema if missing; a schema without a complete seeding
   of this size and version (see `bench.seed`) is dropped, migrated afresh and seeded; a seeded schema
   that is reused gets the migrations added since it was seeded;
2. fills the catalog's read model (`search.entries.rebuild()`, when the portal has it) after seeding, or
   when its table is empty or `search/entries.py` changed since it was last filled: seeding writes rows
   with COPY, so no signal keeps it up to date;
3. puts the mutable state back (attempts made by earlier runs, old sessions) so that runs compare;
4. makes credentials and describes the scenarios (`bench.scenarios`, `bench.scenario_mix`): the requests
   the load generator sends;
5. counts SQL queries per request of every scenario with Django's test `Client` and
   `CaptureQueriesContext`, against the same database (lists at two page sizes; the catalog cache on
   and off), and times `learners.services.certificates.render_pdf`;
6. optionally profiles one scenario with cProfile (`--profile NAME`);

and writes all that as JSON for run.py.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.prepare_schema import ensure_database_and_schema, log, seed_if_needed  # noqa: E402 (after sys.path)

QUERY_SAMPLES = 5  # requests of a class whose queries are counted (the median is reported)

# --- state, credentials, scenarios --------------------------------------------------------------------


def reset_attempts(stats: dict) -> None:
    """Forget the quiz attempts made by earlier runs (and by the query counts), so that runs compare."""
    from quizzes.models import Attempt

    Attempt.objects.filter(pk__gt=stats["counts"]["last_seeded_attempt_id"]).delete()


def reset_sessions() -> None:
    """Forget earlier runs' sessions and everything they cached (this size's own Redis database)."""
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    Session.objects.all().delete()
    cache.clear()


# --- in-process measurements ----------------------------------------------------------------------------


def test_client():
    """Django's test client; an error of the portal comes back as a 500 (and shows in the figures) instead
    of stopping the benchmark."""
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)


def request(client, scenario: dict, path: str | None = None, variant: int = 0):
    headers = scenario["headers"][variant % len(scenario["headers"])]
    extra = {}
    for name, value in headers.items():
        if name == "Cookie":
            key, _, cookie = value.partition("=")
            client.cookies[key] = cookie
        elif name != "Content-Type":
            extra["HTTP_" + name.upper().replace("-", "_")] = value
    path = path or scenario["path"]
    if scenario["method"] == "POST":
        return client.post(path, data=scenario["body"], content_type="application/json", **extra)
    return client.get(path, **extra)


def count_queries(client, scenario: dict, path: str | None = None) -> tuple[int, int, list[str]]:
    """(queries, status, SQL) of one request in steady state (after a first one that fills caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request(client, scenario, path)
    with CaptureQueriesContext(connection) as captured:
        response = request(client, scenario, path)
    return len(captured.captured_queries), response.status_code, [query["sql"] for query in captured.captured_queries]


def with_page_size(scenario: dict, size: int) -> str:
    """The scenario's list at its first page with `size` results (for the page-size independence check)."""
    path, _, _query = scenario["path"].partition("?")
    if scenario.get("sizes") == "limit":
        query = scenario["path"].split("?", 1)[1].replace("limit=20", f"limit={size}").replace("offset=380", "offset=0")
        return f"{path}?{query}"
    if scenario["name"] == "search":
        return f"{scenario['path']}&page_size={size}"
    return f"{path}?page=1&page_size={size}"


def class_queries(scenario: dict) -> dict:
    """A cache-hostile class: the median queries of `QUERY_SAMPLES` of its requests, the catalog cache on
    (each request asked twice, as `count_queries` does) and off."""
    from django.test.utils import override_settings

    from bench.scenario_mix import samples

    counts = {"on": [], "off": []}
    statuses, sql = [], []
    for sample in samples(scenario, QUERY_SAMPLES):
        for mode in ("on", "off"):
            with override_settings(CATALOG_CACHE=mode == "on"):
                queries, status, sql_of = count_queries(test_client(), sample)
            counts[mode].append(queries)
            statuses.append(status)
            sql = sql or sql_of
    expected = scenario["expect"] if isinstance(scenario["expect"], list) else [scenario["expect"]]
    status = next((s for s in statuses if s not in expected and s != 404), statuses[0])
    return {
        "queries": statistics.median_low(counts["on"]),
        "queries_off": statistics.median_low(counts["off"]),
        "queries_range": {mode: [min(values), max(values)] for mode, values in counts.items()},
        "status": status,
        "sql": sql,
    }


def measure_queries(scenario_list: list[dict]) -> dict:
    from django.test.utils import override_settings

    results = {}
    for scenario in scenario_list:
        if scenario.get("mix"):
            results[scenario["name"]] = {"queries": None, "queries_off": None, "status": None, "sql": []}
            continue
        if scenario.get("requests"):
            entry = results[scenario["name"]] = class_queries(scenario)
            log(
                f"  {scenario['name']:<18} {entry['queries']:>3} queries, {entry['queries_off']:>3} with the catalog cache off"
            )
            continue
        client = test_client()
        queries, status, sql = count_queries(client, scenario)
        with override_settings(CATALOG_CACHE=False):
            queries_off = count_queries(test_client(), scenario)[0]
        entry = {"queries": queries, "queries_off": queries_off, "status": status, "sql": sql}
        if scenario.get("list") or scenario.get("sizes"):
            entry["by_page_size"] = {}
            for size in (10, 100):
                queries_at, status_at, _sql = count_queries(client, scenario, with_page_size(scenario, size))
                entry["by_page_size"][str(size)] = {"queries": queries_at, "status": status_at}
        if status != scenario["expect"]:
            log(f"  ! {scenario['name']}: status {status}, expected {scenario['expect']}")
        results[scenario["name"]] = entry
        log(
            f"  {scenario['name']:<18} {queries:>3} queries (status {status}), {queries_off:>3} with the catalog cache off"
        )
    return results


def time_uncached(scenario_list: list[dict], repeats: int = 3) -> dict:
    """The catalog and search right after a change to the catalog, when nothing is cached for them yet:
    median ms and queries of `repeats` requests, each after a new catalog generation (in-process)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.cache import catalog_changed

    results = {}
    for scenario in scenario_list:
        if scenario["name"] not in ("catalog", "search"):
            continue
        client, times = test_client(), []
        for _ in range(repeats):
            catalog_changed()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                request(client, scenario)
            times.append(time.perf_counter() - started)
        results[scenario["name"]] = {
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "queries": len(captured.captured_queries),
        }
        log(
            f"  {scenario['name']:<12} uncached: {results[scenario['name']]['p50_ms']:.0f} ms, {len(captured.captured_queries)} queries"
        )
    catalog_changed()
    return results


def time_certificates(certificate, renders: int) -> dict:
    """Seconds per `render_pdf` of a seeded certificate (after one warm-up render), and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from learners.services.certificates import render_pdf

    size = len(render_pdf(certificate))
    times = []
    with CaptureQueriesContext(connection) as captured:
        render_pdf(certificate)
    for _ in range(renders):
        started = time.perf_counter()
        render_pdf(certificate)
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "renders": renders,
        "bytes": size,
        "queries": len(captured.captured_queries),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
        "mean_ms": round(statistics.fmean(times) * 1000, 1),
        "per_second": round(1 / statistics.fmean(times), 2),
    }


def profile(scenario: dict, requests: int = 60, budget: float = 20.0) -> str:
    """cProfile of in-process requests of a scenario (`requests` of them, or as many as fit in `budget`
    seconds): the top functions by cumulative and by own time."""

    from bench.scenario_mix import samples

    client = test_client()
    asked = samples(scenario, requests + 2)  # a class's requests, each asked once; else the one request
    for variant in range(2):
        request(client, asked[variant % len(asked)], variant=variant)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    done = 0
    profiler.enable()
    while done < requests and time.perf_counter() - started < budget:
        request(client, asked[(done + 2) % len(asked)], variant=done)
        done += 1
    profiler.disable()
    elapsed, requests = time.perf_counter() - started, done
    out = io.StringIO()
    out.write(f"{requests} in-process requests of {scenario['name']}: {elapsed / requests * 1000:.1f} ms each\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--certificate-renders", type=int, default=5)
    parser.add_argument("--profile", default="", help="profile this scenario in-process with cProfile")
    args = parser.parse_args()

    schema = os.environ["BENCH_SCHEMA"]
    ensure_database_and_schema(os.environ["DATABASE_URL"], schema)
    import django

    django.setup()
    stats = seed_if_needed(args.courses, schema, args.reseed)
    reset_attempts(stats)
    reset_sessions()
    from bench.scenarios import scenarios

    scenario_list, certificate = scenarios(args.courses)
    log(f"SQL queries per request at {args.courses:,} courses (in-process, test Client):")
    queries = measure_queries(scenario_list)
    log("Catalog and search right after a catalog change (nothing cached yet; in-process):")
    uncached = time_uncached(scenario_list)
    log(f"Certificate PDF: {args.certificate_renders} renders in-process")
    pdf = time_certificates(certificate, args.certificate_renders)
    result = {
        "seed": stats,
        "scenarios": scenario_list,
        "queries": queries,
        "uncached": uncached,
        "certificate_pdf": pdf,
    }
    if args.profile:
        chosen = next(s for s in scenario_list if s["name"] == args.profile)
        result["profile"] = profile(chosen)
    reset_attempts(stats)  # the query counts made attempts too
    Path(args.out).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
