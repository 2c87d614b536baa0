"""Uploads: content checks, limits, the media API and the Wagtail admin's upload forms.

The videos and audio under files/ are real (one second made with ffmpeg); PDFs, office files and
the hostile files are built here.
"""

import io
import json
import zipfile
from functools import cache
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path, reverse
from drf_spectacular.generators import SchemaGenerator
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtailmedia.models import get_media_model

from courses import media_api, uploads
from courses.collections import own_collection

FILES = Path(__file__).parent / "files"
URL = "/api/v1/media/"
MB = 1024 * 1024

HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
# A GIF header in front of a page: what a browser sniffing for HTML might still render.
POLYGLOT = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><script>alert(1)</script></html>"

Document = get_document_model()
Media = get_media_model()


def real(name: str) -> bytes:
    return (FILES / name).read_bytes()


@cache
def pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<p>Lesson notes</p>").write_pdf()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


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


def refusal(validate, name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate(upload(name, content))
    return raised.value


# The checks themselves


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("intro.mp4", real("tiny.mp4"), "video"),
        ("intro.webm", real("tiny.webm"), "video"),
        ("intro.ogv", real("tiny.ogv"), "video"),
        ("intro.ogg", real("tiny.ogv"), "video"),  # an Ogg file with a Theora stream
        ("intro.MOV", real("tiny.mp4"), "video"),  # the ISO family, any case
        ("podcast.mp3", real("tiny.mp3"), "audio"),
        ("podcast.ogg", real("tiny.ogg"), "audio"),
        ("notes.pdf", pdf(), "document"),
        ("notes.docx", docx(), "document"),
        ("notes.zip", docx(), "document"),
        ("notes.txt", "Привет, мир\n".encode(), "document"),
        ("readme.md", b'<div align="center">\n\n# Course\n</div>\n', "document"),
        ("grades.csv", b"\xef\xbb\xbfname,score\nAda,5\n", "document"),
    ],
)
def test_real_files_are_classified(name, content, kind):
    assert uploads.classify(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lesson.mp4", HTML, "This file is not a video: its content looks like HTML."),
        ("lesson.mp4", SVG, "This file is not a video: its content looks like SVG."),
        ("lesson.mp4", POLYGLOT, "This file is not a video: its content looks like GIF."),
        ("lesson.mp4", b"\n  <?xml version='1.0'?><note/>", "This file is not a video: its content looks like XML."),
        (
            "lesson.mp4",
            b"<!doctype html><svg onload=alert(1)>",
            "This file is not a video: its content looks like HTML.",
        ),
        ("lesson.webm", real("tiny.mp4"), "This file is not a video: its content looks like MP4."),
        ("lesson.ogv", real("tiny.ogg"), "This file is not a video: its content looks like OGG."),
        ("lesson.mp4", b"just some bytes", "This file is not a video in a format this site accepts."),
        ("talk.mp3", real("tiny.mp4"), "This file is not an audio file: its content looks like MP4."),
        ("notes.pdf", HTML, "This file is not a real .pdf file: its content looks like HTML."),
        ("notes.pdf", SVG, "This file is not a real .pdf file: its content looks like SVG."),
        ("notes.pdf", POLYGLOT, "This file is not a real .pdf file: its content looks like GIF."),
        ("notes.docx", pdf(), "This file is not a real .docx file: its content looks like PDF."),
        ("notes.docx", b"PK\x03\x04" + HTML, "This file is not a real .docx file."),
        ("notes.txt", HTML, "This file is not plain text: its content looks like HTML."),
        (
            "notes.md",
            b"\xef\xbb\xbf \n<svg onload='alert(1)'/>",
            "This file is not plain text: its content looks like SVG.",
        ),
        ("notes.csv", b"<script>alert(1)</script>", "This file is not plain text: its content looks like HTML."),
        ("notes.csv", b"a,b\x00,c\n", "This file is not plain UTF-8 text."),
        ("notes.txt", b"caf\xe9 cr\xe8me\n", "This file is not plain UTF-8 text."),
        ("page.html", HTML, "Files of type .html are not accepted here."),
        ("drawing.svg", SVG, "Files of type .svg are not accepted here."),
        ("setup.exe", b"MZ\x90\x00", "Files of type .exe are not accepted here."),
        ("README", b"hello", "The file name has no extension."),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_files_that_are_not_what_their_name_says_are_refused(name, content, message):
    error = refusal(uploads.classify, name, content)
    assert error.messages[0].startswith(message)
    assert error.code in {"invalid_content", "file_type", "empty"}


def test_each_validator_accepts_only_its_own_kind():
    uploads.validate_video(upload("a.mp4", real("tiny.mp4")))
    uploads.validate_audio(upload("a.mp3", real("tiny.mp3")))
    uploads.validate_document(upload("a.pdf", pdf()))
    uploads.validate_image(upload("a.png", png()))
    assert refusal(uploads.validate_video, "a.mp3", real("tiny.mp3")).code == "file_type"
    assert refusal(uploads.validate_document, "a.mp4", real("tiny.mp4")).code == "file_type"
    assert refusal(uploads.validate_image, "a.svg", SVG).code == "file_type"
    assert refusal(uploads.validate_image, "a.png", HTML).messages == [
        "This file is not an image: its content looks like HTML."
    ]


def test_size_limits_come_from_settings(settings, db):
    settings.UPLOAD_MAX_DOCUMENT_MB = 1
    settings.UPLOAD_MAX_VIDEO_MB = 1
    big_pdf = pdf() + b"\n%" + b"0" * MB
    error = refusal(uploads.validate_document, "big.pdf", big_pdf)
    assert error.code == "file_too_large"
    assert error.messages[0].startswith("This file is too large")
    assert refusal(uploads.validate_video, "big.mp4", real("tiny.mp4") + b"\0" * MB).code == "file_too_large"
    settings.UPLOAD_MAX_DOCUMENT_MB = 2
    uploads.validate_document(upload("big.pdf", big_pdf))


def test_type_lists_from_settings_narrow_what_is_accepted(settings):
    settings.UPLOAD_VIDEO_EXTENSIONS = ["WEBM", "avi"]  # avi: no content rule, so never accepted
    assert uploads.accepted_extensions("video") == ["webm"]
    assert refusal(uploads.validate_video, "a.mp4", real("tiny.mp4")).code == "file_type"


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


# The Wagtail admin


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def admin_post(client, url, data):
    return client.post(url, {"collection": Collection.get_first_root_node().pk, **data})


def test_admin_document_form_refuses_html_named_pdf(teacher_client):
    response = admin_post(
        teacher_client, "/admin/documents/add/", {"title": "Notes", "file": upload("notes.pdf", HTML)}
    )

    assert response.status_code == 200
    assert "This file is not a real .pdf file: its content looks like HTML." in response.content.decode()
    assert not Document.objects.exists()


def test_admin_document_form_accepts_a_real_pdf_and_keeps_it_on_edit(teacher_client, teacher):
    response = admin_post(
        teacher_client, "/admin/documents/add/", {"title": "Notes", "file": upload("notes.pdf", pdf())}
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.uploaded_by_user == teacher

    # Editing the title keeps the stored file, which is not checked again.
    response = admin_post(teacher_client, f"/admin/documents/edit/{document.pk}/", {"title": "Week 1 notes"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Week 1 notes"


def test_admin_multiple_document_uploader_is_checked_too(teacher_client):
    url = "/admin/documents/multiple/add/"

    response = admin_post(teacher_client, url, {"files[]": upload("notes.pdf", SVG)})
    assert response.json() == {
        "success": False,
        "error_message": "This file is not a real .pdf file: its content looks like SVG.",
    }
    assert not Document.objects.exists()

    response = admin_post(teacher_client, url, {"files[]": upload("notes.pdf", pdf())})
    assert response.json()["success"] is True
    assert Document.objects.get().title == "notes.pdf"


def test_admin_document_form_refuses_a_file_over_the_limit(teacher_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = MB
    settings.UPLOAD_MAX_DOCUMENT_MB = 1
    big = upload("big.pdf", pdf() + b"\n%" + b"0" * MB)

    response = admin_post(teacher_client, "/admin/documents/add/", {"title": "Big", "file": big})

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert "File extension" not in response.content.decode()
    assert not Document.objects.exists()


def test_admin_media_form_refuses_html_named_mp4(teacher_client):
    url = reverse("wagtailmedia:add", args=("video",))
    response = admin_post(teacher_client, url, {"title": "Intro", "file": upload("intro.mp4", HTML)})

    assert response.status_code == 200
    content = response.content.decode()
    assert "This file is not a video: its content looks like HTML." in content
    assert "File extension" not in content  # the model's check of an empty file stays quiet
    assert not Media.objects.exists()


def test_admin_media_form_accepts_a_real_video_with_a_thumbnail(teacher_client, teacher):
    url = reverse("wagtailmedia:add", args=("video",))
    response = admin_post(
        teacher_client,
        url,
        {"title": "Intro", "file": upload("intro.mp4", real("tiny.mp4")), "thumbnail": upload("intro.png", png())},
    )

    assert response.status_code == 302, response.content.decode()
    media = Media.objects.get()
    assert (media.type, media.uploaded_by_user) == ("video", teacher)
    assert media.thumbnail.name.startswith("media_thumbnails/intro")


def test_admin_media_form_refuses_a_thumbnail_that_is_not_an_image(teacher_client):
    url = reverse("wagtailmedia:add", args=("video",))
    response = admin_post(
        teacher_client,
        url,
        {"title": "Intro", "file": upload("intro.mp4", real("tiny.mp4")), "thumbnail": upload("intro.png", HTML)},
    )

    assert response.status_code == 200
    assert "This file is not an image: its content looks like HTML." in response.content.decode()
    assert not Media.objects.exists()


def test_admin_media_form_checks_audio_as_audio(teacher_client):
    url = reverse("wagtailmedia:add", args=("audio",))

    response = admin_post(teacher_client, url, {"title": "Talk", "file": upload("talk.mp3", real("tiny.mp4"))})
    assert response.status_code == 200
    assert "This file is not an audio file: its content looks like MP4." in response.content.decode()

    response = admin_post(teacher_client, url, {"title": "Talk", "file": upload("talk.mp3", real("tiny.mp3"))})
    assert response.status_code == 302
    assert Media.objects.get().type == "audio"


def test_admin_media_form_refuses_a_video_over_the_limit(teacher_client, settings):
    settings.UPLOAD_MAX_VIDEO_MB = 1
    url = reverse("wagtailmedia:add", args=("video",))
    big = upload("big.mp4", real("tiny.mp4") + b"\0" * MB)

    response = admin_post(teacher_client, url, {"title": "Big", "file": big})

    assert response.status_code == 200
    assert "This file is too large" in response.content.decode()
    assert not Media.objects.exists()


def test_admin_image_upload_refuses_svg_and_pixel_floods(teacher_client):
    url = "/admin/images/add/"

    response = admin_post(teacher_client, url, {"title": "Drawing", "file": upload("drawing.svg", SVG)})
    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()

    flood = io.BytesIO()
    Image.new("1", (8000, 6000)).save(flood, "PNG")  # 48 million pixels in a few kilobytes
    response = admin_post(teacher_client, url, {"title": "Flood", "file": upload("flood.png", flood.getvalue())})
    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()

    response = admin_post(teacher_client, url, {"title": "Fine", "file": upload("fine.png", png())})
    assert response.status_code == 302
    assert get_image_model().objects.get().title == "Fine"


# Images that start right and break further on: a refusal of the upload, never an error of the server


def damaged_images() -> list[tuple[str, bytes]]:
    whole = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(whole, "PNG")
    return [
        ("broken.gif", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20),  # a GIF header and nothing a decoder can read
        ("cut.png", whole.getvalue()[: len(whole.getvalue()) // 2]),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100),
    ]


@pytest.mark.parametrize(("name", "content"), damaged_images(), ids=lambda value: str(value)[:12])
def test_a_damaged_image_is_refused_by_the_image_check(name, content):
    error = refusal(uploads.validate_image, name, content)
    assert (error.code, error.messages) == (
        "invalid_content",
        ["This image is damaged or incomplete: it cannot be read."],
    )


def test_the_image_check_counts_the_pixels_of_every_frame(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    frames = io.BytesIO()
    first, *others = [Image.new("L", (20, 20), shade) for shade in (0, 80, 160)]
    first.save(frames, "GIF", save_all=True, append_images=others)  # 3 × 400 pixels
    assert refusal(uploads.validate_image, "frames.gif", frames.getvalue()).code == "file_too_large"
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1200
    uploads.validate_image(upload("frames.gif", frames.getvalue()))


@pytest.mark.parametrize(("name", "content"), damaged_images(), ids=lambda value: str(value)[:12])
def test_admin_image_forms_refuse_a_damaged_image_as_a_form_error(teacher_client, name, content):
    message = "This image is damaged or incomplete: it cannot be read."

    response = admin_post(teacher_client, "/admin/images/add/", {"title": "Broken", "file": upload(name, content)})
    assert response.status_code == 200 and message in response.content.decode()

    response = admin_post(teacher_client, "/admin/images/multiple/add/", {"files[]": upload(name, content)})
    assert response.json() == {"success": False, "error_message": message}

    response = admin_post(
        teacher_client,
        reverse("wagtailimages_chooser:create"),
        {"image-chooser-upload-title": "Broken", "image-chooser-upload-file": upload(name, content)},
    )
    assert response.status_code == 200 and message in response.content.decode()

    response = admin_post(
        teacher_client,
        reverse("wagtailmedia:add", args=("video",)),
        {"title": "Intro", "file": upload("intro.mp4", real("tiny.mp4")), "thumbnail": upload(name, content)},
    )
    assert response.status_code == 200 and message in response.content.decode()

    assert not get_image_model().objects.exists() and not Media.objects.exists()
