"""Seed a large catalog into a freshly migrated schema, reproducibly and fast.

What is made (`Plan`): N courses of 10 lessons under the catalog page, plus one *bench course* of 30
lessons whose first lesson carries a 20-question quiz with unlimited attempts; 12 categories with a cover
image each; 200 teachers and 20,000 learners (the first 64 are *bench learners*, enrolled in the bench
course with its first 14 lessons done); about 100,000 enrollments skewed towards popular courses, with
lesson completions in syllabus order, quizzes after the fifth lesson of 30 % of the courses with their
attempts, certificates for completed courses, and 50,000 reviews. `rating_avg` and `rating_count` are
computed from the visible reviews exactly as `learners.services.reviews.refresh_rating` does.

How: every row is generated in Python from one `random.Random(SEED)` (so two runs make the same
catalog) and streamed with PostgreSQL's COPY into the concrete tables: `wagtailcore_page` plus
`courses_coursepage` / `courses_lessonpage` for the pages (materialized paths, depth, numchild,
url_path, live, content type, locale and translation keys as Wagtail's treebeard would write them; no
revisions), and the learners' and quizzes' tables. Foreign-key triggers are off while loading
(`session_replication_role = replica`, the usual bulk-load switch; unique constraints still hold): the
generator only ever points at rows it made. Everything happens in one transaction, which writes the
`bench_seed` marker last: a schema with the marker is complete and is reused by the next run.

The search index: Wagtail's `update_index` loads every page through the ORM and pages through them with
OFFSET, which is quadratic in the catalog's size. Instead the texts each page contributes are made here
alongside the page (by walking the models' `search_fields` as modelsearch's `ObjectIndexer` does, with
rich text and stream bodies turned to text by the fields' own `get_searchable_content`), COPYed to a
staging table, and turned into the same weighted tsvectors by one INSERT … SELECT with the backend's
text search configurations. `verify_index` then re-indexes a sample through modelsearch's own
`add_items` and checks that every vector and text came out identical. The small models (categories,
cover images, the home and catalog pages) go through the backend directly.

Where: the plan and the shared records in `seed_plan`, COPY in `pgcopy`, the index in `search_index`, the
pages step in `seed_pages` and the learners' records in `seed_learning`; here the users, categories and
covers, the ratings and sequences, and the marker.
"""

import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from . import content as words
from .pgcopy import Copier
from .search_index import INDEX_STAGE_COLUMNS, build_index, index_shape, verify_index
from .seed_learning import LearningSteps
from .seed_pages import PageSteps
from .seed_plan import BENCH_COURSE_SLUG, BENCH_PASSWORD, COVER_SPECS, NOW, SEED, Plan

# What bench/prepare.py uses.
__all__ = ["BENCH_COURSE_SLUG", "MARKER_TABLE", "SEED", "SEED_VERSION", "Plan", "Seeder", "read_marker", "write_marker"]

# Bump when the generated data changes: a schema seeded by another version is seeded again.
SEED_VERSION = 6
MARKER_TABLE = "bench_seed"


