"""The Content-Security-Policy of every page: django-csp's middleware, with a second policy for the Wagtail admin.

The public site runs only the scripts and styles of its own static files (settings.CONTENT_SECURITY_POLICY).
The Wagtail admin, which runs inline scripts and styles of its own, gets ADMIN_CONTENT_SECURITY_POLICY
instead: the directives that hold there all the same (no plugins, no <base>, framed by the portal only).
A view that needs more says so with django-csp's decorators (Swagger UI, in lms/urls.py).
"""

import csp.middleware
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


class CSPMiddleware(csp.middleware.CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
