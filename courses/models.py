"""Content of the portal: the home page, the catalog, courses and lessons, as Wagtail pages."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q
from django.db.models.functions import Length, Substr
from django.db.models.lookups import StartsWith
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import get_translation_fields
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtailmedia.models import get_media_model

from .blocks import LessonBodyBlock, video_id
from .files import PageFilesForm
from .forms import PageForm
from .page_parts import (
    CATALOG_PAGE_HOOK,
    COURSE_PAGE_HOOK,
    LESSON_PAGE_HOOK,
    add_parts,
    card_states,
    course_of,
    lessons_for,
)
from .panels import LESSON_EDITOR_PANELS, PluggedPanels
from .permissions import CatalogPermissionTester, CoursePermissionTester
from .visibility import for_request, is_admin, visible, visible_q


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


def translated_panels(*names: str) -> list[FieldPanel]:
    """The editor's fields for these translated fields (courses/translation.py): each in every language, one under
    the other ("Intro (English)", "Intro (Russian)")."""
    return [FieldPanel(name) for name in get_translation_fields(*names)]


@register_snippet
class Category(index.Indexed, models.Model):
    """A subject area of the catalog, such as Programming or Languages. Its name and description are given in
    each language (courses/translation.py)."""

    name = models.CharField(pgettext_lazy("category", "name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)

    panels = [*translated_panels("name"), FieldPanel("slug"), *translated_panels("description")]
    # Found by its name in any language, whichever the searcher's.
    search_fields = [
        *(index.SearchField(name) for name in get_translation_fields("name")),
        *(index.AutocompleteField(name) for name in get_translation_fields("name")),
    ]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # modeltranslation writes the untranslated columns in the active language: they keep the English
        # text whatever the editor's, so that `name`'s unique constraint means what `name_en`'s does.
        with translation.override(DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)

    @property
    def all_names(self) -> str:
        """Its name in each language it has one in, for the catalog's search."""
        names = (getattr(self, field) for field in get_translation_fields("name"))
        return " ".join(dict.fromkeys(name for name in names if name))


def view_restrictions_may_apply():
    """Whether a view restriction may apply to a page (an outer query's row): one on the page or on an ancestor, or
    an alias on its way (Wagtail then reads the alias's source instead). False only where `Page.get_view_restrictions`
    finds none."""
    path = OuterRef("path")
    restricted = PageViewRestriction.objects.filter(StartsWith(path, F("page__path")))
    aliases = Page.objects.filter(alias_of__isnull=False).filter(StartsWith(path, F("path")))
    return ExpressionWrapper(Q(Exists(restricted)) | Q(Exists(aliases)), output_field=BooleanField())


class RoutedPage:
    """The routing of the portal's pages: each level of a URL in one query.

    Wagtail's `Page.route` reads every page on a URL's path twice: the child with the slug as a plain page, then its
    specific row. Each of our page types takes one type of child (`subpage_types`), so a page reads its child as that
    type at once, with what its template reads through foreign keys (`routing_related`). Anything else (a child of
    another type, no such child) takes Wagtail's own way, to Wagtail's answer. As with Wagtail, a child keeps its
    parent (`_cached_parent_obj`: `courses.page_parts.course_of` and the breadcrumbs read it), and only the last page
    must be live.

    The last page's query also tells whether a view restriction may apply to it (`view_restrictions_may_apply`):
    where none may, that page's `get_view_restrictions` (Wagtail's check before serving it, `courses.wagtail_hooks`,
    `courses.visibility.can_view`, all in the request that routed it) answers without a query; any other page, and
    one that a restriction may apply to, reads them Wagtail's way.
    """

    routing_related = ()

    def route(self, request, path_components):
        if path_components:
            child = self._routed_child(path_components[0], last=len(path_components) == 1)
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _routed_child(self, slug, last):
        models = self.allowed_subpage_models()
        if self.is_leaf() or len(models) != 1:
            return None
        model = models[0]
        children = model.objects.child_of(self).exact_type(model).filter(slug=slug)
        children = children.select_related(*getattr(model, "routing_related", ()))
        if last:
            children = children.annotate(routed_view_restrictions=view_restrictions_may_apply())
        return children.first()

    def get_view_restrictions(self):
        if vars(self).get("routed_view_restrictions") is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HeadedPage:
    """A page whose main heading (`heading`, given in each language) may differ from its title, and falls back to
    it: the page's H1, its breadcrumb and its browser title."""

    @property
    def display_title(self) -> str:
        return self.heading or self.title


HEADING_HELP = _("The page's main heading, as visitors see it. Empty: the page's title.")


