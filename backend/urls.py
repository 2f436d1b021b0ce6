from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
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
    # No authentication on the token endpoint itself: a stale token header must not refuse a login.
    path("api/auth/token/", ObtainAuthToken.as_view(authentication_classes=[]), name="api-token"),
    path("api/auth/", include("rest_framework.urls")),
    # Set-password pages of invitations (Django's password-reset views, French templates).
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
