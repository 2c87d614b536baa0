"""`courses` (content) never names `learners` or `quizzes`, the apps built on it, in any form.

Imports are import-linter's (`make lint`, contracts in pyproject.toml); this test reads what it cannot see:
ORM paths through the relations those apps add to the content's models, their template tag libraries, their
templates and their URL names, in the content app's code and in its templates.
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.backends.django import get_installed_libraries
from django.urls import URLPattern, URLResolver, get_resolver

from lms.urls import account_urls

ABOVE = ("learners", "quizzes")


def _relation_names() -> set[str]:
    """What the apps above call the content's models from their side: `enrollments`, `quiz`, `reviews`…"""
    names = set()
    for model in apps.get_app_config("courses").get_models():
        for relation in model._meta.related_objects:
            if relation.related_model._meta.app_label in ABOVE:
                names |= {relation.get_accessor_name(), relation.field.related_query_name()}
    return names - {None, "+"}


def _tag_libraries() -> set[str]:
    return {name for name, module in get_installed_libraries().items() if module.startswith(ABOVE)}


def _url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                if view.__module__.startswith(ABOVE):
                    names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    # The site's account pages (sign up, log in) are every page's, as the header of every page links them.
    return names - {pattern.name for pattern in account_urls}


def _sources() -> dict[Path, str]:
    root = Path(settings.BASE_DIR)
    code = [
        path
        for path in (root / "courses").rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(root).parts)
    ]
    templates = [*(root / "templates" / "courses").rglob("*.html"), *(root / "courses").rglob("templates/**/*.html")]
    return {path.relative_to(root): path.read_text(encoding="utf-8") for path in [*code, *templates]}


def _either(names) -> str:
    """A regex alternative of the names; one that matches nothing when there are none."""
    return "|".join(sorted(map(re.escape, names))) or "(?!)"


def _mentions(text: str, libraries: set[str] | None = None) -> list[str]:
    relations = _either(_relation_names())
    libraries = _either(_tag_libraries() if libraries is None else libraries)
    urls = _either(_url_names())
    apps_above = _either(ABOVE)
    patterns = [
        rf"""["'](?:{relations})(?:__\w+)?["']|\b(?:{relations})__\w""",  # ORM paths: Count("enrollments"), quiz__pk
        rf"{{%\s*load\b[^%]*\b(?:{libraries})\b[^%]*%}}",  # their template tags
        rf"""["'](?:{apps_above})/""",  # their templates
        rf"""{{%\s*url\s+["'](?:{urls})["']|reverse\(\s*["'](?:{urls})["']""",  # their URLs
        rf"^\s*(?:from|import)\s+(?:{apps_above})\b",  # and their modules, even where import-linter does not look
    ]
    return [match.group(0) for pattern in patterns for match in re.finditer(pattern, text, re.MULTILINE)]


def test_the_probes_find_what_the_apps_above_are_called():
    assert {"enrollments", "quiz"} <= _relation_names()
    assert {"course-enroll", "lesson-complete"} <= _url_names()
    named = 'Count("enrollments")\n{% load i18n learning %}\n{% include "learners/x.html" %}\n{% url "course-enroll" 1 %}'
    assert len(_mentions(named, libraries={"learning"})) == 4
    assert _mentions('{% load i18n wagtailcore_tags %}\n{% url "search" %}\nCount("lessons")') == []


def test_courses_never_names_learners_or_quizzes():
    found = {str(path): hits for path, text in _sources().items() if (hits := _mentions(text))}
    assert found == {}
