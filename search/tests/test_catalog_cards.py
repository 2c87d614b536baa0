"""The catalog's cards for a signed-in learner ("Enrolled · 40%", "Completed") and its "Filters" button.

The cards of a page read the visitor's enrollments once for the whole page (`courses.page_parts.card_states`, which
the learners' app answers with `learners.selectors.card_states`), never once per card, and not at all for a visitor.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.services import learning

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def cards(html: str) -> dict[str, str]:
    """Each card of the page by its course's title."""
    found = {}
    for card in re.findall(r'<article class="card course-card">.*?</article>', html, re.S):
        title = re.search(r'class="card__title"><a href="[^"]*">([^<]*)</a>', card).group(1)
        found[title] = card
    return found


def learning_of(card: str) -> str | None:
    """What a card says of the visitor's part in the course, as text; None when it says nothing."""
    part = re.search(r'<p class="card__learning">(.*?)</p>', card, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", part.group(1)).split()) if part else None


def page_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def enrollment_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if '"learners_enrollment"' in query["sql"]]


@pytest.fixture
def shelf(make_course):
    return {title: make_course(title=title, lessons=lessons) for title, lessons in [("Python", 4), ("SQL", 2)]}


def test_a_course_in_progress_says_enrolled_with_the_progress_the_course_page_shows(client, catalog, shelf, student):
    python = shelf["Python"]
    learning.enroll(learner=student, course=python)
    first, second, *_ = python.lessons()
    for lesson in (first, second):
        learning.complete_lesson(learner=student, lesson=lesson)
    client.force_login(student)

    shown = cards(page_of(client, catalog.url))
    assert learning_of(shown["Python"]) == "Enrolled · 50%"
    assert 'class="progress__bar pct-50"' in shown["Python"]
    assert learning_of(shown["SQL"]) is None  # not enrolled
    course_page = client.get(python.url)
    assert course_page.context["learner_state"].progress_percent == 50  # the same number, from the same rule
    assert learning_of(cards(page_of(client, SEARCH, q="python"))["Python"]) == "Enrolled · 50%"  # the search page too


def test_a_completed_course_says_completed(client, catalog, shelf, student):
    sql = shelf["SQL"]
    learning.enroll(learner=student, course=sql)
    for lesson in sql.lessons():
        learning.complete_lesson(learner=student, lesson=lesson)
    client.force_login(student)

    card = cards(page_of(client, catalog.url))["SQL"]
    assert learning_of(card) == "✓ Completed"
    assert "Enrolled" not in card


def test_a_course_just_enrolled_in_says_zero_and_one_left_says_nothing(client, catalog, shelf, student):
    learning.enroll(learner=student, course=shelf["Python"])
    learning.enroll(learner=student, course=shelf["SQL"])
    learning.leave(learner=student, course=shelf["SQL"])
    client.force_login(student)

    shown = cards(page_of(client, catalog.url))
    assert learning_of(shown["Python"]) == "Enrolled · 0%"
    assert learning_of(shown["SQL"]) is None


def test_another_learners_enrollment_is_not_shown(client, catalog, shelf, student, other_student):
    learning.enroll(learner=other_student, course=shelf["Python"])
    learning.complete_lesson(learner=other_student, lesson=shelf["Python"].lessons().first())
    client.force_login(student)

    assert all(learning_of(card) is None for card in cards(page_of(client, catalog.url)).values())


def test_a_visitor_sees_no_badge_and_costs_no_query_for_it(client, catalog, shelf, other_student):
    learning.enroll(learner=other_student, course=shelf["Python"])
    page_of(client, catalog.url)  # warm
    with CaptureQueriesContext(connection) as captured:
        html = page_of(client, catalog.url)
    assert len(cards(html)) == 2
    assert all(learning_of(card) is None for card in cards(html).values())
    assert enrollment_queries(captured) == []


