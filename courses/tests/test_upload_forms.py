"""Uploads through the Wagtail admin's forms: documents, media and images get the same content checks and
limits as the API, and damaged images are a refusal, never a server error.
"""

import io

import pytest
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from courses import uploads
from courses.tests.upload_files import HTML, MB, SVG, Document, Media, pdf, png, real, refusal, upload

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
