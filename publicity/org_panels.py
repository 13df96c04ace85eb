"""Sections that the apps built on the column add to an organisation's public page (``/org/<code>/``), in the manner
of ``credit.panels``: the column shows them without importing those apps. An app registers them in its
``AppConfig.ready``. Whatever a section shows is public: it must hold no unmasked personal data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# The context of a section's template for the organisation's credit code; None hides the section.
OrgSectionContext = Callable[[HttpRequest, str], Mapping[str, Any] | None]


@dataclass(frozen=True)
class OrgSection:
    name: str
    template: str
    context: OrgSectionContext
    order: int = 100


_sections: dict[str, OrgSection] = {}


def register_org_section(*, name: str, template: str, context: OrgSectionContext, order: int = 100) -> None:
    """Add (or replace: ``ready`` may run twice in tests) the organisation page section ``name``."""
    _sections[name] = OrgSection(name=name, template=template, context=context, order=order)


def org_sections(request: HttpRequest, code: str) -> list[SafeString]:
    """The rendered sections of the organisation ``code``'s page, in ``order``."""
    rendered = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        context = section.context(request, code)
        if context is not None:
            rendered.append(render_to_string(section.template, {"code": code, **context}, request=request))
    return rendered
