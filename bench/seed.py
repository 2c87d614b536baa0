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
"""

import io
import json
import random
import time
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.text import slugify

from . import content as words

SEED = 20260501
# Bump when the generated data changes: a schema seeded by another version is seeded again.
SEED_VERSION = 5
NOW = datetime(2026, 1, 1, tzinfo=UTC)
MARKER_TABLE = "bench_seed"
BENCH_COURSE_SLUG = "bench-course-thirty-lessons"
BENCH_PASSWORD = "bench-password-not-secret"
COVER_SPECS = ("fill-640x360", "fill-1200x675")  # the catalog card's and the course page's renditions
CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Plan:
    """How much to make. Only `courses` changes between the benchmark's sizes."""

    courses: int
    lessons_per_course: int = 10
    teachers: int = 200
    learners: int = 20_000
    enrollments_per_learner: tuple = (1, 9)  # uniform: about 100,000 enrollments in all
    reviews: int = 50_000
    quiz_share: float = 0.3
    quiz_lesson: int = 5  # the lesson (1-based) that carries a course's quiz
    quiz_questions: int = 5
    draft_share: float = 0.03  # courses never published: the catalog must leave them out
    bench_learners: int = 64
    bench_lessons: int = 30
    bench_lessons_done: int = 14
    bench_questions: int = 20
    bench_pass_mark: int = 70


# --- COPY ---------------------------------------------------------------------------------------------


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(text: str) -> str:
    return text.translate(_ESCAPES) if ("\\" in text or "\n" in text or "\t" in text or "\r" in text) else text


# COPY's text format, by Python type (the hot path of seeding: millions of values).
_COPY_FORMAT = {
    int: str,
    str: _copy_text,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: r"\N",
    datetime: datetime.isoformat,
    float: repr,
}


def _copy_value(value) -> str:
    formatter = _COPY_FORMAT.get(type(value))
    if formatter is not None:
        return formatter(value)
    if isinstance(value, list):
        return _copy_text(_pg_array(value))
    return _copy_text(str(value))