def test_the_badges_cost_one_query_whatever_the_number_of_cards(client, catalog, make_course, student):
    def enrolled_in(title):
        course = make_course(title=title, lessons=2)
        learning.enroll(learner=student, course=course)
        learning.complete_lesson(learner=student, lesson=course.lessons().first())

    enrolled_in("Course 0")
    client.force_login(student)
    page_of(client, catalog.url)  # warm
    with CaptureQueriesContext(connection) as one:
        assert learning_of(cards(page_of(client, catalog.url))["Course 0"]) == "Enrolled · 50%"
    assert len(enrollment_queries(one)) == 1

    for number in range(1, 7):
        enrolled_in(f"Course {number}")
    page_of(client, catalog.url)  # warm again: the catalog's counts changed
    with CaptureQueriesContext(connection) as seven:
        shown = cards(page_of(client, catalog.url))
    assert [learning_of(card) for card in shown.values()] == ["Enrolled · 50%"] * 7
    assert len(enrollment_queries(seven)) == 1
    assert len(seven.captured_queries) <= len(one.captured_queries)


def test_the_badge_is_translated(client, catalog, shelf, student):
    learning.enroll(learner=student, course=shelf["Python"])
    client.force_login(student)
    client.cookies["django_language"] = "ru"

    assert learning_of(cards(page_of(client, catalog.url))["Python"]) == "Вы записаны · 0%"


# --- the "Filters" button (small screens) ---------------------------------------------------------------


def filters_toggle(html: str) -> tuple[bool, str]:
    """Whether the filters' <details> is open, and its button's text."""
    details = re.search(r'<details class="catalog-form__more"( open)?>\s*<summary[^>]*>(.*?)</summary>', html, re.S)
    assert details, "no Filters button"
    return bool(details.group(1)), " ".join(re.sub(r"<[^>]+>", " ", details.group(2)).split())


def test_the_filters_are_folded_when_none_is_on(client, catalog, shelf):
    assert filters_toggle(page_of(client, catalog.url)) == (False, "Filters")
    assert filters_toggle(page_of(client, catalog.url, q="python")) == (False, "Filters")  # a search is no filter
    assert filters_toggle(page_of(client, catalog.url, ordering="title")) == (False, "Filters")  # nor a sort


def test_the_filters_open_with_the_count_of_those_on(client, catalog, shelf):
    assert filters_toggle(page_of(client, catalog.url, level="beginner")) == (True, "Filters 1 1 active filter")
    both = page_of(client, catalog.url, level="beginner", min_rating="4", ordering="title")
    assert filters_toggle(both) == (True, "Filters 2 2 active filters")
    assert filters_toggle(page_of(client, SEARCH, q="python", language="en")) == (True, "Filters 1 1 active filter")


def test_a_filter_value_that_is_dropped_is_not_counted(client, catalog, shelf):
    assert filters_toggle(page_of(client, catalog.url, level="expert")) == (False, "Filters")
    assert filters_toggle(page_of(client, catalog.url, level="expert", language="en")) == (
        True,
        "Filters 1 1 active filter",
    )


def test_a_card_shows_the_course_s_duration_in_the_visitor_s_language(client, catalog, make_course):
    make_course(title="Python", lessons=1, duration_minutes=110)
    make_course(title="SQL", lessons=1)

    shown = cards(page_of(client, catalog.url))
    assert "Duration: </span>1 h 50 min" in shown["Python"].replace("\xa0", " ")
    assert "Duration" not in shown["SQL"]  # none given: the card says nothing rather than a guess
    shown = cards(client.get(catalog.url, headers={"accept-language": "ru"}).content.decode())
    assert "Продолжительность: </span>1 ч 50 мин" in shown["Python"].replace("\xa0", " ")


def test_the_home_page_s_new_courses_say_it_too(client, catalog, shelf, student):
    sql = shelf["SQL"]
    learning.enroll(learner=student, course=sql)
    learning.complete_lesson(learner=student, lesson=sql.lessons().first())
    client.force_login(student)

    shown = cards(page_of(client, "/"))
    assert learning_of(shown["SQL"]) == "Enrolled · 50%" and learning_of(shown["Python"]) is None
