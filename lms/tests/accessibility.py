"""WCAG 2.2 AA checks of a page in the browser tests: axe-core (from npm, see package.json) run inside the page.

`make install` installs axe-core into node_modules/ with `npm ci`. Without it the checks fail, never skip: a
missing checker must not read as an accessible site.

The site's Content-Security-Policy runs no script it did not serve, so axe is not added as a <script> tag:
Playwright's `evaluate` runs its source through the browser's DevTools protocol, which the policy does not cover.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no rule of its own tagged wcag22a).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return results.violations.map((rule) => ({
        id: rule.id, impact: rule.impact, help: rule.help, helpUrl: rule.helpUrl,
        nodes: rule.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
    }));
}"""


def _axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(
            f"{AXE} is missing: run `make install` (it installs axe-core with npm; Debian: apt-get install npm)"
        )
    return AXE.read_text()


def axe_violations(page) -> list[dict]:
    """Every WCAG 2.2 A/AA violation axe finds on the page as it is now (any impact)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source() + "\n;undefined")
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for rule in violations:
        lines.append(f"- {rule['id']} ({rule['impact']}): {rule['help']} <{rule['helpUrl']}>")
        for node in rule["nodes"][:5]:
            lines.append(f"    {node['target']}: {' '.join(node['summary'].split())}")
        if len(rule["nodes"]) > 5:
            lines.append(f"    … and {len(rule['nodes']) - 5} more")
    return "\n".join(lines)


def axe_check(page, where: str) -> list[dict]:
    """Fail when axe finds a serious or critical WCAG 2.2 AA violation on the page; return all it found."""
    violations = axe_violations(page)
    blocking = [rule for rule in violations if rule["impact"] in BLOCKING]
    assert not blocking, f"accessibility violations on {where} ({page.url}):\n{describe(blocking)}"
    return violations
