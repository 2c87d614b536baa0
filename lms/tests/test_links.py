"""Absolute links in API answers (lms/links.py) lead back to the portal: to PORTAL_BASE_URL when it is set,
else to the address the request came to, never to the address of Wagtail's default Site (localhost:80)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import services
from learners.models import Certificate
from learners.services import learning

pytestmark = pytest.mark.django_db

API = "/api/v1"
HOST = "127.0.0.1:8000"  # where `make run` serves the portal
VIDEO = Path(__file__).resolve().parents[2] / "courses" / "tests" / "files" / "tiny.webm"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]


@pytest.fixture
def portal(make_course, make_image, teacher, student, as_user):
    """A course with a cover and a lesson that shows a video, a handout and an image, which the student
    completed (a certificate); and a second course, so that the catalog has a next page."""
    teacher_api = as_user(teacher)
    uploaded = {
        name: teacher_api.post(
            f"{API}/media/", {"title": name, "file": SimpleUploadedFile(name, content)}, format="multipart"
        ).json()["id"]
        for name, content in [("intro.webm", VIDEO.read_bytes()), ("notes.pdf", PDF)]
    }
    course = make_course(title="Optics", lessons=0, cover_image=make_image())
    lesson = services.add_lesson(
        course=course,
        by=teacher,
        title="Lenses",
        body=[
            {"type": "video", "value": uploaded["intro.webm"]},
            {"type": "file", "value": uploaded["notes.pdf"]},
            {"type": "image", "value": {"image": make_image(title="Diagram").pk, "caption": "A lens"}},
        ],
    )
    make_course(title="Zoology", lessons=1)
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=lesson)
    return {"course": course, "lesson": lesson, "certificate": Certificate.objects.get(learner=student)}


def links_in(data) -> list[str]:
    """Every absolute URL in a JSON answer."""
    if isinstance(data, dict):
        return [link for value in data.values() for link in links_in(value)]
    if isinstance(data, list):
        return [link for value in data for link in links_in(value)]
    return [data] if isinstance(data, str) and data.startswith(("http://", "https://")) else []


def answers(portal, student, as_user) -> dict[str, dict]:
    """The API's answers that carry absolute links, asked for at make run's address."""
    course, lesson, code = portal["course"], portal["lesson"], portal["certificate"].code
    learner = as_user(student)
    paths = {
        "catalog": f"{API}/courses/?page_size=1&ordering=title",  # Optics, then Zoology
        "course": f"{API}/courses/{course.pk}/",
        "lesson": f"{API}/lessons/{lesson.pk}/",
        "my certificates": f"{API}/me/certificates/",
        "verification": f"{API}/certificates/{code}/",
    }
    bodies = {}
    for name, path in paths.items():
        response = learner.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, (name, response.content)
        bodies[name] = response.json()
    return bodies


def test_links_lead_back_to_the_address_the_api_was_asked_at(portal, student, as_user):
    bodies = answers(portal, student, as_user)
    base = f"http://{HOST}"
    catalog, course, lesson = bodies["catalog"], bodies["course"], bodies["lesson"]
    assert catalog["results"][0]["url"] == f"{base}{portal['course'].url}"  # not http://localhost/courses/...
    assert catalog["next"].startswith(f"{base}{API}/courses/?")
    assert course["url"] == f"{base}{portal['course'].url}" and course["cover"].startswith(f"{base}/")
    assert lesson["url"] == f"{base}{portal['lesson'].url}"
    assert [block["value"]["url"].startswith(f"{base}/") for block in lesson["body"]] == [True, True, True]
    assert bodies["verification"]["verify_url"] == f"{base}/certificates/{portal['certificate'].code}/"
    for name, body in bodies.items():
        found = links_in(body)
        assert found, name
        assert all(link.startswith(f"{base}/") for link in found), (name, found)


def test_portal_base_url_when_set_makes_every_link(portal, student, as_user, settings):
    settings.PORTAL_BASE_URL, settings.PORTAL_BASE_URL_SET = "https://learn.example.com", True
    bodies = answers(portal, student, as_user)
    assert bodies["catalog"]["results"][0]["url"] == f"https://learn.example.com{portal['course'].url}"
    assert bodies["course"]["url"] == f"https://learn.example.com{portal['course'].url}"
    for name, body in bodies.items():
        found = links_in(body)
        assert found and all(link.startswith("https://learn.example.com/") for link in found), (name, found)


def test_an_uploads_link_follows_the_same_rule(teacher, as_user, settings):
    api = as_user(teacher)
    upload = {"title": "Notes", "file": SimpleUploadedFile("notes.pdf", PDF)}
    body = api.post(f"{API}/media/", upload, format="multipart", HTTP_HOST=HOST).json()
    assert body["url"].startswith(f"http://{HOST}/documents/")
    settings.PORTAL_BASE_URL, settings.PORTAL_BASE_URL_SET = "https://learn.example.com", True
    upload = {"title": "Notes", "file": SimpleUploadedFile("notes.pdf", PDF)}
    body = api.post(f"{API}/media/", upload, format="multipart", HTTP_HOST=HOST).json()
    assert body["url"].startswith("https://learn.example.com/documents/")


def test_the_catalog_cache_keeps_each_address_its_own_links(portal, api):
    """A page of cards is cached with its links: asked at another address, it is not served from the cache."""
    first = api.get(f"{API}/courses/", HTTP_HOST=HOST).json()["results"][0]["url"]
    other = api.get(f"{API}/courses/").json()["results"][0]["url"]
    assert first.startswith(f"http://{HOST}/") and other.startswith("http://testserver/")
