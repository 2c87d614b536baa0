from wagtail import hooks
from wagtail.admin.rich_text.converters.editor_html import WhitelistRule
from wagtail.whitelist import allow_without_attributes


@hooks.register("register_rich_text_features")
def keep_code_and_quotes_from_the_api(features):
    """Wagtail's HTML cleaner knows no rule for these two editor features; without one, rich text sent
    through the API would lose its inline code and quotes."""
    for element in ("code", "blockquote"):
        features.register_converter_rule("editorhtml", element, [WhitelistRule(element, allow_without_attributes)])
