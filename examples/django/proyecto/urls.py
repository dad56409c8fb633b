"""Las rutas del proyecto de ejemplo."""

from django.contrib import admin
from django.urls import include, path

from demo import views

urlpatterns = [
    # El panel de django-rq vive dentro del admin, en /admin/django_rq/dashboard/.
    path("admin/", admin.site.urls),
    # La forma clásica: el mismo panel, fuera del admin, en /django-rq/.
    path("django-rq/", include("django_rq.urls")),
    path("encolar/", views.encolar, name="encolar"),
]
