"""Every URL of the Wagtail admin, from Django's URL resolver, filled with another teacher's objects (for
test_authorization_matrix.py). FILL says how each part of the admin's path parameters are filled;
BULK_OBJECTS, OPEN and SKIP are the commented allow-lists; a new admin URL that names an object fails
that module's tests until it is given a place here.
"""

import re

from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from wagtail.admin.views.bulk_action.registry import bulk_action_registry


class Fixed(str):
    """A path parameter that names no object, filled with this value."""


# How the path parameters of each part of the admin are filled, by the longest route prefix (after
# "admin/") a URL starts with: a key of the `others` world (the id of the other teacher's object, or
# of one of each kind of object that no teacher owns), or a Fixed value. "?id" is the object put in
# the query string (`?id=`) of that part's URLs, as its choosers and listings take one.
FILL = {
    "pages/": {
        "page_id": "lesson",
        "pk": "lesson",
        "page_to_move_id": "lesson",
        "parent_page_id": "course",
        "destination_id": "course",
        "revision_id": "revision",
        "revision_id_a": "revision",
        "revision_id_b": "revision",
        "task_state_id": "task_state",
        "task_id": "task",
        "workflow_state_id": "workflow_state",
        "action_name": Fixed("approve"),
        "content_type_app_name": Fixed("courses"),
        "content_type_model_name": Fixed("lessonpage"),
        "app_label": Fixed("courses"),
        "model_name": Fixed("lessonpage"),
        "?id": "lesson",
    },
    "choose-page/": {"parent_page_id": "course", "?id": "lesson"},
    "api/main/^pages/": {"pk": "lesson", "action_name": Fixed("delete"), "?id": "lesson"},
    "api/main/^documents/": {"pk": "document", "?id": "document"},
    "api/main/^images/": {"pk": "image", "?id": "image"},
    "collections/": {"pk": "collection", "collection_id": "collection"},
    "workflows/": {
        "pk": "workflow",
        "page_pk": "lesson",
        "workflow_pk": "workflow",
        "task_id": "task",
        "app_label": Fixed("wagtailcore"),
        "model_name": Fixed("groupapprovaltask"),
    },
    "editing-sessions/": {
        "app_label": Fixed("wagtailcore"),
        "model_name": Fixed("page"),
        "object_id": "lesson",
        "session_id": "editing_session",
    },
    "settings/": {"app_name": Fixed("lms"), "model_name": Fixed("portalsettings"), "pk": "settings"},
    "forms/": {"page_id": "lesson"},
    "redirects/": {"redirect_id": "redirect"},
    "documents/": {
        "document_id": "document",
        "doc_id": "document",
        "pk": "document",
        "uploaded_file_id": "uploaded_document",
        "?id": "document",
    },
    "images/": {
        "image_id": "image",
        "pk": "image",
        "uploaded_file_id": "uploaded_image",
        "filter_spec": Fixed("original"),
        "?id": "image",
    },
    "media/": {"media_id": "media", "media_type": Fixed("video"), "?id": "media"},
    "snippets/": {"pk": "category", "?id": "category"},
    "enrollments/": {"pk": "enrollment", "?id": "enrollment"},
    "quiz-attempts/": {"pk": "attempt", "?id": "attempt"},
    "certificates/": {"pk": "certificate", "?id": "certificate"},
    "reviews/": {"pk": "review", "?id": "review"},
    "course-report/": {"course_id": "course"},
    "quizzes/": {"pk": "quiz", "?id": "quiz"},
    "sites/": {"pk": "site"},
    "users/": {"pk": "other_teacher", "?id": "other_teacher"},
    "groups/": {"pk": "group"},
}


# Bulk actions (`bulk/<app>/<model>/<action>/?id=...`): the object each registered model's are tried on.
BULK_OBJECTS = {
    "wagtailcore.page": "lesson",
    "wagtaildocs.document": "document",
    "wagtailimages.image": "image",
    "learners.user": "other_teacher",
    "courses.category": "category",
}


# Admin URLs that take ids and yet answer every teacher: none may show a secret all the same.
OPEN = {
    # The page chooser walks the whole tree, as the catalog does, to link to any page; it lists titles.
    "admin/choose-page/<int:parent_page_id>/",
    # Wagtail's explorer opens any page under the catalog, where teachers add their courses (Wagtail's
    # page permissions are given on the catalog): another teacher's course shows its title and its
    # lessons' titles (as the catalog does), never their content; each action on them is refused.
    "admin/pages/<int:parent_page_id>/",
    "admin/pages/<int:parent_page_id>/results/",
    "admin/api/main/^pages/<int:pk>/",  # the explorer's menu: the same titles, as JSON
    # Whether publishing would cancel the page's moderation: the names of the admins' workflow and task.
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/",
    # A moderation task chosen for a workflow: the task's name. Tasks and workflows are the admins'.
    "admin/workflows/task_chooser/<int:task_id>/",
    # Ends the user's own editing session of that id, if they have one: another's is left as it is.
    "admin/editing-sessions/release/<int:session_id>/",
    # Categories are the catalog's shared facets (public in the API), chosen for any course.
    "admin/snippets/choose/courses/category/chosen/<str:pk>/",
}


