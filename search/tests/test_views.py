"""The site: the search page and the catalog's search form, filters, facets, sort and empty states."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseIndexPage

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card__title"><a href="[^"]*">([^<]*)</a></h2>', html)


def selected(html: str, name: str) -> str | None:
    """The selected option's value of the select called `name`."""
    select = re.search(rf'<select id="[^"]*" name="{name}">(.*?)</select>', html, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return option.group(1) if option else None


@pytest.fixture
def shelf(make_course, teacher, other_teacher, programming, languages):
    teacher.name = "Ada Lovelace"
    teacher.save()
    return {
        "python": make_course(title="Python basics", category=programming, level="beginner", lessons=1),
        "django": make_course(title="Django web apps", category=programming, level="intermediate", lessons=1),
        "pyru": make_course(
            owner=other_teacher, title="Python для всех", category=programming, language="ru", lessons=1
        ),
        "english": make_course(title="English grammar", category=languages, lessons=1),
    }


# --- the search page --------------------------------------------------------------------------------


def test_search_page_finds_courses_and_keeps_the_query_in_the_form(client, shelf):
    html = html_of(client.get(SEARCH, {"q": "python"}))
    assert sorted(titles(html)) == ["Python basics", "Python для всех"]
    assert 'name="q" value="python"' in html
    assert "Courses for “python”" in html
    assert 'action="/search/"' in html


def test_search_page_finds_courses_by_their_lessons(client, make_course, teacher):
    from courses import services

    course = make_course(title="Kitchen", lessons=0)
    services.add_lesson(
        course=course, by=teacher, title="Knives", body=[{"type": "text", "value": "<p>Sharpening</p>"}]
    )
    assert titles(html_of(client.get(SEARCH, {"q": "sharpening"}))) == ["Kitchen"]


def test_search_page_without_a_query_lists_the_catalog(client, shelf):
    html = html_of(client.get(SEARCH))
    assert len(titles(html)) == 4
    assert "Search courses" in html


def test_search_page_without_a_catalog_is_friendly(client, db):
    assert html_of(client.get(SEARCH, {"q": "python"}))


def test_search_page_only_reads(client, catalog):
    assert client.post(SEARCH, {"q": "python"}).status_code == 405


def test_search_results_come_by_relevance_unless_sorted(client, make_course, teacher):
    from courses import services

    make_course(title="Zeta Rust", lessons=0)
    other = make_course(title="Alpha systems", lessons=0)
    services.add_lesson(course=other, by=teacher, title="Rust ownership", body=[])
    html = html_of(client.get(SEARCH, {"q": "rust"}))
    assert titles(html) == ["Zeta Rust", "Alpha systems"]
    assert selected(html, "ordering") == "relevance"
    html = html_of(client.get(SEARCH, {"q": "rust", "ordering": "title"}))
    assert titles(html) == ["Alpha systems", "Zeta Rust"]
    assert selected(html, "ordering") == "title"


# --- the catalog's form: state in the URL, facet counts -----------------------------------------------


def test_catalog_form_shows_facet_counts_and_keeps_its_state(client, catalog, shelf, teacher, rate):
    html = html_of(client.get(catalog.url))
    assert "Programming (3)" in html and "Languages (1)" in html
    assert "Beginner (3)" in html and "Ada Lovelace (3)" in html
    assert 'name="q" value=""' in html
    assert selected(html, "ordering") == "-created"
    assert 'value="relevance"' not in html  # nothing to be relevant to without a query

    rate(shelf["python"], 4.6, 12)
    params = {"q": "python", "category": "programming", "level": "beginner", "teacher": teacher.pk}
    html = html_of(client.get(catalog.url, {**params, "min_rating": "4.5", "ordering": "title"}))
    assert titles(html) == ["Python basics"]
    assert 'name="q" value="python"' in html
    assert selected(html, "category") == "programming"
    assert selected(html, "level") == "beginner"
    assert selected(html, "teacher") == str(teacher.pk)
    assert selected(html, "min_rating") == "4.5"
    assert selected(html, "ordering") == "title"
    assert "Programming (1)" in html  # under the search and the other filters


def test_catalog_pagination_keeps_the_search_and_filters(client, catalog, make_course):
    for number in range(CourseIndexPage.per_page + 2):
        make_course(title=f"Painting {number:02d}", lessons=0)
    make_course(title="Sculpture", lessons=0)
    first = html_of(client.get(catalog.url, {"q": "painting", "level": "beginner"}))
    assert len(titles(first)) == CourseIndexPage.per_page and "Sculpture" not in first
    assert re.search(r'href="\?q=painting&amp;level=beginner&amp;page=2"', first)
    second = html_of(client.get(catalog.url, {"q": "painting", "level": "beginner", "page": 2}))
    assert len(titles(second)) == 2


def test_catalog_empty_states_say_what_did_not_match_and_how_to_clear(client, catalog, shelf):
    html = html_of(client.get(catalog.url, {"q": "astrophysics"}))
    assert "No courses match “astrophysics”" in html
    assert "No courses yet" not in html
    assert 'href="?"' in html  # see all courses
    assert 'name="q" value="astrophysics"' in html  # the form stays, to try again

    html = html_of(client.get(catalog.url, {"q": "python", "category": "languages"}))
    assert "No courses match “python”" in html
    assert 'href="?q=python">Clear filters</a>' in html

    html = html_of(client.get(catalog.url, {"category": "languages", "level": "advanced"}))
    assert "No courses match these filters" in html
    assert 'href="?">Clear filters</a>' in html


def test_catalog_shows_a_query_safely(client, catalog, shelf):
    html = html_of(client.get(catalog.url, {"q": '<script>alert("x")</script>'}))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "params",
    [
        {"level": "expert"},
        {"category": "gone"},
        {"teacher": "abc"},
        {"teacher": "99999999999999999999999"},
        {"min_rating": "NaN"},
        {"ordering": "-password"},
        {"q": "x" * 500},
        {"q": "nul\x00"},
        {"page": "abc"},
        {"page": "-3"},
        {"q": '"(*'},
    ],
)
def test_bad_parameters_on_the_site_are_dropped_not_an_error(client, catalog, shelf, params):
    assert html_of(client.get(catalog.url, params))
    assert html_of(client.get(SEARCH, params))


def test_a_rating_outside_the_menu_is_kept_in_the_form(client, catalog, shelf, rate):
    rate(shelf["django"], 4.3, 8)
    html = html_of(client.get(catalog.url, {"min_rating": "4.2"}))
    assert titles(html) == ["Django web apps"]
    assert selected(html, "min_rating") == "4.2"


def test_a_bad_value_keeps_the_good_ones(client, catalog, shelf):
    html = html_of(client.get(catalog.url, {"level": "expert", "category": "languages"}))
    assert titles(html) == ["English grammar"]


def test_catalog_query_count_does_not_grow_with_courses(
    client, catalog, make_course, make_image, programming, django_assert_max_num_queries
):
    make_course(title="Warm-up", lessons=0, cover_image=make_image(), category=programming)
    client.get(catalog.url, {"q": "warm"})
    with CaptureQueriesContext(connection) as one:
        client.get(catalog.url, {"q": "warm"})
    baseline = len(one.captured_queries)
    for number in range(6):
        make_course(title=f"Warm {number}", lessons=0, cover_image=make_image(f"c{number}"), category=programming)
    client.get(catalog.url, {"q": "warm"})
    with django_assert_max_num_queries(baseline):
        assert len(titles(html_of(client.get(catalog.url, {"q": "warm"})))) == 7
