"""`manage.py seed_demo`: a demo portal built once (and only once), never by accident on a real site."""

import struct
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Revision, Site
from wagtailmedia.models import Media

from courses import uploads
from courses.demo import assets
from courses.demo.content import ACCOUNTS, CATEGORIES, CERTIFICATE_SIGNER, COURSES, HANDOUTS, REVIEWERS, REVIEWS, VIDEOS
from courses.demo.content.intro_video import SLIDES, cues
from courses.models import Category, CourseIndexPage, CoursePage, HomePage, LessonPage
from learners.models import Enrollment, LessonCompletion, Review, Role, User
from lms.management.commands.seed_demo import DEMO_QUIZZES
from lms.models import PortalSettings

from .video_clip import DURATION, INFO, TIMECODE_SCALE, _read

PASSWORD = "demo-password-2026"
WEBM_MAGIC = b"\x1a\x45\xdf\xa3"


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (User, Group, Page, Revision, Category, Image, Media, Document, Site, Collection, Locale)
    }


def courses():
    return CoursePage.objects.child_of(CourseIndexPage.objects.get()).live()


def blocks(course, kind):
    return [block for lesson in course.lessons() for block in lesson.body if block.block_type == kind]


def webm_seconds(data: bytes) -> float:
    """A WebM file's duration as its header states it (Segment → Info → Duration, in units of TimecodeScale)."""
    segment_start, segment_end = _read(data, _read(data, 0)[2])[1:]
    at = segment_start
    while at < segment_end:
        element, start, end = _read(data, at)
        if element == INFO:
            fields, inner = {}, start
            while inner < end:
                child, child_start, child_end = _read(data, inner)
                fields[child] = data[child_start:child_end]
                inner = child_end
            scale = int.from_bytes(fields.get(TIMECODE_SCALE, (1_000_000).to_bytes(4, "big")), "big")
            raw = fields[DURATION]
            duration = struct.unpack(">d" if len(raw) == 8 else ">f", raw)[0]
            return duration * scale / 1e9
        at = end
    raise AssertionError("no Info element")


def named_uploads(course) -> list[str]:
    """The keys of the video and files the course's lessons name (a video with captions names its key inside)."""
    named = []
    for lesson in course.lessons:
        for block in lesson.body:
            if block["type"] in {"video", "file"}:
                value = block["value"]
                named.append(value["video"] if isinstance(value, dict) else value)
    return named


def average(ratings) -> Decimal:
    return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP)


