"""Wagtail admin views that answer some bad input with a server error, answering a 400 instead.

lms/urls.py mounts each over Wagtail's own URL, with the checks that Wagtail's admin URLs have
(`admin_view`). They are Wagtail's views otherwise; drop one when Wagtail checks the input itself.

- The multiple uploaders of images and documents check that some file came, then read
  `request.FILES["files[]"]`: a file under another field name fails there.
- The store of what a user dismissed in the admin (`PATCH /admin/dismissibles/`) merges any JSON into the
  user's profile: a list or a string fails the merge, deep nesting the parser, a NUL character the database.
  It takes a flat object of scalars, as Wagtail's own scripts send.
"""

import json

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import dismissibles
from wagtail.documents.views import multiple as documents
from wagtail.images.views import multiple as images

from .inputs import holds_nul

UPLOAD_FIELD = "files[]"


def admin_view(view_class):
    """The view as Wagtail's admin URLs serve theirs: for users with admin access, never cached."""
    return never_cache(require_admin_access(view_class.as_view()))


class _NeedsTheUploadField:
    def post(self, request, *args, **kwargs):
        if UPLOAD_FIELD not in request.FILES:
            return HttpResponseBadRequest(_("Choose a file to upload."))
        return super().post(request, *args, **kwargs)


class ImageMultipleAddView(_NeedsTheUploadField, images.AddView):
    pass


class DocumentMultipleAddView(_NeedsTheUploadField, documents.AddView):
    pass


class DismissiblesView(dismissibles.DismissiblesView):
    def patch(self, request, *args, **kwargs):
        try:
            updates = json.loads(request.body)
        except (ValueError, RecursionError):
            return HttpResponseBadRequest()
        if (
            not isinstance(updates, dict)
            or any(isinstance(value, dict | list) for value in updates.values())
            or holds_nul(updates)
        ):
            return HttpResponseBadRequest(_("Expected an object of names and plain values."))
        return super().patch(request, *args, **kwargs)
