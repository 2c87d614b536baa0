"""The catalog search itself: what matches, in which order, in which word forms, and that the index follows changes."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.search.models import IndexEntry

import search.models
from courses import services
from courses.models import CoursePage
from search.catalog import MAX_QUERY_WORDS, matching, normalize_query
from search.models import RELEVANCE, CatalogEntry

pytestmark = pytest.mark.django_db


def found(query, entries=None):
    """Ids of the courses that match, most relevant first, as the catalog searches its entries."""
    query = normalize_query(query)
    if not query:
        return []
    entries = CatalogEntry.objects.all() if entries is None else entries
    return list(matching(entries, query).order_by(*RELEVANCE).values_list("pk", flat=True))


def with_lesson(course, owner, title="Extra lesson", text="Nothing special"):
    return services.add_lesson(course=course, by=owner, title=title, body=[{"type": "text", "value": f"<p>{text}</p>"}])


# --- what matches, and in which order -------------------------------------------------------------


def test_a_course_matches_by_each_of_its_fields_and_its_lessons(make_course, teacher, other_teacher, programming):
    other_teacher.name = "Grace Hopper"
    other_teacher.save()
    by_title = make_course(title="Kotlin essentials")
    by_summary = make_course(title="Mobile apps", summary="Build apps with Kotlin")
    by_description = make_course(title="JVM tour", description="<p>Kotlin, Scala and friends</p>")
    by_category = make_course(title="Algorithms", category=programming)
    by_teacher = make_course(owner=other_teacher, title="Compilers")
    by_lesson_title = make_course(title="Android", lessons=0)
    with_lesson(by_lesson_title, teacher, title="Coroutines in Kotlin")
    by_lesson_body = make_course(title="Backend", lessons=0)
    with_lesson(by_lesson_body, teacher, text="We write the server in Kotlin.")
    make_course(title="Unrelated")

    kotlin = {by_title.pk, by_summary.pk, by_description.pk, by_lesson_title.pk, by_lesson_body.pk}
    assert set(found("kotlin")) == kotlin
    assert found("programming") == [by_category.pk]
    assert found("hopper") == [by_teacher.pk]


def test_a_title_match_ranks_above_other_fields_and_above_lesson_bodies(make_course, teacher):
    # The lesson-body course is the newest and says the word most often: only the tiers put it last.
    title = make_course(title="Django for beginners", lessons=0)
    summary = make_course(title="Web apps", summary="With Django and htmx", lessons=0)
    body = make_course(title="Python backends", lessons=0)
    for number in range(3):
        with_lesson(body, teacher, title=f"Part {number}", text="Django django Django: models, views, Django admin.")
    assert found("django") == [title.pk, summary.pk, body.pk]


def test_a_title_match_is_every_word_in_the_title_in_any_of_its_forms(make_course):
    # The courses after the first say the words more often (a higher rank) and are newer: only the title tier puts
    # the first one first, and only with all the words in its title.
    text = "Программирование баз данных. " * 4
    both = make_course(title="Программирование баз данных", lessons=0)
    split = make_course(title="Программирование на Python", summary=text, description=text, lessons=0)
    summary = make_course(title="Основы", summary=text, description=text, lessons=0)
    assert found("программированию базами данных")[0] == both.pk
    assert found("баз")[0] == both.pk and found("python программирования") == [split.pk]
    assert set(found("программированию базами данных")) == {both.pk, split.pk, summary.pk}


def test_in_the_course_tiers_the_courses_own_words_rank_and_lessons_do_not(make_course, teacher):
    # The newer course says the word in many lessons: in the title tier only the courses' own words count.
    own = make_course(title="SQL basics", summary="Queries in SQL", lessons=0)
    lessons = make_course(title="SQL in depth", summary="Joins and indexes", lessons=0)
    for number in range(3):
        with_lesson(lessons, teacher, title=f"Window functions in SQL {number}", text="SQL, SQL and more SQL.")
    assert found("sql") == [own.pk, lessons.pk]


def test_in_the_lesson_tier_the_lessons_words_rank(make_course, teacher):
    # Found by their lessons alone: the older course says the word more often, the newer one once.
    often = make_course(title="Backends", lessons=0)
    for number in range(3):
        with_lesson(often, teacher, title=f"Part {number}", text="Caching, caching and caching again.")
    once = make_course(title="Frontends", lessons=0)
    with_lesson(once, teacher, text="A word on caching.")
    assert found("caching") == [often.pk, once.pk]


def test_a_page_taken_tier_by_tier_is_the_page_of_one_ordered_query(make_course, teacher, programming):
    """`CatalogEntryQuerySet.keys` reads the course tiers first and ranks the lesson tier only for what a page still
    needs: every slice, with or without the total, is the slice of the whole order."""
    make_course(title="Ceramics", summary="Ceramics and glazes", lessons=0)
    make_course(title="Ceramics for beginners", lessons=0)
    make_course(title="Kilns", summary="Firing ceramics", lessons=0)
    make_course(title="Studio", category=programming, description="<p>A ceramics studio</p>", lessons=0)
    for number in range(4):
        course = make_course(title=f"Pottery {number}", lessons=0)
        with_lesson(course, teacher, text="Ceramics " * (number + 1))
    make_course(title="Unrelated", lessons=0)

    ordered = matching(CatalogEntry.objects.all(), "ceramics").order_by(*RELEVANCE)
    whole = list(ordered.values_list("pk", flat=True))
    assert len(whole) == 8
    tiers = list(ordered.values_list("search_tier", flat=True))
    assert tiers == sorted(tiers) and set(tiers) == {0, 1, 2}
    for start in range(len(whole) + 2):
        for stop in range(start, len(whole) + 3):
            for total in (None, len(whole)):
                assert ordered.keys(slice(start, stop), total=total) == whole[start:stop], (start, stop, total)
    assert ordered.keys(slice(3, None)) == whole[3:]


@pytest.mark.parametrize("ranked", [100, 2])
def test_a_tier_of_more_than_ranked_matches_comes_newest_first(api, client, make_course, teacher, monkeypatch, ranked):
    """When a search finds more than `RANKED_MATCHES` courses, each tier that holds more than that many comes newest
    first (a word so many courses contain says little about any of them) and a smaller tier is still ranked; every
    slice of a page is the slice of that order, through the API and the site alike."""
    monkeypatch.setattr(search.models, "RANKED_MATCHES", ranked)
    by_title, by_fields, by_lessons = [], [], []
    for number in range(3):  # in each tier, the older the course, the more often it says the word
        course = make_course(title="Glazes", summary="Glazes and glazes. " * (3 - number), lessons=0)
        by_title.append(course.pk)
    by_fields.append(make_course(title="Kilns", summary="Glazes", lessons=0).pk)
    by_fields.append(make_course(title="Studio", description="<p>Glazes</p>", lessons=0).pk)
    for number in range(3):
        course = make_course(title=f"Pottery {number}", lessons=0)
        with_lesson(course, teacher, text="Glazes and glazes. " * (3 - number))
        by_lessons.append(course.pk)
    make_course(title="Unrelated", lessons=0)

    def newest_first(tier):
        return sorted(tier, reverse=True) if len(tier) > ranked else tier

    expected = [*newest_first(by_title), *by_fields, *newest_first(by_lessons)]
    assert expected != by_title + by_fields + by_lessons or ranked == 100  # the two orders differ
    ordered = matching(CatalogEntry.objects.all(), "glazes").order_by(*RELEVANCE)
    assert list(ordered.values_list("pk", flat=True)) == by_title + by_fields + by_lessons  # the ranked order
    for start in range(len(expected) + 2):
        for stop in [*range(start, len(expected) + 3), None]:
            assert ordered.keys(slice(start, stop), total=len(expected)) == expected[start:stop], (start, stop)
    pages = [
        api.get("/api/v1/courses/", {"search": "glazes", "page_size": 3, "page": page}).json() for page in (1, 2, 3)
    ]
    assert pages[0]["count"] == len(expected)
    assert [course["id"] for page in pages for course in page["results"]] == expected
    html = client.get("/search/", {"q": "glazes"}).content.decode()
    titles = re.findall(r'<h2 class="card__title"><a href="[^"]*">([^<]*)</a></h2>', html)
    assert titles == [CoursePage.objects.get(pk=pk).title for pk in expected]


def test_all_words_must_match_in_one_course_or_one_lesson(make_course):
    both = make_course(title="Python testing")
    make_course(title="Python basics")
    make_course(title="Testing culture")
    assert found("python testing") == [both.pk]


def test_only_live_courses_and_lessons_are_found(make_course, teacher):
    draft = make_course(title="Haskell draft")
    draft.unpublish()
    course = make_course(title="Functional", lessons=0)
    lesson = with_lesson(course, teacher, title="Monads in Haskell")
    assert found("haskell") == [course.pk]
    lesson.unpublish()
    assert found("haskell") == []


def test_the_hits_narrow_and_order_a_queryset(make_course, teacher):
    first = make_course(title="Rust", level="beginner")
    make_course(title="Rust advanced", level="advanced")
    other = make_course(title="Go", lessons=0)
    with_lesson(other, teacher, text="Compared with Rust")
    beginners = CatalogEntry.objects.filter(level="beginner")
    assert found("rust", beginners) == [first.pk, other.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "\\",
        "*",
        "(",
        ")",
        "NEAR(a b)",
        "a OR",
        "AND",
        "NOT",
        ":*",
        "&|!",
        "x:A",
        "-",
        "_",
        "''''",
        "🙂",
        "\x00",
    ],
)
def test_any_query_text_is_safe(make_course, query):
    make_course(title="Safe course")
    assert isinstance(found(query), list)
    assert isinstance(found(f"safe {query}"), list)
    # `matching` itself, given the text as typed (its callers reduce it to words first), but for NUL, which no
    # string parameter may carry.
    typed = f"safe {query}".replace("\x00", " ")
    assert len(matching(CatalogEntry.objects.all(), typed).order_by(*RELEVANCE)) <= 1


def test_queries_are_reduced_to_their_words():
    assert normalize_query('  "C++" (advanced) -- NEAR/2 \x00 foo_bar ') == "C advanced NEAR 2 foo bar"
    assert normalize_query(None) == ""
    assert len(normalize_query(" ".join(["word"] * 50)).split()) == MAX_QUERY_WORDS


def test_cyrillic_words_match_whatever_their_case(make_course):
    course = make_course(title="Основы Python", language="ru")
    assert found("основы") == [course.pk]
    assert found("ОСНОВЫ python") == [course.pk]


# --- word forms (PostgreSQL's "russian" configuration: Russian and English stemming) --------------------


def test_russian_word_forms_match(make_course, teacher):
    course = make_course(title="Программирование на Python", language="ru")
    lessons = make_course(title="Алгоритмы", lessons=0, language="ru")
    with_lesson(lessons, teacher, title="Циклы и условия", text="Разбираем сортировку массивов")
    make_course(title="Дизайн интерфейсов", language="ru")
    assert found("программирования") == [course.pk]
    assert found("программированию python") == [course.pk]
    assert found("цикл") == [lessons.pk]
    assert found("сортировки массива") == [lessons.pk]
    assert found("на") == []  # a stop word alone finds nothing, and is no error


def test_english_word_forms_match(make_course, teacher):
    run = make_course(title="Run your first marathon")
    tests = make_course(title="Testing", lessons=0)
    with_lesson(tests, teacher, text="Writing tests for the running services")
    assert set(found("running")) == {run.pk, tests.pk}
    assert found("marathons") == [run.pk]
    assert found("runs")[0] == run.pk  # the title match first
    assert found("written tests") == []  # an irregular form is another word: stemming is no dictionary
    assert found("the") == []


def test_one_index_serves_both_languages(make_course):
    mixed = make_course(title="Machine learning на практике", language="ru")
    assert found("learn практики") == [mixed.pk]


# --- the index follows publishing, editing, unpublishing and deleting ---------------------------------------


def test_publishing_and_editing_a_course_update_the_results(make_course, teacher):
    course = make_course(title="Zebrafish anatomy", lessons=0)
    assert found("zebrafish") == [course.pk]
    services.update_course(course=course, by=teacher, title="Quokka anatomy", summary="Marsupials")
    assert found("zebrafish") == []
    assert found("quokka") == found("marsupials") == [course.pk]


def test_unpublishing_and_republishing_a_course(make_course):
    course = make_course(title="Origami", lessons=0)
    course.unpublish()
    assert found("origami") == []
    course.refresh_from_db()
    course.get_latest_revision().publish()
    assert found("origami") == [course.pk]


def test_deleting_a_course_removes_it_and_its_lessons_from_the_index(make_course, teacher):
    course = make_course(title="Calligraphy", lessons=0)
    lesson = with_lesson(course, teacher, text="Brush strokes")
    services.delete_page(page=course, by=teacher)
    assert found("calligraphy") == found("brush") == []
    assert not IndexEntry.objects.filter(object_id__in=[str(course.pk), str(lesson.pk)]).exists()


def test_lessons_added_edited_and_deleted_update_the_results(make_course, teacher):
    course = make_course(title="Woodworking", lessons=0)
    lesson = with_lesson(course, teacher, text="Dovetail joints")
    assert found("dovetail") == [course.pk]
    services.update_lesson(lesson=lesson, by=teacher, body=[{"type": "text", "value": "<p>Mortise and tenon</p>"}])
    assert found("dovetail") == []
    assert found("mortise") == [course.pk]
    services.delete_page(page=CoursePage.objects.get(pk=course.pk).get_children().first().specific, by=teacher)
    assert found("mortise") == []


def test_renaming_a_category_or_a_teacher_reindexes_their_courses(
    make_course, teacher, programming, django_capture_on_commit_callbacks
):
    course = make_course(title="Loops", category=programming)
    with django_capture_on_commit_callbacks(execute=True):
        programming.name = "Software engineering"
        programming.save()
    assert found("software") == [course.pk]
    assert found("programming") == []

    with django_capture_on_commit_callbacks(execute=True):
        teacher.name = "Barbara Liskov"
        teacher.save()
    assert found("liskov") == [course.pk]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        teacher.save(update_fields=["last_login"])  # logging in reindexes nothing
        teacher.save()  # nor does saving an unchanged name
    assert callbacks == []


def test_update_index_rebuilds_the_index_from_scratch(make_course, teacher):
    course = make_course(title="Astronomy", lessons=0)
    with_lesson(course, teacher, text="Telescopes")
    IndexEntry.objects.all().delete()
    CatalogEntry.objects.all().delete()
    assert found("astronomy") == found("telescopes") == []
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    assert found("astronomy") == found("telescopes") == [course.pk]
    # Wagtail's own index (the admin's search) is back too.
    assert IndexEntry.objects.filter(object_id=str(course.pk)).exists()


def test_wagtails_index_holds_a_category_in_the_languages_it_is_named_in(make_course, programming, languages):
    """An untranslated category gives the admin's search no word "None"; a translated one both its names."""
    languages.name_ru = "Языки"
    languages.save()
    untranslated, translated = (
        make_course(title="Loops", category=programming),
        make_course(title="Words", category=languages),
    )
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    body = dict(
        IndexEntry.objects.filter(object_id__in=[str(untranslated.pk), str(translated.pk)]).values_list(
            "object_id", "body"
        )
    )
    assert "'program'" in body[str(untranslated.pk)] and "'none'" not in body[str(untranslated.pk)]  # lexemes
    assert "'languag'" in body[str(translated.pk)] and "'язык'" in body[str(translated.pk)]
