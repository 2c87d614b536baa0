from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from courses import serving
from learners import certificate_views, files, language_views
from learners import views as learner_views
from search import views as search_views

from . import admin_inputs, health


def workflows_off(request, *args, **kwargs):
    raise Http404


account_urls = [
    path("signup/", learner_views.SignupView.as_view(), name="signup"),
    path("login/", learner_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", learner_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", learner_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    # Probes for the load balancer (lms/health.py): liveness, and readiness of the database, cache and task queue.
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, a JSON answer).
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Wagtail's admin login, password reset and account settings (its password change), with the attempt limits of
    # the site's (learners/throttles.py).
    path("admin/login/", learner_views.AdminLoginView.as_view()),
    path("admin/password_reset/", learner_views.AdminPasswordResetView.as_view()),
    path("admin/account/", admin_inputs.admin_view(learner_views.AdminAccountView)),
    # A private page's password form (Wagtail's), with the same limits.
    path("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/", learner_views.page_password),
    # Wagtail admin views that would answer some bad input with a 500 (lms/admin_inputs.py).
    path("admin/images/multiple/add/", admin_inputs.admin_view(admin_inputs.ImageMultipleAddView)),
    path("admin/documents/multiple/add/", admin_inputs.admin_view(admin_inputs.DocumentMultipleAddView)),
    path("admin/dismissibles/", admin_inputs.admin_view(admin_inputs.DismissiblesView)),
    # Moderation workflows are off (WAGTAIL_WORKFLOW_ENABLED), and with them their reports, which would list
    # every requester's name and email to any teacher.
    re_path(r"^admin/reports/workflow(_tasks)?/", workflows_off),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(files.document_urls)),
    path("media-files/<id:media_id>/<str:filename>", serving.media_file, name="media-file"),
    path("media-files/<id:media_id>/poster/<str:filename>", serving.media_poster, name="media-poster"),
    re_path(r"^media/(?P<path>(?:media|media_thumbnails)/.+)$", serving.stored_media_path),
    path("accounts/", include(account_urls)),
    path("learn/", include("learners.urls")),
    path("certificates/status/revocation/", certificate_views.status_list, name="certificate-status-list"),
    path("certificates/<certificate_code:code>/", certificate_views.verify, name="certificate-verify"),
    path("certificates/<certificate_code:code>/pdf/", certificate_views.pdf, name="certificate-pdf"),
    path(".well-known/jwks.json", certificate_views.jwks, name="jwks"),
    # Django's language switch, which also keeps a signed-in visitor's choice (their certificates' language).
    path("i18n/setlang/", language_views.switch_language, name="set_language"),
    path("search/", search_views.search, name="search"),
    path("api/v1/", include("lms.api_routes", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its script as a file of its own (the split view), and the inline styles and data: images
    # its stylesheet and React components use.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
]

if settings.SERVE_MEDIA:
    # Images' renditions only: documents and videos are served by the checked views above (learners.files),
    # and images' originals never.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>images/.*)$",
            lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT),
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
