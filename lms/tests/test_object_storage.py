"""Uploads and certificate PDFs in an S3-compatible bucket (lms/storage.py), for real.

A moto server (its own process, on a free loopback port) is the bucket; the settings come from the same
builder that lms/settings.py runs on the environment. Files are uploaded through the API, served through
the checked views (whole, and in byte ranges for a video), a certificate's PDF is rendered with the portal's
logo read from the bucket, and what Wagtail, wagtailmedia and the certificates delete leaves the bucket.
"""

import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from pypdf import PdfReader
from wagtail.images import get_image_model

from courses import services as authoring
from courses.files import media_url, poster_url
from courses.tests.upload_files import pdf, png
from learners.models import Certificate
from learners.services import learning
from learners.tests.file_helpers import VIDEO, Document, Media, api_upload
from lms.models import PortalSettings
from lms.storage import PrivateS3Storage, object_storage_settings

pytestmark = pytest.mark.django_db

KEYS = {"AWS_ACCESS_KEY_ID": "portal-test-key", "AWS_SECRET_ACCESS_KEY": "portal-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server for this module's tests, stopped after them whatever happens."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh bucket, and the portal's settings pointed at it as the environment would point them.

    The keys are in the environment only, where boto3 reads them. Wagtail's rendition model takes its storage
    once, when the models load: it is set here to the one the settings name, as it would be at start-up.
    """
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    name = f"portal-{uuid.uuid4().hex[:12]}"
    environ = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_LOCATION": "portal",
    }
    for setting, value in object_storage_settings(settings.STORAGES, environ).items():
        setattr(settings, setting, value)
    rendition_file = get_image_model().get_rendition_model()._meta.get_field("file")
    monkeypatch.setattr(rendition_file, "storage", storages["renditions"])
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(renditions_policy(name, "portal")))
    return Bucket(client, name, f"{s3_endpoint}/{name}/")


def renditions_policy(bucket: str, location: str) -> dict:
    """The bucket's policy as the README gives it: anyone may read the renditions, and nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/{location}/images/*",
            }
        ],
    }


@dataclass
class Bucket:
    client: object
    name: str
    address: str

    def stored(self, prefix="portal/") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(entry["Key"] for entry in listed.get("Contents", ()))

    def anonymous_get(self, key: str) -> int:
        """The status of a GET of the object by its bucket address, with no signature (anyone's)."""
        try:
            with urllib.request.urlopen(self.address + key, timeout=5) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def not_opened(*args, **kwargs):
    raise AssertionError("opened whole")


def status_for(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def test_the_settings_name_the_bucket_and_keep_the_keys_out():
    assert object_storage_settings({}, {"AWS_S3_ENDPOINT_URL": "http://s3.local"}) == {}
    assert object_storage_settings({}, {"AWS_STORAGE_BUCKET_NAME": "  "}) == {}
    static = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "learn",
        "AWS_S3_ENDPOINT_URL": "https://storage.example.net",
        "AWS_S3_REGION_NAME": "eu-central-1",
        "AWS_S3_ADDRESSING_STYLE": "",
        **KEYS,
    }
    assert object_storage_settings({"default": {}, "staticfiles": static}, environ) == {
        "AWS_STORAGE_BUCKET_NAME": "learn",
        "AWS_S3_ENDPOINT_URL": "https://storage.example.net",
        "AWS_S3_REGION_NAME": "eu-central-1",
        "STORAGES": {
            "default": {"BACKEND": "lms.storage.PrivateS3Storage"},
            "staticfiles": static,
            "renditions": {"BACKEND": "lms.storage.PublicS3Storage"},
        },
        "WAGTAILIMAGES_RENDITION_STORAGE": "renditions",
    }


