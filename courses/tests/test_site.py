"""The public site's course pages: home, catalog, course and lesson, as a visitor sees them."""

import re

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, Site
from wagtailmedia.models import Media

from courses.models import CourseIndexPage, Level
from courses.services import add_lesson, create_course, ensure_catalog
from courses.templatetags.course_tags import duration, lesson_state

pytestmark = pytest.mark.django_db


def make_course(teacher, title="Python basics", **fields):
    fields.setdefault("summary", "Learn the language step by step.")
    fields.setdefault("description", "<p>A friendly course about <b>Python</b>.</p>")
    fields.setdefault("level", Level.BEGINNER)
    fields.setdefault("language", "en")
    return create_course(teacher=teacher, title=title, **fields)


def make_lessons(course, teacher, count=3):
    return [
        add_lesson(
            course=course,
            by=teacher,
            title=f"Lesson number {number}",
            body=[{"type": "text", "value": f"<p>Body of lesson {number}</p>"}],
            duration_minutes=10 * number,
        )
        for number in range(1, count + 1)
    ]


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


# --- home and catalog -----------------------------------------------------------------------------------


def test_home_page_shows_the_hero_and_featured_courses(client, catalog, teacher):
    make_course(teacher, title="Featured one")
    html = html_of(client.get("/"))
    assert 'class="hero"' in html
    assert "Browse the catalog" in html and f'href="{catalog.url}"' in html
    assert "Featured one" in html


def test_home_page_without_courses_is_friendly(client, catalog):
    html = html_of(client.get("/"))
    assert "No courses yet" in html


def test_catalog_lists_published_courses_with_teacher_and_level(client, catalog, teacher):
    teacher.name = "Ada Lovelace"
    teacher.save()
    course = make_course(teacher, title="Python basics", level=Level.INTERMEDIATE)
    draft = make_course(teacher, title="Secret draft")
    draft.unpublish()

    html = html_of(client.get(catalog.url))
    assert "Python basics" in html
    assert f'href="{course.url}"' in html
    assert "Ada Lovelace" in html
    assert "Intermediate" in html
    assert "English" in html
    assert "No ratings yet" in html
    assert "Secret draft" not in html
    assert ">P<" in html  # the placeholder cover shows the title's initial


def test_catalog_shows_a_rating_once_courses_have_one(catalog, teacher):
    course = make_course(teacher)
    assert "No ratings yet" in render_to_string("courses/includes/rating.html", {"course": course})
    course.rating_avg, course.rating_count = 4.56, 12
    html = render_to_string("courses/includes/rating.html", {"course": course})
    assert "★ 4.6" in html and "(12)" in html and "No ratings yet" not in html
    course.rating_count = 0
    assert "No ratings yet" in render_to_string("courses/includes/rating.html", {"course": course})


def test_catalog_empty_state(client, catalog):
    html = html_of(client.get(catalog.url))
    assert "No courses yet" in html
    assert 'class="pagination"' not in html


def test_catalog_paginates_and_keeps_other_parameters(client, catalog, teacher):
    for number in range(CourseIndexPage.per_page + 2):
        make_course(teacher, title=f"Course {number:02d}")

    first = html_of(client.get(catalog.url))
    assert first.count('class="card course-card"') == CourseIndexPage.per_page
    assert 'aria-current="page"' in first

    second = html_of(client.get(catalog.url, {"page": 2, "level": "beginner"}))
    assert second.count('class="card course-card"') == 2
    assert "Course 00" in second and "Course 13" not in second  # newest first
    # Page links keep the other GET parameters.
    assert re.search(r'href="\?(page=1&amp;level=beginner|level=beginner&amp;page=1)"', second)

    for page in ("999", "abc", "-1", ""):
        assert client.get(catalog.url, {"page": page}).status_code == 200
    assert html_of(client.get(catalog.url, {"page": "999"})).count('class="card course-card"') == 2


# --- course page -----------------------------------------------------------------------------------------


