"""The shape issue 17 asks for: no feature reaches into another feature's views."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def views_imported_from_other_features() -> list[str]:
    """'app/x/y.py imports app.z.views' for every module of feature x importing a views module of feature z."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP).parts
        if len(parts) < 2:  # the factory (app/__init__.py) wires every feature's blueprint
            continue
        feature = parts[0]
        for module in sorted(_imported_modules(path)):
            pieces = module.split(".")
            if len(pieces) >= 3 and pieces[0] == "app" and pieces[2] == "views" and pieces[1] != feature:
                found.append(f"{path.relative_to(APP.parent)} imports {module}")
    return found


def test_no_feature_imports_another_features_views():
    assert views_imported_from_other_features() == []
