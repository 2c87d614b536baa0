"""Background work of the learners' app."""

from django_tasks import task

from .models import Certificate


@task()
def render_certificate_pdf(certificate_id: int) -> None:
    """Make (or make again, after a revocation) a certificate's PDF and store it."""
    from .services.certificates import store_pdf

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        store_pdf(certificate)
