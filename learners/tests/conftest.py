"""Fixtures shared by this package's tests.

* The file tests' published course, with a teacher's handout and video (test_file_access.py,
  test_file_collections.py).
* The login limit tests' rates and target account (test_login_limits.py, test_reset_and_signup_limits.py,
  test_email_normalisation.py, test_password_check_limits.py).
"""

import time

import pytest
from django.core.files.base import ContentFile

from courses import services
from courses.tests.upload_files import pdf, png
from learners import throttles
from learners.models import Role
from learners.tests.factories import UserFactory
from learners.tests.file_helpers import VIDEO, Document, Media, api_upload
from learners.tests.login_limits_helpers import EMAIL


@pytest.fixture
def handout(teacher, as_user):
    """A PDF the teacher uploaded through the API."""
    return Document.objects.get(pk=api_upload(as_user(teacher), "handout.pdf", pdf(), "Handout")["id"])


@pytest.fixture
def video(teacher, as_user):
    """A real MP4 the teacher uploaded through the API, with a poster added as in the admin."""
    media = Media.objects.get(pk=api_upload(as_user(teacher), "intro.mp4", VIDEO, "Intro")["id"])
    media.thumbnail = ContentFile(png(), name="intro-poster.png")
    media.save()
    return media


@pytest.fixture
def course(make_course, teacher, handout, video):
    """A published course whose first lesson offers the handout and plays the video."""
    course = make_course(title="Published", lessons=0)
    services.add_lesson(
        course=course,
        by=teacher,
        title="Materials",
        body=[{"type": "video", "value": video.pk}, {"type": "file", "value": handout.pk}],
    )
    return course


@pytest.fixture
def limits(monkeypatch):
    """Set the rates of one kind of attempt for a test; the clock stands still so no test straddles two windows."""
    now = time.time()
    monkeypatch.setattr(throttles.AtomicRateThrottle, "timer", staticmethod(lambda: now))

    def set_limits(kind, per_email="1000/min", per_address="1000/min"):
        address_throttle, email_throttle = kind
        monkeypatch.setattr(email_throttle, "rate", per_email, raising=False)
        monkeypatch.setattr(address_throttle, "rate", per_address, raising=False)

    return set_limits


@pytest.fixture
def target(db):
    """An account that can log in to the site and to the admin."""
    return UserFactory(email=EMAIL, role=Role.TEACHER)
