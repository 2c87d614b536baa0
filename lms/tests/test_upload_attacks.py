"""What attackers send as uploads, to the admin's and the API's: hostile files and fields are refused, never
a 500, and nothing of them is kept (the other doors: test_attacks.py, test_site_attacks.py).
"""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile
from wagtailmedia.models import get_media_model

from lms.tests.attack_inputs import RAW_BODIES

pytestmark = pytest.mark.django_db


# --- uploads: the admin's and the API's --------------------------------------------------------------------

FILES = Path(__file__).resolve().parents[2] / "courses" / "tests" / "files"


HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def png_bytes(size=(8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("1" if size[0] > 1000 else "RGB", size).save(buffer, "PNG")
    return buffer.getvalue()


def hostile_files() -> list[tuple[str, bytes]]:
    """Files that no upload of the portal may take, whatever it expects."""
    whole = png_bytes((64, 48))
    return [
        ("broken.gif", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20),
        ("cut.png", whole[: len(whole) // 2]),
        ("flood.png", png_bytes((8000, 6000))),
        ("empty.pdf", b""),
        ("page.mp4", HTML),
        ("page.pdf", HTML),
        ("page.png", HTML),
        ("nul.txt", b"\x00" * 64),
        ("latin1.csv", b"caf\xe9\n"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("README", b"hello"),
        ("evil\x00.exe", b"MZ\x90\x00"),
        ("x" * 300 + ".html", HTML),
        ("polyglot.pdf", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><script>alert(1)</script></html>"),
    ]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored(media_root) -> tuple:
    """Every trace an upload leaves: rows and files."""
    files = (
        sorted(str(path) for path in Path(media_root).rglob("*") if path.is_file()) if Path(media_root).exists() else []
    )
    counts = [
        model.objects.count() for model in (get_image_model(), get_document_model(), get_media_model(), UploadedFile)
    ]
    return (*counts, files)


def admin_uploads() -> list[tuple[str, str, str, dict, tuple[str, bytes]]]:
    """(url, the file's field, the field prefix, other fields, a file the endpoint accepts)."""
    text = ("notes.txt", b"Lesson notes\n")
    video, audio = ("intro.mp4", (FILES / "tiny.mp4").read_bytes()), ("talk.mp3", (FILES / "tiny.mp3").read_bytes())
    return [
        ("/admin/images/add/", "file", "", {"title": "T"}, ("fine.png", png_bytes())),
        ("/admin/images/multiple/add/", "files[]", "", {}, ("fine.png", png_bytes())),
        (
            reverse("wagtailimages_chooser:create"),
            "file",
            "image-chooser-upload-",
            {"title": "T"},
            ("fine.png", png_bytes()),
        ),
        ("/admin/documents/add/", "file", "", {"title": "T"}, text),
        ("/admin/documents/multiple/add/", "files[]", "", {}, text),
        (reverse("wagtaildocs_chooser:create"), "file", "document-chooser-upload-", {"title": "T"}, text),
        (reverse("wagtailmedia:add", args=("video",)), "file", "", {"title": "T"}, video),
        (reverse("wagtailmedia:add", args=("audio",)), "file", "", {"title": "T"}, audio),
        (
            reverse("wagtailmedia:chooser_upload", args=("video",)),
            "file",
            "media-chooser-upload-",
            {"title": "T"},
            video,
        ),
    ]


HOSTILE_METADATA = [
    {"title": "\x00"},
    {"title": "a\x00b"},
    {"title": "x" * 1000},
    {"collection": "abc"},
    {"collection": "\x00"},
    {"collection": str(2**70)},
    {"collection": "²"},
    {"collection": "-1"},
]


@pytest.mark.parametrize("index", range(len(admin_uploads())), ids=[url for url, *_ in admin_uploads()])
def test_admin_uploads_refuse_hostile_files_and_fields_and_keep_nothing(client, admin_user, settings, index):
    url, file_field, prefix, fields, good = admin_uploads()[index]
    client.force_login(admin_user)
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    root.add_child(name="Other")  # with one collection only, Wagtail leaves the field out of its forms
    metadata = {f"{prefix}{key}": value for key, value in {"collection": root.pk, **fields}.items()}
    field = f"{prefix}{file_field}"
    nothing = stored(settings.MEDIA_ROOT)
    for name, content in hostile_files():
        response = client.post(url, {**metadata, field: upload(name, content)})
        assert response.status_code < 500, (url, name, response.status_code)
        assert stored(settings.MEDIA_ROOT) == nothing, (url, name)
    two = [upload(name, content) for name, content in hostile_files()[:2]]  # a list where one file is expected
    misplaced = {key: upload(*good) for key in ("file", "files[]", "files", "image") if key != field}
    for data in ({**metadata, field: two}, metadata, {**metadata, **misplaced}):
        response = client.post(url, data)
        assert response.status_code < 500, (url, list(data), response.status_code)
        assert stored(settings.MEDIA_ROOT) == nothing, (url, list(data))
    if "multiple" not in url:
        # The single forms refuse the whole upload for a wrong field; the multiple uploaders are below.
        for hostile in HOSTILE_METADATA:
            bad = {f"{prefix}{key}": value for key, value in hostile.items()}
            response = client.post(url, {**metadata, **bad, field: upload(*good)})
            assert response.status_code < 500, (url, hostile, response.status_code)
            assert stored(settings.MEDIA_ROOT) == nothing, (url, str(hostile)[:60])
    for raw, content_type in RAW_BODIES:
        assert client.post(url, raw, content_type=content_type).status_code < 500, (url, raw[:60])
    assert stored(settings.MEDIA_ROOT) == nothing
    # The same endpoint takes a good file: the refusals above were the input's, not the test's.
    response = client.post(url, {**metadata, field: upload(*good)})
    assert response.status_code < 500 and stored(settings.MEDIA_ROOT) != nothing, (url, response.status_code)
    if "multiple" in url:
        # A good file with wrong fields is kept for the editor to finish (Wagtail's design): no error either.
        for hostile in HOSTILE_METADATA:
            response = client.post(url, {**metadata, **hostile, field: upload(*good)})
            assert response.status_code < 500, (url, hostile, response.status_code)


def test_api_uploads_refuse_hostile_files_and_fields_and_keep_nothing(teacher, as_user, settings):
    api = as_user(teacher)
    nothing = stored(settings.MEDIA_ROOT)
    good = ("notes.txt", b"Lesson notes\n")
    attempts = [{"title": "T", "file": upload(name, content)} for name, content in hostile_files()]
    attempts += [{"title": title, "file": upload(*good)} for title in ("", "\x00", "a\x00b", "x" * 1000)]
    two = [upload(name, content) for name, content in hostile_files()[:2]]  # a list where one file is expected
    attempts += [{"title": "T", "file": two}, {"title": "T"}, {"file": upload(*good)}]
    attempts += [{"title": "T", "file": "not a file"}, {"title": "T", "file": ""}]
    for data in attempts:
        response = api.post("/api/v1/media/", data, format="multipart")
        assert 400 <= response.status_code < 500, (str(data)[:100], response.status_code)
        assert stored(settings.MEDIA_ROOT) == nothing, str(data)[:100]
    for raw, content_type in RAW_BODIES:
        response = api.generic("POST", "/api/v1/media/", raw, content_type=content_type)
        assert 400 <= response.status_code < 500, (raw[:60], response.status_code)
    assert stored(settings.MEDIA_ROOT) == nothing
    response = api.post("/api/v1/media/", {"title": "T", "file": upload(*good)}, format="multipart")
    assert response.status_code == 201 and stored(settings.MEDIA_ROOT) != nothing
