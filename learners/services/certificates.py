"""Certificates: issued once when a course is completed, rendered to PDF in the background, revocable.

A revocation reaches the signed credential: a revoked certificate's credential is withdrawn (the API
answers 410 with the reason), and the published revocation status list, read from the database each
time it is served, has its bit set, whichever door revoked it.
"""

import secrets
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from lms.errors import Gone, NotFound
from lms.models import PortalSettings
from lms.rows import update_rows

from .. import credentials
from ..models import STATUS_LIST_BLOCK, Certificate, Enrollment, RetiredStatusIndex
from .refusals import NotAdmin

# 20 characters of a 32-letter alphabet without look-alikes: 100 bits, unguessable and easy to read out.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20
# Tries at making a certificate whose code or status list index another one took at the same moment.
ISSUE_ATTEMPTS = 5


class CertificateRevoked(Gone):
    """A revoked certificate has no credential any more."""

    code = "certificate_revoked"

    def __init__(self, certificate: Certificate):
        date = formats.date_format(timezone.localtime(certificate.revoked_at), "DATE_FORMAT")
        super().__init__(
            _("This certificate was revoked on %(date)s: %(reason)s")
            % {"date": date, "reason": certificate.revoked_reason},
            revoked_at=certificate.revoked_at,
            revoked_reason=certificate.revoked_reason,
        )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(certificate: Certificate) -> str:
    return f"{settings.PORTAL_BASE_URL}/certificates/{certificate.code}/"


def issue_certificate(*, enrollment: Enrollment) -> Certificate:
    """The learner's certificate for the enrollment's course: made the first time, found afterwards.

    Called inside the transaction that completes the course; the unique (learner, course) constraint
    keeps it to one even when the last two lessons are completed at once. Its status list index is given
    in the same transaction (`Certificate.save`); when another issue took the same index (or code) at the
    same moment, the unique constraints stop this one and it draws again. The PDF is made after commit,
    in the background.
    """
    mine = Certificate.objects.filter(learner_id=enrollment.learner_id, course_id=enrollment.course_id)
    existing = mine.first()
    if existing is not None:
        return existing
    course = enrollment.course
    for attempt in range(ISSUE_ATTEMPTS):
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
            break
        except IntegrityError:
            existing = mine.first()
            if existing is not None:
                return existing
            if attempt == ISSUE_ATTEMPTS - 1:
                raise
    transaction.on_commit(lambda: render_certificate_pdf.enqueue(certificate.pk))
    return certificate


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Mark a certificate not valid (admins only); its page, JSON and PDF say so from now on."""
    if not by.is_superuser:
        raise NotAdmin(_("Only administrators may revoke certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the certificate is revoked.")]})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:500]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    log(instance=certificate, action="learners.certificate_revoke", user=by, data={"reason": certificate.revoked_reason})
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


@task()
def render_certificate_pdf(certificate_id: int) -> None:
    """In the background: make (or make again, after a revocation) a certificate's PDF and store it."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        store_pdf(certificate)


def store_pdf(certificate: Certificate) -> Certificate:
    """Render the PDF and keep it in the media storage (replacing an older one)."""
    pdf = render_pdf(certificate)
    old = certificate.pdf.name if certificate.pdf else None
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    if not update_rows(Certificate.objects.filter(pk=certificate.pk), pdf=certificate.pdf.name):
        # Deleted while it was being rendered (its learner's account went): no file of it is kept.
        certificate.pdf.storage.delete(certificate.pdf.name)
        return certificate
    if old and old != certificate.pdf.name:
        certificate.pdf.storage.delete(old)
    return certificate


def certificate_deleted(certificate: Certificate) -> None:
    """After a certificate is deleted, whatever the door (its learner's deletion, a shell): its PDF, which
    carries the learner's name, leaves the media storage once the deletion is committed; its bit in the
    revocation status list stays set for good (a verifier holding its credential learns it is no longer
    valid), and its index is never given again."""
    RetiredStatusIndex.objects.get_or_create(index=certificate.status_list_index)
    if certificate.pdf:
        storage, name = certificate.pdf.storage, certificate.pdf.name
        transaction.on_commit(lambda: storage.delete(name))


def pdf_file(certificate: Certificate):
    """The stored PDF, made again on demand when it is missing (a lost file, a task that did not run)."""
    if not certificate.pdf or not certificate.pdf.storage.exists(certificate.pdf.name):
        store_pdf(certificate)
    return certificate.pdf.open("rb")


def holds(user, certificate: Certificate) -> bool:
    """Whether the user may have the certificate's file: its learner and the admins."""
    return user.is_authenticated and (user.pk == certificate.learner_id or user.is_superuser)


def pdf_for(user, certificate: Certificate):
    """The certificate's PDF for those who hold it; to anyone else it does not exist (no telling it does)."""
    if not holds(user, certificate):
        raise NotFound
    return pdf_file(certificate)


def credential(certificate: Certificate) -> str:
    """The certificate as a signed Open Badges 3.0 credential (VC-JWT); none for a revoked one."""
    if not certificate.is_valid:
        raise CertificateRevoked(certificate)
    return credentials.sign(credentials.credential_claims(certificate, base_url=settings.PORTAL_BASE_URL))


def revocation_status_list() -> str:
    """The signed revocation status list (Bitstring Status List, VC-JWT) as the database has it now.

    Made at each request, never kept: a cached copy in one process would outlive a revocation made
    through another. It costs four small queries (on indices), a 16 KB compression and a signature.
    """
    revoked = Certificate.objects.filter(revoked_at__isnull=False).values_list("status_list_index", flat=True)
    retired = RetiredStatusIndex.objects.values_list("index", flat=True)
    highest = max(
        Certificate.objects.aggregate(highest=Max("status_list_index"))["highest"] or 0,
        RetiredStatusIndex.objects.aggregate(highest=Max("index"))["highest"] or 0,
    )
    return credentials.sign(
        credentials.status_list_claims(
            revoked=[*revoked, *retired],
            length=STATUS_LIST_BLOCK * (1 + highest // STATUS_LIST_BLOCK),
            base_url=settings.PORTAL_BASE_URL,
            now=timezone.now(),
            ttl_seconds=settings.CERTIFICATE_STATUS_LIST_MAX_AGE,
        )
    )
