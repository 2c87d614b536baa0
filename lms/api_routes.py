"""Every route of the API under /api/v1/: the project's wiring, the one module that knows every app's API.

The catalog's views know nothing of learners; here the learners' answers are plugged in (`state_for`,
`lesson_access`, `lesson_extra`), so that the dependency points from learners to courses and never back.
"""

from django.urls import path

from courses import api as courses_api
from courses import media_api
from learners import selectors as learner_state
from learners.api import accounts as accounts_api
from learners.api import certificates as certificates_api
from learners.api import learning as learning_api
from learners.api import mobile as mobile_api
from learners.api import reviews as reviews_api
from quizzes import api as quizzes_api
from search import api as catalog_api

app_name = "api"

urlpatterns = [
    path("auth/register/", accounts_api.RegisterView.as_view(), name="register"),
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("auth/token/refresh/", accounts_api.TokenRefreshRotateView.as_view(), name="token-refresh"),
    path("auth/logout/", accounts_api.LogoutView.as_view(), name="logout"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("users/", accounts_api.UserListView.as_view(), name="user-list"),
    path("users/<id:pk>/", accounts_api.UserDetailView.as_view(), name="user-detail"),
    # catalog and authoring
    path("courses/", catalog_api.CourseListView.as_view(), name="course-list"),
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
    # learning on the move
    path("courses/<id:pk>/outline/", mobile_api.OutlineView.as_view(), name="course-outline"),
    path("lessons/<id:pk>/video-progress/", mobile_api.VideoProgressView.as_view(), name="video-progress"),
    path("sync/", mobile_api.SyncView.as_view(), name="sync"),
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
