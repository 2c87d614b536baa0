"""The admin's other views of files, held to the same collection rights as its listings and choosers.

Wagtail scopes its file listings, choosers and edit views by collection (courses.collections). A few
other views answer without that scope, and are narrowed here:

- the admin API's documents and images (`/admin/api/main/documents/`, `.../images/`): the files one may
  choose, as the choosers list them;
- the bulk actions' confirmation pages of documents and images, which named every file whose id was
  asked for, with a note that one may not act on it: they name only the files one may act on;
- wagtailmedia's usage view (which pages use a video), which checks no permission: for those who may
  change the video, as its edit view is.

Registered from courses.wagtail_hooks.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework.authentication import SessionAuthentication
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions import AddTagsBulkAction as AddTagsToDocuments
from wagtail.documents.views.bulk_actions import AddToCollectionBulkAction as AddDocumentsToCollection
from wagtail.documents.views.bulk_actions import DeleteBulkAction as DeleteDocuments
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.bulk_actions import AddTagsBulkAction as AddTagsToImages
from wagtail.images.views.bulk_actions import AddToCollectionBulkAction as AddImagesToCollection
from wagtail.images.views.bulk_actions import DeleteBulkAction as DeleteImages
from wagtail.permissions import policy_registry
from wagtailmedia.models import get_media_model
from wagtailmedia.views import media as media_views


class ChoosableOnly:
    """An admin API endpoint of files listing only those the user may choose."""

    # The admin's signed-in user, as Wagtail's admin API of pages reads it (not the JSON API's tokens).
    authentication_classes = [SessionAuthentication]

    def get_queryset(self):
        choosable = policy_registry.get_by_type(self.model).instances_user_has_permission_for(
            self.request.user, "choose"
        )
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


class ChoosableDocuments(ChoosableOnly, DocumentsAdminAPIViewSet):
    pass


class ChoosableImages(ChoosableOnly, ImagesAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=1)  # after Wagtail's own endpoints, which these replace
def scope_the_admin_api(router):
    router.register_endpoint("documents", ChoosableDocuments)
    router.register_endpoint("images", ChoosableImages)


class ActsOnOwnOnly:
    """A bulk action that names only the files the user may act on; the others are left out unnamed."""

    def get_actionable_objects(self):
        objects, _others = super().get_actionable_objects()
        return objects, {"items_with_no_access": []}


for action in (
    AddTagsToDocuments,
    AddDocumentsToCollection,
    DeleteDocuments,
    AddTagsToImages,
    AddImagesToCollection,
    DeleteImages,
):
    # After Wagtail's registration of the same action, which this one replaces.
    hooks.register(
        "register_bulk_action", type(action.__name__, (ActsOnOwnOnly, action), {"__module__": __name__}), order=1
    )


def media_usage(request, media_id):
    media = get_object_or_404(get_media_model(), pk=media_id)
    policy = policy_registry.get_by_type(get_media_model())
    if not policy.user_has_permission_for_instance(request.user, "change", media):
        return permission_denied(request)
    return media_views.usage(request, media_id)


@hooks.register("register_admin_urls", order=-1)  # before wagtailmedia's, so that its path comes here first
def check_the_media_usage_view():
    return [path("media/usage/<int:media_id>/", media_usage, name="checked_media_usage")]
