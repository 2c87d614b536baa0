from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from learners import certificate_views
from learners import views as learner_views
from search import views as search_views

from .api import urlpatterns_v1

account_urls = [
    path("signup/", learner_views.SignupView.as_view(), name="signup"),
    path("login/", learner_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include(account_urls)),
    path("learn/", include("learners.urls")),
    path("certificates/<str:code>/", certificate_views.verify, name="certificate-verify"),
    path("certificates/<str:code>/pdf/", certificate_views.pdf, name="certificate-pdf"),
    path(".well-known/jwks.json", certificate_views.jwks, name="jwks"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("search/", search_views.search, name="search"),
    path("api/v1/", include((urlpatterns_v1(), "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

if settings.SERVE_MEDIA:
    # Videos, thumbnails and images. Documents are not here: Wagtail's /documents/ view serves them as
    # attachments, with collection privacy.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:media|media_thumbnails|images|original_images)/.*)$",
            lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT),
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