class TestContent:
    """The demo content as data: checked without a database."""

    def test_courses_are_complete(self):
        assert len(COURSES) >= 6
        assert len({course.slug for course in COURSES}) == len(COURSES)
        for course in COURSES:
            assert course.slug.isascii()
            assert course.summary and len(course.description) > 300
            assert 4 <= len(course.lessons) <= 6, course.title
            for lesson in course.lessons:
                assert lesson.minutes > 0
                assert sum(block["type"] == "text" for block in lesson.body) >= 1, lesson.title
        assert sum(course.language == "en" for course in COURSES) >= 3
        assert sum(course.language == "ru" for course in COURSES) >= 3

    def test_uploads_named_in_lessons_exist(self):
        keys = {video.key for video in VIDEOS} | {handout.key for handout in HANDOUTS}
        named = {key for course in COURSES for key in named_uploads(course)}
        assert named and named <= keys
        videos = {video.key: video for video in VIDEOS}
        for course in COURSES:
            for lesson in course.lessons:
                for block in lesson.body:
                    if block["type"] == "video" and isinstance(block["value"], dict):
                        assert block["value"]["captions"] in videos[block["value"]["video"]].captions

    def test_every_course_has_a_duration_covering_its_lessons(self):
        for course in COURSES:
            assert course.duration_minutes >= sum(lesson.minutes for lesson in course.lessons), course.title

    def test_the_demo_video_is_a_small_webm_over_a_minute_long(self):
        for video in VIDEOS:
            data = assets.video_file(video.filename).read_bytes()
            assert data[:4] == WEBM_MAGIC
            assert len(data) < 1_500_000
            seconds = webm_seconds(data)
            assert 60 <= seconds <= 90
            assert seconds == pytest.approx(video.duration, abs=0.1)

    def test_the_caption_tracks_are_webvtt_the_upload_checks_accept(self):
        for language in ("en", "ru"):
            track = assets.vtt(cues(language))
            assert track.startswith(b"WEBVTT\n\n00:00:00.500 --> 00:00:12.000\n")
            assert track.count(b" --> ") == len(SLIDES)
            uploads.validate_document(SimpleUploadedFile(f"intro.{language}.vtt", track))
        assert "Добро пожаловать" in assets.vtt(cues("ru")).decode()

    def test_covers_and_the_poster_are_drawn_without_text(self, monkeypatch):
        def no_text(*args, **kwargs):
            raise AssertionError("a demo cover draws no text: the page prints it")

        for name in ("text", "multiline_text", "textlength", "textbbox", "multiline_textbbox"):
            monkeypatch.setattr(ImageDraw.ImageDraw, name, no_text)
        colors = {category.slug: category.colors for category in CATEGORIES}
        covers = [
            assets.cover(key=course.slug, motif=course.category, colors=colors[course.category]) for course in COURSES
        ]
        assert len(set(covers)) == len(COURSES)  # each course its own
        for png in [*covers, assets.poster()]:
            image = PILImage.open(BytesIO(png))
            assert image.format == "PNG" and image.size in {(1280, 720), (960, 540)}

    def test_reviews_are_by_learners_on_their_way_and_rate_courses_apart(self):
        reviewers = {account.email for account in REVIEWERS}
        assert not reviewers & {account.email for account in ACCOUNTS}  # the demo's students may still review
        courses = {course.slug: course for course in COURSES}
        ratings = defaultdict(list)
        for review in REVIEWS:
            course = courses[review.course]
            assert review.learner in reviewers and review.rating in range(1, 6) and review.text
            # Some lessons done, never the whole course, and none with a quiz on the way.
            assert 1 <= review.lessons_done < len(course.lessons)
            assert not set(DEMO_QUIZZES.get(course.slug, {})) & set(range(1, review.lessons_done + 1))
            if course.language == "ru":
                assert any("а" <= letter <= "я" for letter in review.text.lower()), review.text
            ratings[review.course].append(review.rating)
        assert len({(review.course, review.learner) for review in REVIEWS}) == len(REVIEWS)
        assert len(ratings) >= 3 and len({average(stars) for stars in ratings.values()}) >= 3
        assert {courses[slug].language for slug in ratings} == {"en", "ru"}


