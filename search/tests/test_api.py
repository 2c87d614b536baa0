"""`GET courses/` with `search`, the filters, the orderings and the facet counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import CoursePage
from search.filters import PRIOR_WEIGHT, rating_prior, with_bayesian_rating

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


def ids(api, **params):
    response = api.get(COURSES, params)
    assert response.status_code == 200, response.content
    return [course["id"] for course in response.json()["results"]]


def facets(api, **params):
    response = api.get(COURSES, params)
    assert response.status_code == 200, response.content
    return {
        name: {entry["value"]: entry["count"] for entry in entries}
        for name, entries in response.json()["facets"].items()
    }


@pytest.fixture
def shelf(make_course, teacher, other_teacher, programming, languages):
    """Five courses across two categories, levels, languages and teachers."""
    teacher.name, other_teacher.name = "Ada Lovelace", "Alan Turing"
    teacher.save()
    other_teacher.save()
    return {
        "python": make_course(title="Python basics", category=programming, level="beginner", language="en", lessons=1),
        "django": make_course(
            title="Django web apps", category=programming, level="intermediate", language="en", lessons=1
        ),
        "pyru": make_course(
            owner=other_teacher,
            title="Python для всех",
            category=programming,
            level="beginner",
            language="ru",
            lessons=1,
        ),
        "english": make_course(title="English grammar", category=languages, level="beginner", language="en", lessons=1),
        "german": make_course(
            owner=other_teacher, title="German A1", category=languages, level="advanced", language="de", lessons=1
        ),
    }


# --- search and filters -----------------------------------------------------------------------------


def test_search_finds_courses_by_relevance_and_combines_with_every_filter(api, shelf, teacher, other_teacher, rate):
    c = shelf
    assert set(ids(api, search="python")) == {c["python"].pk, c["pyru"].pk}
    assert ids(api, search="python", language="ru") == [c["pyru"].pk]
    assert ids(api, search="python", teacher=teacher.pk) == [c["python"].pk]
    assert ids(api, search="python", category="programming", level="beginner", language="en") == [c["python"].pk]
    assert ids(api, search="python", category="languages") == []
    rate(c["pyru"], 4.5, 10)
    assert ids(api, search="python", min_rating=4) == [c["pyru"].pk]
    assert ids(api, search="   ") == ids(api)  # blank: the whole catalog


def test_each_filter_alone_and_together(api, shelf, other_teacher, rate):
    c = shelf
    assert set(ids(api, category="languages")) == {c["english"].pk, c["german"].pk}
    assert set(ids(api, level="beginner")) == {c["python"].pk, c["pyru"].pk, c["english"].pk}
    assert ids(api, language="de") == [c["german"].pk]
    assert set(ids(api, teacher=other_teacher.pk)) == {c["pyru"].pk, c["german"].pk}
    rate(c["django"], 4.2, 30)
    rate(c["german"], 3.1, 5)
    assert ids(api, min_rating="4") == [c["django"].pk]
    assert ids(api, min_rating="3", category="languages") == [c["german"].pk]
    assert ids(api, level="beginner", teacher=other_teacher.pk, language="ru") == [c["pyru"].pk]


def test_search_in_lessons_through_the_api(api, make_course, teacher):
    course = make_course(title="Data", lessons=0)
    services.add_lesson(
        course=course, by=teacher, title="Pandas", body=[{"type": "text", "value": "<p>DataFrames</p>"}]
    )
    assert ids(api, search="dataframes") == [course.pk]


# --- orderings ----------------------------------------------------------------------------------------


def test_relevance_is_the_default_when_searching_and_other_orderings_override_it(api, make_course, teacher):
    title = make_course(title="Zeta Elixir", lessons=0)
    lesson = make_course(title="Alpha functional", lessons=0)
    services.add_lesson(course=lesson, by=teacher, title="Elixir", body=[])
    assert ids(api, search="elixir") == [title.pk, lesson.pk]
    assert ids(api, search="elixir", ordering="relevance") == [title.pk, lesson.pk]
    assert ids(api, search="elixir", ordering="title") == [lesson.pk, title.pk]
    assert ids(api, search="elixir", ordering="-created") == [lesson.pk, title.pk]


def test_title_and_newest_orderings(api, make_course):
    banana = make_course(title="banana", lessons=0)
    apple = make_course(title="Apple", lessons=0)
    cherry = make_course(title="Cherry", lessons=0)
    assert ids(api) == [cherry.pk, apple.pk, banana.pk]  # newest first without a search
    assert ids(api, ordering="relevance") == [cherry.pk, apple.pk, banana.pk]  # nothing to be relevant to
    assert ids(api, ordering="-created") == [cherry.pk, apple.pk, banana.pk]
    assert ids(api, ordering="title") == [apple.pk, banana.pk, cherry.pk]  # whatever the case


def test_best_rated_is_a_bayesian_average(api, make_course, rate):
    """One 5★ review is weak evidence: two hundred averaging 4.8 rank above it."""
    one_review = make_course(title="One glowing review", lessons=0)
    many = make_course(title="Two hundred reviews", lessons=0)
    rate(one_review, 5, 1)
    rate(many, 4.8, 200, sample=[5, 5, 5, 5, 4])
    assert ids(api, ordering="-rating") == [many.pk, one_review.pk]

    # In a catalog with more courses the order holds. A course without reviews sits at the prior (here
    # about 4.56), so above a course with forty reviews averaging 3.9.
    middling = make_course(title="Middling", lessons=0)
    unrated = make_course(title="Nobody rated me yet", lessons=0)
    poor = make_course(title="Poor", lessons=0)
    rate(middling, 3.9, 40)
    rate(poor, 2.0, 3, sample=[2, 2, 2])
    assert ids(api, ordering="-rating") == [many.pk, one_review.pk, unrated.pk, middling.pk, poor.pk]


def test_bayesian_score_and_prior(make_course, rate):
    a = make_course(title="A", lessons=0)
    b = make_course(title="B", lessons=0)
    make_course(title="Unrated", lessons=0)
    rate(a, 5, 1)
    rate(b, 4.8, 200)
    # The catalog's mean rating, pulled towards 3★ by PRIOR_WEIGHT ratings.
    prior = (5 * 1 + 4.8 * 200 + PRIOR_WEIGHT * 3) / (201 + PRIOR_WEIGHT)
    assert rating_prior() == pytest.approx(prior)
    scores = dict(with_bayesian_rating(CoursePage.objects.all()).values_list("title", "rating_score"))
    assert scores["A"] == pytest.approx((5 + PRIOR_WEIGHT * prior) / (1 + PRIOR_WEIGHT))
    assert scores["B"] == pytest.approx((4.8 * 200 + PRIOR_WEIGHT * prior) / (200 + PRIOR_WEIGHT))
    assert scores["Unrated"] == pytest.approx(prior)
    assert scores["B"] > scores["A"] > scores["Unrated"]


def test_without_any_review_best_rated_still_answers(api, make_course):
    older = make_course(title="Older", lessons=0)
    newer = make_course(title="Newer", lessons=0)
    assert ids(api, ordering="-rating") == [newer.pk, older.pk]


def test_most_popular_counts_learners_enrolled_now(api, make_course, enroll):
    crowded_once = make_course(title="Everyone left", lessons=0)
    steady = make_course(title="Steady", lessons=0)
    busy = make_course(title="Busy", lessons=0)
    enroll(crowded_once, active=0, left=5)
    enroll(steady, active=2)
    enroll(busy, active=3, left=1)
    assert ids(api, ordering="-popularity") == [busy.pk, steady.pk, crowded_once.pk]
    assert ids(api, ordering="-popularity", search="steady busy") == []
    assert ids(api, ordering="-popularity", search="steady") == [steady.pk]


# --- facets -------------------------------------------------------------------------------------------


def test_facets_count_each_value_under_the_search_and_the_other_filters(api, shelf, teacher, other_teacher):
    everything = facets(api)
    assert everything["category"] == {"programming": 3, "languages": 2}
    assert everything["level"] == {"beginner": 3, "intermediate": 1, "advanced": 1}
    assert everything["language"] == {"en": 3, "ru": 1, "de": 1}
    assert everything["teacher"] == {teacher.pk: 3, other_teacher.pk: 2}

    # A facet ignores its own selection (the alternatives stay visible) but follows the others.
    programming = facets(api, category="programming")
    assert programming["category"] == {"programming": 3, "languages": 2}
    assert programming["level"] == {"beginner": 2, "intermediate": 1}
    assert programming["language"] == {"en": 2, "ru": 1}
    assert programming["teacher"] == {teacher.pk: 2, other_teacher.pk: 1}

    searched = facets(api, search="python", level="beginner")
    assert searched["category"] == {"programming": 2}
    assert searched["level"] == {"beginner": 2}
    assert searched["language"] == {"en": 1, "ru": 1}


def test_facet_entries_have_labels_and_come_most_courses_first(api, shelf, teacher):
    body = api.get(COURSES).json()
    assert body["facets"]["category"][0] == {"value": "programming", "label": "Programming", "count": 3}
    assert body["facets"]["level"][0] == {"value": "beginner", "label": "Beginner", "count": 3}
    assert {"value": "de", "label": "German", "count": 1} in body["facets"]["language"]
    assert body["facets"]["teacher"][0] == {"value": teacher.pk, "label": "Ada Lovelace", "count": 3}
    assert set(body) == {"count", "next", "previous", "results", "facets"}


def test_a_selected_value_without_courses_is_still_listed(api, shelf, other_teacher):
    body = api.get(COURSES, {"category": "languages", "language": "ru", "teacher": other_teacher.pk}).json()
    assert body["count"] == 0
    assert {"value": "languages", "label": "Languages", "count": 0} in body["facets"]["category"]
    assert {"value": "ru", "label": "Russian", "count": 0} in body["facets"]["language"]
    assert body["facets"]["teacher"] == [{"value": other_teacher.pk, "label": "Alan Turing", "count": 0}]


def test_empty_catalog_has_empty_facets(api, catalog):
    body = api.get(COURSES, {"search": "anything"}).json()
    assert body["count"] == 0
    assert body["facets"] == {"category": [], "level": [], "language": [], "teacher": []}


# --- bad parameters: 400 with a clear message, never 500 --------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "-password"},
        {"ordering": "password"},
        {"ordering": "rating"},
        {"ordering": "title,-created"},
        {"level": "expert"},
        {"language": "xx"},
        {"category": "no-such-category"},
        {"teacher": "abc"},
        {"teacher": "1.5"},
        {"teacher": "0"},
        {"teacher": "99999999999999999999999999"},
        {"min_rating": "lots"},
        {"min_rating": "NaN"},
        {"min_rating": "Infinity"},
        {"min_rating": "6"},
        {"min_rating": "-1"},
        {"search": "x" * 201},
        {"search": "nul\x00byte"},
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(api, make_course, params):
    make_course()
    response = api.get(COURSES, params)
    assert response.status_code == 400, response.content
    assert set(response.json()) == set(params)


def test_an_unknown_ordering_says_which_ones_exist(api, catalog):
    response = api.get(COURSES, {"ordering": "-password"})
    assert response.status_code == 400
    [message] = response.json()["ordering"]
    assert "-password" in message and "-popularity" in message and "-rating" in message


@pytest.mark.parametrize(
    "search",
    ['"', "'", "\\", "*", "(python", "NEAR(a b)", "python OR", "AND", ":*", "&|!", "!!!", "the", "🙂", "a" * 200],
)
def test_any_search_text_is_answered(api, make_course, search):
    make_course(title="Python")
    response = api.get(COURSES, {"search": search})
    assert response.status_code == 200, response.content


def test_unknown_parameters_are_ignored(api, make_course):
    course = make_course()
    assert ids(api, colour="blue", q="whatever") == [course.pk]


# --- cost ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{"search": "course"}, {"search": "course", "ordering": "-rating"}, {"ordering": "-popularity"}]
)
def test_query_count_does_not_grow_with_the_page(
    api, make_course, make_image, programming, enroll, params, django_assert_max_num_queries
):
    def add(number):
        course = make_course(
            title=f"Course {number}", lessons=1, cover_image=make_image(f"c{number}"), category=programming
        )
        enroll(course, active=1)

    add(0)
    api.get(COURSES, params)  # renditions are made on the first read
    with CaptureQueriesContext(connection) as one:
        assert api.get(COURSES, params).json()["count"] == 1
    baseline = len(one.captured_queries)
    assert baseline <= 9  # 3 searches, facets, count, page, renditions (+ the prior for -rating)
    for number in range(1, 7):
        add(number)
    api.get(COURSES, params)
    with django_assert_max_num_queries(baseline):
        assert api.get(COURSES, params).json()["count"] == 7


# --- schema -------------------------------------------------------------------------------------------


def test_schema_documents_search_orderings_and_facets(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/courses/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"search", "category", "level", "language", "teacher", "min_rating", "ordering", "page", "page_size"} <= set(
        parameters
    )
    assert set(parameters["ordering"]["schema"]["enum"]) >= {"title", "-created", "-rating", "-popularity"}
    assert parameters["teacher"]["schema"]["type"] == "integer"
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert "facets" in page["required"]
    facet_schema = page["properties"]["facets"]
    assert set(facet_schema["properties"]) == {"category", "level", "language", "teacher"}
    entry = facet_schema["properties"]["teacher"]["items"]
    assert entry["properties"]["value"]["type"] == "integer" and set(entry["required"]) == {"value", "label", "count"}
