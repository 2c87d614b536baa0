"""Portal-wide settings that administrators edit in the Wagtail admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


def optional_image(verbose_name) -> models.ForeignKey:
    """An image one may leave out; deleting the image empties the field."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def upload_limit_mb(verbose_name, help_text) -> models.PositiveIntegerField:
    """An upload limit in MB, at least 1; empty means the server's own limit (see PortalSettings.clean)."""
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, validators=[MinValueValidator(1)], help_text=help_text
    )


@register_setting(icon="cog")
class PortalSettings(BaseGenericSetting):
    """The portal's name, logo and the switches administrators flip without a deploy."""

    portal_name = models.CharField(_("portal name"), max_length=100, default="Learning Portal")
    logo = optional_image(_("logo"))
    default_pass_mark = models.PositiveSmallIntegerField(
        _("default quiz pass mark (%)"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("New quizzes start with this pass mark."),
    )
    registration_open = models.BooleanField(
        _("self-registration open"), default=True, help_text=_("When off, only administrators create accounts.")
    )

    certificate_signer_name = models.CharField(_("certificate signer's name"), max_length=150, blank=True)
    certificate_signer_title = models.CharField(_("certificate signer's title"), max_length=150, blank=True)
    certificate_signature = optional_image(_("signature image"))

    # Upload limits: empty means the server's own limit (the environment's UPLOAD_MAX_*_MB), which is
    # also the most these may be; see courses.uploads.limit_mb.
    max_video_mb = upload_limit_mb(
        _("largest video or audio file (MB)"),
        _("Leave empty for the server's limit. It can be lowered here, not raised."),
    )
    max_document_mb = upload_limit_mb(
        _("largest document (MB)"),
        _("Materials: PDFs, office files, archives, text. Leave empty for the server's limit."),
    )
    max_image_mb = upload_limit_mb(
        _("largest image (MB)"), _("Images and video thumbnails. Leave empty for the server's limit.")
    )

    # Each upload limit field and the server setting that is its default and ceiling.
    UPLOAD_LIMITS = {
        "max_video_mb": "UPLOAD_MAX_VIDEO_MB",
        "max_document_mb": "UPLOAD_MAX_DOCUMENT_MB",
        "max_image_mb": "UPLOAD_MAX_IMAGE_MB",
    }

    panels = [
        MultiFieldPanel([FieldPanel("portal_name"), FieldPanel("logo")], heading=_("Identity")),
        FieldPanel("registration_open"),
        FieldPanel("default_pass_mark"),
        MultiFieldPanel(
            [FieldPanel("max_video_mb"), FieldPanel("max_document_mb"), FieldPanel("max_image_mb")],
            heading=_("Upload limits"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_signer_name"), FieldPanel("certificate_signer_title"), FieldPanel("certificate_signature")],
            heading=_("Certificates"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")

    def clean(self):
        super().clean()
        errors = {}
        for field, setting in self.UPLOAD_LIMITS.items():
            value, ceiling = getattr(self, field), getattr(settings, setting)
            if value is not None and value > ceiling:
                errors[field] = _("The server accepts at most %(limit)d MB (its %(setting)s setting).") % {
                    "limit": ceiling,
                    "setting": setting,
                }
        if errors:
            raise ValidationError(errors)
