"""The addresses the portal gives its uploaded files, the pages that use them, and who may put them there.

No document or video is served as a plain file. Documents go through Wagtail's serving view
(`/documents/<id>/<name>`, WAGTAILDOCS_SERVE_METHOD "serve_view"); videos, audio and their posters
through `/media-files/<id>/<name>` and `/media-files/<id>/poster/<name>`. Both views ask one rule who
may have the file (learners.files): it needs enrolments, so it lives in learners, and this module only
knows which pages use a file.

Images are not private: their renditions (`/media/images/`) are what the site's `<img>` tags and the
admin's previews load, and they stay plain files. Their originals are never served.

Since a file goes to whoever may see a page that uses it, putting a file on a page shares it. So a page
takes only documents and videos its author may choose, as Wagtail's choosers offer them
(`check_files_chosen`): the author's own, the shared ones, any for admins. The admin's page forms
(`PageFilesForm`) and the API's authoring services both check it; files the page used already stay.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry
from wagtailmedia.models import get_media_model

from lms.inputs import parse_id

from .forms import PageForm


def media_url(media) -> str:
    """The checked address of a video's or audio file's content."""
    return reverse("media-file", args=[media.pk, media.filename])


def poster_url(media) -> str | None:
    """The checked address of a video's poster (its thumbnail), if it has one."""
    if not media.thumbnail:
        return None
    return reverse("media-poster", args=[media.pk, media.thumbnail_filename])


def pages_using(item):
    """The pages whose content uses the file (a document, a video, an image), as Wagtail's reference index
    records them.

    The index reads a page's saved content: a live page's published version, or a draft that was never
    published. A file added only in an unpublished draft of a live page is used by no page until then.
    """
    references = (
        ReferenceIndex.get_references_to(item)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .annotate(page_id=Cast("object_id", BigIntegerField()))
        .values("page_id")
    )
    return Page.objects.filter(pk__in=references)


def private_file_models() -> tuple[type, ...]:
    """The kinds of files served by permission: documents and videos (images are public, see above)."""
    return (get_document_model(), get_media_model())


def files_in(model, values: dict) -> set[tuple[type, str]]:
    """The documents and videos (model and id) used by these field values of a page of this model: the chooser
    blocks and rich text links of its StreamFields and rich text fields, and its foreign keys to them."""
    found = set()
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form field of no model field
        if hasattr(field, "extract_references"):
            found.update((used, str(pk)) for used, pk, _path, _content in field.extract_references(value))
        elif field.many_to_one and value is not None:
            found.add((field.related_model, str(getattr(value, "pk", value))))
    return {(used, pk) for used, pk in found if issubclass(used, private_file_models())}


def files_of(page) -> set[tuple[type, str]]:
    return files_in(type(page), {field.name: field.value_from_object(page) for field in page._meta.concrete_fields})


def may_choose(user, item) -> bool:
    """Whether Wagtail's chooser offers the file to the user (wagtailmedia's offers the videos one may change)."""
    if user.is_superuser or item.uploaded_by_user_id == user.pk:
        return True
    return policy_registry.get_by_type(type(item)).user_has_any_permission_for_instance(user, ["choose", "change"], item)


def check_files_chosen(user, used: set, kept: set = frozenset()) -> None:
    """Raise ValidationError unless the user may choose every file in `used` but those in `kept` (already there)."""
    for model, pk in sorted(used - set(kept), key=lambda pair: (pair[0].__name__, pair[1])):
        if parse_id(pk) is None:  # a rich text link's id is the client's text
            raise ValidationError(_("File %(id)s does not exist.") % {"id": pk[:20]}, code="file_unknown")
        item = model._default_manager.filter(pk=pk).first()
        if item is not None and not may_choose(user, item):
            raise ValidationError(
                _("File %(id)s is not one you may use: upload your own, or choose a shared one.") % {"id": pk},
                code="file_not_yours",
            )


class PageFilesForm(PageForm):
    """The admin's form of a page that holds files: its author may add only files they may choose."""

    def clean(self):
        cleaned = super().clean()
        if self.for_user is not None:
            kept = files_of(self.instance) if self.instance.pk else set()
            try:
                check_files_chosen(self.for_user, files_in(self._meta.model, cleaned), kept)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