def test_course_page_shows_description_facts_and_syllabus(client, catalog, teacher):
    course = make_course(teacher, title="Python basics", level=Level.ADVANCED)
    lessons = make_lessons(course, teacher)

    html = html_of(client.get(course.url))
    assert "<h1" in html and "Python basics" in html
    assert "A friendly course about <b>Python</b>." in html
    assert "Learn the language step by step." in html
    assert f'href="{catalog.url}"' in html  # breadcrumbs lead back to the catalog
    assert "Advanced" in html and teacher.name in html
    assert "1\xa0h" in html  # 10 + 20 + 30 minutes, with no-break spaces
    syllabus = between(html, '<ol class="syllabus', "</ol>")
    positions = [syllabus.index(f'href="{lesson.url}"') for lesson in lessons]
    assert positions == sorted(positions)
    assert "20\xa0min" in syllabus
    assert "data-state" not in syllabus  # no states unless a later feature gives them
    assert "Log in to enroll" in html


def test_course_page_follows_the_syllabus_order(client, catalog, teacher):
    course = make_course(teacher)
    first, second, third = make_lessons(course, teacher)
    first.move(course, pos="last-child")

    syllabus = between(html_of(client.get(course.url)), '<ol class="syllabus', "</ol>")
    order = sorted((syllabus.index(lesson.title), lesson.title) for lesson in (first, second, third))
    assert [title for _index, title in order] == [second.title, third.title, first.title]


def test_course_page_without_lessons(client, catalog, teacher):
    course = make_course(teacher)
    html = html_of(client.get(course.url))
    assert "The teacher has not published any lessons yet." in html


def test_lesson_state_and_duration_filters():
    assert lesson_state({1: "done"}, 1) == "done"
    assert lesson_state({"1": "open"}, 1) == "open"
    assert lesson_state({1: "evil injected"}, 1) == ""
    assert lesson_state("", 1) == "" and lesson_state(None, 1) == ""
    assert duration(45) == "45\xa0min" and duration(120) == "2\xa0h" and duration(95) == "1\xa0h\xa035\xa0min"
    assert duration(None) == "" and duration(0) == ""


def test_cyrillic_course_renders_everywhere(client, catalog, teacher):
    course = make_course(teacher, title="Основы Python", summary="Курс для начинающих", language="ru")
    lesson = add_lesson(course=course, by=teacher, title="Переменные", body=[{"type": "text", "value": "<p>Привет, мир!</p>"}])
    assert "Основы Python" in html_of(client.get(catalog.url))
    assert "Курс для начинающих" in html_of(client.get(course.url))
    client.force_login(teacher)  # lessons open for the course's teacher (and enrolled learners)
    lesson_html = html_of(client.get(lesson.url))
    assert "Переменные" in lesson_html and "Привет, мир!" in lesson_html and "Основы Python" in lesson_html


