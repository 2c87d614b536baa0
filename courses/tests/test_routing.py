"""The site's routing (`courses.models.RoutedPage`): Wagtail's answer for every URL, one query per page on the way,
and a page's view restrictions read with it."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage

pytestmark = pytest.mark.django_db


def wagtails_way(root, components):
    """What Wagtail's own `Page.route` finds: each slug among the page's children, only the last page live."""
    page = root
    for slug in components:
        try:
            page = page.get_children().get(slug=slug).specific
        except Page.DoesNotExist:
            return None
    return page if page.live else None


def routed(components):
    root = Site.objects.get(is_default_site=True).root_page.specific
    try:
        return root.route(RequestFactory().get("/"), components).page
    except Http404:
        return None


@pytest.fixture
def course(make_course):
    return make_course(title="Routes", lessons=2)


def components_of(page):
    root = Site.objects.get(is_default_site=True).root_page
    return [part for part in page.url_path[len(root.url_path) :].split("/") if part]


def test_every_url_finds_what_wagtail_finds(course, teacher, catalog):
    first, second = course.lessons()
    second.unpublish()
    draft_course = services.create_course(teacher=teacher, title="Draft", summary="Not yet")
    draft_lesson = services.add_lesson(course=draft_course, by=teacher, title="Live under a draft")
    CoursePage.objects.filter(pk=draft_course.pk).update(live=False)
    # A child of a type the catalog does not take (made around Wagtail's checks) goes Wagtail's own way.
    stray = CourseIndexPage.objects.get(pk=catalog.pk).add_child(instance=Page(title="Stray", slug="stray"))
    cases = [
        [],
        components_of(catalog),
        components_of(course),
        components_of(first),
        components_of(second),  # not live
        components_of(draft_course),
        components_of(draft_lesson),
        components_of(stray),
        [*components_of(stray), "below"],
        [*components_of(course), "no-such-lesson"],
        [*components_of(first), "below-a-lesson"],
        ["no-such-catalog", *components_of(first)[1:]],
    ]
    root = Site.objects.get(is_default_site=True).root_page.specific
    for components in cases:
        expected, found = wagtails_way(root, components), routed(components)
        assert (type(found), getattr(found, "pk", None)) == (type(expected), getattr(expected, "pk", None)), components
    assert routed(components_of(draft_lesson)) == draft_lesson and routed(components_of(second)) is None
    assert type(routed(components_of(stray))) is Page


def test_a_lesson_is_found_in_one_query_per_page_with_its_course_and_catalog(course, catalog, django_assert_num_queries):
    lesson = course.lessons().first()
    root = Site.objects.get(is_default_site=True).root_page.specific
    request, components = RequestFactory().get(lesson.url), components_of(lesson)
    root.route(request, components)  # warm: Django's content types are cached after
    with django_assert_num_queries(3):  # the catalog, the course (with its teacher), the lesson
        found = root.route(request, components).page
        parent = found.get_parent()
        names = (parent.owner.name, parent.get_parent().title)
    assert found == lesson and type(found) is LessonPage and type(parent) is CoursePage and parent == course
    assert names == (course.owner.name, catalog.title)


def test_an_open_page_reads_no_restrictions(course, django_assert_num_queries):
    found = routed(components_of(course))
    with django_assert_num_queries(0):
        assert not found.get_view_restrictions() and not found.get_view_restrictions().exists()


@pytest.mark.parametrize("where", ["course", "catalog", "lesson"])
def test_a_restriction_on_the_way_is_read_as_wagtail_reads_it(course, catalog, where):
    lesson = course.lessons().first()
    page = {"course": course, "catalog": catalog, "lesson": lesson}[where]
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    for target in (course, lesson):
        found = routed(components_of(target))
        expected = list(Page.get_view_restrictions(Page.objects.get(pk=target.pk)))
        if where == "lesson" and target == course:
            assert expected == [] and list(found.get_view_restrictions()) == []
        else:
            assert expected == [restriction] and list(found.get_view_restrictions()) == [restriction]


def test_an_alias_on_the_way_takes_its_sources_restrictions(client, course, catalog):
    alias = course.create_alias(parent=CourseIndexPage.objects.get(pk=catalog.pk), update_slug="routes-again")
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    found = routed(components_of(alias))
    assert found.pk == alias.pk and found.alias_of_id == course.pk
    assert list(found.get_view_restrictions()) == [restriction]
    response = client.get(alias.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
