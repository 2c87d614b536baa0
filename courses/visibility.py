"""Who may see which page: Wagtail's view restrictions (the admin's Privacy dialog), at every door.

The public site serves pages through Wagtail, which refuses a page whose restrictions (on the page or
on any ancestor, e.g. the catalog) the request does not pass. Everything else that reads courses and
lessons (the JSON API, the catalog and search, enrolment, quizzes, reviews, "My learning", certificates,
file serving) asks this module, so that a private course is private at every entrance. A restriction is
passed as `PageViewRestriction.accept_request` passes it:

- "login": any signed-in user;
- "groups": members of one of the restriction's groups, and superusers;
- "password": only a visitor whose session holds Wagtail's record of the password having been given
  (`passed_page_view_restrictions`, written by Wagtail's password form on the site). The JWT API has no
  session, so there a password-protected course is seen only by its teacher and the admins.

On top of Wagtail's rule, the admins (superusers) and a course's own teacher always see the course and
its lessons: they must be able to work on what they made private. The site's pages follow the same
exception (`courses.wagtail_hooks`).

`can_view` decides for one page with Wagtail's own `get_view_restrictions` and `accept_request`;
`visible_q` is the same rule as a filter, computed by the database inside the query that reads the
pages (no query of its own), so that listings, counts and facets cost what they cost without it. Both
match restrictions by tree path (a restriction's page is the page or one of its ancestors); aliases of
pages, which the portal does not make, are not followed by `visible_q`.
"""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction

SESSION_KEY = PageViewRestriction.passed_view_restrictions_session_key


def passed_restriction_ids(session) -> list[int]:
    """The password restrictions this session has passed, sorted (none without a session: the JWT API)."""
    if session is None:
        return []
    return sorted({pk for pk in session.get(SESSION_KEY, []) if isinstance(pk, int) and not isinstance(pk, bool)})


def _courses():
    """The course pages. This module sits below the page models, whose querysets and pages filter with it: it
    reaches them through Django's app registry rather than an import that would close a circle."""
    return apps.get_model("courses", "CoursePage").objects


def _viewer(user):
    return user if user is not None else AnonymousUser()


def is_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def failing_restrictions(user, session=None):
    """The restrictions the user with this session does not pass, as a queryset (`accept_request` in SQL)."""
    user = _viewer(user)
    restrictions = PageViewRestriction.objects.all()
    if is_admin(user):
        return restrictions.none()
    fails = Q(restriction_type=PageViewRestriction.PASSWORD) & ~Q(pk__in=passed_restriction_ids(session))
    if not user.is_authenticated:
        fails |= Q(restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
    elif not user.is_superuser:
        member = PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction=OuterRef("pk"), group__in=user.groups.all()
        )
        fails |= Q(restriction_type=PageViewRestriction.GROUPS) & ~Exists(member)
    return restrictions.filter(fails)


def visible_q(user, session=None, prefix: str = "") -> Q:
    """A filter of the pages (courses, lessons or any others) that the user, with this session, may see.

    `prefix` reaches the page through a relation: ``visible_q(user, prefix="course__")`` filters
    enrolments or reviews by their course. A row whose page is gone (a NULL relation) stays.
    """
    user = _viewer(user)
    if is_admin(user):
        return Q()
    path = OuterRef(f"{prefix}path")
    hidden = failing_restrictions(user, session).filter(StartsWith(path, F("page__path")))
    visible = ~Exists(hidden)
    if user.is_authenticated:
        visible |= Exists(_courses().filter(StartsWith(path, F("path")), owner=user))
    return Q(visible)


def visible(queryset, user, session=None):
    """The pages of a page queryset (courses, lessons, ...) that the user may see."""
    return queryset.filter(visible_q(user, session))


def for_request(request) -> dict:
    """`user` and `session` of a site request, as `can_view` and `visible_q` take them."""
    return {"user": request.user, "session": getattr(request, "session", None)}


def can_view(page: Page, user, session=None) -> bool:
    """Whether the user (with this site session, if any) may see the page, under its restrictions and its ancestors'."""
    user = _viewer(user)
    if is_admin(user):
        return True
    visit = _Visit(user, session)
    if all(restriction.accept_request(visit) for restriction in page.get_view_restrictions()):
        return True
    return teaches(page, user)


class _Visit:
    """What `PageViewRestriction.accept_request` reads of a request: its user and its session."""

    def __init__(self, user, session):
        self.user = user
        self.session = session if session is not None else {}


def teaches(page: Page, user) -> bool:
    """Whether the page is, or lies within, a course the user teaches (owns)."""
    if not user.is_authenticated:
        return False
    if hasattr(page, "course_owner_id"):  # a course or a lesson knows its teacher
        return page.course_owner_id == user.pk
    return _courses().ancestor_of(page, inclusive=True).filter(owner=user).exists()


def teaches_or_admin(page: Page, user) -> bool:
    """The course's teacher and the admins: they open every lesson of it without enrolling, drafts included."""
    return is_admin(user) or teaches(page, user)


def restriction_scope(user, session=None) -> str:
    """What decides which restricted pages a visitor sees, as a cache key part.

    The catalog caches its answers per scope: two visitors with the same scope see the same pages, so
    they may share entries; a visitor who passes different restrictions (groups, passwords, signed in
    or not) or teaches courses never gets an entry computed for someone else. Restrictions themselves
    changing start a new catalog generation (`search.signal_handlers`).
    """
    user = _viewer(user)
    if is_admin(user):
        return "admin"
    passed = ",".join(map(str, passed_restriction_ids(session)))
    if not user.is_authenticated:
        return f"anonymous;p{passed}"
    groups = ",".join(str(pk) for pk in sorted(user.groups.values_list("pk", flat=True)))
    owner = f";o{user.pk}" if _courses().filter(owner=user).exists() else ""
    return f"user;g{groups};p{passed}{owner}"