def test_site_speaks_russian(client, catalog, teacher):
    course = make_course(teacher)
    lessons = make_lessons(course, teacher)
    html = html_of(client.get(course.url, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Уроки" in html  # "Lessons"
    assert "3 урока" in html
    assert "Начинающий" in html or "Начальный" in html  # the level, translated
    assert "Нет оценок" in html_of(client.get(catalog.url, HTTP_ACCEPT_LANGUAGE="ru"))
    client.force_login(teacher)
    html = html_of(client.get(lessons[1].url, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Урок 2 из 3" in html


# --- lesson page -----------------------------------------------------------------------------------------
# Lessons open for the course's teacher, administrators and enrolled learners (learners.wagtail_hooks):
# the tests look at them as the teacher.


def test_lesson_page_renders_its_blocks(client, catalog, teacher):
    course = make_course(teacher)
    lesson = add_lesson(
        course=course,
        by=teacher,
        title="Variables",
        duration_minutes=15,
        body=[
            {"type": "text", "value": "<p>Hello <i>world</i></p>"},
            {"type": "heading", "value": "Part one"},
            {"type": "code", "value": {"language": "python", "code": 'print("<script>alert(1)</script>")'}},
        ],
    )
    client.force_login(teacher)
    html = html_of(client.get(lesson.url))
    assert "<p>Hello <i>world</i></p>" in html
    assert '<h2 class="block block-heading">Part one</h2>' in html
    assert '<code class="language-python">' in html
    assert "print(&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;)" in html
    assert "<script>alert(1)</script>" not in html
    assert "15\xa0min" in html
    assert f'href="{course.url}"' in html and f'href="{catalog.url}"' in html  # breadcrumbs


def test_lesson_page_position_and_neighbours(client, catalog, teacher):
    course = make_course(teacher)
    first, second, third = make_lessons(course, teacher)

    client.force_login(teacher)
    html = html_of(client.get(second.url))
    assert "Lesson 2 of 3" in html
    assert re.search(rf'href="{re.escape(first.url)}" rel="prev"', html)
    assert re.search(rf'href="{re.escape(third.url)}" rel="next"', html)
    outline = between(html, '<ol class="syllabus', "</ol>")
    assert f'href="{second.url}" aria-current="page"' in outline
    assert outline.count("aria-current") == 1

    html = html_of(client.get(first.url))
    assert "Lesson 1 of 3" in html and 'rel="prev"' not in html and "Back to the course" in html
    html = html_of(client.get(third.url))
    assert "Lesson 3 of 3" in html and 'rel="next"' not in html


def test_lesson_page_plays_a_video(client, catalog, teacher):
    media = Media.objects.create(
        title="Intro clip",
        file=ContentFile(b"not really a video", name="clip.mp4"),
        type="video",
        uploaded_by_user=teacher,
    )
    course = make_course(teacher)
    lesson = add_lesson(course=course, by=teacher, title="Watch", body=[{"type": "video", "value": media.pk}])
    client.force_login(teacher)
    html = html_of(client.get(lesson.url))
    video = between(html, "<video", "</video>")
    assert "controls" in video and 'preload="metadata"' in video and "playsinline" in video
    # Its checked address, never the stored file's (learners/tests/test_file_access.py).
    assert f'<source src="/media-files/{media.pk}/clip.mp4" type="video/mp4">' in video
    assert "download" in video  # a fallback link for browsers that cannot play it


def test_lesson_page_shows_an_image_and_a_download(client, catalog, teacher):
    image = Image.objects.create(title="A diagram", file=get_test_image_file())
    document = Document.objects.create(
        title="Cheat sheet", file=ContentFile(b"x" * 2048, name="cheatsheet.pdf"), uploaded_by_user=teacher
    )
    course = make_course(teacher)
    lesson = add_lesson(course=course, by=teacher, title="Materials", body=[{"type": "file", "value": document.pk}])
    lesson.body = [("image", {"image": image, "caption": "How it fits"}), *[(b.block_type, b.value) for b in lesson.body]]
    lesson.save_revision(user=teacher).publish(user=teacher)

    client.force_login(teacher)
    html = html_of(client.get(lesson.url))
    figure = between(html, '<figure class="block block-image">', "</figure>")
    assert 'alt="How it fits"' in figure and "<figcaption>How it fits</figcaption>" in figure
    download = between(html, '<a class="download"', "</a>")
    assert f'href="{document.url}"' in download and "download" in download
    assert "Cheat sheet" in download and "PDF" in download and "2.0" in download and "KB" in download


# --- the catalog fixture ---------------------------------------------------------------------------------


def test_catalog_fixture_rebuilds_a_flushed_site(client, teacher):
    # What a transaction=True test leaves behind: no pages, no site, no root collection.
    Site.objects.all().delete()
    Page.objects.all().delete()
    Collection.objects.all().delete()

    catalog = ensure_catalog()
    assert catalog.url == "/courses/" and Collection.get_first_root_node() is not None
    course = make_course(teacher, title="After the flush")  # the teacher may add courses to the new catalog
    assert "After the flush" in html_of(client.get(catalog.url))
    assert html_of(client.get(course.url))
    assert ensure_catalog().pk == catalog.pk  # and a second call finds it
