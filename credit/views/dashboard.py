"""The workspace home: an office dashboard per clerk office, the cross-office dashboard for reviewers."""

from django.utils import timezone
from django.views.generic import TemplateView

from credit import selectors
from credit.views.mixins import WorkspaceMixin


class DashboardView(WorkspaceMixin, TemplateView):
    template_name = "workspace/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        ctx["today"] = today
        ctx["due_soon_end"] = selectors.due_soon_end(today)
        if user.is_reviewer:
            ctx["review"] = selectors.review_dashboard(today=today)
        else:
            ctx["offices"] = [selectors.office_dashboard(o, today=today) for o in user.offices.order_by("id")]
        ctx["notices"] = selectors.notices_for(user)[:5]
        return ctx
