"""A credit subject's whole history in one place: the records about one school or one teacher the user may see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from credit import selectors
from credit.models import SubjectKind
from credit.panels import subject_panels
from credit.personal_data import personal_data_shown
from credit.validators import mask_cn_id
from credit.views.mixins import WorkspaceMixin


class SubjectDetailView(WorkspaceMixin, View):
    """``/workspace/subjects/<id>/``: the subject, the names its records were entered with, and its records (a
    clerk's offices only; reviewers every office).

    A natural person's ID number is masked unless the user asks to see it, and each showing is audited, as on the
    record page.
    """

    template_name = "workspace/subject_detail.html"
    paginate_by = 50

    def check_scope(self, request, pk, **kwargs):
        self.subject = selectors.subject_for(request.user, pk)

    def get(self, request, pk):
        subject = self.subject
        personal = subject.kind == SubjectKind.NATURAL
        reveal = personal and request.GET.get("reveal") == "1"
        if reveal:
            personal_data_shown(request, fields=["identifier"], obj=subject)
        identifier = mask_cn_id(subject.identifier) if personal and not reveal else subject.identifier
        records = selectors.subject_records(request.user, subject)

        page = Paginator(records, self.paginate_by).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "subject": subject,
                "subject_name": selectors.subject_name_for(request.user, subject),
                "identifier": identifier,
                "personal": personal,
                "reveal": reveal,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "records": page.object_list,
                "query": query.urlencode(),
                "show_office": request.user.is_reviewer or request.user.offices.count() > 1,
                # The names the records were entered with (the user's scope): the subject keeps its first one.
                "names": selectors.subject_name_history(request.user, subject),
                # What the apps built on credit add (credit.panels.register_subject_panel).
                "panels": subject_panels(request, subject),
            },
        )
