"""Portal-wide settings that administrators edit in the Wagtail admin."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="cog")
class PortalSettings(BaseGenericSetting):
    """The portal's name, logo and the switches administrators flip without a deploy."""

    portal_name = models.CharField(_("portal name"), max_length=100, default="Learning Portal")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    default_pass_mark = models.PositiveSmallIntegerField(
        _("default quiz pass mark (%)"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("New quizzes start with this pass mark."),
    )
    registration_open = models.BooleanField(
        _("self-registration open"), default=True, help_text=_("When off, only administrators create accounts.")
    )

    panels = [
        MultiFieldPanel([FieldPanel("portal_name"), FieldPanel("logo")], heading=_("Identity")),
        FieldPanel("registration_open"),
        FieldPanel("default_pass_mark"),
    ]

    class Meta:
        verbose_name = _("portal settings")
