"""Certificates: issued once when a course is completed, rendered to PDF in the background, revocable."""

import secrets
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.models import PortalSettings

from .. import credentials
from ..models import Certificate, Enrollment

# 20 characters of a 32-letter alphabet without look-alikes: 100 bits, unguessable and easy to read out.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(certificate: Certificate) -> str:
    return f"{settings.PORTAL_BASE_URL}/certificates/{certificate.code}/"


def issue_certificate(*, enrollment: Enrollment) -> Certificate:
    """The learner's certificate for the enrollment's course: made the first time, found afterwards.

    Called inside the transaction that completes the course; the unique (learner, course) constraint
    keeps it to one even when the last two lessons are completed at once. The PDF is made after commit,
    in the background.
    """
    existing = Certificate.objects.filter(learner_id=enrollment.learner_id, course_id=enrollment.course_id).first()
    if existing is not None:
        return existing
    course = enrollment.course
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=new_code(),
                learner=enrollment.learner,
                course=course,
                enrollment=enrollment,
                learner_name=enrollment.learner.name or enrollment.learner.email,
                course_title=course.title if course else enrollment.course_title,
                teacher_name=(course.owner.name if course and course.owner else ""),
            )
    except IntegrityError:
        return Certificate.objects.get(learner_id=enrollment.learner_id, course_id=enrollment.course_id)
    from ..tasks import render_certificate_pdf

    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate.pk))
    return certificate


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Mark a certificate not valid (admins only); its page, JSON and PDF say so from now on."""
    if not by.is_superuser:
        raise PermissionDenied(_("Only administrators may revoke certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the certificate is revoked.")]})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:500]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    log(instance=certificate, action="learners.certificate_revoke", user=by, data={"reason": certificate.revoked_reason})
    from ..tasks import render_certificate_pdf

    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate.pk))
    return certificate


def qr_svg(url: str) -> str:
    buffer = BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=0, xmldecl=False, svgns=True, dark="#1d2330")
    return buffer.getvalue().decode()


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate as a PDF, made by weasyprint from `templates/certificates/certificate_pdf.html`."""
    from weasyprint import HTML

    portal = PortalSettings.load()
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "portal": portal,
                "portal_name": portal.portal_name,
                "verify_url": verify_url(certificate),
                "qr_svg": qr_svg(verify_url(certificate)),
                "fonts_dir": (settings.BASE_DIR / "static" / "fonts").as_uri(),
                "logo_url": _image_uri(portal.logo),
                "signature_url": _image_uri(portal.certificate_signature),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _image_uri(image) -> str | None:
    """A local file URI of an image for weasyprint (None when it is missing or not on local disk)."""
    if image is None:
        return None
    try:
        return Path(image.get_rendition("max-600x300").file.path).as_uri()
    except (NotImplementedError, OSError, ValueError):
        return None


def store_pdf(certificate: Certificate) -> Certificate:
    """Render the PDF and keep it in the media storage (replacing an older one)."""
    pdf = render_pdf(certificate)
    old = certificate.pdf.name if certificate.pdf else None
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    if old and old != certificate.pdf.name:
        certificate.pdf.storage.delete(old)
    return certificate


def pdf_file(certificate: Certificate):
    """The stored PDF, made again on demand when it is missing (a lost file, a task that did not run)."""
    if not certificate.pdf or not certificate.pdf.storage.exists(certificate.pdf.name):
        store_pdf(certificate)
    return certificate.pdf.open("rb")


def credential(certificate: Certificate) -> str:
    """The certificate as a signed Open Badges 3.0 credential (VC-JWT)."""
    return credentials.sign(credentials.credential_claims(certificate, base_url=settings.PORTAL_BASE_URL))
