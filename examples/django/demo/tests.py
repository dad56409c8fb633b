"""Pruebas de la aplicación: cómo probar código de Django que encola.

Usan el Redis de REDIS_URL. Solo vacían las colas del proyecto, nunca la
base de datos de Redis entera.
"""

import random

import django_rq
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from rq import SimpleWorker

from .tareas import tarea_pesada_y_falible


class ColasVacias:
    """Cada prueba empieza con las colas vacías y el azar de la tarea fijo."""

    def setUp(self):
        super().setUp()
        for nombre in settings.RQ_QUEUES:
            django_rq.get_queue(nombre).empty()
        # La tarea falla una vez de cada cinco; con la semilla fija, las
        # pruebas ven siempre lo mismo (y con esta semilla, no falla).
        random.seed(0)


# [sincronas]
def colas_sincronas():
    """Las colas del proyecto con ASYNC=False: enqueue ejecuta la tarea al momento."""
    return {nombre: {**cola, "ASYNC": False} for nombre, cola in settings.RQ_QUEUES.items()}


@override_settings(RQ_QUEUES=colas_sincronas())
class ColasSincronasTests(ColasVacias, TestCase):
    def test_la_vista_encola_y_la_tarea_ya_esta_hecha(self):
        # TestCase envuelve cada prueba en una transacción: sin esto, el
        # trabajo esperaría a un commit que nunca llega.
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client.post(reverse("encolar"), {"segundos": "2", "cola": "high"})
        self.assertEqual(respuesta.status_code, 202)
        trabajo = django_rq.get_queue("high").fetch_job(respuesta.json()["trabajo"])
        self.assertTrue(trabajo.is_finished)
        self.assertEqual(trabajo.return_value(), 2)
# [fin sincronas]


class WorkerEnLaPruebaTests(ColasVacias, TestCase):
    def test_un_worker_burst_hace_lo_que_encolo_la_vista(self):
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client.post(reverse("encolar"), {"segundos": "3"})
        trabajo = django_rq.get_queue("default").fetch_job(respuesta.json()["trabajo"])
        self.assertTrue(trabajo.is_queued)

        # SimpleWorker hace el trabajo en este mismo proceso, sin fork(); con
        # logging_level="WARNING" no llena de registro la salida de las pruebas.
        worker = django_rq.get_worker("high", "default", "low", worker_class=SimpleWorker)
        worker.work(burst=True, logging_level="WARNING")

        trabajo.refresh()
        self.assertTrue(trabajo.is_finished)
        self.assertEqual(trabajo.return_value(), 3)


class VistaTests(ColasVacias, TestCase):
    def test_una_peticion_mala_no_encola_nada(self):
        respuesta = self.client.post(reverse("encolar"), {"cola": "no-existe"})
        self.assertEqual(respuesta.status_code, 400)
        self.assertEqual(self.client.get(reverse("encolar")).status_code, 405)
        self.assertEqual(django_rq.get_queue("default").count, 0)


class ModoDeCommitTests(ColasVacias, TransactionTestCase):
    def test_dentro_de_una_transaccion_el_trabajo_espera_al_commit(self):
        cola = django_rq.get_queue("low")
        with transaction.atomic():
            self.assertIsNone(cola.enqueue(tarea_pesada_y_falible, 1))
            self.assertEqual(cola.count, 0)
        self.assertEqual(cola.count, 1)

    def test_si_la_transaccion_se_deshace_el_trabajo_no_llega(self):
        cola = django_rq.get_queue("low")
        with self.assertRaises(RuntimeError), transaction.atomic():
            cola.enqueue(tarea_pesada_y_falible, 1)
            raise RuntimeError("algo ha fallado antes del commit")
        self.assertEqual(cola.count, 0)

    def test_con_commit_mode_auto_se_encola_al_momento(self):
        cola = django_rq.get_queue("low", commit_mode="auto")
        with transaction.atomic():
            cola.enqueue(tarea_pesada_y_falible, 1)
            self.assertEqual(cola.count, 1)


class PanelTests(ColasVacias, TestCase):
    panel = "/admin/django_rq/dashboard/"

    def test_sin_sesion_el_admin_pide_entrar(self):
        self.assertEqual(reverse("admin:django_rq_dashboard_changelist"), self.panel)
        self.assertRedirects(self.client.get(self.panel), f"/admin/login/?next={self.panel}")

    def test_sin_is_staff_tampoco(self):
        self.client.force_login(User.objects.create_user("luis"))
        self.assertRedirects(self.client.get(self.panel), f"/admin/login/?next={self.panel}")

    def test_con_is_staff_se_ve_el_panel(self):
        self.client.force_login(User.objects.create_user("ana", is_staff=True))
        self.assertContains(self.client.get(self.panel), "informes")
        # El enlace en el índice del admin, en cambio, pide un permiso de django_rq.
        self.assertNotContains(self.client.get("/admin/"), self.panel)

    def test_el_permiso_de_django_rq_pone_el_enlace_en_el_admin(self):
        ana = User.objects.create_user("ana", is_staff=True)
        ana.user_permissions.add(Permission.objects.get(content_type__app_label="django_rq", codename="admin"))
        self.client.force_login(ana)
        self.assertContains(self.client.get("/admin/"), self.panel)

    def test_la_ruta_clasica_pide_lo_mismo(self):
        panel, estadisticas = reverse("django_rq:home"), reverse("django_rq:home_json")
        self.assertEqual(panel, "/django-rq/")
        self.assertEqual(self.client.get(panel).status_code, 302)
        self.assertEqual(self.client.get(estadisticas).status_code, 401)

        self.client.force_login(User.objects.create_user("ana", is_staff=True))
        self.assertContains(self.client.get(panel), "informes")
        self.assertEqual(self.client.get(estadisticas).json()["queues"][0]["name"], "default")
