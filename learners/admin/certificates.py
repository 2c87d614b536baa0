"""The certificates listing: issued by the portal, never added or deleted by hand; admins revoke them."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lms.admin_scope import ScopedViewSetMixin

from ..models import Certificate
from ..services import certificates as certificate_services
from .listing import ExportMixin, course_choices, date_range


class RevokeForm(WagtailAdminModelForm):
    revoked_reason = forms.CharField(label=_("Reason for revoking"), max_length=500, widget=forms.Textarea)

    class Meta:
        model = Certificate
        fields = ["revoked_reason"]


class RevokeView(generic.EditView):
    page_title = _("Revoke")
    success_message = _("Certificate '%(object)s' revoked.")

    def save_instance(self):
        return certificate_services.revoke_certificate(
            certificate=self.object, by=self.request.user, reason=self.form.cleaned_data["revoked_reason"]
        )


class CertificateFilterSet(WagtailFilterSet):
    STATES = [("valid", _("Valid")), ("revoked", _("Revoked"))]

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, method="filter_state", widget=forms.RadioSelect, empty_label=_("All")
    )
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=course_choices)
    learner = django_filters.CharFilter(label=_("Learner"), method="filter_learner", help_text=_("Name or email"))
    issued_at = date_range(_("Issued"))
    revoked_at = date_range(_("Revoked"))

    def filter_state(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=(value == "valid")) if value else queryset

    def filter_learner(self, queryset, name, value):
        # The name printed on the certificate, or the account's email.
        return queryset.filter(Q(learner_name__icontains=value) | Q(learner__email__icontains=value))

    class Meta:
        model = Certificate
        fields = []


def certificate_state(certificate) -> str:
    return str(_("Valid") if certificate.is_valid else _("Revoked"))


class CertificateIndexView(ExportMixin, generic.IndexView):
    export_values = {"state": certificate_state}

    def get_base_queryset(self):
        return Certificate.objects.select_related("learner")


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_reference_index = False
    index_view_class = CertificateIndexView
    edit_view_class = RevokeView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["revoked_reason"]
    list_display = ["code", "learner_name", "course_title", "issued_at", "revoked_at"]
    filterset_class = CertificateFilterSet
    search_fields = ["code", "learner_name", "course_title"]
    list_export = [
        "code",
        "learner_name",
        "learner.email",
        "course_title",
        "teacher_name",
        "issued_at",
        "state",
        "revoked_at",
        "revoked_reason",
    ]
    export_headings = {
        "code": _("Code"),
        "learner_name": _("Learner"),
        "learner.email": _("Email"),
        "course_title": _("Course"),
        "teacher_name": _("Teacher"),
        "issued_at": _("Issued"),
        "state": _("State"),
        "revoked_at": _("Revoked"),
        "revoked_reason": _("Reason for revoking"),
    }
    export_filename = "certificates"

    def get_form_class(self, for_update=False):
        return RevokeForm


certificate_viewset = CertificateViewSet("certificates")
