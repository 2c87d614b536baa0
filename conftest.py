"""Fixtures shared by every app's tests."""

import threading

import pytest
from django.core.cache import cache, caches
from django.db import connection
from rest_framework.test import APIClient

from courses.services import ensure_catalog
from learners.models import Role
from learners.tests.factories import PASSWORD, UserFactory

TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test starts with empty caches (throttle counters, the catalog's answers, renditions) and its own media folder."""
    for each in caches.all():
        each.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    # Production settings, less what needs a real TLS front and a collectstatic run.
    settings.SECURE_SSL_REDIRECT = False
    # Background tasks run at once in tests, so that what they make can be checked right after.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CERTIFICATE_SIGNING_KEY_FILE = tmp_path / "signing-key.pem"
    # Hashing is not what the tests try: the production hasher (PBKDF2, about 0.4 s a password here) would
    # spend most of a login, sign-up or password change. Portals started as processes keep the default.
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def student(db):
    return UserFactory(role=Role.STUDENT)


@pytest.fixture
def other_student(db):
    return UserFactory(role=Role.STUDENT)


@pytest.fixture
def teacher(db):
    return UserFactory(role=Role.TEACHER)


@pytest.fixture
def other_teacher(db):
    return UserFactory(role=Role.TEACHER)


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def api():
    return APIClient()


def at_once(calls) -> list:
    """Run the calls in threads released together (a race), each closing its own database connection; their results
    in order. An exception in one is raised here, after all have ended. (Tests that race need a database the threads
    see: `django_db(transaction=True, serialized_rollback=True)`.)"""
    barrier = threading.Barrier(len(calls), timeout=30)
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def client_for(user) -> APIClient:
    """An API client carrying a real JWT access token of the user, as a mobile app would."""
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    cache.clear()  # token requests count against the login throttle; tests measure it on their own
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture
def catalog(db):
    """The catalog page: the one the migrations made, or a fresh one after a flush (transactional tests)."""
    return ensure_catalog()


@pytest.fixture
def make_course(catalog, teacher):
    """Make a published course with `lessons` published lessons, through the authoring services."""
    from courses import services

    def make(owner=None, title="Course", lessons=3, **fields):
        owner = owner or teacher
        fields = {"summary": f"About {title}", "level": "beginner", "language": "en", **fields}
        course = services.create_course(teacher=owner, title=title, **fields)
        for number in range(1, lessons + 1):
            services.add_lesson(
                course=course,
                by=owner,
                title=f"{title}: lesson {number}",
                body=[{"type": "text", "value": f"<p>Body of lesson {number}</p>"}],
                duration_minutes=10 * number,
            )
        return course

    return make


@pytest.fixture
def make_image(db):
    """A real (small) PNG as a Wagtail image."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    def make(title="Cover", color=(59, 91, 219)):
        buffer = BytesIO()
        PILImage.new("RGB", (64, 36), color).save(buffer, format="PNG")
        return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))

    return make
