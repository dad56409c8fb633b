"""Las rutas del proyecto de ejemplo."""

from django.contrib import admin
from django.urls import include, path

from demo import views

urlpatterns = [
    # El panel de django-rq vive dentro del admin, en /admin/django_rq/dashboard/.
    path("admin/", admin.site.urls),
    # La forma de antes de django-rq 4.0: el mismo panel, fuera del admin, en /django-rq/.
    path("django-rq/", include("django_rq.urls")),
    path("encolar/", views.encolar, name="encolar"),
    # <slug:...> deja pasar lo mismo que RQ admite en un identificador:
    # letras sin tilde, números, guiones y guiones bajos.
    path("trabajos/<slug:identificador>/", views.estado, name="estado"),
]
