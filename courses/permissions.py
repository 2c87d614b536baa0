"""Who may change which course, in the Wagtail admin and the API alike.

Wagtail's group page permissions cannot say "a teacher publishes their own courses and nobody
else's", so course and lesson pages answer with a tester of their own: the course's owner (its
teacher) may do everything with the course and its lessons; other teachers only look. Teachers
get `add` on the catalog through their group, which lets them create courses and see the tree.
"""

from django.contrib.auth.models import Group
from wagtail.models import PagePermissionTester

OWNER_ACTIONS = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}


class CoursePermissionTester(PagePermissionTester):
    """For a course page or a lesson page: full rights for the course's teacher, none for others."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            teaches = "add" in self.permissions and page.course_owner_id == user.pk
            self.permissions = set(OWNER_ACTIONS) if teaches else set()


class CatalogPermissionTester(PagePermissionTester):
    """For the catalog: teachers add courses (and may publish what they add); only admins touch the catalog."""

    def can_publish_subpage(self):
        if self.user.is_superuser:
            return super().can_publish_subpage()
        return self.user.is_active and "add" in self.permissions

    def can_edit(self):
        return self.user.is_superuser and super().can_edit()

    def can_publish(self):
        return self.user.is_superuser and super().can_publish()

    def can_unpublish(self):
        return self.user.is_superuser and super().can_unpublish()

    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk)

    def can_reorder_children(self):
        return self.user.is_superuser and super().can_reorder_children()


def teachers_group() -> Group | None:
    return Group.objects.filter(name="Teachers").first()
