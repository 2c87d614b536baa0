"""Certificates: issued once when a course is completed, rendered to PDF in the background, revocable.

A revocation reaches the signed credential: a revoked certificate's credential is withdrawn (the API
answers 410 with the reason), and the published revocation status list, read from the database each
time it is served, has its bit set, whichever door revoked it.
"""

import base64
import mimetypes
import secrets
from io import BytesIO

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, F, Max, Value, When
from django.db.models.functions import Concat
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
# Where the PDFs are kept in the media storage, and the mark on a revoked certificate's (see `pdf_name`).
PDF_FOLDER = Certificate._meta.get_field("pdf").upload_to
REVOKED_MARK = "-revoked"


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
                    language=enrollment.learner.language,
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
    """The certificate as a PDF, made by weasyprint from `templates/certificates/certificate_pdf.html`, in the
    certificate's language (its learner's when it was issued), labels and dates alike."""
    from weasyprint import HTML

    portal = PortalSettings.load()
    with translation.override(certificate.language):
        html = render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "language": certificate.language,
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
    """An image for weasyprint as a data URI of its rendition's bytes, read from whichever storage keeps them
    (a bucket has no local path to point at); None when it is missing."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-600x300")
        with rendition.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        return None
    kind = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


@task()
def render_certificate_pdf(certificate_id: int) -> None:
    """In the background: make (or make again, after a revocation) a certificate's PDF and store it.

    Run as often as anyone likes (a task queued again after its worker died, the sweep's): a PDF that is
    already there for the certificate as it stands is kept.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None and not has_current_pdf(certificate):
        store_pdf(certificate)


def pdf_name(certificate: Certificate) -> str:
    """The one name its PDF has in the media storage, which says what the PDF shows: its code, marked once it
    is revoked. So a PDF from before a revocation is told from one after it without reading it."""
    return f"{PDF_FOLDER}{certificate.code}{'' if certificate.is_valid else REVOKED_MARK}.pdf"


def has_current_pdf(certificate: Certificate) -> bool:
    """Whether the certificate's PDF is the one for it as it stands, and is in the storage."""
    name = pdf_name(certificate)
    return certificate.pdf.name == name and certificate.pdf.storage.exists(name)


def store_pdf(certificate: Certificate) -> Certificate:
    """Render the PDF and keep it in the media storage under `pdf_name`, in place of the older one.

    One PDF, however often it runs and whoever runs it (a task run again after its worker was killed, the
    sweep, a download that found no file): renders of one certificate take turns on its row lock, each
    rendering the certificate as the database has it then; and the name depends on the certificate alone, so
    the file of a render that died between writing it and recording it is written over, not left beside.
    """
    storage = certificate.pdf.storage
    with transaction.atomic():
        current = Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
        if current is None:
            # Deleted (its learner's account went): no file of it is kept, nor one that a render left behind.
            storage.delete(pdf_name(certificate))
            return certificate
        pdf = render_pdf(current)
        name = pdf_name(current)
        storage.delete(name)  # what a render that died left there, or this very PDF whose file went missing
        name = storage.save(name, ContentFile(pdf))
        old = current.pdf.name
        update_rows(Certificate.objects.filter(pk=current.pk), pdf=name)
        if old and old != name:
            transaction.on_commit(lambda: storage.delete(old))
    certificate.pdf = name
    return certificate


def lacking_pdf(*, check_files: bool = False) -> list[int]:
    """The ids of the certificates whose PDF is missing or out of date: none recorded, or not the one for the
    certificate as it stands (made before its revocation). With `check_files`, also those whose recorded file
    is gone from the storage, which costs a look-up per certificate."""
    current_name = Concat(
        Value(PDF_FOLDER),
        F("code"),
        Case(When(revoked_at__isnull=True, then=Value(".pdf")), default=Value(f"{REVOKED_MARK}.pdf")),
        output_field=CharField(),
    )
    certificates = Certificate.objects.alias(current_name=current_name).order_by("pk")
    lacking = list(certificates.exclude(pdf=F("current_name")).values_list("pk", flat=True))
    if check_files:
        recorded = certificates.filter(pdf=F("current_name")).only("pk", "pdf")
        lacking += [each.pk for each in recorded.iterator() if not each.pdf.storage.exists(each.pdf.name)]
    return lacking


def queue_missing_pdfs(*, check_files: bool = False) -> int:
    """Queue a render of each PDF that is missing or out of date (`lacking_pdf`); how many were queued."""
    lacking = lacking_pdf(check_files=check_files)
    for certificate_id in lacking:
        render_certificate_pdf.enqueue(certificate_id)
    return len(lacking)


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
    """The stored PDF, made on demand when it is missing or out of date (a lost file, a task that was lost or
    has not run yet)."""
    if not has_current_pdf(certificate):
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
