"""`manage.py seed_demo`: a portal to try out, with demo accounts, categories and courses.

The content is data in `courses.demo.content`; this command only puts it in place. Courses and lessons
are written through `courses.services`, so they are published revisions like the editor's. Whatever
already exists (users by email, categories and courses by slug, files by title) is left as it is, so a
second run changes nothing, and a run after a course was deleted brings back only that course.
"""

import os
import time
from collections import Counter
from dataclasses import asdict
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.utils.file import hash_filelike
from wagtailmedia import get_media_model

from courses import services
from courses.collections import upload_collection
from courses.demo import assets
from courses.demo.content import (
    ACCOUNTS,
    CATALOG_PAGE,
    CATEGORIES,
    CERTIFICATE_SIGNER,
    COURSES,
    HANDOUTS,
    HOME_PAGE,
    REVIEWERS,
    REVIEWS,
    VIDEOS,
)
from courses.demo.content.intro_video import CAPTION_LABELS, cues
from courses.models import Category, CoursePage
from learners.models import Enrollment, Review, Role
from learners.roles import group_for
from learners.services import learning, reviews
from lms import links
from lms.models import PortalSettings
from quizzes.models import Quiz
from quizzes.services import replace_quiz

DEFAULT_PASSWORD = "demo-password-2026"
# Quizzes after some lessons: course slug → lesson number (1-based) → quiz.
DEMO_QUIZZES = {
    "python-for-beginners": {
        2: {
            "title": "Variables and types",
            "pass_mark": 70,
            "max_attempts": 3,
            "questions": [
                {
                    "text": "What does type(3.0) return?",
                    "kind": "single",
                    "explanation": "A number with a decimal point is a float, even when the fraction is zero.",
                    "choices": [{"text": "int"}, {"text": "float", "correct": True}, {"text": "str"}],
                },
                {
                    "text": "Which of these are valid variable names?",
                    "kind": "multiple",
                    "explanation": "Names may hold letters, digits and underscores, but cannot start with a digit.",
                    "choices": [
                        {"text": "total_sum", "correct": True},
                        {"text": "2nd_place"},
                        {"text": "_hidden", "correct": True},
                        {"text": "my-name"},
                    ],
                },
                {
                    "text": 'What is "3" + "4" in Python?',
                    "kind": "single",
                    "explanation": "Adding two strings joins them.",
                    "choices": [{"text": "7"}, {"text": '"34"', "correct": True}, {"text": "An error"}],
                },
            ],
        },
    },
    "vvedenie-v-sql": {
        2: {
            "title": "Проверьте себя: SELECT",
            "pass_mark": 60,
            "max_attempts": None,
            "questions": [
                {
                    "text": "Какое ключевое слово отбирает строки по условию?",
                    "kind": "single",
                    "explanation": "WHERE фильтрует строки до группировки.",
                    "choices": [{"text": "ORDER BY"}, {"text": "WHERE", "correct": True}, {"text": "LIMIT"}],
                },
                {
                    "text": "Какие из запросов вернут не больше 10 строк?",
                    "kind": "multiple",
                    "explanation": "LIMIT 10 ограничивает число строк; ORDER BY только сортирует.",
                    "choices": [
                        {"text": "SELECT * FROM users LIMIT 10", "correct": True},
                        {"text": "SELECT * FROM users ORDER BY id"},
                        {"text": "SELECT * FROM users ORDER BY id LIMIT 10", "correct": True},
                    ],
                },
            ],
        },
    },
}

# Where the demo students stand, so that "My learning" and the course pages have something to show.
DEMO_LEARNING = [
    {"learner": "student@example.com", "course": COURSES[0].slug, "lessons_done": 1},
    {"learner": "student@example.com", "course": COURSES[-1].slug, "lessons_done": 0},
    {"learner": "student2@example.com", "course": COURSES[0].slug, "lessons_done": 1},
]
PLURALS = {"category": "categories", "quiz": "quizzes"}