class HomePage(HeadedPage, RoutedPage, Page):
    """The site root: a welcome and the way into the catalog."""

    heading = models.CharField(_("heading"), max_length=255, blank=True, help_text=HEADING_HELP)
    intro = RichTextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, *translated_panels("heading", "intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1
    base_form_class = PageForm

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalog = CourseIndexPage.objects.live().first()
        context["catalog"] = catalog
        featured = list(visible(catalog.courses(), **for_request(request))[:6]) if catalog else []
        card_states(request, featured)  # "Enrolled · 40%", as on the catalog's cards
        context["featured"] = featured
        return context


class CourseIndexPage(HeadedPage, RoutedPage, Page):
    """The catalog: every published course lives under it."""

    heading = models.CharField(_("heading"), max_length=255, blank=True, help_text=HEADING_HELP)
    intro = RichTextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, *translated_panels("heading", "intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    base_form_class = PageForm
    per_page = 12

    class Meta:
        verbose_name = _("course catalog")

    def permissions_for_user(self, user):
        return CatalogPermissionTester(user, self)

    def courses(self):
        return (
            CoursePage.objects.child_of(self)
            .live()
            .select_related("owner", "category", "cover_image")
            .order_by("-created_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        # The catalog is searched, filtered and sorted by its URL: the search app, which builds on these models,
        # contributes the courses and the filters (`CATALOG_PAGE_HOOK`, search/wagtail_hooks.py).
        return add_parts(CATALOG_PAGE_HOOK, request, self, super().get_context(request, *args, **kwargs))


class CourseQuerySet(PageQuerySet):
    def taught_by(self, user):
        return self.filter(owner=user)

    def holding(self, pages):
        """The courses that are, or hold, one of these pages (a queryset): one query whatever their number."""
        return self.filter(Exists(pages.filter(path__startswith=OuterRef("path"))))

    def visible_to(self, user):
        """Live courses the user may see (`courses.visibility`), and for a teacher also their own drafts (admins
        see all)."""
        if is_admin(user):
            return self
        if user.is_authenticated:
            return self.filter(Q(live=True) | Q(owner=user)).filter(visible_q(user))
        return visible(self.live(), user)

    def with_card_data(self, cover_spec: str):
        """What a course card needs, in a fixed number of queries whatever the number of cards: its teacher,
        category and cover in the courses' own query, the cover's `cover_spec` rendition in one more."""
        return with_card_data(self, cover_spec)


def with_card_data(queryset, cover_spec: str, course: str = ""):
    """`queryset` reading what the cards of its courses need (`course`: the path to the course from its rows,
    none for courses themselves): the course, teacher, category and cover joined in, the cover's rendition in
    one more query."""
    prefix = f"{course}__" if course else ""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=cover_spec)
    related = [f"{prefix}{name}" for name in ("owner", "category", "cover_image")]
    return queryset.select_related(*related).prefetch_related(
        Prefetch(f"{prefix}cover_image__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


class CoursePage(RoutedPage, Page):
    """A course: a description and an ordered set of lessons, taught by the page's owner."""

    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the catalog card."))
    description = RichTextField(_("description"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BEGINNER)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH)
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), null=True, blank=True, help_text=_("Leave empty to add up the lessons.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    # Kept by the reviews service after every change to a course's visible reviews, so that lists
    # can show and sort by ratings without a query per course.
    rating_avg = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True, editable=False)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("level"), FieldPanel("language"), FieldPanel("duration_minutes")],
            heading=_("About the course"),
        ),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("owner", permission="superuser", heading=_("Teacher")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        # Its category's names in each language it has one in (a missing translation is no word "None").
        index.RelatedFields("category", [index.SearchField("all_names")]),
        index.RelatedFields("owner", [index.SearchField("name")]),
        index.FilterField("level"),
        index.FilterField("language"),
        index.FilterField("category"),
        index.FilterField("owner"),
        index.FilterField("created_at"),
    ]

    objects = PageManager.from_queryset(CourseQuerySet)()
    routing_related = ("owner", "category", "cover_image")  # the teacher's name, the category, the cover

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = PageFilesForm  # its description links only documents its teacher may choose

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def permissions_for_user(self, user):
        return CoursePermissionTester(user, self)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        # The ratings are the reviews service's, not the editor's: publishing an older draft must not
        # bring back the ratings it was saved with.
        page.rating_avg, page.rating_count = self.rating_avg, self.rating_count
        return page

    @property
    def course_owner_id(self):
        return self.owner_id

    def lessons(self):
        """The published lessons in syllabus order (the page tree's order)."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def total_minutes(self, lessons=None):
        if self.duration_minutes:
            return self.duration_minutes
        lessons = self.lessons() if lessons is None else lessons
        return sum(lesson.duration_minutes or 0 for lesson in lessons) or None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = lessons_for(request, self)
        context["lessons"] = lessons
        context["total_minutes"] = self.total_minutes(lessons)
        return add_parts(COURSE_PAGE_HOOK, request, self, context)


@dataclass
class Place:
    """Where a lesson stands among the lessons a visitor sees: its 1-based position and its neighbours."""

    position: int | None = None
    previous: object = None
    next: object = None


def place_of(lesson_id: int, lessons: list) -> Place:
    """The lesson's place among `lessons` (pages or their ids, in syllabus order); an empty place when it is
    not one of them."""
    ids = [getattr(item, "pk", item) for item in lessons]
    if lesson_id not in ids:
        return Place()
    index = ids.index(lesson_id)
    return Place(
        position=index + 1,
        previous=lessons[index - 1] if index else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
    )


class LessonQuerySet(PageQuerySet):
    """The tree arithmetic of "a course's lessons", in one place: a lesson is a child page of its course."""

    def of_courses(self, courses):
        """Lessons of these courses (a queryset): one query whatever their number."""
        parent_path = Substr("path", 1, Length("path") - Page.steplen)
        return self.annotate(parent_path=parent_path).filter(parent_path__in=courses.values("path"))

    def taught_by(self, user):
        """Lessons of the courses the user owns (teaches)."""
        return self.of_courses(CoursePage.objects.filter(owner=user))

    def in_course_of(self, outer_ref: str):
        """Lessons of the course an outer query's row points to (`outer_ref`), for a subquery such as a count
        of lessons per enrollment."""
        return self.filter(in_course_of(outer_ref))


def in_course_of(outer_ref: str, lesson: str = "") -> Q:
    """Rows whose lesson (`lesson`: the path to it, none for lessons themselves) is a lesson of the course an
    outer query's row points to (`outer_ref`): a child page of it."""
    prefix = f"{lesson}__" if lesson else ""
    return Q(
        **{
            f"{prefix}path__startswith": OuterRef(f"{outer_ref}__path"),
            f"{prefix}depth": OuterRef(f"{outer_ref}__depth") + 1,
        }
    )


class LessonForm(PageFilesForm):
    """The lesson's editor form. A post without the share to watch (an editor opened before the field existed, a
    script) keeps the lesson's share, or the default, rather than failing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "watch_percent" in self.fields:
            self.fields["watch_percent"].required = False

    def clean_watch_percent(self):
        value = self.cleaned_data.get("watch_percent")
        return value if value is not None else self.instance.watch_percent


class LessonPage(RoutedPage, Page):
    """One lesson of a course: a body of blocks, taken in the course's order."""

    objects = PageManager.from_queryset(LessonQuerySet)()

    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("estimated duration (minutes)"), null=True, blank=True)
    require_watching = models.BooleanField(
        _("require watching the video"),
        default=False,
        help_text=_(
            "The lesson's first video is its main content: the lesson is completed only once the learner has "
            "watched the share of it set below (seeking does not count)."
        ),
    )
    watch_percent = models.PositiveSmallIntegerField(
        _("share to watch (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much of the video, in distinct seconds, counts as watched."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("require_watching"), FieldPanel("watch_percent")], heading=_("Watching")),
        PluggedPanels(LESSON_EDITOR_PANELS),  # what the apps built on lessons show beside them (courses.panels)
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    base_form_class = LessonForm  # its body holds only documents and videos its teacher may choose

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def permissions_for_user(self, user):
        return CoursePermissionTester(user, self)

    @property
    def video_ids(self) -> list[int]:
        """The ids of the videos in the body, in order, read from its stored data (no query); the first is the
        lesson's main video (`require_watching`)."""
        ids = (video_id(block.get("value")) for block in self.body.raw_data if block.get("type") == "video")
        return [pk for pk in ids if pk is not None]

    def clean(self):
        super().clean()
        if self.require_watching:
            ids = self.video_ids
            main = get_media_model().objects.filter(pk=ids[0]).only("duration").first() if ids else None
            if main is None:
                raise ValidationError({"require_watching": _("Add a video to the body to require watching it.")})
            if not main.duration:
                raise ValidationError(
                    {"require_watching": _("Give the video its duration (in the media library) to require watching it.")}
                )

    @property
    def course_path(self) -> str:
        """The tree path of the lesson's course (its parent page)."""
        return self.path[: -self.steplen]

    @property
    def course(self) -> CoursePage:
        if not hasattr(self, "_course"):
            self._course = CoursePage.objects.select_related("owner").parent_of(self).get()
        return self._course

    @property
    def course_owner_id(self):
        return self.course.owner_id

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = course_of(self)
        lessons = lessons_for(request, course)
        place = place_of(self.pk, lessons)
        context.update(
            course=course,
            lessons=lessons,
            position=place.position,
            previous_lesson=place.previous,
            next_lesson=place.next,
        )
        return add_parts(LESSON_PAGE_HOOK, request, self, context)

