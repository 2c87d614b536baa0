"""A cohort starts a course: N learners sign in, enroll in one course and open its first lesson, within a minute.

    python bench/cohort.py [--learners 1000] [--window 60] [--workers 3] [--clients 48]

As in production on one machine: `gunicorn lms.wsgi:application` with three sync workers, Redis for the cache,
sessions and throttle counters (`REDIS_URL`, its own database number), PostgreSQL (a database of its own, made
afresh: `lms_cohort` on the server `DATABASE_URL` names). Learner i starts at a random moment of the window
(uniform, seeded) and takes three steps through the API: `POST auth/token/`, `POST courses/{id}/enroll/`,
`GET lessons/{first}/`. At most `--clients` requests are in flight (a bounded pool of threads); only 127.0.0.1
is contacted. The login limits are those of production per email; the one per address is lifted, since every
learner here comes from 127.0.0.1 (a real cohort comes from many addresses).

Checks, and the exit status says: no 5xx, no step failed, and afterwards exactly one enrollment per learner in
the course, none lost, none doubled. Figures (per step: count, p50, p95, max; the whole run's requests per
second) go to stdout and `bench/results/cohort.json`; bench/README.md keeps a run's figures.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_processes import BASE_DIR, PYTHON, RESULTS_DIR, Server, bench_env

DATABASE = "lms_cohort"
PASSWORD = "Cohort-pass-2026"
STEPS = ("token", "enroll", "lesson")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which the learners arrive")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=48, help="requests in flight at most")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms")
    return url.rsplit("/", 1)[0]


def fresh_database(env: dict) -> None:
    """Drop and make the cohort's database, migrate it, and seed the course and the learners."""
    admin = {**env, "DATABASE_URL": f"{server_url()}/postgres"}
    script = f"""
import psycopg2, dj_database_url, os
c = dj_database_url.parse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(dbname="postgres", user=c["USER"], host=c["HOST"], port=c["PORT"] or 5432, password=c["PASSWORD"])
conn.autocommit = True
conn.cursor().execute("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
conn.cursor().execute("CREATE DATABASE {DATABASE}")
"""
    subprocess.run([PYTHON, "-c", script], env=admin, check=True)  # noqa: S603 (our own commands)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "--verbosity", "0"], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


SEED = """
import json, sys
import django
django.setup()
from django.contrib.auth.hashers import make_password
from courses import services
from learners.models import Role, User

n = int(sys.argv[1])
teacher = User.objects.create_user("teacher@cohort.test", "x" * 12, name="Teacher", role=Role.TEACHER)
course = services.create_course(teacher=teacher, title="Cohort course", summary="One course, many learners",
                                level="beginner", language="en")
lessons = [services.add_lesson(course=course, by=teacher, title=f"Lesson {i}",
                               body=[{"type": "text", "value": f"<p>Lesson {i}</p>"}]) for i in (1, 2)]
hashed = make_password(sys.argv[2])
User.objects.bulk_create([User(email=f"learner{i}@cohort.test", name=f"Learner {i}", password=hashed) for i in range(n)])
print(json.dumps({"course": course.pk, "lesson": lessons[0].pk}))
"""


