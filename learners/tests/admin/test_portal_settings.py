"""The portal settings in the admin: upload limits, registration, and the site header."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection
from wagtailmedia.models import get_media_model

from learners.models import User
from learners.tests.admin.helpers import html
from lms.models import PortalSettings

pytestmark = pytest.mark.django_db


def test_lowering_the_video_limit_refuses_an_upload_that_passed_before(client, teacher):
    from courses.tests.test_uploads import MB, real

    client.force_login(teacher)
    url = reverse("wagtailmedia:add", args=("video",))
    video = real("tiny.mp4") + b"\0" * (MB + 1)  # a little over 1 MB
    root = Collection.get_first_root_node().pk

    response = client.post(url, {"title": "Before", "collection": root, "file": SimpleUploadedFile("a.mp4", video)})
    assert response.status_code == 302
    portal = PortalSettings.load()
    portal.max_video_mb = 1
    portal.save()
    response = client.post(url, {"title": "After", "collection": root, "file": SimpleUploadedFile("b.mp4", video)})
    assert response.status_code == 200
    assert "This file is too large" in response.content.decode()
    assert list(get_media_model().objects.values_list("title", flat=True)) == ["Before"]


def test_lowering_the_document_limit_takes_effect_in_the_api_too(teacher, as_user):
    from courses.tests.test_uploads import MB, pdf

    big = pdf() + b"\n%" + b"0" * MB
    client = as_user(teacher)
    response = client.post(
        "/api/v1/media/", {"file": SimpleUploadedFile("a.pdf", big), "title": "A"}, format="multipart"
    )
    assert response.status_code == 201
    PortalSettings.objects.update(max_document_mb=1)
    response = client.post(
        "/api/v1/media/", {"file": SimpleUploadedFile("b.pdf", big), "title": "B"}, format="multipart"
    )
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"


def test_the_image_limit_holds_wagtail_images_once_the_form_base_is_set(client, teacher, settings):
    from PIL import Image

    from courses.tests.test_uploads import MB

    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.upload_forms.ImageFormBase"
    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, "PNG")  # noise: ~1.4 MB
    big = buffer.getvalue()
    assert len(big) > MB
    portal = PortalSettings.load()
    portal.max_image_mb = 1
    portal.save()
    client.force_login(teacher)
    root = Collection.get_first_root_node().pk
    response = client.post(
        "/admin/images/add/", {"title": "Big", "collection": root, "file": SimpleUploadedFile("big.png", big)}
    )
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert "Maximum filesize: 1.0\xa0MB" in html(client.get("/admin/images/add/"))


def test_the_settings_form_takes_limits_below_the_servers_only(admin_client, settings):
    settings.UPLOAD_MAX_VIDEO_MB = 50
    url = reverse("wagtailsettings:edit", args=["lms", "portalsettings", PortalSettings.load().pk])
    form = {
        "portal_name": "Academy",
        "default_pass_mark": "70",
        "registration_open": "on",
        "max_video_mb": "80",
        "max_document_mb": "",
        "max_image_mb": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "The server accepts at most 50 MB (its UPLOAD_MAX_VIDEO_MB setting)." in response.content.decode()
    response = admin_client.post(url, {**form, "max_video_mb": "30"})
    assert response.status_code == 302
    assert PortalSettings.load().max_video_mb == 30

    from courses import uploads

    assert uploads.limit_mb(uploads.VIDEO) == 30
    settings.UPLOAD_MAX_VIDEO_MB = 20  # a ceiling lowered later wins over the portal's value
    assert uploads.limit_mb(uploads.VIDEO) == 20


def test_closing_registration_refuses_sign_up(client, api):
    portal = PortalSettings.load()
    portal.registration_open = False
    portal.save()
    response = client.post("/accounts/signup/", {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91"})
    assert response.status_code in (200, 403)
    assert not User.objects.filter(email="n@example.com").exists()
    response = api.post(
        "/api/v1/auth/register/", {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "registration_closed"


def test_the_site_header_shows_the_portal_name_and_logo(client, make_image):
    portal = PortalSettings.load()
    portal.portal_name, portal.logo = "Академия", make_image("Logo")
    portal.save()
    page = html(client.get("/"))
    assert "Академия" in page
    assert 'class="brand__logo"' in page and "/Logo" in page
