"""The blocks a lesson body is made of, with the shapes the API gives them."""

import mimetypes

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html
from wagtailmedia.blocks import VideoChooserBlock

from lms.links import absolute_url

from .files import media_url, poster_url


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")


class TextBlock(blocks.RichTextBlock):
    def get_api_representation(self, value, context=None):
        return expand_db_html(value.source)

    class Meta:
        icon = "pilcrow"
        template = "courses/blocks/text.html"
        label = _("Text")


class ChosenFileRepresentation:
    """A chosen file in the API: its id, title and absolute (checked) URL, and what `file_fields` adds for its kind."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        request = (context or {}).get("request")
        url = absolute_url(self.file_url(value), request)
        return {"id": value.pk, "title": value.title, "url": url, **self.file_fields(value, request)}

    def file_url(self, value) -> str:
        return value.url

    def file_fields(self, value, request) -> dict:
        raise NotImplementedError


def media_type(media) -> str:
    return mimetypes.guess_type(media.file.name)[0] or "application/octet-stream"


RESUME_MARGIN = 5.0  # seconds: a position this close to either end of a video starts it over, offering no resume


def clock(seconds: float) -> str:
    """A time in a video as players show it: m:ss, or h:mm:ss from an hour on."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class VideoBlock(ChosenFileRepresentation, VideoChooserBlock):
    """A video (or audio file) chosen from the media library, played from its checked address: the `video` of a
    lesson's video block (`CaptionedVideoBlock`; before captions, the block itself)."""

    def file_url(self, value):
        return media_url(value)

    def file_fields(self, value, request):
        poster = poster_url(value)
        return {
            "type": media_type(value),
            "duration": value.duration,
            "thumbnail": absolute_url(poster, request) if poster else None,
        }


def caption_languages():
    """The languages a course may be in (`CoursePage.language`), read from the model's field: the models module
    imports this one, not the other way round."""
    return apps.get_model("courses", "CoursePage")._meta.get_field("language").choices


def language_name(code: str) -> str:
    """A language's name in that language ("English", "Русский"), as players list their tracks."""
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        return code
    return name[:1].upper() + name[1:]


CAPTION_KINDS = [
    ("captions", _("Captions: the speech and sounds, in the video's language")),
    ("subtitles", _("Subtitles: a translation of the speech")),
]


