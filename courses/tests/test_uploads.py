"""Uploads through the media API: who may upload, what it refuses and how, what it serves.

The content checks themselves: test_upload_checks.py; the Wagtail admin's upload forms:
test_upload_forms.py; the files sent: upload_files.py.
"""

import json
from pathlib import Path

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator

from courses import media_api, uploads
from courses.collections import own_collection
from courses.tests.upload_files import HTML, MB, POLYGLOT, SVG, Document, Media, docx, pdf, real, upload

URL = "/api/v1/media/"


def raw_multipart(filename: str, content: bytes, title: str = "Raw") -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (Django's test client strips directories)."""
    boundary = "----portal-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


# The API


def post(client, name, content, title="Lesson material"):
    return client.post(URL, {"file": upload(name, content), "title": title}, format="multipart")


@pytest.mark.parametrize(
    ("name", "content", "kind", "model"),
    [
        ("intro.mp4", real("tiny.mp4"), "video", Media),
        ("intro.webm", real("tiny.webm"), "video", Media),
        ("podcast.mp3", real("tiny.mp3"), "audio", Media),
        ("notes.pdf", pdf(), "document", Document),
        ("notes.docx", docx(), "document", Document),
    ],
)
def test_teacher_uploads_through_the_api(teacher, as_user, name, content, kind, model):
    response = post(as_user(teacher), name, content, title="Week 1")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "url", "kind", "title"}
    assert body["kind"] == kind
    assert body["title"] == "Week 1"
    assert body["url"].startswith("http://testserver/")
    item = model.objects.get(pk=body["id"])
    assert item.uploaded_by_user == teacher
    assert item.collection == own_collection(teacher)  # the teacher's own, not the shared root
    assert item.collection.get_parent().name == "Teachers"
    assert item.file.read() == content
    assert response["X-Content-Type-Options"] == "nosniff"
    if model is Media:
        assert item.type == kind
        assert body["url"] == f"http://testserver/media-files/{item.pk}/{item.filename}"
    else:
        assert body["url"] == f"http://testserver/documents/{item.pk}/{item.filename}"
        assert item.file_size == len(content)
        assert item.file_hash


def test_admin_uploads_through_the_api(admin_user, as_user):
    assert post(as_user(admin_user), "intro.mp4", real("tiny.mp4")).status_code == 201


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lesson.mp4", HTML, "This file is not a video: its content looks like HTML."),
        ("lesson.mp4", SVG, "This file is not a video: its content looks like SVG."),
        ("lesson.mp4", POLYGLOT, "This file is not a video: its content looks like GIF."),
        ("notes.pdf", HTML, "This file is not a real .pdf file: its content looks like HTML."),
        ("notes.pdf", POLYGLOT, "This file is not a real .pdf file: its content looks like GIF."),
        ("notes.txt", SVG, "This file is not plain text: its content looks like SVG."),
        ("page.html", HTML, "Files of type .html are not accepted here."),
        ("drawing.svg", SVG, "Files of type .svg are not accepted here."),
    ],
)
def test_api_refuses_files_by_content(teacher, as_user, name, content, message):
    response = post(as_user(teacher), name, content)

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert response.json()["file"][0].startswith(message)
    assert not Media.objects.exists()
    assert not Document.objects.exists()


def test_api_answers_413_for_a_file_over_its_limit(teacher, as_user, settings):
    settings.UPLOAD_MAX_DOCUMENT_MB = 1
    response = post(as_user(teacher), "big.pdf", pdf() + b"\n%" + b"0" * MB)

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert response.json()["detail"].startswith("This file is too large")
    assert not Document.objects.exists()


def test_api_refuses_an_oversized_body_before_reading_it(teacher, as_user, settings, monkeypatch):
    for name in ("UPLOAD_MAX_VIDEO_MB", "UPLOAD_MAX_DOCUMENT_MB"):
        setattr(settings, name, 1)

    def never(file):
        raise AssertionError("the body should not have been parsed")

    monkeypatch.setattr(uploads, "classify", never)
    response = post(as_user(teacher), "big.mp4", real("tiny.mp4") + b"\0" * 2 * MB)

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (lambda: {"title": "No file"}, "file"),
        (lambda: {"file": "not a file", "title": "Text"}, "file"),
        (lambda: {"file": upload("intro.mp4", real("tiny.mp4"))}, "title"),
        (lambda: {"file": upload("intro.mp4", real("tiny.mp4")), "title": "x" * 256}, "title"),
        (lambda: {"file": upload("intro.mp4", real("tiny.mp4")), "title": "   "}, "title"),
    ],
)
def test_api_needs_a_file_and_a_short_title(teacher, as_user, data, field):
    response = as_user(teacher).post(URL, data(), format="multipart")

    assert response.status_code == 400
    assert field in response.json()
    assert not Media.objects.exists()


def test_api_refuses_an_empty_file(teacher, as_user):
    response = post(as_user(teacher), "empty.mp4", b"")
    assert response.status_code == 400
    assert "file" in response.json()


def test_api_takes_multipart_only(teacher, as_user):
    response = as_user(teacher).post(URL, {"title": "JSON", "file": "aGVsbG8="}, format="json")
    assert response.status_code == 415


def test_students_and_anonymous_may_not_upload(student, as_user, api):
    response = post(as_user(student), "intro.mp4", real("tiny.mp4"))
    assert response.status_code == 403
    assert response.json()["code"] == "teacher_only"

    response = post(api, "intro.mp4", real("tiny.mp4"))
    assert response.status_code == 401
    assert not Media.objects.exists()


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("../../etc/passwd.mp4", "media/passwd.mp4"),
        ("..\\..\\windows\\evil.mp4", "media/evil.mp4"),
        ("<script>alert(1)</script>.mp4", "media/script.mp4"),
    ],
)
def test_path_traversal_in_the_file_name_stays_in_the_upload_folder(teacher, as_user, settings, filename, stored):
    body, content_type = raw_multipart(filename, real("tiny.mp4"))
    response = as_user(teacher).post(URL, body, content_type=content_type)

    assert response.status_code == 201, response.content
    media = Media.objects.get(pk=response.json()["id"])
    assert media.file.name == stored
    assert Path(media.file.path).resolve().parent == (Path(settings.MEDIA_ROOT) / "media").resolve()
    assert not (Path(settings.MEDIA_ROOT).parent / "etc").exists()


def test_a_very_long_file_name_is_shortened(teacher, as_user):
    response = post(as_user(teacher), "a" * 300 + ".mp4", real("tiny.mp4"))

    assert response.status_code == 201, response.content
    name = Media.objects.get().file.name
    assert name.startswith("media/a") and name.endswith(".mp4") and len(name) <= 100


def test_served_documents_are_attachments_with_nosniff(teacher, as_user):
    # Served to its uploader (the API's token is enough); see learners/tests/test_file_access.py for the rest.
    client = as_user(teacher)
    text = post(client, "notes.txt", b"Read me.\n").json()
    response = client.get(text["url"])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == b"Read me.\n"

    # PDFs alone may open in the browser, still with nosniff and no scripts.
    document = post(client, "notes.pdf", pdf()).json()
    response = client.get(document["url"])
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_openapi_schema_describes_the_multipart_upload():
    generator = SchemaGenerator(patterns=[path("api/v1/media/", media_api.MediaUploadView.as_view())])
    schema = generator.get_schema(public=True)
    operation = schema["paths"]["/api/v1/media/"]["post"]

    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    assert set(operation["responses"]) >= {"201", "400", "401", "403", "413"}
    assert '"format": "binary"' in json.dumps(schema["components"]["schemas"])
