"""What the browser is told to refuse (the Content-Security-Policy, lms/content_security.py), and what the
admin does not ask other sites (Wagtail's update check). The browser journey (test_browser_journey.py)
checks that real pages raise no violation of the policy."""

import re

import pytest
from django.test import Client

from learners.models import Certificate
from learners.services import learning, reviews

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def policy(response) -> dict[str, list[str]]:
    """The response's policy, directive by directive."""
    assert response.status_code == 200, response.status_code
    directives = [part.split() for part in response[HEADER].split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.fixture
def site_pages(make_course, student, client):
    """The public pages of a learner's journey, as that learner (who completed a course) sees them."""
    course = make_course(title="Astronomy", lessons=2)
    learning.enroll(learner=student, course=course)
    for lesson in course.lessons():
        learning.complete_lesson(learner=student, lesson=lesson)
    reviews.post_review(learner=student, course=course, rating=4, text="Clear.")  # stars and rating bars
    certificate = Certificate.objects.get(learner=student, course=course)
    client.force_login(student)
    return [
        "/",
        "/courses/",
        course.url,
        course.lessons().first().url,
        "/search/?q=astronomy",
        "/learn/",
        f"/certificates/{certificate.code}/",
    ]


def test_site_pages_run_only_the_portals_own_scripts_and_styles(client, site_pages):
    visitor = Client()
    for get, url in [
        *((client.get, url) for url in site_pages),
        (visitor.get, "/accounts/login/"),
        (visitor.get, "/accounts/signup/"),
    ]:
        response = get(url)
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["img-src"][0] == "'self'" and directives["media-src"][0] == "'self'", url
        assert directives["object-src"] == ["'none'"], url
        assert directives["base-uri"] == ["'self'"], url
        assert directives["form-action"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'self'"], url
        assert not any("unsafe" in value for values in directives.values() for value in values), url

        # ... and nothing on them needs more: no inline script, event handler or style attribute.
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert not re.search(r"\sstyle=", html), url


def test_the_admin_has_its_own_policy(client, admin_user):
    client.force_login(admin_user)
    directives = policy(client.get("/admin/"))
    # Wagtail's inline scripts and styles run; plugins, <base> and framing by other sites do not.
    assert "script-src" not in directives and "default-src" not in directives and "style-src" not in directives
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]


def test_swagger_ui_loads_its_script_from_a_file(client):
    response = client.get("/api/docs/")
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in directives["style-src"] and "data:" in directives["img-src"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(script)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content


def test_the_admin_does_not_ask_wagtail_for_new_releases(client, admin_user, settings):
    client.force_login(admin_user)
    dashboard = client.get("/admin/").content.decode()
    assert "w-upgrade" not in dashboard and "releases.wagtail.org" not in dashboard
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = True  # what WAGTAIL_ENABLE_UPDATE_CHECK=true in the environment does
    assert 'data-controller="w-upgrade' in client.get("/admin/").content.decode()