class CaptionedVideoBlock(blocks.StructBlock):
    """A lesson's video (or audio file), played and downloaded from its checked address, never from its storage
    path, with an optional captions track: a WebVTT file from the documents, served by the same rule as the lesson's
    other materials (whoever may watch the lesson may read it).

    When an app follows the visitor's watching, the page's context has `video_progress` (learners.page_parts):
    `{"url": where the player sends its heartbeats, "videos": {media id: progress with position and duration}}`;
    the player of a followed video then reports to that address (static/js/video-progress.js) and offers to resume
    at the last position.

    Before captions, a video block's stored value was the video's id alone: such values (in old revisions too)
    read as a video without captions, and the API's authors may still send the id alone.
    """

    video = VideoBlock(label=_("Video"))
    captions = DocumentChooserBlock(
        required=False,
        label=_("Captions file (WebVTT)"),
        help_text=_("Optional: the video's captions or subtitles as a .vtt file, uploaded as a document."),
    )
    captions_language = blocks.ChoiceBlock(
        choices=caption_languages,
        required=False,
        label=_("Captions language"),
        help_text=_("Empty: the course's language."),
    )
    captions_label = blocks.CharBlock(
        required=False,
        max_length=60,
        label=_("Captions label"),
        help_text=_("Its name in the player's menu. Empty: the language's own name, as “English” or “Русский”."),
    )
    captions_kind = blocks.ChoiceBlock(
        choices=CAPTION_KINDS, default="captions", required=False, label=_("Kind of track")
    )

    @staticmethod
    def _struct(value):
        """A stored or given value in this block's shape: the id (or video) alone is a video without captions."""
        return value if isinstance(value, dict) else {"video": value}

    def to_python(self, value):
        return super().to_python(self._struct(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([self._struct(value) for value in values])

    def normalize(self, value):
        if isinstance(value, blocks.StructValue):
            return value
        defaults = {name: block.get_default() for name, block in self.child_blocks.items()}
        return super().normalize({**defaults, **self._struct(value)})

    def clean(self, value):
        value = super().clean(value)
        document = value.get("captions")
        if document is not None and document.file_extension.lower() != "vtt":
            raise StructBlockValidationError(
                block_errors={"captions": ValidationError(_("Choose a WebVTT file (.vtt) for the captions."))}
            )
        return value

    def track(self, value, context) -> dict | None:
        """The captions track of the video as the player takes it (`url` the checked address of the file), or None.

        Its language, when the editor left it empty, is the course's (the page's `course`), else English."""
        document = value.get("captions")
        if document is None:
            return None
        course = (context or {}).get("course")
        language = value.get("captions_language") or getattr(course, "language", None) or "en"
        return {
            "url": document.url,
            "language": language,
            "label": value.get("captions_label") or language_name(language),
            "kind": value.get("captions_kind") or "captions",
        }

    def get_api_representation(self, value, context=None):
        media = value.get("video")
        if media is None:
            return None
        shown = self.child_blocks["video"].get_api_representation(media, context)
        track = self.track(value, context)
        if track is not None:
            track["url"] = absolute_url(track["url"], (context or {}).get("request"))
        return {**shown, "captions": [track] if track else []}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The template knows the video as `value`, as it did when the block was the video's chooser alone.
        media = context["value"] = value.get("video")
        if media is not None:
            context.update(video_url=media_url(media), poster_url=poster_url(media), video_type=media_type(media))
            context["watching"] = self.watching(media, parent_context or {})
            context["captions"] = self.track(value, parent_context)
        return context

    @staticmethod
    def watching(value, parent_context) -> dict | None:
        """Where the player reports, where it stands, and the resume offer (m:ss, or None), if it is followed."""
        progress = parent_context.get("video_progress")
        state = progress["videos"].get(value.pk) if progress else None
        if state is None:
            return None
        end = state.duration or float("inf")
        resume = RESUME_MARGIN <= state.position < end - RESUME_MARGIN
        return {
            "url": progress["url"],
            "position": state.position,
            "resume_at": clock(state.position) if resume else None,
        }

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")
        form_layout = blocks.BlockGroup(
            children=[
                "video",
                blocks.BlockGroup(
                    children=["captions", "captions_language", "captions_label", "captions_kind"],
                    heading=_("Captions"),
                    classname="collapsed",
                ),
            ]
        )


def _an_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def is_captioned_video(value) -> bool:
    """Whether the API's value of a video block is the object form, `{video, captions, captions_language,
    captions_label, captions_kind}` (all but `video` optional), with ids of files that exist and known choices."""
    if (
        not isinstance(value, dict)
        or not _an_id(value.get("video"))
        or not set(value) <= set(CaptionedVideoBlock.base_blocks)
    ):
        return False
    captions = value.get("captions")
    if captions is not None and not (_an_id(captions) and get_document_model().objects.filter(pk=captions).exists()):
        return False
    language, kind = value.get("captions_language"), value.get("captions_kind")
    label = value.get("captions_label")
    return (
        (language in (None, "") or language in dict(caption_languages()))
        and (kind in (None, "") or kind in dict(CAPTION_KINDS))
        and (label is None or (isinstance(label, str) and len(label) <= 60 and "\x00" not in label))
    )


def video_id(stored) -> int | None:
    """The video's id in a video block's stored value, in either of its shapes (see CaptionedVideoBlock), or
    None."""
    pk = stored.get("video") if isinstance(stored, dict) else stored
    return pk if isinstance(pk, int) and not isinstance(pk, bool) else None


class FileBlock(ChosenFileRepresentation, DocumentChooserBlock):
    """A material to download: a Wagtail document."""

    def file_fields(self, value, request):
        return {"file_extension": value.file_extension, "size": value.get_file_size()}

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/file.html"
        label = _("File or material")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=255, label=_("Caption"))

    def get_api_representation(self, value, context=None):
        image = value["image"]
        if image is None:
            return None
        request = (context or {}).get("request")
        rendition = image.get_rendition("max-1200x1200")
        return {
            "id": image.pk,
            "url": absolute_url(rendition.url, request),
            "width": rendition.width,
            "height": rendition.height,
            "alt": value["caption"] or image.title,
            "caption": value["caption"],
        }

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image")


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[
            ("text", "Plain text"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("html", "HTML"),
            ("css", "CSS"),
            ("sql", "SQL"),
            ("bash", "Shell"),
        ],
        default="python",
        label=_("Language"),
    )
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        template = "courses/blocks/code.html"
        label = _("Code")


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = TextBlock(features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "code", "blockquote"])
    video = CaptionedVideoBlock()
    image = ImageBlock()
    file = FileBlock()
    embed = EmbedBlock(icon="site", label=_("Embed"), template="courses/blocks/embed.html")
    code = CodeBlock()
