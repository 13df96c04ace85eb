from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from core.error_pages import error_handler
from credit import urls as credit_urls
from publicity import review_urls

# Approving publishes, so the approve and review-queue views live in publicity (above credit), served at credit's
# URLs and names: credit's patterns and these form one ``credit`` namespace.
workspace_urls = (review_urls.workspace_urlpatterns + credit_urls.urlpatterns, credit_urls.app_name)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/public/", include("publicity.api_urls")),
    path("api/v1/oversight/", include("oversight.api_urls")),
    path("api/v1/reporting/", include("reporting.api.urls")),
    path("api/v1/vetting/", include("vetting.api_urls")),
    path("api/v1/", include(review_urls.api_urlpatterns)),
    path("api/v1/", include("credit.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("workspace/oversight/", include("oversight.urls")),
    path("workspace/audit/", include("audit.urls")),
    path("workspace/publicity/", include("publicity.workspace_urls")),
    path("workspace/reporting/", include("reporting.urls")),
    path("workspace/vetting/", include("vetting.urls")),
    path("workspace/", include(workspace_urls)),
    path("", include("vetting.public_urls")),
    path("", include("publicity.urls")),
]

# Errors no view answers: the portal's pages (templates/4xx.html, 500.html), JSON under /api/.
handler400 = error_handler(400)
handler403 = error_handler(403)
handler404 = error_handler(404)
handler500 = error_handler(500)
