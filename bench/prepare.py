"""The Django side of one catalog size: seed (or reuse) its schema, then measure in-process.

Run by bench/run.py as `python bench/prepare.py --courses N --out FILE` (one process per size, with
`BENCH_SCHEMA` and the bench settings in its environment), it:

1. makes the `lms_bench` database and the size's schema if missing; a schema without a complete seeding
   of this size and version (see `bench.seed`) is dropped, migrated afresh and seeded;
2. puts the mutable state back (attempts made by earlier runs, old sessions) so that runs compare;
3. makes credentials: access tokens and session cookies of the bench learners;
4. describes the scenarios (`scenarios()`): the requests the load generator sends;
5. counts SQL queries per request of every scenario with Django's test `Client` and
   `CaptureQueriesContext`, against the same database (lists at two page sizes), and times
   `learners.services.certificates.render_pdf`;
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
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

CATALOG_PAGE = 20  # "page 20" of the catalog: 20 courses, from the 381st newest
SEARCH_QUERY = "python"
LESSON_PAGE_POSITION = 15  # of the bench course: open to the bench learners, who did lessons 1 to 14
QUIZ_RIGHT_ANSWERS = 15  # of 20: 75 %, a pass (pass mark 70 %); every request is a new attempt
PEER_FIELDS = "summary,level,language,duration_minutes,created_at,rating_avg,rating_count,owner,category"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- database and schema --------------------------------------------------------------------------------


def ensure_database_and_schema(database_url: str, schema: str) -> None:
    """Create the bench database and the schema if missing (plain psycopg2: Django needs them to exist)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(database_url)
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    server = psycopg2.connect(dbname="postgres", **params)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            log(f"Creating database {config['NAME']}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    server.close()
    database = psycopg2.connect(dbname=config["NAME"], **params)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    database.close()


def drop_and_create_schema(schema: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')


def seed_if_needed(courses: int, schema: str, reseed: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import seed

    marker = None if reseed else seed.read_marker()
    wanted = {"courses": str(courses), "version": str(seed.SEED_VERSION), "seed": str(seed.SEED)}
    if marker and all(marker.get(key) == value for key, value in wanted.items()):
        log(f"Schema {schema} already holds {courses:,} seeded courses: reusing it")
        return {"reused": True, **json.loads(marker["stats"])}

    log(f"Seeding {courses:,} courses into schema {schema} (fresh schema, migrations, bulk load)")
    started = time.monotonic()
    drop_and_create_schema(schema)
    connection.close()  # the search_path is set per connection: start clean in the new schema
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.monotonic()
    log(f"  migrated in {migrated - started:.1f} s")
    plan = seed.Plan(courses=courses)
    with transaction.atomic():
        stats = seed.Seeder(plan, log=log).run()
        stats["timings"]["migrate"] = round(migrated - started, 2)
        seed.write_marker(plan, stats)
    vacuum_started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    stats["timings"]["vacuum_analyze"] = round(time.monotonic() - vacuum_started, 2)
    stats["timings"]["wall"] = round(time.monotonic() - started, 2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {seed.MARKER_TABLE} SET value = %s WHERE key = 'stats'", [json.dumps(stats)])  # noqa: S608
    log(f"  seeded in {stats['timings']['wall']:.1f} s: {stats['counts']}")
    return {"reused": False, **stats}


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


def credentials(learners) -> tuple[list[str], list[str]]:
    """(access tokens, session keys) of the bench learners."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework_simplejwt.tokens import AccessToken

    tokens, sessions = [], []
    for learner in learners:
        tokens.append(str(AccessToken.for_user(learner)))
        session = SessionStore()
        session[SESSION_KEY] = str(learner.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return tokens, sessions


def scenarios() -> tuple[list[dict], object]:
    """The requests of the benchmark, each `{name, label, method, path, headers: [variant, …], body, expect}`,
    and a seeded certificate to render.

    `headers` holds one variant per simulated client (the load generator gives connection i the variant
    i modulo their number), so that authenticated scenarios spread over the 64 bench learners as real
    traffic would, instead of queueing on one learner's rows.
    """
    from bench.seed import BENCH_COURSE_SLUG
    from courses.models import CoursePage
    from learners.models import Certificate, User
    from quizzes.services import questions_of

    course = CoursePage.objects.get(slug=BENCH_COURSE_SLUG)
    lessons = list(course.lessons())
    quiz = lessons[0].quiz
    learners = list(User.objects.filter(email__startswith="bench-learner-").order_by("email"))
    tokens, sessions = credentials(learners)
    bearer = [{"Authorization": f"Bearer {token}"} for token in tokens]
    cookies = [{"Cookie": f"sessionid={key}"} for key in sessions]
    answers = []
    for number, question in enumerate(questions_of(quiz)):
        choices = sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))
        right = number < QUIZ_RIGHT_ANSWERS
        answers.append({"question": question.pk, "choices": [next(c.pk for c in choices if c.is_correct == right)]})
    offset = (CATALOG_PAGE - 1) * 20
    peer_query = urlencode(
        {"type": "courses.CoursePage", "fields": PEER_FIELDS, "order": "-created_at,-id", "limit": 20, "offset": offset}
    )

    def get(name, label, path, headers=None, **extra):
        return {"name": name, "label": label, "method": "GET", "path": path, "headers": headers or [{}],
                "body": None, "expect": 200, **extra}  # fmt: skip

    certificate = Certificate.objects.order_by("pk").first()
    return [
        get("floor", "floor: one .values() query", f"/bench/floor/courses/?page={CATALOG_PAGE}", sizes="page_size"),
        get("peer", "peer: Wagtail API v2 pages", f"/bench/api/v2/pages/?{peer_query}", sizes="limit"),
        get("catalog", "catalog list, anonymous", f"/api/v1/courses/?page={CATALOG_PAGE}", list=True),
        get("catalog_jwt", "catalog list, JWT", f"/api/v1/courses/?page={CATALOG_PAGE}", bearer, list=True),
        get("search", f"catalog search “{SEARCH_QUERY}”", f"/api/v1/courses/?search={SEARCH_QUERY}", list=True),
        get("detail", "course detail (30 lessons), JWT", f"/api/v1/courses/{course.pk}/", bearer),
        get("course_html", "course page HTML, anonymous", course.url),
        get("lesson_html", "lesson page HTML, enrolled", lessons[LESSON_PAGE_POSITION - 1].url, cookies),
        {
            "name": "quiz",
            "label": "quiz submission (20 answers), JWT",
            "method": "POST",
            "path": f"/api/v1/lessons/{lessons[0].pk}/quiz/attempts/",
            "headers": [{**header, "Content-Type": "application/json"} for header in bearer],
            "body": json.dumps({"answers": answers}),
            "expect": 201,
        },
    ], certificate


# --- in-process measurements ----------------------------------------------------------------------------


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


def measure_queries(scenario_list: list[dict]) -> dict:
    from django.test import Client

    results = {}
    for scenario in scenario_list:
        client = Client(HTTP_HOST="127.0.0.1")
        queries, status, sql = count_queries(client, scenario)
        entry = {"queries": queries, "status": status, "sql": sql}
        if scenario.get("list") or scenario.get("sizes"):
            entry["by_page_size"] = {}
            for size in (10, 100):
                queries_at, status_at, _sql = count_queries(client, scenario, with_page_size(scenario, size))
                entry["by_page_size"][str(size)] = {"queries": queries_at, "status": status_at}
        if status != scenario["expect"]:
            log(f"  ! {scenario['name']}: status {status}, expected {scenario['expect']}")
        results[scenario["name"]] = entry
        log(f"  {scenario['name']:<12} {queries:>3} queries (status {status})")
    return results


def time_uncached(scenario_list: list[dict], repeats: int = 3) -> dict:
    """The catalog and search right after a change to the catalog, when nothing is cached for them yet:
    median ms and queries of `repeats` requests, each after a new catalog generation (in-process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from search.cache import catalog_changed

    results = {}
    for scenario in scenario_list:
        if scenario["name"] not in ("catalog", "search"):
            continue
        client, times = Client(HTTP_HOST="127.0.0.1"), []
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
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for variant in range(2):
        request(client, scenario, variant=variant)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    done = 0
    profiler.enable()
    while done < requests and time.perf_counter() - started < budget:
        request(client, scenario, variant=done)
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
    scenario_list, certificate = scenarios()
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
