"""The API's common parts: pagination, error shape, and the one list of every route under /api/v1/."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path, register_converter
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict as DomainConflict
from .errors import Gone as DomainGone
from .inputs import ID_PATTERN
from .links import rebased


class IdConverter:
    """Ids in URLs: at most 18 digits, so that no path reaches the database with a number it cannot hold
    (a longer one simply matches no route: 404)."""

    regex = ID_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_next_link(self):
        return rebased(super().get_next_link(), self.request)

    def get_previous_link(self):
        return rebased(super().get_previous_link(), self.request)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = "This no longer exists."
    default_code = "gone"


class Forbidden(exceptions.PermissionDenied):
    """A 403 with a stable machine-readable code, raised by services (`not_enrolled`, `lesson_locked`…)."""

    def __init__(self, detail=None, code=None):
        super().__init__(detail=detail, code=code)


def _validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"non_field_errors": error.messages}


@contextmanager
def as_drf_validation_error():
    """Turn a service's Django ValidationError into the API's 400 with field errors."""
    try:
        yield
    except DjangoValidationError as error:
        raise exceptions.ValidationError(_validation_detail(error)) from error


def exception_handler(exc, context):
    """DRF's handler, plus: every 401/403/404/409/410/429 body carries `detail` and a machine-readable `code`
    (and a 410 the facts of the withdrawal)."""
    facts = {}
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None, code=getattr(exc, "code", None))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DomainConflict):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, DomainGone):
        facts = exc.facts
        exc = Gone(exc.message, code=exc.code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if facts:
        response.data.update(facts)
    if isinstance(response.data, dict) and "detail" in response.data and "code" not in response.data:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else None
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        if isinstance(code, str):
            response.data["code"] = code
    return response


def public_api_only(endpoints, **kwargs):
    """The schema documents our versioned API, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def urlpatterns_v1():
    # Imported here so that each app's API module loads after the app registry is ready.
    from courses import api as courses_api
    from courses import media_api
    from learners import selectors as learner_state
    from learners.api import accounts as accounts_api
    from learners.api import certificates as certificates_api
    from learners.api import learning as learning_api
    from learners.api import reviews as reviews_api
    from quizzes import api as quizzes_api

    return [
        path("auth/register/", accounts_api.RegisterView.as_view(), name="register"),
        path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
        path("auth/token/refresh/", accounts_api.TokenRefreshRotateView.as_view(), name="token-refresh"),
        path("auth/logout/", accounts_api.LogoutView.as_view(), name="logout"),
        path("me/", accounts_api.MeView.as_view(), name="me"),
        path("users/", accounts_api.UserListView.as_view(), name="user-list"),
        path("users/<id:pk>/", accounts_api.UserDetailView.as_view(), name="user-detail"),
        # catalog and authoring
        path("courses/", courses_api.CourseListView.as_view(), name="course-list"),
        path(
            "courses/<id:pk>/",
            courses_api.CourseDetailView.as_view(state_for=learner_state.course_state),
            name="course-detail",
        ),
        path("courses/<id:pk>/lessons/", courses_api.LessonCreateView.as_view(), name="lesson-create"),
        path(
            "lessons/<id:pk>/",
            courses_api.LessonDetailView.as_view(
                lesson_access=learner_state.lesson_access, lesson_extra=learner_state.lesson_extra
            ),
            name="lesson-detail",
        ),
        path("categories/", courses_api.CategoryListView.as_view(), name="category-list"),
        path("media/", media_api.MediaUploadView.as_view(), name="media-upload"),
        # learning
        path("courses/<id:pk>/enroll/", learning_api.EnrollView.as_view(), name="enroll"),
        path("me/enrollments/", learning_api.MyEnrollmentsView.as_view(), name="my-enrollments"),
        path("lessons/<id:pk>/complete/", learning_api.LessonCompleteView.as_view(), name="lesson-complete"),
        path("courses/<id:pk>/reviews/", reviews_api.CourseReviewsView.as_view(), name="course-reviews"),
        path("reviews/<id:pk>/", reviews_api.ReviewDetailView.as_view(), name="review-detail"),
        # certificates
        path("me/certificates/", certificates_api.MyCertificatesView.as_view(), name="my-certificates"),
        path(
            "certificates/<certificate_code:code>/",
            certificates_api.CertificateVerifyView.as_view(),
            name="certificate",
        ),
        path(
            "certificates/<certificate_code:code>/pdf/",
            certificates_api.CertificatePdfView.as_view(),
            name="certificate-pdf",
        ),
        path(
            "certificates/<certificate_code:code>/credential/",
            certificates_api.CertificateCredentialView.as_view(),
            name="certificate-credential",
        ),
        # quizzes
        path(
            "lessons/<id:pk>/quiz/",
            quizzes_api.QuizView.as_view(lesson_access=learner_state.lesson_access),
            name="lesson-quiz",
        ),
        path("lessons/<id:pk>/quiz/attempts/", learning_api.QuizAttemptsView.as_view(), name="quiz-attempts"),
    ]