# Admin URLs not opened at all, each for the reason given.
SKIP = {
    # Wagtail's catch-all that answers 404 for any other path under /admin/.
    "admin/^.*/$",
    # Opening it would sign the teacher out (the sweep would then go on as an anonymous visitor).
    "admin/logout/",
    # Wagtail's own pages that raise an error on purpose, to test error pages.
    "admin/failwhale/",
    "admin/test404/",
    # Tag names are a vocabulary shared by every file and page; the URL names a model, not an object.
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/",
    # A password reset link: a one-time token of its own, for signed-out users.
    "admin/password_reset/confirm/<uidb64>/<token>/",
}


def parameter_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def admin_url_patterns() -> list[tuple[str, str | None, list[str]]]:
    """(route, name to reverse, path parameters) of every URL pattern under /admin/, from the URL resolver."""
    found = []

    def walk(patterns, route, namespace, parameters):
        for entry in patterns:
            here = route + str(entry.pattern)
            names = parameters + parameter_names(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here, ":".join(filter(None, [namespace, entry.namespace])), names)
            elif here.startswith("admin/"):
                name = entry.name and ":".join(filter(None, [namespace, entry.name]))
                found.append((here, name, names))

    walk(get_resolver().url_patterns, "", "", [])
    return found


# A path parameter in a route (`<int:pk>`); a route made of plain words and these is built without a name.
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def plain(route: str) -> bool:
    return not any(sign in route for sign in "^$()\\")


def url_of(route: str, name: str | None, kwargs: dict) -> str:
    if name:
        return reverse(name, kwargs=kwargs)
    return "/" + PARAMETER.sub(lambda found: str(kwargs[found[1]]), route)


def fill_for(route: str) -> dict:
    """The parameters known for a route: those of every FILL prefix it starts with, the longest winning."""
    known = {}
    for prefix in sorted(FILL, key=len):
        if route.startswith("admin/" + prefix):
            known.update(FILL[prefix])
    return known


def bulk_models() -> list[tuple[str, str, str]]:
    bulk_action_registry.get_bulk_actions_for_model("", "")  # makes the registry read the hooks
    return [
        (app_label, model_name, action)
        for app_label, models in bulk_action_registry.actions.items()
        for model_name, actions in models.items()
        for action in actions
    ]


def unknown_admin_urls() -> list[str]:
    """Admin URLs that this file cannot build or fill: each needs a name or an object in FILL, or a place in SKIP."""
    unknown = []
    for route, name, parameters in admin_url_patterns():
        if route in SKIP:
            continue
        if not (name or plain(route)):
            unknown.append(f"{route} (neither a name nor a plain path)")
            continue
        if not parameters:
            continue
        if route.startswith("admin/bulk/"):
            unknown += [
                f"bulk {app}.{model}" for app, model, _a in bulk_models() if f"{app}.{model}" not in BULK_OBJECTS
            ]
            continue
        if missing := set(parameters) - set(fill_for(route)):
            unknown.append(f"{route} ({', '.join(sorted(missing))})")
    return unknown


def admin_urls(others) -> tuple[list[str], list[str]]:
    """Every admin URL filled with the other teacher's objects: (those naming an object, all the others)."""
    scoped, unscoped = [], []
    for route, name, parameters in admin_url_patterns():
        if route in SKIP:
            continue
        if route.startswith("admin/bulk/"):
            for app, model, action in bulk_models():
                url = reverse(name, kwargs={"app_label": app, "model_name": model, "action": action})
                unscoped.append(f"{url}?id={others[BULK_OBJECTS[f'{app}.{model}']]}")
            continue
        known = fill_for(route)
        kwargs = {p: known[p] if isinstance(known[p], Fixed) else others[known[p]] for p in parameters}
        url = url_of(route, name, kwargs)
        if "?id" in known:
            url += f"?id={others[known['?id']]}"
        names_an_object = any(not isinstance(known[p], Fixed) for p in parameters)
        (scoped if names_an_object and route not in OPEN else unscoped).append(url)
    return scoped, unscoped