def _pg_array(items: list[str]) -> str:
    return "{" + ",".join('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items) + "}"


class Copier:
    """Rows for one table, streamed to PostgreSQL with COPY in chunks of about `flush_bytes`."""

    def __init__(self, cursor, table: str, columns: list[str], flush_bytes: int = 16 << 20):
        self.cursor = cursor
        self.sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        self.width = len(columns)
        self.flush_bytes = flush_bytes
        self.buffer: list[str] = []
        self.size = 0
        self.rows = 0

    def add(self, *values) -> None:
        assert len(values) == self.width, (self.sql, values)
        line = "\t".join([_copy_value(value) for value in values]) + "\n"
        self.buffer.append(line)
        self.size += len(line)
        self.rows += 1
        if self.size >= self.flush_bytes:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.cursor.copy_expert(self.sql, io.StringIO("".join(self.buffer)))
            self.buffer, self.size = [], 0

    def close(self) -> int:
        self.flush()
        return self.rows


# --- search index texts -------------------------------------------------------------------------------


def index_shape(model) -> list[tuple[str, str, tuple[str, ...]]]:
    """How an object of `model` feeds the index: `(bucket, weight, path)` in modelsearch's order.

    `bucket` is `title`, `body` or `autocomplete`; `path` names the value, e.g. `("category", "name")`
    for a `RelatedFields`. Mirrors `modelsearch.backends.database.postgres.ObjectIndexer`.
    """
    from modelsearch.backends.database.postgres.weights import get_weight
    from modelsearch.index import AutocompleteField, RelatedFields, SearchField

    shape = []

    def walk(search_field, prefix):
        if isinstance(search_field, SearchField):
            bucket = "title" if search_field.field_name == "title" else "body"
            shape.append((bucket, get_weight(search_field.boost), (*prefix, search_field.field_name)))
        elif isinstance(search_field, AutocompleteField):
            shape.append(("autocomplete", "D", (*prefix, search_field.field_name)))
        elif isinstance(search_field, RelatedFields):
            for sub_field in search_field.fields:
                walk(sub_field, (*prefix, search_field.field_name))

    for search_field in model.get_search_fields():
        walk(search_field, ())
    return shape


def index_row(content_type_id: int, object_id: int, shape, values: dict) -> tuple:
    """One staging row: the texts and weights of each bucket, in order, and the plain texts.

    `values` maps a path (see `index_shape`) to its text; a missing path is a related object that is
    None, which modelsearch skips.
    """
    buckets = {"title": ([], []), "body": ([], []), "autocomplete": ([], [])}
    for bucket, weight, path in shape:
        if path not in values:
            continue
        text = values[path].strip()
        if text:
            buckets[bucket][0].append(text)
            buckets[bucket][1].append(weight)
    return (
        content_type_id,
        str(object_id),
        buckets["title"][0],
        buckets["title"][1],
        buckets["body"][0],
        buckets["body"][1],
        buckets["autocomplete"][0],
        " ".join(buckets["title"][0]),
        " ".join(buckets["body"][0]),
    )


INDEX_STAGE_COLUMNS = [
    "content_type_id",
    "object_id",
    "title_texts",
    "title_weights",
    "body_texts",
    "body_weights",
    "auto_texts",
    "title_text",
    "body_text",
]


# --- the generator ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Course:
    id: int
    position: int
    path: str
    slug: str
    title: str
    live: bool
    owner_id: int
    created_at: datetime
    lesson_ids: list = field(default_factory=list)
    quiz: "Quiz | None" = None
    quiz_position: int | None = None  # 1-based position of the lesson with the quiz


@dataclass(slots=True)
class Quiz:
    id: int
    lesson_id: int
    title: str
    pass_mark: int
    # [(question id, text, explanation, [(choice id, text, correct)])]
    questions: list = field(default_factory=list)


class Seeder:
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
            ["id", "password", "is_superuser", "email", "name", "role", "is_active", "date_joined"],
        )
        memberships = Copier(self.cursor, "learners_user_groups", ["user_id", "group_id"])
        next_id = self._next_id(self.cursor, "learners_user")
        self.teacher_ids, self.teacher_names, self.learner_ids, self.bench_learner_ids = [], {}, [], []
        self.learner_joined, self.learner_names = {}, {}

        def name() -> str:
            return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"

        for number in range(plan.teachers):
            user_id, teacher_name = next_id, name()
            next_id += 1
            joined = NOW - timedelta(days=rng.randint(400, 2000))
            users.add(user_id, password, False, f"teacher{number}@bench.example", teacher_name, "teacher", True, joined)
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
            users.add(user_id, password, False, email, learner_name, "student", True, joined)
            memberships.add(user_id, self.groups["student"])
            (self.bench_learner_ids if bench else self.learner_ids).append(user_id)
            self.learner_joined[user_id] = joined
            self.learner_names[user_id] = learner_name
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

    def _course_texts(self, topic_en: str, topic_ru: str, russian: bool, rng) -> tuple[str, str, int]:
        if russian:
            title = rng.choice(words.TITLE_FORMS_RU).format(topic=topic_ru)
            summary = rng.choice(words.SUMMARY_FORMS_RU).format(topic=topic_ru)
        else:
            title = rng.choice(words.TITLE_FORMS_EN).format(topic=topic_en)
            summary = rng.choice(words.SUMMARY_FORMS_EN).format(topic=topic_en)
        description_form = rng.randrange(len(words.DESCRIPTION_FORMS))
        return title, summary, description_form

    def _description(self, form: int, topic: str) -> tuple[str, str]:
        """(HTML, indexed text) of a description form, the text as the rich text field gives it."""
        key, cache = (form, topic), self.description_memo
        if key not in cache:
            html = words.DESCRIPTION_FORMS[form].format(topic=topic)
            text = ", ".join(self.description_field.get_searchable_content(html))
            cache[key] = (html, text)
        return cache[key]

    def _body(self, form: int, topic: str) -> tuple[list, str]:
        """(stream blocks without ids, indexed text) of a lesson body form, as the stream field indexes it."""
        key, cache = (form, topic), self.body_memo
        if key not in cache:
            heading, text, code = words.BODY_FORMS[form]
            blocks = [
                {"type": "heading", "value": heading.format(topic=topic)},
                {"type": "text", "value": text.format(topic=topic)},
            ]
            if code:
                blocks.append({"type": "code", "value": {"language": code[0], "code": code[1]}})
            value = self.body_field.to_python(json.dumps([{**block, "id": str(n)} for n, block in enumerate(blocks)]))
            indexed = ", ".join(self.body_field.get_searchable_content(value))
            cache[key] = (blocks, indexed)
        return cache[key]

    def _pages(self) -> None:
        from wagtail.models import Page

        from courses.models import CoursePage, LessonPage

        started = time.monotonic()
        plan, rng, cursor = self.plan, self.rng, self.cursor
        page_columns = [
            "id", "path", "depth", "numchild", "title", "draft_title", "slug", "live", "has_unpublished_changes",
            "url_path", "seo_title", "show_in_menus", "search_description", "expired", "content_type_id",
            "owner_id", "locked", "first_published_at", "last_published_at", "translation_key", "locale_id",
        ]  # fmt: skip
        pages = Copier(cursor, "wagtailcore_page", page_columns)
        course_rows = Copier(
            cursor,
            "courses_coursepage",
            ["page_ptr_id", "summary", "description", "level", "language", "duration_minutes", "created_at",
             "rating_count", "category_id", "cover_image_id"],
        )  # fmt: skip
        lesson_rows = Copier(cursor, "courses_lessonpage", ["page_ptr_id", "body", "duration_minutes"])
        quizzes = Copier(
            cursor, "quizzes_quiz", ["id", "title", "pass_mark", "max_attempts", "shuffle", "updated_at", "lesson_id"]
        )
        questions = Copier(cursor, "quizzes_question", ["id", "sort_order", "kind", "text", "explanation", "quiz_id"])
        choices = Copier(cursor, "quizzes_choice", ["id", "sort_order", "text", "is_correct", "question_id"])
        next_page = self._next_id(cursor, "wagtailcore_page")
        ids = {
            "quiz": self._next_id(cursor, "quizzes_quiz"),
            "question": self._next_id(cursor, "quizzes_question"),
            "choice": self._next_id(cursor, "quizzes_choice"),
        }
        catalog = self.catalog
        # Some teachers write many courses, most a few: a skewed choice.
        teacher_weights = list(accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(self.teacher_ids))))
        self.courses: list[Course] = []
        topics = words.TOPICS
        total = plan.courses + 1  # the bench course is the last child of the catalog

        for position in range(1, total + 1):
            bench = position == total
            course_id = next_page
            next_page += 1
            topic_en, topic_ru, category_slug = topics[0] if bench else rng.choice(topics)
            russian = not bench and rng.random() < 0.2
            language = "ru" if russian else ("en" if bench or rng.random() < 0.85 else rng.choice(["de", "fr", "es"]))
            title, summary, description_form = self._course_texts(topic_en, topic_ru, russian, rng)
            if bench:
                title = "Python: the bench course of thirty lessons"
            slug = BENCH_COURSE_SLUG if bench else f"{slugify(title, allow_unicode=True)}-{position}"
            path = Page._get_path(catalog.path, catalog.depth + 1, position)
            live = bench or rng.random() >= plan.draft_share
            created = NOW - timedelta(seconds=rng.randint(3600, 3 * 365 * 86400))
            owner_id = self.teacher_ids[0] if bench else rng.choices(self.teacher_ids, cum_weights=teacher_weights)[0]
            lesson_count = plan.bench_lessons if bench else plan.lessons_per_course
            course = Course(course_id, position, path, slug, title, live, owner_id, created)
            self.courses.append(course)
            url_path = f"{catalog.url_path}{slug}/"
            published = created if live else None
            pages.add(
                course_id, path, catalog.depth + 1, lesson_count, title, title, slug, live, False, url_path, "",
                False, "", False, self.ct[CoursePage], owner_id, False, published, published, self._uuid(),
                self.locale_id,
            )  # fmt: skip
            description_html, description_text = self._description(description_form, topic_ru if russian else topic_en)
            cover = None if rng.random() < 0.2 else self.covers[category_slug]
            duration = None if rng.random() < 0.5 else rng.randrange(60, 1200, 15)
            level = rng.choices(["beginner", "intermediate", "advanced"], weights=[5, 3, 2])[0]
            category = self.categories[category_slug]
            course_rows.add(
                course_id, summary, description_html, level, language, duration, created, 0, category.pk, cover
            )
            values = {
                ("title",): title,
                ("summary",): summary,
                ("description",): description_text,
                ("category", "name"): category.name,
                ("owner", "name"): self.teacher_names[owner_id],
            }
            self.index_stage.add(*index_row(self.ct[CoursePage], course_id, self.course_shape, values))

            quiz_position = 1 if bench else (plan.quiz_lesson if rng.random() < plan.quiz_share else None)
            for number in range(1, lesson_count + 1):
                lesson_id = next_page
                next_page += 1
                course.lesson_ids.append(lesson_id)
                topic = topic_ru if russian else topic_en
                lesson_title = f"{number}. " + words.LESSON_TITLES[(number - 1) % len(words.LESSON_TITLES)].format(
                    topic=topic
                )
                lesson_slug = f"lesson-{number}"
                pages.add(
                    lesson_id, Page._get_path(path, catalog.depth + 2, number), catalog.depth + 2, 0, lesson_title,
                    lesson_title, lesson_slug, live, False, f"{url_path}{lesson_slug}/", "", False, "", False,
                    self.ct[LessonPage], owner_id, False, published, published, self._uuid(), self.locale_id,
                )  # fmt: skip
                blocks, body_text = self._body(rng.randrange(len(words.BODY_FORMS)), topic)
                body = json.dumps([{**block, "id": self._uuid()} for block in blocks], ensure_ascii=False)
                lesson_rows.add(lesson_id, body, rng.randrange(5, 50, 5))
                values = {("title",): lesson_title, ("body",): body_text}
                self.index_stage.add(*index_row(self.ct[LessonPage], lesson_id, self.lesson_shape, values))
                if number == quiz_position:
                    course.quiz_position = number
                    course.quiz = self._quiz(ids, quizzes, questions, choices, lesson_id, lesson_title, bench=bench)

        self.counts["courses"] = course_rows.close()
        self.counts["lessons"] = lesson_rows.close()
        self.counts["pages"] = pages.close()
        self.counts["quizzes"] = quizzes.close()
        questions.close()
        choices.close()
        cursor.execute("UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s", [total, catalog.pk])
        self.bench_course = self.courses[-1]
        self._step("pages", started)

    def _quiz(self, ids, quizzes, questions, choices, lesson_id, lesson_title, *, bench: bool) -> Quiz:
        plan, rng = self.plan, self.rng
        count = plan.bench_questions if bench else plan.quiz_questions
        pass_mark = plan.bench_pass_mark if bench else 70
        max_attempts = None if bench or rng.random() < 0.5 else 3
        quiz = Quiz(ids["quiz"], lesson_id, f"Check yourself: {lesson_title}", pass_mark)
        ids["quiz"] += 1
        quizzes.add(quiz.id, quiz.title, pass_mark, max_attempts, False, NOW, lesson_id)
        for order in range(count):
            question_id = ids["question"]
            ids["question"] += 1
            text = f"Question {order + 1}: which statement about {lesson_title.lower()} is right?"
            explanation = "The right statement follows from the lesson's second section."
            questions.add(question_id, order, "single", text, explanation, quiz.id)
            correct = rng.randrange(4)
            options = []
            for index in range(4):
                choice_id = ids["choice"]
                ids["choice"] += 1
                option = f"Statement {'ABCD'[index]}"
                choices.add(choice_id, index, option, index == correct, question_id)
                options.append((choice_id, option, index == correct))
            quiz.questions.append((question_id, text, explanation, options))
        return quiz

    def _attempt_results(self, quiz: Quiz, right: int) -> tuple[int, list]:
        """(score, results) of an attempt answering the first `right` questions right, the rest wrong."""
        results = []
        for number, (question_id, text, explanation, options) in enumerate(quiz.questions):
            correct = next(choice_id for choice_id, _, is_correct in options if is_correct)
            wrong = next(choice_id for choice_id, _, is_correct in options if not is_correct)
            chosen = correct if number < right else wrong
            results.append(
                {
                    "question": question_id,
                    "text": text,
                    "kind": "single",
                    "explanation": explanation,
                    "choices": [{"id": c, "text": t, "correct": k} for c, t, k in options],
                    "chosen": [chosen],
                    "right": number < right,
                }
            )
        return right * 100 // len(quiz.questions), results

    def _learning(self) -> None:
        started = time.monotonic()
        plan, rng, cursor = self.plan, self.rng, self.cursor
        enrollments = Copier(
            cursor,
            "learners_enrollment",
            ["id", "course_title", "enrolled_at", "left_at", "completed_at", "last_activity_at", "course_id",
             "learner_id"],
        )  # fmt: skip
        completions = Copier(
            cursor, "learners_lessoncompletion", ["id", "completed_at", "course_id", "learner_id", "lesson_id"]
        )
        attempts = Copier(
            cursor,
            "quizzes_attempt",
            ["id", "quiz_title", "number", "score", "passed", "pass_mark", "results", "created_at", "learner_id",
             "lesson_id", "quiz_id"],
        )  # fmt: skip
        certificates = Copier(
            cursor,
            "learners_certificate",
            ["id", "code", "learner_name", "course_title", "teacher_name", "issued_at", "pdf", "revoked_reason",
             "course_id", "enrollment_id", "learner_id", "status_list_index"],
        )  # fmt: skip
        reviews = Copier(
            cursor,
            "learners_review",
            ["id", "rating", "text", "is_hidden", "created_at", "updated_at", "course_id", "learner_id"],
        )
        ids = {
            table: self._next_id(cursor, f"learners_{table}")
            for table in ("enrollment", "lessoncompletion", "certificate", "review")
        }
        ids["attempt"] = self._next_id(cursor, "quizzes_attempt")
        # Status list indices in a row after every index given so far (the portal draws them at random).
        cursor.execute(
            "SELECT GREATEST((SELECT MAX(status_list_index) FROM learners_certificate),"
            " (SELECT MAX(\"index\") FROM learners_retiredstatusindex), -1) + 1"
        )
        ids["status_list_index"] = cursor.fetchone()[0]
        codes: set[str] = set()

        live = [course for course in self.courses if course.live]
        order = list(range(len(live)))
        rng.shuffle(order)
        popularity = [0.0] * len(live)
        for rank, index in enumerate(order):
            popularity[index] = 1 / (rank + 10) ** 0.9
        bench_index = live.index(self.bench_course)
        popularity[bench_index] = max(popularity) * 2  # the bench course is popular: many reviews on its page
        cumulative = list(accumulate(popularity))
        review_candidates = []

        def attempt(learner_id, course, right, number, when):
            score, results = self._attempt_results(course.quiz, right)
            attempts.add(
                ids["attempt"], course.quiz.title, number, score, score >= course.quiz.pass_mark,
                course.quiz.pass_mark, json.dumps(results, ensure_ascii=False), when, learner_id,
                course.quiz.lesson_id, course.quiz.id,
            )  # fmt: skip
            ids["attempt"] += 1

        def enroll(learner_id, course, done, when, bench_learner=False):
            enrollment_id = ids["enrollment"]
            ids["enrollment"] += 1
            total = len(course.lesson_ids)
            moment = when
            for position in range(1, done + 1):
                moment = self._when(moment, min(NOW, moment + timedelta(days=7)))
                if position == course.quiz_position:  # failed attempts maybe, then the pass
                    questions = len(course.quiz.questions)
                    failures = 0 if bench_learner else rng.choice([0, 0, 0, 1, 2])
                    for number in range(1, failures + 1):
                        attempt(learner_id, course, questions // 3, number, moment)
                    attempt(learner_id, course, questions, failures + 1, moment)
                completions.add(ids["lessoncompletion"], moment, course.id, learner_id, course.lesson_ids[position - 1])
                ids["lessoncompletion"] += 1
            if done < total and course.quiz_position == done + 1 and rng.random() < 0.5:
                attempt(learner_id, course, len(course.quiz.questions) // 3, 1, moment)  # stuck at the quiz
            completed = moment if done == total else None
            left = self._when(moment) if completed is None and not bench_learner and rng.random() < 0.05 else None
            enrollments.add(enrollment_id, course.title, when, left, completed, moment, course.id, learner_id)
            if completed is not None:
                code = "".join(rng.choice(CERTIFICATE_ALPHABET) for _ in range(20))
                while code in codes:
                    code = "".join(rng.choice(CERTIFICATE_ALPHABET) for _ in range(20))
                codes.add(code)
                certificates.add(
                    ids["certificate"], code, self.learner_names[learner_id], course.title,
                    self.teacher_names[course.owner_id], completed, "", "", course.id, enrollment_id, learner_id,
                    ids["status_list_index"],
                )  # fmt: skip
                ids["certificate"] += 1
                ids["status_list_index"] += 1
            return enrollment_id

        low, high = plan.enrollments_per_learner
        for learner_id in self.learner_ids:
            picked = {bisect_left(cumulative, rng.random() * cumulative[-1]) for _ in range(rng.randint(low, high))}
            for index in sorted(picked):
                course = live[index]
                when = self._when(max(course.created_at, self.learner_joined[learner_id]))
                total = len(course.lesson_ids)
                roll = rng.random()
                done = 0 if roll < 0.2 else total if roll > 0.75 else rng.randint(1, total - 1)
                enroll(learner_id, course, done, when)
                review_candidates.append((learner_id, course, when))
        bench = self.bench_course
        for learner_id in self.bench_learner_ids:
            when = self._when(max(bench.created_at, self.learner_joined[learner_id]))
            enroll(learner_id, bench, plan.bench_lessons_done, when, bench_learner=True)

        for learner_id, course, when in rng.sample(review_candidates, min(plan.reviews, len(review_candidates))):
            rating = rng.choices([1, 2, 3, 4, 5], weights=[5, 7, 15, 33, 40])[0]
            text = rng.choice(words.REVIEW_TEXTS) if rng.random() < 0.6 else ""
            created = self._when(when)
            reviews.add(ids["review"], rating, text, rng.random() < 0.01, created, created, course.id, learner_id)
            ids["review"] += 1

        self.counts["enrollments"] = enrollments.close()
        self.counts["completions"] = completions.close()
        self.counts["attempts"] = attempts.close()
        self.counts["certificates"] = certificates.close()
        self.counts["reviews"] = reviews.close()
        self.counts["last_seeded_attempt_id"] = ids["attempt"] - 1
        self._step("learners' records", started)

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


def build_index(cursor, config: str, autocomplete_config: str) -> None:
    """Turn the staged texts into the index table's weighted tsvectors, then set the title norms.

    The GIN indexes are dropped and made again after the load: building them once is much faster than
    updating them row by row.
    """
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = 'wagtailsearch_indexentry' AND indexdef ILIKE '%% USING gin %%'"
    )
    gin_indexes = cursor.fetchall()
    for name, _definition in gin_indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # Concatenates tsvectors in order, as `a || b || c` in modelsearch's SQL (an empty vector is neutral).
    cursor.execute(
        "CREATE OR REPLACE AGGREGATE bench_tsvector_agg(tsvector) "
        "(SFUNC = pg_catalog.tsvector_concat, STYPE = tsvector, INITCOND = '')"
    )

    def vector(texts: str, weights: str | None, config_param: str) -> str:
        weight = 'w::"char"' if weights else "'D'::\"char\""
        arrays = f"s.{texts}, s.{weights}" if weights else f"s.{texts}"
        columns = "t, w, i" if weights else "t, i"
        return (
            f"COALESCE((SELECT bench_tsvector_agg(setweight(to_tsvector({config_param}::regconfig, t), {weight}) "  # noqa: S608
            f"ORDER BY i) FROM unnest({arrays}) WITH ORDINALITY AS u({columns})), ''::tsvector)"
        )

    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(
        f"""
        INSERT INTO wagtailsearch_indexentry
            (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
        SELECT s.content_type_id, s.object_id,
               {vector("title_texts", "title_weights", "%(config)s")},
               {vector("auto_texts", None, "%(autocomplete)s")},
               {vector("body_texts", "body_weights", "%(config)s")},
               1.0, s.title_text, s.body_text
        FROM bench_index_stage AS s
        ON CONFLICT (content_type_id, object_id) DO NOTHING
        """,  # noqa: S608 (no outside input)
        {"config": config, "autocomplete": autocomplete_config},
    )
    for _name, definition in gin_indexes:
        cursor.execute(definition)
    # modelsearch's `_refresh_title_norms(full=True)`: the average title length over each one's.
    cursor.execute(
        """
        UPDATE wagtailsearch_indexentry SET title_norm = avg_length / length(title)
        FROM (SELECT AVG(length(title)) AS avg_length FROM wagtailsearch_indexentry WHERE length(title) > 0) AS a
        WHERE length(title) > 0
        """
    )


def verify_index(course_ids: list[int], lesson_ids: list[int]) -> None:
    """Re-index a sample through modelsearch itself and check that the bulk path wrote the same entries."""
    from wagtail.search.backends import get_search_backend

    from courses.models import CoursePage, LessonPage

    backend = get_search_backend()
    query = (
        "SELECT content_type_id, object_id, title::text, autocomplete::text, body::text, title_text, body_text "
        "FROM wagtailsearch_indexentry WHERE object_id = ANY(%s) ORDER BY content_type_id, object_id"
    )
    object_ids = [str(pk) for pk in (*course_ids, *lesson_ids)]
    with connection.cursor() as cursor:
        cursor.execute(query, [object_ids])
        bulk = cursor.fetchall()
        for model, pks in ((CoursePage, course_ids), (LessonPage, lesson_ids)):
            backend.add_bulk(model, list(model.get_indexed_objects().filter(pk__in=pks)))
        cursor.execute(query, [object_ids])
        reference = cursor.fetchall()
    if len(bulk) != len(object_ids) or bulk != reference:
        differences = [(mine, theirs) for mine, theirs in zip(bulk, reference, strict=False) if mine != theirs]
        raise RuntimeError(
            f"The bulk search index differs from modelsearch's for {len(differences) or 'some'} of "
            f"{len(object_ids)} sampled objects; first: {differences[:1]}"
        )


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
