"""The settings' layout: component files (one concern each) never reach back into base.py, whose lists they would
otherwise have to mutate in an import-order-dependent way; base.py composes INSTALLED_APPS and MIDDLEWARE itself."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

SETTINGS_DIR = Path(__file__).resolve().parent.parent / "config" / "settings"
ENVIRONMENTS = {"base.py", "local.py", "production.py", "test.py", "__init__.py"}
COMPONENTS = sorted(p.name for p in SETTINGS_DIR.glob("*.py") if p.name not in ENVIRONMENTS)


@pytest.mark.parametrize("name", COMPONENTS)
def test_a_settings_component_neither_imports_base_nor_touches_the_app_and_middleware_lists(name):
    tree = ast.parse((SETTINGS_DIR / name).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {m for m in imported if m and m.startswith("config.settings")}, imported
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not names & {"INSTALLED_APPS", "MIDDLEWARE"}


def test_each_app_and_middleware_is_listed_once():
    assert len(settings.INSTALLED_APPS) == len(set(settings.INSTALLED_APPS))
    assert len(settings.MIDDLEWARE) == len(set(settings.MIDDLEWARE))
