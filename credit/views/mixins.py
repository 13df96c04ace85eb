"""Who may enter the workspace and do what there: the portal's gate (``core.access``) with the workspace's roles.

Scope (404) comes from ``check_scope``/the selectors, before the role (403)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.roles import WORKSPACE_ROLES, Role
from core.access import RoleRequiredMixin
from core.keyset import keyset_page
from credit.filters import RecordFilter


class WorkspaceMixin(RoleRequiredMixin):
    """Signed-in clerks and reviewers only: anonymous → login page; the admin roles (三员) → 403."""

    roles = WORKSPACE_ROLES
    area_roles = WORKSPACE_ROLES


class ClerkMixin(WorkspaceMixin):
    roles = frozenset({Role.CLERK})


class ReviewerMixin(WorkspaceMixin):
    roles = frozenset({Role.REVIEWER})


def redirect_back(request, default: str) -> HttpResponseRedirect:
    """POST-redirect-GET to ``next`` when it is a local URL, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def reason_errors(request, form) -> None:
    """Put an invalid reason form's errors in the messages, each naming its field (理由：…); nothing was done."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


class RecordFilterListMixin:
    """The filtered, paginated record list shared by the record list and the review queue.

    An invalid filter value (a date that is none, a search longer than any name) is ignored and named in a message.
    Adds the query string without its page (for pagination links) and whether to show the office column.

    Pages are keyset pages (``?after=``/``?before=`` cursors, ``core.keyset``): a page costs the same deep in an
    office's history as on top, and no page counts the whole filtered set.
    """

    filterset_class = RecordFilter
    context_object_name = "records"
    strict = False

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def paginate_queryset(self, queryset, page_size):
        page = keyset_page(
            queryset, size=page_size, after=self.request.GET.get("after"), before=self.request.GET.get("before")
        )
        return None, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Not strict: an invalid filter is left out of the filtering; say which one and why (搜索：…).
        if self.filterset.is_bound and self.filterset.errors:
            reason_errors(self.request, self.filterset.form)
        query = self.request.GET.copy()
        for key in ("page", "after", "before"):
            query.pop(key, None)
        ctx["query"] = query.urlencode()
        user = self.request.user
        ctx["show_office"] = user.is_reviewer or user.offices.count() > 1
        return ctx