class Uploads:
    """The demo's video and PDF handouts, uploaded on first need and found by title afterwards."""

    def __init__(self, users, created: Counter):
        self.users = users
        self.created = created
        self.videos = {video.key: video for video in VIDEOS}
        self.handouts = {handout.key: handout for handout in HANDOUTS}
        self._done = {}

    def video(self, key: str):
        if ("video", key) not in self._done:
            spec = self.videos[key]
            Media = get_media_model()
            media = Media.objects.filter(title=spec.title, type="video").first()
            if media is None:
                poster = assets.poster()
                with open(assets.video_file(spec.filename), "rb") as source:
                    media = Media(
                        title=spec.title,
                        type="video",
                        file=File(source, name=spec.filename),
                        thumbnail=ContentFile(poster, name=f"{key}-poster.png"),
                        width=spec.width,
                        height=spec.height,
                        duration=spec.duration,
                        uploaded_by_user=self.users[spec.uploader],
                        collection=upload_collection(self.users[spec.uploader]),
                    )
                    media.full_clean()
                    media.save()
                self.created["video"] += 1
            self._done["video", key] = media
        return self._done["video", key]

    def captions(self, key: str, language: str):
        """The caption track of a video in a language: a WebVTT document written from the video's script."""
        if ("captions", key, language) not in self._done:
            spec = self.videos[key]
            Document = get_document_model()
            title = f"{spec.title} — captions ({CAPTION_LABELS[language]})"
            document = Document.objects.filter(title=title).first()
            if document is None:
                track = assets.vtt(cues(language))
                document = Document.objects.create(
                    title=title,
                    file=ContentFile(track, name=f"{key}.{language}.vtt"),
                    file_size=len(track),
                    file_hash=hash_filelike(BytesIO(track)),
                    uploaded_by_user=self.users[spec.uploader],
                    collection=upload_collection(self.users[spec.uploader]),
                )
                self.created["document"] += 1
            self._done["captions", key, language] = document
        return self._done["captions", key, language]

    def document(self, key: str):
        if ("file", key) not in self._done:
            spec = self.handouts[key]
            Document = get_document_model()
            document = Document.objects.filter(title=spec.title).first()
            if document is None:
                pdf = assets.pdf(spec.html)
                document = Document.objects.create(
                    title=spec.title,
                    file=ContentFile(pdf, name=spec.filename),
                    file_size=len(pdf),
                    file_hash=hash_filelike(BytesIO(pdf)),
                    uploaded_by_user=self.users[spec.uploader],
                    collection=upload_collection(self.users[spec.uploader]),
                )
                self.created["document"] += 1
            self._done["file", key] = document
        return self._done["file", key]

    def resolve(self, body: list[dict]) -> list[dict]:
        """The lesson body with every `video("key")` and `document("key")` turned into the upload's id, and a
        video's caption track (`video("key", captions="ru")`) into the id of its document."""
        resolved = []
        for block in body:
            if block["type"] == "video" and isinstance(block["value"], dict):
                key, language = block["value"]["video"], block["value"]["captions"]
                block = {
                    "type": "video",
                    "value": {
                        "video": self.video(key).pk,
                        "captions": self.captions(key, language).pk,
                        "captions_language": language,
                        # In the video's own language the track says what is heard; in another, it translates.
                        "captions_kind": "captions" if language == self.videos[key].language else "subtitles",
                    },
                }
            elif block["type"] == "video" and isinstance(block["value"], str):
                block = {"type": "video", "value": self.video(block["value"]).pk}
            elif block["type"] == "file" and isinstance(block["value"], str):
                block = {"type": "file", "value": self.document(block["value"]).pk}
            resolved.append(block)
        return resolved


