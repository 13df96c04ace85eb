"""诚信制度 and 信用动态: written by the General Office's reviewers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.roles import Role
from core.scoping import require_role
from publicity.forms import NewsItemForm, PolicyDocumentForm
from publicity.models import NewsItem, PolicyDocument
from publicity.models.base import search_text_of
from publicity.services.errors import PublicityError

_FORMS = {PolicyDocument: PolicyDocumentForm, NewsItem: NewsItemForm}


@transaction.atomic
def article_save(*, model: type[PolicyDocument] | type[NewsItem], user, data: Mapping[str, Any], instance=None):
    """Create or change a policy document or news item."""
    require_role(user, Role.REVIEWER)
    form = _FORMS[model](data=data, instance=instance)
    if not form.is_valid():
        raise PublicityError({k: list(v) for k, v in form.errors.items()})
    article = form.save(commit=False)
    if article.pk is None:
        article.created_by = user
    # The form the entries' search text has (``PublicEntryColumns.build_search_text``): one search serves both.
    article.search_text = search_text_of(article.title, getattr(article, "document_number", ""))
    article.full_clean()
    article._history_user = user  # the editor, in the history and so in the audit log
    article.save()
    return article
