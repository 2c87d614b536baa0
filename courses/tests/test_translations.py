"""Editors' texts in English and Russian (courses/translation.py): the home page's and the catalog's heading and
intro, the categories' names and descriptions, as visitors, the editor, the catalog's filters and the API see them."""

import html as html_lib
import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from wagtail.models import Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses.models import Category, CourseIndexPage, HomePage

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def page_html(client, url, headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return html_lib.unescape(response.content.decode())


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def breadcrumbs(html: str) -> str:
    return re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)


def category_options(html: str) -> list[str]:
    select = re.search(r'<select id="filter-category".*?</select>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', select)]


@pytest.fixture
def home(catalog):
    return publish(
        HomePage.objects.get(),
        heading_en="Learn something new",
        heading_ru="Узнайте что-то новое",
        intro_en="<p>Courses at your own pace.</p>",
        intro_ru="<p>Курсы в своём темпе.</p>",
    )


@pytest.fixture
def translated_catalog(catalog):
    return publish(
        catalog,
        heading_en="Courses",
        heading_ru="Курсы",
        intro_en="<p>Every course of the portal.</p>",
        intro_ru="<p>Все курсы портала.</p>",
    )


@pytest.fixture
def programming(db):
    return Category.objects.create(
        slug="programming",
        name_en="Programming",
        name_ru="Программирование",
        description_en="Write software.",
        description_ru="Пишем программы.",
    )


@pytest.fixture
def course(make_course, programming):
    return make_course(title="Python basics", category=programming, lessons=1)


# --- visitors ------------------------------------------------------------------------------------------


def test_a_russian_visitor_sees_the_home_page_in_russian(client, home):
    html = page_html(client, "/", RU)
    assert h1(html) == "Узнайте что-то новое"
    assert "Курсы в своём темпе." in html and "Courses at your own pace." not in html
    assert title(html).startswith("Узнайте что-то новое ·")

    html = page_html(client, "/", EN)
    assert h1(html) == "Learn something new" and "Courses at your own pace." in html
    assert "Курсы в своём темпе." not in html


def test_a_russian_visitor_sees_the_catalog_and_its_category_filter_in_russian(client, translated_catalog, course):
    # The English page first: its cached answers (the facets' names) must not reach the Russian one.
    html = page_html(client, translated_catalog.url, EN)
    assert h1(html) == "Courses" and category_options(html) == ["Programming (1)"]

    html = page_html(client, translated_catalog.url, RU)
    assert h1(html) == "Курсы"
    assert title(html).startswith("Курсы ·")
    assert "Все курсы портала." in html and "Every course of the portal." not in html
    assert category_options(html) == ["Программирование (1)"]
    assert '<p class="card__eyebrow">Программирование</p>' in html
    assert "Programming" not in html


def test_filtering_and_searching_by_category_work_in_russian(client, translated_catalog, course, make_course):
    other = make_course(title="Travel English", lessons=1)
    html = page_html(client, f"{translated_catalog.url}?category=programming", RU)
    assert "Python basics" in html and "Travel English" not in html
    assert category_options(html) == ["Программирование (1)"]
    # A course is found by its category's name in either language.
    for words in ("программирование", "programming"):
        html = page_html(client, f"/search/?q={words}", RU)
        assert "Python basics" in html and other.title not in html


def test_the_breadcrumbs_name_the_catalog_in_the_visitors_language(client, translated_catalog, course):
    lesson = course.lessons().first()
    client.force_login(course.owner)  # who may open the lesson
    for url in (course.url, lesson.url):
        assert ">Курсы</a>" in breadcrumbs(page_html(client, url, RU))
        assert ">Courses</a>" in breadcrumbs(page_html(client, url, EN))


def test_empty_russian_texts_fall_back_to_english(client, catalog, make_course):
    publish(catalog, heading_en="All our courses", heading_ru="", intro_en="<p>Pick one.</p>", intro_ru="")
    design = Category.objects.create(slug="design", name_en="Design")
    course = make_course(title="Design basics", category=design, lessons=1)
    html = page_html(client, catalog.url, RU)
    assert h1(html) == "All our courses" and "Pick one." in html
    assert category_options(html) == ["Design (1)"]
    assert ">All our courses</a>" in breadcrumbs(page_html(client, course.url, RU))


def test_without_a_heading_the_page_title_is_the_heading(client, catalog):
    publish(catalog, heading_en="", heading_ru="")
    assert h1(page_html(client, catalog.url, RU)) == catalog.title
    with translation.override("ru"):
        assert CourseIndexPage.objects.get().display_title == catalog.title


# --- the editor ----------------------------------------------------------------------------------------


def page_form(page, **fields):
    data = {"title": page.title, "slug": page.slug, "action-publish": "publish"}
    data.update({name: rich_text(value) if name.startswith("intro") else value for name, value in fields.items()})
    return nested_form_data(data)


