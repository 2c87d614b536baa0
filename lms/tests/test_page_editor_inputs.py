"""Hostile form data in Wagtail's page editor: the add and edit views of courses and lessons (a teacher's) and of
the home page and the catalog (an admin's). Every answer is a 4xx or a form error, never a 500, and a refused
post changes no page and saves no revision."""

import json

import pytest
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, HomePage

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 5000 + "]" * 5000


def draftail(text: str) -> str:
    """A Draftail value of one paragraph holding the text (which JSON escapes, NUL included)."""
    block = {"key": "a", "type": "unstyled", "depth": 0, "text": text, "inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block], "entityMap": {}})


def deep_draftail(levels: int) -> str:
    return '{"blocks": [], "entityMap": ' + '{"a": ' * levels + "1" + "}" * levels + "}"


RICH_TEXT_VALUES = [
    "not json",
    "[1]",
    '"text"',
    "null",
    "{}",
    '{"blocks": 5, "entityMap": {}}',
    '{"blocks": [{"text": 1}], "entityMap": {}}',
    '{"blocks": [{"type": "unstyled", "text": "a", "entityRanges": [{"key": "9", "offset": 0, "length": 1}]}]}',
    '{"blocks": [{"type": "unstyled", "text": "a", "inlineStyleRanges": [{"style": "X", "offset": "a"}]}]}',
    DEEP_JSON,
    deep_draftail(5000),
    '{"blocks": [{"type": "unstyled", "text": "a", "entityRanges": [{"key": 0, "offset": 5, "length": 9}]}], '
    '"entityMap": {"0": {"type": "LINK", "data": {"url": "https://example.com"}}}}',
    '{"blocks": [{"type": "unstyled", "text": "a", "entityRanges": [{"key": 0, "offset": 0, "length": 1}]}], '
    '"entityMap": {"0": {"type": "DOCUMENT", "data": {"id": "x"}}}}',
    draftail("a\x00b"),
    "a\x00b",
]

# Whole-field overrides of a lesson's valid form (the body is one heading and one text block).
LESSON_BODY_CHANGES = [
    {"body-count": "x"},
    {"body-count": "²"},
    {"body-count": "9" * 5000},
    {"body-count": "5"},
    {"body-count": "-1"},
    {"body-0-order": "x"},
    {"body-0-order": "9" * 5000},
    {"body-0-deleted": None},
    {"body-0-type": None},
    {"body-0-type": "nonsense"},
    {"body-0-value": "a\x00b"},
    {"body-0-type": "image", "body-0-value-image": "x"},
    {"body-0-type": "image", "body-0-value-image": "²"},
    {"body-0-type": "image", "body-0-value-image": "9" * 30},
    {"body-0-type": "image", "body-0-value-image": "1\x00"},
    {"body-0-type": "file", "body-0-value": "x"},
    {"body-0-type": "video", "body-0-value": "9" * 5000},
    {"body-0-type": "video", "body-0-value-video": "9" * 5000},
    {"body-0-type": "video", "body-0-value-video": "1", "body-0-value-captions": "9" * 5000},
    {"body-0-type": "video", "body-0-value-video": "1", "body-0-value-captions_label": "a\x00b"},
    {"body-0-type": "video", "body-0-value-video": "1", "body-0-value-captions_language": "a\x00b"},
    {"body-0-type": "code", "body-0-value-language": "python"},
    {"body-0-type": "code", "body-0-value-language": "python", "body-0-value-code": "a\x00b"},
    {"body-0-type": "embed", "body-0-value": "https://example.com/\x00"},
    *({"body-1-value": value} for value in RICH_TEXT_VALUES),
]

PAGE_FIELD_CHANGES = [
    {"title": "a\x00b"},
    {"slug": "a\x00b"},
    {"seo_title": "a\x00b"},
    {"search_description": "a\x00b"},
    {"go_live_at": "a\x00b"},
    {"go_live_at": "9" * 5000},
    {"comments-TOTAL_FORMS": "x"},
    {"comments-TOTAL_FORMS": "1", "comments-0-contentpath": "a\x00b", "comments-0-text": "a"},
]

COURSE_CHANGES = [
    *({"description": value} for value in RICH_TEXT_VALUES),
    {"summary": "a\x00b"},
    {"duration_minutes": "9" * 5000},
    {"duration_minutes": "²"},
    {"cover_image": "x"},
    {"cover_image": "9" * 30},
    {"cover_image": "\x00"},
    {"category": "9" * 5000},
    {"level": "a\x00b"},
    *PAGE_FIELD_CHANGES,
]

LESSON_CHANGES = [*LESSON_BODY_CHANGES, {"duration_minutes": "-1\x00"}, *PAGE_FIELD_CHANGES]


def course_form(**fields) -> dict:
    data = {
        "title": "Основы Git",
        "slug": "osnovy-git",
        "summary": "Version control from scratch",
        "description": rich_text("<p>Commits, branches, merges.</p>"),
        "level": "beginner",
        "language": "ru",
    }
    return nested_form_data({**data, **fields})


def lesson_form(**fields) -> dict:
    data = {
        "title": "Первый коммит",
        "slug": "pervyi-kommit",
        "duration_minutes": 15,
        "body": streamfield([("heading", "Init"), ("text", rich_text("<p>git init</p>"))]),
    }
    return nested_form_data({**data, **fields})


def intro_form(page) -> dict:
    return nested_form_data({"title": page.title, "slug": page.slug, "intro": rich_text("<p>Hi</p>")})


def snapshot():
    """What a refused post must leave alone: every page's stored content (its latest revision included), and the
    revisions."""
    return {page.pk: page.serializable_data() for page in Page.objects.specific()}, Revision.objects.count()


def post_each(client, url, form: dict, changes: dict, action: dict) -> int:
    """Post the valid form with the changed fields (a None drops one). A 4xx or a form error changes nothing; a
    redirect is Wagtail reading the change as a valid one (an unknown block type is skipped, a negative count is
    no blocks)."""
    data = {key: value for key, value in {**form, **changes, **action}.items() if value is not None}
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code < 500, (changes, response.status_code)
    if response.status_code != 302:
        assert snapshot() == before, changes
    return response.status_code


def ids(changes_list):
    return [repr(changes)[:60] for changes in changes_list]


ACTIONS = [{}, {"action-publish": "publish"}]


@pytest.fixture
def course(make_course, teacher):
    return make_course(owner=teacher, title="Mine", lessons=1)


@pytest.mark.parametrize("action", ACTIONS, ids=["draft", "publish"])
@pytest.mark.parametrize("changes", LESSON_CHANGES, ids=ids(LESSON_CHANGES))
def test_hostile_lesson_forms_never_answer_500(client, teacher, course, changes, action):
    client.force_login(teacher)
    lesson = course.get_children().specific().first()
    post_each(client, f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form(), changes, action)
    post_each(client, f"/admin/pages/{lesson.pk}/edit/", lesson_form(slug=lesson.slug), changes, action)


@pytest.mark.parametrize("action", ACTIONS, ids=["draft", "publish"])
@pytest.mark.parametrize("changes", COURSE_CHANGES, ids=ids(COURSE_CHANGES))
def test_hostile_course_forms_never_answer_500(client, teacher, catalog, course, changes, action):
    client.force_login(teacher)
    post_each(client, f"/admin/pages/add/courses/coursepage/{catalog.pk}/", course_form(), changes, action)
    post_each(client, f"/admin/pages/{course.pk}/edit/", course_form(slug=course.slug), changes, action)


INTRO_CHANGES = [*({"intro": value} for value in RICH_TEXT_VALUES), *PAGE_FIELD_CHANGES]


@pytest.mark.parametrize("changes", INTRO_CHANGES, ids=ids(INTRO_CHANGES))
def test_hostile_home_and_catalog_forms_never_answer_500(client, admin_user, catalog, changes):
    client.force_login(admin_user)
    for page in (HomePage.objects.get(), CourseIndexPage.objects.get()):
        post_each(client, f"/admin/pages/{page.pk}/edit/", intro_form(page), changes, {"action-publish": "publish"})


UNREADABLE = [
    ("lesson", {"body-count": "x"}),
    ("lesson", {"body-count": "5"}),
    ("lesson", {"body-0-order": "²"}),
    ("lesson", {"body-0-type": None}),
    ("lesson", {"body-0-type": "image", "body-0-value-image": "x"}),
    ("lesson", {"body-1-value": DEEP_JSON}),
    ("course", {"description": "not json"}),
    ("course", {"description": "[1]"}),
    ("course", {"description": deep_draftail(5000)}),
]


@pytest.mark.parametrize(("kind", "changes"), UNREADABLE, ids=ids(UNREADABLE))
def test_unreadable_editor_data_is_a_400_and_a_valid_form_still_saves(client, teacher, course, kind, changes):
    client.force_login(teacher)
    page = course if kind == "course" else course.get_children().specific().first()
    form = (course_form if kind == "course" else lesson_form)(title=page.title, slug=page.slug)
    assert post_each(client, f"/admin/pages/{page.pk}/edit/", form, changes, {}) == 400
    assert post_each(client, f"/admin/pages/{page.pk}/edit/preview/", form, changes, {}) == 400
    assert post_each(client, f"/admin/pages/{page.pk}/edit/", form, {}, {}) == 302
    assert page.revisions.count() == 2  # the one it was made with, and the valid draft
