"""Public pages of certificates: the verification page, the owner's PDF, and the portal's JWKS."""

import jwt
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from . import credentials
from .models import Certificate
from .services import certificates


def verify(request, code):
    """Anyone with the code (or the QR code) sees who earned what and when, and whether it is valid."""
    certificate = get_object_or_404(Certificate, code=code.strip().upper())
    token = certificates.credential(certificate)
    try:
        credentials.verify(token)
        signature_ok = True
    except jwt.PyJWTError:
        signature_ok = False
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "signature_ok": signature_ok,
            "credential": token,
            "is_owner": request.user.is_authenticated
            and (request.user.pk == certificate.learner_id or request.user.is_superuser),
        },
    )


@login_required
def pdf(request, code):
    certificate = get_object_or_404(Certificate, code=code.strip().upper())
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
