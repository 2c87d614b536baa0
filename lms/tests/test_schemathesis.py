"""Schemathesis against our own OpenAPI schema, as anonymous, student and teacher: generated requests
for every operation never get a 5xx, and responses conform to the schema (a bounded number of
examples per operation keeps it fast)."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from learners.services import learning

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_schema())


@pytest.fixture
def app(settings):
    """The portal as a WSGI app, built after the test settings apply (its middleware reads them once).

    Like Django's test client, it keeps the database connection open between requests: closing it
    would end the test's transaction.
    """
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(make_course, student, teacher):
    course = make_course(owner=teacher, title="Schemathesis course", lessons=2)
    learning.enroll(learner=student, course=course)
    return course


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


@schema.parametrize()
@EXAMPLES
def test_api_as_anonymous(case, world, app):
    case.call_and_validate(app=app, checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_api_as_student(case, world, app, student):
    case.call_and_validate(app=app, headers=bearer(student), checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_api_as_teacher(case, world, app, teacher):
    case.call_and_validate(app=app, headers=bearer(teacher), checks=CHECKS)
