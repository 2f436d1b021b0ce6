from django.urls import path

from public_pages import views

app_name = "public"

urlpatterns = [
    path("carte/", views.map_page, name="map"),
    path("communes/<str:insee_code>/", views.municipality_page, name="municipality"),
]