@pytest.mark.django_db
def test_seed_demo_builds_a_portal_to_try(settings, client):
    settings.DEBUG = True
    output = seed()

    # One account per role, plus a second teacher and a second student, all with the demo password.
    for account in ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert (user.name, user.role) == (account.name, account.role)
        assert user.check_password(PASSWORD)
        assert account.email in output
    assert {role for (role,) in User.objects.values_list("role")} == {Role.ADMIN, Role.TEACHER, Role.STUDENT}
    assert User.objects.get(email="admin@example.com").is_superuser
    teachers = User.objects.filter(role=Role.TEACHER)
    assert teachers.count() == 2
    assert all(teacher.groups.filter(name="Teachers").exists() for teacher in teachers)
    assert User.objects.get(email="student@example.com").groups.filter(name="Students").exists()
    for text in (PASSWORD, "http://127.0.0.1:8000/", "/admin/", "/api/docs/"):
        assert text in output
    # Wagtail's default Site is where `make run` serves the portal, as its full page URLs ("View live") say.
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8000"

    # Courses in both languages, by both teachers, each a published revision with published lessons.
    assert Category.objects.count() >= 4
    assert all(slug.isascii() for slug in Category.objects.values_list("slug", flat=True))
    # The categories, the home page and the catalog speak Russian to a Russian visitor (courses/translation.py).
    from courses.demo.content import CATALOG_PAGE, HOME_PAGE

    assert all(category.name_en and category.name_ru for category in Category.objects.all())
    for url, texts in (("/", HOME_PAGE), ("/courses/", CATALOG_PAGE)):
        russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        assert texts.heading_ru in russian and texts.intro_ru in russian and texts.heading_en not in russian
    assert "Программирование" in client.get("/courses/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    live = courses()
    assert live.count() == len(COURSES) >= 6
    assert live.filter(language="en").count() >= 3
    assert live.filter(language="ru").count() >= 3
    assert set(live.values_list("owner__email", flat=True)) == {"teacher@example.com", "teacher2@example.com"}
    assert live.filter(owner__email="teacher@example.com").count() > live.count() / 2
    assert {course.slug for course in COURSES} == set(live.values_list("slug", flat=True))
    for course in live:
        assert course.summary and course.description and course.category_id
        assert course.latest_revision is not None and course.live_revision_id
        cover = course.cover_image
        assert (cover.width, cover.height) == (1280, 720)
        assert cover.file.storage.exists(cover.file.name)
        assert cover.uploaded_by_user == course.owner
        lessons = list(course.lessons())
        assert len(lessons) >= 4
        for lesson in lessons:
            assert lesson.live_revision_id and lesson.duration_minutes
            assert lesson.owner == course.owner
            assert any(block.block_type == "text" for block in lesson.body)
    for course in live.filter(category__slug="programming"):
        assert blocks(course, "code"), course.title

    # A playable video, in the first lesson of an English and a Russian course.
    media = Media.objects.get(type="video")
    path = Path(media.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.read_bytes()[:4] == WEBM_MAGIC
    assert media.thumbnail and media.thumbnail.storage.exists(media.thumbnail.name)
    assert (media.width, media.height) == (640, 360) and media.duration == VIDEOS[0].duration > 60
    assert webm_seconds(path.read_bytes()) == pytest.approx(media.duration, abs=0.1)
    assert media.uploaded_by_user.role == Role.TEACHER
    with_video = {
        lesson.course.language: block.value
        for lesson in LessonPage.objects.live()
        for block in lesson.body
        if block.block_type == "video"
        and block.value["video"] == media
        and lesson.course.lessons().first().pk == lesson.pk
    }
    assert set(with_video) == {"en", "ru"}
    # With a caption track in the course's language: captions in the video's, subtitles in the other.
    tracks = {}
    for language, value in with_video.items():
        track = value["captions"]
        assert (value["captions_language"], track.file_extension) == (language, "vtt")
        assert value["captions_kind"] == ("captions" if language == "en" else "subtitles")
        with track.open_file() as file:
            tracks[language] = file.read()
    assert tracks == {language: assets.vtt(cues(language)) for language in ("en", "ru")}

    # PDF handouts, offered in lessons.
    documents = Document.objects.exclude(pk__in=[value["captions"].pk for value in with_video.values()])
    assert documents.count() == len(HANDOUTS)
    for document in documents:
        with document.open_file() as file:
            assert file.read(5) == b"%PDF-"
        assert document.uploaded_by_user.role == Role.TEACHER
    offered = {block.value.pk for course in live for block in blocks(course, "file")}
    assert offered == {document.pk for document in documents}

    # Durations on every course, as its data gives them.
    durations = {course.slug: course.duration_minutes for course in COURSES}
    assert {course.slug: course.duration_minutes for course in live} == durations

    # Reviews by learners enrolled and on their way, through the reviews service: the courses' ratings follow.
    assert Review.objects.count() == len(REVIEWS)
    for review in Review.objects.select_related("learner", "course"):
        assert not review.learner.has_usable_password() and review.learner.role == Role.STUDENT
        assert Enrollment.objects.active().filter(learner=review.learner, course=review.course).exists()
        assert LessonCompletion.objects.filter(learner=review.learner, lesson__in=review.course.lessons()).exists()
    rated = live.exclude(rating_count=0)
    assert rated.count() >= 3 and len(set(rated.values_list("rating_avg", flat=True))) >= 3
    for course in rated:
        stars = list(Review.objects.filter(course=course).values_list("rating", flat=True))
        assert (course.rating_avg, course.rating_count) == (average(stars), len(stars))
    best = [item["title"] for item in client.get("/api/v1/courses/", {"ordering": "-rating"}).json()["results"]]
    assert best[0] == "Python for Beginners" and best[-1] == "Data Visualization Principles"
    assert best != [item["title"] for item in client.get("/api/v1/courses/").json()["results"]]

    # The certificates' signature line.
    portal = PortalSettings.load()
    assert (portal.certificate_signer_name, portal.certificate_signer_title) == CERTIFICATE_SIGNER

    # A second run creates nothing, and still tells how to log in.
    before = counts()
    again = seed()
    assert counts() == before
    assert "nothing to create" in again
    assert "student2@example.com" in again and PASSWORD in again


@pytest.mark.django_db
def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not User.objects.filter(email__in=[account.email for account in ACCOUNTS]).exists()


@pytest.mark.django_db
def test_force_runs_with_debug_off_and_takes_the_password_from_the_environment(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_PASSWORD", "my-own-demo-secret-9")
    output = seed(force=True)
    assert User.objects.get(email="teacher@example.com").check_password("my-own-demo-secret-9")
    assert "my-own-demo-secret-9" in output and PASSWORD not in output
    assert courses().count() == len(COURSES)

    # An account whose password was changed is reported as such, not with a wrong password.
    student = User.objects.get(email="student@example.com")
    student.set_password("changed-by-Ivan-2026")
    student.save()
    output = seed(force=True)
    line = next(line for line in output.splitlines() if "student@example.com" in line)
    assert "my-own-demo-secret-9" not in line and "changed" in line


@pytest.mark.django_db
def test_a_deleted_course_comes_back_alone_reusing_its_files(settings):
    settings.DEBUG = True
    seed()
    spec = next(course for course in COURSES if course.slug == "python-for-beginners")
    python = courses().get(slug=spec.slug)
    python.delete()
    before = counts()

    output = seed()

    assert courses().filter(slug="python-for-beginners").count() == 1
    assert courses().count() == len(COURSES)
    assert "Python for Beginners" in output
    after = counts()
    # Its cover, the video and the handout are found again rather than uploaded twice.
    for model in ("Image", "Media", "Document", "User", "Category"):
        assert after[model] == before[model], model
    assert after["Page"] == before["Page"] + 1 + len(spec.lessons)


@pytest.mark.django_db
def test_builds_the_site_pages_when_they_are_missing(settings):
    """As after a flush (`transaction=True` tests): no page tree, site, locale or collection at all."""
    settings.DEBUG = True
    Site.objects.all().delete()
    Page.objects.all().delete()
    Collection.objects.all().delete()
    Locale.objects.all().delete()

    seed()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    catalog = CourseIndexPage.objects.get()
    assert catalog.get_parent().pk == site.root_page.pk
    assert catalog.url_path == "/home/courses/"
    assert courses().count() == len(COURSES)
    assert Group.objects.get(name="Teachers").page_permissions.filter(page=catalog).exists()


# Each demo course, and a query in other word forms than its title's (Russian and English stemming).
INFLECTED = {
    "Data Visualization Principles": "visualizing principle",
    "Английский для путешествий": "путешествия",
    "Git и совместная работа над кодом": "совместной работе",
    "Web Design Basics: HTML and CSS": "designing",
    "Личная эффективность: планирование и фокус": "планированию",
    "Python for Beginners": "beginner",
    "Введение в SQL": "введения",
    "SQL Performance: Indexes and Query Plans": "indexing plan",
}


@pytest.mark.django_db
def test_each_demo_course_is_found_by_other_forms_of_its_title_words(settings, client):
    settings.DEBUG = True
    seed()
    assert set(INFLECTED) == set(courses().values_list("title", flat=True))
    for title, query in INFLECTED.items():
        found = [course["title"] for course in client.get("/api/v1/courses/", {"search": query}).json()["results"]]
        assert title in found, (query, found)
        assert title in client.get("/search/", {"q": query}).content.decode(), query
