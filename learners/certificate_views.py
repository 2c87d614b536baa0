"""Public pages of certificates: the verification page, the owner's PDF, the portal's JWKS and its
revocation status list."""

import jwt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
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
    certificate = Certificate.objects.filter(code=code.upper()).first()
    if certificate is None:  # a mistyped code: say so, with the way back
        return render(request, "certificates/not_found.html", {"code": code}, status=404)
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
            "is_owner": certificates.holds(request.user, certificate),
        },
    )


def pdf_download(user, certificate: Certificate) -> FileResponse:
    """The certificate's PDF as a download, for the site and the API alike."""
    return FileResponse(
        certificates.pdf_for(user, certificate),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
    )


@login_required
def pdf(request, code):
    return pdf_download(request.user, get_object_or_404(Certificate, code=code.upper()))


@cache_control(public=True, max_age=3600)
def jwks(request):
    """The public key(s) that sign the portal's credentials."""
    return JsonResponse(credentials.jwks())


def status_list(request):
    """The signed revocation status list that every credential points to (a VC-JWT, made afresh)."""
    response = HttpResponse(certificates.revocation_status_list(), content_type="application/vc+jwt")
    patch_cache_control(response, public=True, max_age=settings.CERTIFICATE_STATUS_LIST_MAX_AGE)
    return response
