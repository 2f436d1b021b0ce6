from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

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
    path("api/auth/", include("rest_framework.urls")),
    # Set-password pages of invitations (Django's password-reset views, French templates).
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
handler400 = "backend.errors.bad_request"
handler403 = "backend.errors.permission_denied"
handler404 = "backend.errors.page_not_found"
handler500 = "backend.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
