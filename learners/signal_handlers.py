"""The books kept whenever a user, a review or a certificate is deleted (and a user's groups whenever their
role is saved, and the catalog's count of a course's learners whenever an enrollment changes), whatever the door.

The services delete through the ORM (`accounts.delete_user`, `reviews.delete_review`); so do Wagtail's
bulk delete of users, the database's cascades and a shell. Django sends `pre_delete` and `post_delete`
for every row of all of these (cascaded ones included), so the rules are called from here, once, and
none of those doors can skip them. The services only add what belongs to their door: who may delete,
and who the actor is (Wagtail's log context).
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page

from search import entries

from .models import Certificate, Enrollment, Review, User
from .roles import sync_groups
from .services import accounts, certificates, reviews


def _goes_with_its_course(origin) -> bool:
    """Whether a review is deleted because pages are (its course, or a tree holding it): then it is not the
    learner's or a moderator's deletion, and there is no rating left to keep."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, Page)


def review_deleting(sender, instance, origin=None, **kwargs):
    if not _goes_with_its_course(origin):
        reviews.review_deleting(instance)


def review_deleted(sender, instance, origin=None, **kwargs):
    if not _goes_with_its_course(origin):
        reviews.review_deleted(instance)


def account_deleting(sender, instance, **kwargs):
    accounts.account_deleting(instance)


def certificate_deleted(sender, instance, **kwargs):
    certificates.certificate_deleted(instance)


def role_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """The role's group (and a teacher's own collection) follow every save that may change the role."""
    if not raw and (update_fields is None or "role" in update_fields):
        sync_groups(instance)


def enrollment_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Enrolled, left, back or deleted (with the learner, say): the catalog's "most popular" counts it. A save of
    other fields only (the last activity, the completion) leaves the count alone."""
    if not raw and (update_fields is None or "left_at" in update_fields):
        entries.refresh_counts([instance.course_id])


def register_signal_handlers() -> None:
    post_save.connect(enrollment_changed, sender=Enrollment, dispatch_uid="learners.enrollment_saved")
    post_delete.connect(enrollment_changed, sender=Enrollment, dispatch_uid="learners.enrollment_deleted")
    post_save.connect(role_saved, sender=User, dispatch_uid="learners.role_saved")
    pre_delete.connect(review_deleting, sender=Review, dispatch_uid="learners.review_deleting")
    post_delete.connect(review_deleted, sender=Review, dispatch_uid="learners.review_deleted")
    pre_delete.connect(account_deleting, sender=User, dispatch_uid="learners.account_deleting")
    post_delete.connect(certificate_deleted, sender=Certificate, dispatch_uid="learners.certificate_deleted")
