"""The house's arrows, read from the package's source: each feature stands on what lies below it, no feature
reaches into another's views, and only `access.py` knows the roles."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reporting"
FEATURES = sorted(path.name for path in PACKAGE.iterdir()
                  if (path / "__init__.py").exists() and path.name != "translations")
ROLE_NAMES = {"admin", "leader", "member"}


def modules() -> dict[str, ast.Module]:
    return {str(path.relative_to(PACKAGE.parent).with_suffix("")).replace("/", "."): ast.parse(path.read_text())
            for path in PACKAGE.rglob("*.py")}


def imports(tree: ast.Module) -> set[str]:
    """Every module a file imports, `from a.b import c` counted as both a.b and a.b.c."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in FEATURES else None


def feature_imports() -> set[tuple[str, str, str]]:
    """(importing module, its feature, imported module of another feature)."""
    return {(name, feature_of(name), imported) for name, tree in modules().items() for imported in imports(tree)
            if feature_of(name) and feature_of(imported) and feature_of(imported) != feature_of(name)}


def test_the_features_are_found():
    assert {"intake", "posters", "queue", "reports", "rounds", "staff", "submission", "triage"} <= set(FEATURES)


def test_no_feature_imports_a_view_of_another():
    assert [(name, imported) for name, _, imported in feature_imports() if imported.endswith(".views")] == []


@pytest.mark.parametrize(("one", "other"), [("posters", "rounds"), ("reports", "intake"), ("submission", "intake"),
                                            ("submission", "reports"), ("posters", "intake")])
def test_a_feature_does_not_import_one_above_it(one, other):
    assert [(name, imported) for name, feature, imported in feature_imports()
            if feature == one and feature_of(imported) == other] == []


def test_role_names_appear_only_in_access():
    found = [(name, node.lineno) for name, tree in modules().items() if name != "reporting.access"
             for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value in ROLE_NAMES]
    assert found == []
