"""axe-core run in a Playwright page: the accessibility rules the browser tests hold every page to."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 AA and best-practice violations on the page (its context must bypass CSP to inject axe)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (rules) => await axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]