def seed(env: dict, learners: int) -> dict:
    out = subprocess.run(  # noqa: S603 (our own commands)
        [PYTHON, "-c", SEED, str(learners), PASSWORD], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Cohort:
    """The learners' three steps against one server, timed; statuses and failures counted per step."""

    def __init__(self, port: int, course: int, lesson: int):
        self.port, self.course, self.lesson = port, course, lesson
        self.lock = threading.Lock()
        self.times = {step: [] for step in STEPS}
        self.statuses = {step: {} for step in STEPS}
        self.failed = []
        self.local = threading.local()

    def request(self, step, method, path, body=None, token=None):
        connection = getattr(self.local, "connection", None) or http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60
        )
        self.local.connection = connection
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        try:
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            self.local.connection = None
            status, data = 0, b""
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[step].append(elapsed)
            self.statuses[step][status] = self.statuses[step].get(status, 0) + 1
        return status, data

    def learner(self, number: int, start_at: float):
        time.sleep(max(0.0, start_at - time.monotonic()))
        email = f"learner{number}@cohort.test"
        status, data = self.request("token", "POST", "/api/v1/auth/token/", {"email": email, "password": PASSWORD})
        if status != 200:
            return self.fail(number, "token", status)
        token = json.loads(data)["access"]
        status, _ = self.request("enroll", "POST", f"/api/v1/courses/{self.course}/enroll/", token=token)
        if status != 201:
            return self.fail(number, "enroll", status)
        status, _ = self.request("lesson", "GET", f"/api/v1/lessons/{self.lesson}/", token=token)
        if status != 200:
            return self.fail(number, "lesson", status)
        return None

    def fail(self, number, step, status):
        with self.lock:
            self.failed.append({"learner": number, "step": step, "status": status})


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else None


def count_enrollments(env: dict, course: int) -> dict:
    script = f"""
import json, django
django.setup()
from django.db.models import Count
from learners.models import Enrollment
rows = Enrollment.objects.filter(course_id={course})
doubled = rows.values("learner").annotate(n=Count("pk")).filter(n__gt=1).count()
print(json.dumps({{"enrollments": rows.count(), "enrolled_learners": rows.values("learner").distinct().count(), "doubled": doubled}}))
"""
    out = subprocess.run([PYTHON, "-c", script], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    args = parse_args()
    env = bench_env(secrets.token_urlsafe(48), f"{server_url()}/{DATABASE}")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings",
            "REDIS_URL": os.environ.get("COHORT_REDIS_URL", "redis://127.0.0.1:6379/10"),
            "THROTTLE_LOGIN_RATE": "10/min",  # production's, per email
            "THROTTLE_USER_RATE": "1000/min",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    )
    print(f"Preparing {DATABASE} with {args.learners} learners…", flush=True)
    begun = time.monotonic()
    fresh_database(env)
    ids = seed(env, args.learners)
    subprocess.run(  # noqa: S603 (our own commands): an empty cache, so no count from an earlier run is left
        [PYTHON, "-c", "import django; django.setup(); from django.core.cache import cache; cache.clear()"],
        cwd=BASE_DIR, env=env, check=True,
    )  # fmt: skip
    print(f"  ready in {time.monotonic() - begun:.0f} s", flush=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    server = Server(env, args.workers, RESULTS_DIR / "cohort-gunicorn.log")
    try:
        server.wait_ready(path="/api/v1/categories/")
        cohort = Cohort(server.port, ids["course"], ids["lesson"])
        rng = random.Random(args.seed)
        origin = time.monotonic() + 1
        starts = sorted(origin + rng.uniform(0, args.window) for _ in range(args.learners))
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(cohort.learner, range(args.learners), starts))
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    counted = count_enrollments(env, ids["course"])
    requests = sum(len(times) for times in cohort.times.values())
    server_errors = sum(
        n for step in STEPS for status, n in cohort.statuses[step].items() if status >= 500 or status == 0
    )
    result = {
        "learners": args.learners,
        "window_s": args.window,
        "workers": args.workers,
        "clients": args.clients,
        "elapsed_s": round(elapsed, 1),
        "requests": requests,
        "rps": round(requests / elapsed, 1),
        "steps": {
            step: {
                "statuses": cohort.statuses[step],
                "p50_ms": round(percentile(cohort.times[step], 0.5), 1),
                "p95_ms": round(percentile(cohort.times[step], 0.95), 1),
                "max_ms": round(max(cohort.times[step]) * 1000, 1),
            }
            for step in STEPS
            if cohort.times[step]
        },
        "failed": cohort.failed[:20],
        "failed_count": len(cohort.failed),
        "server_errors": server_errors,
        **counted,
    }
    (RESULTS_DIR / "cohort.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    ok = (
        not cohort.failed
        and not server_errors
        and counted["enrollments"] == counted["enrolled_learners"] == args.learners
    )
    print("cohort:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
