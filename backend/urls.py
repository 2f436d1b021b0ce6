from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from backend.auth import browsable_api_auth, obtain_auth_token, password_reset
from campaigns.urls import router as campaigns_router
from campaigns.urls import urlpatterns as campaigns_urls
from officials.urls import router as officials_router
from tasks.urls import router as tasks_router

router = DefaultRouter()
router.registry.extend(officials_router.registry)
router.registry.extend(campaigns_router.registry)
router.registry.extend(tasks_router.registry)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(campaigns_urls)),
    path("api/", include(router.urls)),
    path("api/auth/token/", obtain_auth_token, name="api-token"),
    path("api/auth/", include(browsable_api_auth)),
    # Set-password pages of invitations (Django's password-reset views, French templates).
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its init script is a file (?script), not inline: the Content-Security-Policy allows it.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # The public pages: /carte/, /communes/<code INSEE>/.
    path("", include("public_pages.urls")),
]
# No URL serves MEDIA_ROOT as such, in any mode: letters, replies and reminders are read
# through the API's permission-checked views (core.files.file_response).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
