"""Who may have an uploaded file.

One rule (`may_download`) for documents (Wagtail's serving view asks it through the `before_serve_document`
hook), videos, audio and their posters (`courses.serving` asks it through the `before_serve_media` hook),
whichever door a link came from:
the site's lessons, the API's blocks, the admin. A file goes to

- the admins, its uploader, and whoever may choose or change it in the admin (Wagtail's collection
  permissions: a teacher's own collection, the shared one);
- and to anyone who may see a page that uses it (Wagtail's reference index says which): the page is
  live and its view restrictions let the visitor in (courses.visibility); for a lesson's material, the
  visitor is also enrolled in its (live) course. A course's teacher has the files of their course's pages.

A file that no page uses stays with the first group. Refused: a visitor who is not signed in is sent to
log in; anyone else gets 404, which does not tell whether the file exists.

The API's clients have no session: the views also take the API's `Authorization: Bearer` token.
"""


from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import path, re_path
from django.views.decorators.cache import cache_control
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.authentication import JWTAuthentication
from wagtail.documents.views import serve
from wagtail.permissions import policy_registry

from courses.files import pages_using
from courses.models import CoursePage, LessonPage
from courses.visibility import is_admin, visible

from .models import Enrollment


def may_download(user, item, session=None) -> bool:
    """Whether the user (with this site session, if any) may have the file: a document or a video."""
    user = user if user is not None else AnonymousUser()
    if is_admin(user):
        return True
    if user.is_authenticated and item.uploaded_by_user_id == user.pk:
        return True
    if policy_registry.get_by_type(type(item)).user_has_any_permission_for_instance(user, ["choose", "change"], item):
        return True
    return _a_page_lets_in(pages_using(item), user, session)


def _a_page_lets_in(pages, user, session) -> bool:
    if user.is_authenticated and CoursePage.objects.taught_by(user).holding(pages).exists():
        return True
    seen = visible(pages.live(), user, session)
    if seen.not_type(LessonPage).exists():
        return True
    if not user.is_authenticated:
        return False
    courses = CoursePage.objects.live().holding(seen.type(LessonPage))
    return Enrollment.objects.active().filter(learner=user, course__in=courses).exists()


def viewer(request):
    """The signed-in user of a site request, or the user of the API token it carries (else anonymous)."""
    if request.user.is_authenticated:
        return request.user
    try:
        authenticated = JWTAuthentication().authenticate(request)
    except APIException:
        authenticated = None  # a bad or expired token: no one
    return authenticated[0] if authenticated else AnonymousUser()


def refusal(request, item):
    """None when the request may have the file; else the answer that refuses it."""
    user = viewer(request)
    if may_download(user, item, getattr(request, "session", None)):
        return None
    if user.is_authenticated or "authorization" in request.headers:
        raise Http404
    return redirect_to_login(request.get_full_path())


# Wagtail's document URLs, its serving view marked private: it answers by permission, so no shared cache
# may keep what it sends. Ids of at most 18 digits, as everywhere (lms.api.IdConverter).
document_urls = [
    re_path(r"^(\d{1,18})/(.*)$", cache_control(private=True)(serve.serve), name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
