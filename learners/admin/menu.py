"""The "Learning" menu: the listings of what learners do, for administrators."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .attempts import attempt_viewset
from .certificates import certificate_viewset
from .enrollments import enrollment_viewset
from .reviews import review_viewset


class LearningViewSetGroup(ViewSetGroup):
    """Administrators' listings of what learners do: enrollments, attempts, certificates, reviews."""

    menu_label = _("Learning")
    menu_icon = "group"
    menu_order = 260
    items = (enrollment_viewset, attempt_viewset, certificate_viewset, review_viewset)


learning_viewset_group = LearningViewSetGroup()