def test_documents_and_videos_live_in_the_bucket_and_go_only_to_those_who_may_have_them(
    bucket,
    client,
    settings,
    monkeypatch,
    make_course,
    teacher,
    other_teacher,
    student,
    other_student,
    as_user,
    django_capture_on_commit_callbacks,
):
    uploaded = as_user(teacher)
    handout = Document.objects.get(pk=api_upload(uploaded, "handout.pdf", pdf(), "Handout")["id"])
    answer = api_upload(uploaded, "intro.mp4", VIDEO, "Intro")
    video = Media.objects.get(pk=answer["id"])
    video.thumbnail = ContentFile(png(), name="intro-poster.png")
    video.save()
    stored = ["portal/documents/handout.pdf", "portal/media/intro.mp4", "portal/media_thumbnails/intro-poster.png"]
    assert bucket.stored() == stored
    assert [bucket.anonymous_get(key) for key in stored] == [403, 403, 403]  # the bucket gives them to no one
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing written to the local folder
    # No address of the bucket is handed out: the API's and the storage's own are the portal's.
    assert answer["url"].endswith(media_url(video))
    assert (video.url, handout.file.url) == ("/media/media/intro.mp4", "/media/documents/handout.pdf")
    # Another teacher's file of the same name is another object: no upload replaces one.
    theirs = Document.objects.get(pk=api_upload(as_user(other_teacher), "handout.pdf", pdf(), "Theirs")["id"])
    assert theirs.file.name.startswith("documents/handout_") and len(bucket.stored("portal/documents/")) == 2
    assert default_storage.deconstruct() == ("lms.storage.PrivateS3Storage", (), {})  # what a deletion task keeps

    course = make_course(title="Stored", lessons=0)
    authoring.add_lesson(
        course=course,
        by=teacher,
        title="Materials",
        body=[{"type": "video", "value": video.pk}, {"type": "file", "value": handout.pk}],
    )
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    document = client.get(handout.url)
    assert document.status_code == 200 and content_of(document) == pdf()
    whole = client.get(media_url(video))
    assert whole.status_code == 200 and content_of(whole) == VIDEO and whole["Content-Length"] == str(len(VIDEO))
    assert content_of(client.get(poster_url(video))) == png()
    # A range is fetched from the bucket alone: the video is never downloaded whole (as `open` would).
    with monkeypatch.context() as patched:
        patched.setattr(PrivateS3Storage, "_open", not_opened)
        part = client.get(media_url(video), HTTP_RANGE="bytes=10-19")
        assert part.status_code == 206 and content_of(part) == VIDEO[10:20]
        assert part["Content-Range"] == f"bytes 10-19/{len(VIDEO)}"
        tail = client.get(media_url(video), HTTP_RANGE="bytes=-16")
        assert tail.status_code == 206 and content_of(tail) == VIDEO[-16:]
        assert client.get(media_url(video), HTTP_RANGE=f"bytes={len(VIDEO)}-").status_code == 416
    # An old link to the stored file is sent on to its checked address.
    assert client.get(video.url)["Location"] == media_url(video)

    for url in (handout.url, media_url(video), poster_url(video)):
        assert status_for(client, other_student, url) == 404, url
        assert status_for(client, None, url) == 302, url

    with django_capture_on_commit_callbacks(execute=True):
        for item in (handout, theirs, video):
            item.delete()
    assert bucket.stored() == []


def test_a_certificate_pdf_is_rendered_with_the_logo_from_the_bucket_and_kept_there(
    bucket, client, make_course, make_image, student, other_student, django_capture_on_commit_callbacks
):
    portal = PortalSettings.load()
    portal.logo = make_image(title="Logo")
    portal.save()
    course = make_course(title="Stored course", lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        learning.enroll(learner=student, course=course)
        learning.complete_lesson(learner=student, lesson=course.lessons()[0])
    certificate = Certificate.objects.get(learner=student)

    stored = bucket.stored()
    pdf_key = f"portal/certificates/{certificate.code}.pdf"
    original = next(key for key in stored if key.startswith("portal/original_images/Logo"))
    rendition = next(key for key in stored if key.startswith("portal/images/Logo"))
    assert pdf_key in stored
    # The rendition is the one file at a public address: plain (unsigned, stable), on the bucket.
    assert portal.logo.get_rendition("max-600x300").url == bucket.address + rendition
    assert bucket.anonymous_get(rendition) == 200
    assert bucket.anonymous_get(original) == bucket.anonymous_get(pdf_key) == 403

    client.force_login(student)
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    document = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "Stored course" in document.pages[0].extract_text()
    assert len(document.pages[0].images) >= 1  # the logo, read from the bucket as a data URI
    assert status_for(client, other_student, f"/certificates/{certificate.code}/pdf/") == 404

    with django_capture_on_commit_callbacks(execute=True):
        certificate.delete()
        portal.logo.delete()  # its original and its renditions go with it
    assert bucket.stored() == []
