"""Reminders shown in the workspace (the same notices the daily task e-mails)."""

from django.views.generic import ListView

from credit import selectors
from credit.views.mixins import WorkspaceMixin


class NoticeListView(WorkspaceMixin, ListView):
    template_name = "workspace/notice_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        return selectors.notices_for(self.request.user)
