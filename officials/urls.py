from rest_framework.routers import DefaultRouter

from officials import views

router = DefaultRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("mandates", views.MandateViewSet, basename="mandate")
