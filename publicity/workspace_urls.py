"""The publicity workspace, mounted at /workspace/publicity/."""

from django.urls import path

from publicity import converters  # noqa: F401
from publicity.views import workspace as w

app_name = "publicity-workspace"
urlpatterns = [
    path("", w.dashboard, name="dashboard"),
    path("publish/<int:record_id>/", w.publish_penalty, name="publish"),
    path("publications/", w.publications, name="publications"),
    path("publications/<int:pk>/withdraw/", w.publication_withdraw_view, name="publication-withdraw"),
    path("requests/<str:kind>/<int:pk>/", w.request_detail, name="request"),
    path("requests/<str:kind>/<int:pk>/evidence/", w.request_evidence, name="request-evidence"),
    path(
        "requests/<str:kind>/<int:pk>/commitment/",
        w.request_evidence,
        {"which": "commitment"},
        name="request-commitment",
    ),
    path("external-repairs/", w.external_repairs, name="external-repairs"),
    path("licences/", w.licence_list, name="licences"),
    path("licences/new/", w.licence_edit, name="licence-new"),
    path("licences/<int:pk>/", w.licence_detail, name="licence"),
    path("licences/<int:pk>/edit/", w.licence_edit, name="licence-edit"),
    path("licences/<int:pk>/<str:action>/", w.licence_action, name="licence-action"),
    path("black-list/", w.blacklist, name="blacklist"),
    path("black-list/new/", w.blacklist_add, name="blacklist-add"),
    path("black-list/<int:pk>/remove/", w.blacklist_remove, name="blacklist-remove"),
    path("<article:kind>/", w.article_list, name="articles"),
    path("<article:kind>/new/", w.article_edit, name="article-new"),
    path("<article:kind>/<int:pk>/", w.article_edit, name="article-edit"),
]
