"""The base of the admin's forms for the portal's pages."""

from wagtail.admin.forms import WagtailAdminPageForm

from lms.inputs import ReadableFormData


class PageForm(ReadableFormData, WagtailAdminPageForm):
    """Every page model of the portal sets this (or a subclass) as its `base_form_class`: hostile form data in
    the page editor is a 400, never a 500 (lms.inputs)."""
