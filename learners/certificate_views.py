"""Public pages of certificates: the verification page, the owner's PDF, the portal's JWKS and its
revocation status list."""

import jwt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control

from . import credentials
from .models import Certificate
from .services import certificates


def verify(request, code):
    """Anyone with the code (or the QR code) sees who earned what and when, and whether it is valid.

    One verdict: a revoked certificate has no signed credential any more, so nothing on its page says
    that a signature checks out.
    """
    certificate = get_object_or_404(Certificate, code=code.upper())
    signature_ok = None
    if certificate.is_valid:
        try:
            credentials.verify(certificates.credential(certificate))
            signature_ok = True
        except jwt.PyJWTError:
            signature_ok = False
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "signature_ok": signature_ok,
            "is_owner": request.user.is_authenticated
            and (request.user.pk == certificate.learner_id or request.user.is_superuser),
        },
    )


@login_required
def pdf(request, code):
    certificate = get_object_or_404(Certificate, code=code.upper())
    if certificate.learner_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return FileResponse(
        certificates.pdf_file(certificate),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
    )


@cache_control(public=True, max_age=3600)
def jwks(request):
    """The public key(s) that sign the portal's credentials."""
    return JsonResponse(credentials.jwks())


def status_list(request):
    """The signed revocation status list that every credential points to (a VC-JWT, made afresh)."""
    response = HttpResponse(certificates.revocation_status_list(), content_type="application/vc+jwt")
    patch_cache_control(response, public=True, max_age=settings.CERTIFICATE_STATUS_LIST_MAX_AGE)
    return response