class Command(BaseCommand):
    help = (
        "Fill the portal with demo accounts, categories and courses (with covers, a video and PDF handouts). "
        "Safe to run again: what already exists is kept as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. The demo accounts have a published password: never on a real site.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password, so it only runs with DEBUG on "
                "(DJANGO_DEBUG=1). Add --force to run it anyway."
            )
        started = time.monotonic()
        self.verbosity = options.get("verbosity", 1)
        self.created = Counter()
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD

        with transaction.atomic():
            catalog = services.ensure_catalog()
            self.ensure_site_address()
            users = self.ensure_accounts(password)
            # Teachers author courses through their group's rights on the catalog: give them again in
            # case the catalog was only just (re)made above.
            group_for(Role.TEACHER)
            categories = self.ensure_categories()
            self.ensure_page_texts(catalog)

        uploads = Uploads(users, self.created)
        existing = set(CoursePage.objects.child_of(catalog).values_list("slug", flat=True))
        for course in COURSES:
            if course.slug not in existing:
                self.create_course(course, catalog, users, categories, uploads)

        self.ensure_quizzes()
        self.ensure_learning(users)
        self.ensure_reviews(users)
        self.ensure_signer()
        self.report(users, password, time.monotonic() - started)

    def ensure_site_address(self):
        """The default Site at the portal's address (`make run`'s, or PORTAL_BASE_URL), not the migration's
        localhost:80: Wagtail builds full page URLs from it (the admin's "View live", previews)."""
        address = urlsplit(links.base_url())
        port = address.port or (443 if address.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None and (site.hostname, site.port) != (address.hostname, port):
            site.hostname, site.port = address.hostname, port
            site.save()  # through save(), which renews Wagtail's cache of site addresses

    def ensure_accounts(self, password: str) -> dict:
        User = get_user_model()
        users = {}
        hashed = None
        for account in [*ACCOUNTS, *REVIEWERS]:
            user = User.objects.filter(email__iexact=account.email).first()
            if user is None:
                user = User(email=account.email, name=account.name, role=account.role)
                if account in REVIEWERS:
                    user.set_unusable_password()  # they only wrote the demo's reviews: no one logs in as them
                else:
                    hashed = hashed or make_password(password)  # hashing is slow on purpose: once for all
                    user.password = hashed
                user.save()  # also puts the user in their role's group
                self.created["account"] += 1
            users[account.email] = user
        return users

    def ensure_categories(self) -> dict:
        """The demo's categories, in English and Russian (the Russian texts also go to a demo category that has
        none yet, as one made before there were translations)."""
        categories = {}
        for spec in CATEGORIES:
            category = (
                Category.objects.filter(slug=spec.slug).first() or Category.objects.filter(name_en=spec.name).first()
            )
            if category is None:
                category = Category.objects.create(
                    slug=spec.slug,
                    name_en=spec.name,
                    name_ru=spec.name_ru or None,
                    description_en=spec.description,
                    description_ru=spec.description_ru,
                )
                self.created["category"] += 1
            elif not category.name_ru and spec.name_ru:
                category.name_ru, category.description_ru = spec.name_ru, category.description_ru or spec.description_ru
                category.save()
            categories[spec.slug] = category
        return categories

    def ensure_page_texts(self, catalog) -> None:
        """The home page's and the catalog's heading and intro in each language, where they have none yet (a
        database made before there were translations); what an editor wrote is kept."""
        for page, texts in ((catalog.get_parent().specific, HOME_PAGE), (catalog, CATALOG_PAGE)):
            page = page.get_latest_revision_as_object()
            missing = {name: value for name, value in asdict(texts).items() if not getattr(page, name)}
            if missing:
                for name, value in missing.items():
                    setattr(page, name, value)
                page.save_revision().publish()

    def cover(self, course, category, teacher):
        Image = get_image_model()
        title = f"{course.title} — cover"
        image = Image.objects.filter(title=title).first()
        if image is None:
            spec = next(spec for spec in CATEGORIES if spec.slug == course.category)
            png = assets.cover(key=course.slug, motif=spec.slug, colors=spec.colors)
            image = Image.objects.create(
                title=title,
                file=ImageFile(BytesIO(png), name=f"cover-{course.slug}.png"),
                file_size=len(png),
                file_hash=hash_filelike(BytesIO(png)),
                uploaded_by_user=teacher,
                collection=upload_collection(teacher),
            )
            self.created["image"] += 1
        return image

    @transaction.atomic
    def create_course(self, course, catalog, users, categories, uploads: Uploads) -> None:
        teacher = users[course.teacher]
        if not teacher.is_teacher:
            raise CommandError(
                f"{teacher.email} is a {teacher.role}, not a teacher: cannot give them “{course.title}”. "
                "Change their role or remove the account, then run seed_demo again."
            )
        category = categories[course.category]
        page = services.create_course(
            teacher=teacher,
            title=course.title,
            summary=course.summary,
            description=course.description,
            cover_image=self.cover(course, category, teacher),
            category=category,
            level=course.level,
            language=course.language,
            duration_minutes=course.duration_minutes,
        )
        if page.slug != course.slug:
            self.stderr.write(
                self.style.WARNING(
                    f"“{course.title}” got the slug {page.slug!r}, not {course.slug!r}: "
                    "fix the slug in courses/demo/content, or the next run adds it again."
                )
            )
        for lesson in course.lessons:
            services.add_lesson(
                course=page,
                by=teacher,
                title=lesson.title,
                body=uploads.resolve(lesson.body),
                duration_minutes=lesson.minutes,
            )
        self.created["course"] += 1
        self.created["lesson"] += len(course.lessons)
        if self.verbosity >= 1:
            self.stdout.write(f"  + {course.title} ({len(course.lessons)} lessons, {teacher.name})")

    def ensure_quizzes(self) -> None:
        for slug, quizzes_by_lesson in DEMO_QUIZZES.items():
            course = CoursePage.objects.filter(slug=slug).first()
            if course is None:
                continue
            lessons = list(course.lessons())
            for number, spec in quizzes_by_lesson.items():
                lesson = lessons[number - 1]
                if Quiz.objects.filter(lesson=lesson).exists():
                    continue
                replace_quiz(lesson=lesson, by=course.owner, **spec)
                self.created["quiz"] += 1

    def ensure_learning(self, users) -> None:
        """The demo students are on their way: enrolled in a few courses, some lessons done."""
        for spec in DEMO_LEARNING:
            learner = users[spec["learner"]]
            course = CoursePage.objects.live().filter(slug=spec["course"]).first()
            if course is None or Enrollment.objects.filter(learner=learner, course=course).exists():
                continue
            learning.enroll(learner=learner, course=course)
            for lesson in list(course.lessons())[: spec["lessons_done"]]:
                learning.complete_lesson(learner=learner, lesson=lesson)
            self.created["enrollment"] += 1

    def ensure_reviews(self, users) -> None:
        """Reviews of several courses, by learners on their way through them: each enrolls and completes its first
        lessons, then posts through the reviews service, which keeps the course's rating (and the catalog's)."""
        slugs = {spec.course for spec in REVIEWS}
        courses = {course.slug: course for course in CoursePage.objects.live().filter(slug__in=slugs)}
        for spec in REVIEWS:
            learner, course = users[spec.learner], courses.get(spec.course)
            if course is None or Review.objects.filter(learner=learner, course=course).exists():
                continue
            with transaction.atomic():
                if not Enrollment.objects.active().filter(learner=learner, course=course).exists():
                    learning.enroll(learner=learner, course=course)
                    self.created["enrollment"] += 1
                for lesson in list(course.lessons())[: spec.lessons_done]:
                    learning.complete_lesson(learner=learner, lesson=lesson)
                reviews.post_review(learner=learner, course=course, rating=spec.rating, text=spec.text)
            self.created["review"] += 1

    def ensure_signer(self) -> None:
        """The certificates' signature line (Settings → Portal settings), unless an administrator has set one."""
        portal = PortalSettings.load()
        if not portal.certificate_signer_name:
            portal.certificate_signer_name, portal.certificate_signer_title = CERTIFICATE_SIGNER
            portal.save(update_fields=["certificate_signer_name", "certificate_signer_title"])

    def report(self, users, password: str, seconds: float) -> None:
        write, style = self.stdout.write, self.style
        if self.created:
            kinds = [
                *("account", "category", "course", "lesson", "image", "video", "document", "quiz", "enrollment"),
                "review",
            ]
            made = ", ".join(
                f"{self.created[kind]} {kind if self.created[kind] == 1 else PLURALS.get(kind, kind + 's')}"
                for kind in kinds
                if self.created[kind]
            )
            write(style.SUCCESS(f"Demo content is ready: created {made} in {seconds:.1f} s."))
        else:
            write(style.SUCCESS("Demo content is already in place: nothing to create."))

        base = links.base_url()
        write("")
        write(style.HTTP_INFO("  Open the portal"))
        for label, path in [("Site", "/"), ("Admin", "/admin/"), ("API docs", "/api/docs/")]:
            write(f"    {label:<10} {base}{path}")
        write("")
        write(style.HTTP_INFO("  Demo accounts (log in with the email)"))
        width = max(len(account.email) for account in ACCOUNTS)
        works = {}  # accounts seeded together share one hash: check each hash once
        for account in ACCOUNTS:
            user = users[account.email]
            if user.password not in works:
                works[user.password] = check_password(password, user.password)
            secret = password if works[user.password] else style.WARNING("(password changed since seeding)")
            write(f"    {user.email:<{width}}  {user.role:<8} {secret}   {user.name}")
        write("")
