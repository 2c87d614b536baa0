"""The requests of the benchmark (bench/prepare.py hands them to bench/run.py, which drives them with
bench/load.py): the same-URL scenarios here, the cache-hostile classes in `bench.scenario_mix`.

Each scenario is `{name, label, method, path, headers: [variant, …], body, expect}`, plus for the classes
`requests: [variant, …]` (and `mix` for the day's mix): see bench/load.py.
"""

import json
from urllib.parse import urlencode

from . import scenario_mix

CATALOG_PAGE = 20  # "page 20" of the catalog: 20 courses, from the 381st newest
SEARCH_QUERY = "python"
LESSON_PAGE_POSITION = 15  # of the bench course: open to the bench learners, who did lessons 1 to 14
QUIZ_RIGHT_ANSWERS = 15  # of 20: 75 %, a pass (pass mark 70 %); every request is a new attempt
PEER_FIELDS = "summary,level,language,duration_minutes,created_at,rating_avg,rating_count,owner,category"


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


def get(name, label, path, headers=None, **extra) -> dict:
    return {"name": name, "label": label, "method": "GET", "path": path, "headers": headers or [{}],
            "body": None, "expect": 200, **extra}  # fmt: skip


def scenarios(courses: int) -> tuple[list[dict], object]:
    """The requests of the benchmark at a catalog of `courses` courses, and a seeded certificate to render.

    `headers` holds one variant per simulated client (the load generator gives connection i the variant
    i modulo their number), so that authenticated scenarios spread over the 64 bench learners as real
    traffic would, instead of queueing on one learner's rows.
    """
    from bench.seed import BENCH_COURSE_SLUG, Plan
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
    quiz_scenario = {
        "name": "quiz",
        "label": "quiz submission (20 answers), JWT",
        "method": "POST",
        "path": f"/api/v1/lessons/{lessons[0].pk}/quiz/attempts/",
        "headers": [{**header, "Content-Type": "application/json"} for header in bearer],
        "body": json.dumps({"answers": answers}),
        "expect": 201,
    }
    same_url = [
        get("floor", "floor: one .values() query", f"/bench/floor/courses/?page={CATALOG_PAGE}", sizes="page_size"),
        get("peer", "peer: Wagtail API v2 pages", f"/bench/api/v2/pages/?{peer_query}", sizes="limit"),
        get("catalog", "catalog list, anonymous", f"/api/v1/courses/?page={CATALOG_PAGE}", list=True),
        get("catalog_jwt", "catalog list, JWT", f"/api/v1/courses/?page={CATALOG_PAGE}", bearer, list=True),
        get("search", f"catalog search “{SEARCH_QUERY}”", f"/api/v1/courses/?search={SEARCH_QUERY}", list=True),
        get("detail", "course detail (30 lessons), JWT", f"/api/v1/courses/{course.pk}/", bearer),
        get("course_html", "course page HTML, anonymous", course.url),
        get("lesson_html", "lesson page HTML, enrolled", lessons[LESSON_PAGE_POSITION - 1].url, cookies),
        quiz_scenario,
    ]
    open_lessons = lessons[: Plan(courses=courses).bench_lessons_done + 1]  # done, and the next one
    mixed = scenario_mix.mixed_scenarios(open_lessons, cookies, quiz_scenario)
    return [*same_url, *mixed], Certificate.objects.order_by("pk").first()
