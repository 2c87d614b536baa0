"""What other apps add to the lesson editor in the Wagtail admin, through a Wagtail hook.

The lesson's editor knows nothing of what is built on lessons. An app with something to show beside a lesson's
fields registers a function under `LESSON_EDITOR_PANELS`: ``fn() -> Panel``, a Wagtail panel, which the editor
shows after the lesson's own panels, on the create page (where the lesson does not exist yet: its `instance`
has no `pk`) as on the edit page.
"""

from wagtail import hooks
from wagtail.admin.panels import PanelGroup

LESSON_EDITOR_PANELS = "lesson_editor_panels"


class PluggedPanels(PanelGroup):
    """The panels registered under a hook, each shown as a section of the editor of its own. They are read when
    Wagtail builds the editor (once, after every app's hooks are loaded), not when the page model is defined."""

    def __init__(self, hook_name: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hook_name = hook_name

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "hook_name": self.hook_name}

    def on_model_bound(self):
        self.children = [*self.children, *(make() for make in hooks.get_hooks(self.hook_name))]
        super().on_model_bound()

    class BoundPanel(PanelGroup.BoundPanel):
        template_name = "wagtailadmin/panels/object_list.html"