class Seeder(PageSteps, LearningSteps):
    """Fills the current schema (migrated, without content) following `plan`. Call `run()` in a transaction."""

    def __init__(self, plan: Plan, log=print):
        self.plan = plan
        self.log = log
        self.rng = random.Random(SEED)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.description_memo: dict = {}
        self.body_memo: dict = {}

    # -- helpers --

    def _step(self, name: str, started: float) -> None:
        self.timings[name] = round(time.monotonic() - started, 2)
        self.log(f"  seeded {name} in {self.timings[name]:.1f} s")

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _when(self, after: datetime, before: datetime = NOW) -> datetime:
        span = max(0, int((before - after).total_seconds()))
        return after + timedelta(seconds=self.rng.randint(0, span)) if span else after

    @staticmethod
    def _next_id(cursor, table: str) -> int:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 (our own table names)
        return cursor.fetchone()[0]

    # -- the steps --

    def run(self) -> dict:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
            self.cursor = cursor
            self._setup()
            self._users()
            self._categories_and_covers()
            self._pages()
            self._learning()
            self._finish()
        self.timings["total"] = round(time.monotonic() - started, 2)
        return {"timings": self.timings, "counts": self.counts}

    def _setup(self) -> None:
        from wagtail.models import Collection, Locale

        from courses.models import CourseIndexPage, CoursePage, LessonPage
        from learners.models import Role
        from learners.roles import group_for

        self.catalog = CourseIndexPage.objects.get()
        self.locale_id = Locale.objects.order_by("pk").first().pk
        self.collection = Collection.get_first_root_node()
        self.ct = {model: ContentType.objects.get_for_model(model).pk for model in (CoursePage, LessonPage)}
        self.groups = {Role.STUDENT: group_for(Role.STUDENT).pk, Role.TEACHER: group_for(Role.TEACHER).pk}
        self.course_shape = index_shape(CoursePage)
        self.lesson_shape = index_shape(LessonPage)
        self.description_field = CoursePage._meta.get_field("description")
        self.body_field = LessonPage._meta.get_field("body")
        self.cursor.execute(
            "CREATE TEMP TABLE bench_index_stage (content_type_id int, object_id text, title_texts text[], "
            "title_weights text[], body_texts text[], body_weights text[], auto_texts text[], title_text text, "
            "body_text text) ON COMMIT DROP"
        )
        self.index_stage = Copier(self.cursor, "bench_index_stage", INDEX_STAGE_COLUMNS)

    def _users(self) -> None:
        started = time.monotonic()
        plan, rng = self.plan, self.rng
        password = make_password(BENCH_PASSWORD)  # one hash for everyone: hashing 20,000 would take minutes
        users = Copier(
            self.cursor,
            "learners_user",
            ["id", "password", "is_superuser", "email", "name", "role", "is_active", "date_joined", "language"],
        )
        memberships = Copier(self.cursor, "learners_user_groups", ["user_id", "group_id"])
        next_id = self._next_id(self.cursor, "learners_user")
        self.teacher_ids, self.teacher_names, self.learner_ids, self.bench_learner_ids = [], {}, [], []
        self.learner_joined, self.learner_names, self.learner_languages = {}, {}, {}

        def language(number: int) -> str:
            return "ru" if number % 5 == 0 else "en"  # a fifth choose Russian, as a fifth of the courses are

        def name() -> str:
            return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"

        for number in range(plan.teachers):
            user_id, teacher_name = next_id, name()
            next_id += 1
            joined = NOW - timedelta(days=rng.randint(400, 2000))
            email = f"teacher{number}@bench.example"
            users.add(user_id, password, False, email, teacher_name, "teacher", True, joined, language(number))
            memberships.add(user_id, self.groups["teacher"])
            self.teacher_ids.append(user_id)
            self.teacher_names[user_id] = teacher_name
        for number in range(plan.learners):
            user_id = next_id
            next_id += 1
            bench = number < plan.bench_learners
            email = f"bench-learner-{number:02d}@bench.example" if bench else f"learner{number}@bench.example"
            learner_name = f"Bench Learner {number:02d}" if bench else name()
            joined = NOW - timedelta(days=rng.randint(1, 1500))
            users.add(user_id, password, False, email, learner_name, "student", True, joined, language(number))
            memberships.add(user_id, self.groups["student"])
            (self.bench_learner_ids if bench else self.learner_ids).append(user_id)
            self.learner_joined[user_id] = joined
            self.learner_names[user_id] = learner_name
            self.learner_languages[user_id] = language(number)
        self.counts["users"] = users.close()
        memberships.close()
        self._step("users", started)

    def _categories_and_covers(self) -> None:
        from io import BytesIO

        from django.core.files.images import ImageFile
        from PIL import Image as PILImage
        from wagtail.images import get_image_model
        from wagtail.models import Page
        from wagtail.search.backends import get_search_backend

        from courses.models import Category, CourseIndexPage, HomePage

        started = time.monotonic()
        backend = get_search_backend()
        image_model = get_image_model()
        self.categories, self.covers = {}, {}
        palette = [(38, 70, 83), (42, 157, 143), (233, 196, 106), (244, 162, 97), (231, 111, 81), (69, 123, 157)]
        for number, (slug, name) in enumerate(words.CATEGORIES):
            category = Category.objects.create(name=name, slug=slug, description=f"Courses about {name.lower()}.")
            self.categories[slug] = category
            buffer = BytesIO()
            PILImage.new("RGB", (1280, 720), palette[number % len(palette)]).save(buffer, format="PNG")
            image = image_model(title=f"{name} cover", collection=self.collection)
            image.file = ImageFile(BytesIO(buffer.getvalue()), name=f"bench-cover-{slug}.png")
            image.save()
            for spec in COVER_SPECS:
                image.get_rendition(spec)
            self.covers[slug] = image.pk
        backend.add_bulk(Category, list(Category.objects.all()))
        backend.add_bulk(image_model, list(image_model.objects.all()))
        for model in (Page, HomePage, CourseIndexPage):  # the tree's root is a plain Page
            backend.add_bulk(model, list(model.get_indexed_objects()))
        self.counts["categories"] = len(self.categories)
        self._step("categories and covers", started)

    def _finish(self) -> None:
        from wagtail.search.backends import get_search_backend

        cursor = self.cursor
        started = time.monotonic()
        # Ratings as learners.services.reviews.refresh_rating computes them: visible reviews, half up.
        cursor.execute(
            """
            UPDATE courses_coursepage AS c SET rating_avg = r.average, rating_count = r.n
            FROM (SELECT course_id, ROUND(SUM(rating)::numeric / COUNT(*), 2) AS average, COUNT(*) AS n
                  FROM learners_review WHERE NOT is_hidden GROUP BY course_id) AS r
            WHERE c.page_ptr_id = r.course_id
            """
        )
        for table in (
            "wagtailcore_page", "learners_user", "learners_user_groups", "learners_enrollment",
            "learners_lessoncompletion", "learners_certificate", "learners_review", "quizzes_quiz",
            "quizzes_question", "quizzes_choice", "quizzes_attempt",
        ):  # fmt: skip
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "  # noqa: S608
                f"FROM {table}",
                [table],
            )
        self._step("ratings and sequences", started)

        started = time.monotonic()
        self.counts["index_entries"] = self.index_stage.close()
        backend = get_search_backend()
        build_index(cursor, backend.config, backend.autocomplete_config)
        self._step("search index", started)

        started = time.monotonic()
        sample = [self.bench_course, *self.rng.sample(self.courses, min(5, len(self.courses)))]
        verify_index(
            course_ids=[course.id for course in sample],
            lesson_ids=[course.lesson_ids[0] for course in sample] + [self.bench_course.lesson_ids[-1]],
        )
        self._step("index check", started)


def write_marker(plan: Plan, stats: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        rows = {
            "courses": str(plan.courses),
            "seed": str(SEED),
            "version": str(SEED_VERSION),
            "seeded_at": datetime.now(UTC).isoformat(),
            "stats": json.dumps(stats),
        }
        cursor.executemany(f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)", list(rows.items()))  # noqa: S608


def read_marker() -> dict | None:
    """The marker of a complete seeding of the current schema, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT key, value FROM {MARKER_TABLE}")  # noqa: S608
        return dict(cursor.fetchall())