@pytest.mark.parametrize("model", [HomePage, CourseIndexPage])
def test_the_editor_gives_both_languages_of_a_page(client, admin_user, catalog, model):
    page = model.objects.get()
    client.force_login(admin_user)
    editor = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    for label in ("Heading (English)", "Heading (Russian)", "Intro (English)", "Intro (Russian)"):
        assert label in editor
    assert 'name="intro"' not in editor and 'name="heading"' not in editor

    data = page_form(
        page, heading_en="Welcome", heading_ru="Добро пожаловать", intro_en="<p>Hello.</p>", intro_ru="<p>Привет.</p>"
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]

    page = model.objects.get()
    assert (page.heading_en, page.heading_ru) == ("Welcome", "Добро пожаловать")
    assert "Hello." in page.intro_en and "Привет." in page.intro_ru
    assert h1(page_html(client, page.url, RU)) == "Добро пожаловать"
    assert h1(page_html(client, page.url, EN)) == "Welcome"


def test_the_editor_gives_both_languages_of_a_category(client, admin_user):
    client.force_login(admin_user)
    form = client.get("/admin/snippets/courses/category/add/").content.decode()
    assert "Name (English)" in form and "Name (Russian)" in form and "Description (Russian)" in form
    data = {
        "name_en": "Languages",
        "name_ru": "Иностранные языки",
        "slug": "languages",
        "description_en": "For travel.",
        "description_ru": "Для путешествий.",
    }
    assert client.post("/admin/snippets/courses/category/add/", data).status_code == 302
    category = Category.objects.get(slug="languages")
    assert (category.name_en, category.name_ru, category.description_ru) == (
        "Languages",
        "Иностранные языки",
        "Для путешествий.",
    )
    with translation.override("ru"):
        assert str(category) == "Иностранные языки"


def test_category_names_are_unique_in_each_language_and_the_russian_one_may_be_missing(client, admin_user):
    client.force_login(admin_user)
    add = "/admin/snippets/courses/category/add/"
    for slug, name in (("art", "Art"), ("music", "Music")):  # two without a Russian name
        assert client.post(add, {"name_en": name, "name_ru": "", "slug": slug}).status_code == 302
    assert list(Category.objects.filter(slug__in=["art", "music"]).values_list("name_ru", flat=True)) == [None, None]

    taken_russian = client.post(add, {"name_en": "Fine art", "name_ru": "Искусство", "slug": "fine-art"})
    assert taken_russian.status_code == 302
    again = client.post(add, {"name_en": "Painting", "name_ru": "Искусство", "slug": "painting"})
    assert again.status_code == 200 and "already exists" in again.content.decode()
    without_english = client.post(add, {"name_en": "", "name_ru": "Скульптура", "slug": "sculpture"})
    assert without_english.status_code == 200
    assert not Category.objects.filter(slug__in=["painting", "sculpture"]).exists()


def test_a_russian_editor_keeps_the_english_name_in_the_untranslated_column(programming):
    with translation.override("ru"):
        programming.description_ru = "Программы."
        programming.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM courses_category WHERE id = %s", [programming.pk])
        assert cursor.fetchone()[0] == "Programming"


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_keeps_its_category_fields_in_the_callers_language(api, course, programming):
    for headers, name in ((RU, "Программирование"), (EN, "Programming")):
        categories = api.get("/api/v1/categories/", **headers).json()["results"]
        assert categories == [
            {
                "id": programming.pk,
                "name": name,
                "slug": "programming",
                "description": "Пишем программы." if headers is RU else "Write software.",
                "course_count": 1,
            }
        ]
        listed = api.get("/api/v1/courses/", **headers).json()["results"]
        assert listed[0]["category"] == {"id": programming.pk, "name": name, "slug": "programming"}
        detail = api.get(f"/api/v1/courses/{course.pk}/", **headers).json()
        assert detail["category"] == {"id": programming.pk, "name": name, "slug": "programming"}


# --- the migration ---------------------------------------------------------------------------------------


def test_the_migration_moves_existing_texts_into_the_english_columns(catalog, programming):
    """What a database from before translations holds (the untranslated columns, revisions without the English
    ones) reaches the English columns."""
    migration = importlib.import_module("courses.migrations.0004_translated_texts")
    apps = MigrationExecutor(connection).loader.project_state(("courses", "0004_translated_texts")).apps
    catalog.save_revision()
    revision = Revision.objects.filter(object_id=str(catalog.pk)).latest("pk")
    content = revision.content
    content.pop("intro_en")
    content["intro"] = "<p>Old intro.</p>"
    revision.content = content
    revision.save(update_fields=["content"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE courses_category SET name_en = NULL, description_en = NULL, name = 'Old name'")
        cursor.execute("UPDATE courses_courseindexpage SET intro_en = NULL, intro = '<p>Old intro.</p>'")

    migration.into_english(apps, None)

    category = Category.objects.get(pk=programming.pk)
    assert (category.name_en, category.description_en) == ("Old name", "Write software.")
    assert CourseIndexPage.objects.get().intro_en == "<p>Old intro.</p>"
    revision.refresh_from_db()
    assert revision.content["intro_en"] == "<p>Old intro.</p>"
