"""Pruebas de la aplicación: sus vistas, sus colas y el panel de django-rq.

Usan el Redis de REDIS_URL. Solo vacían las colas del proyecto, nunca la
base de datos de Redis entera.
"""

import django_rq
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from rq import SimpleWorker

from .tareas import tarea_pesada_y_falible


class ColasVacias:
    """Cada prueba empieza con las colas del proyecto vacías."""

    def setUp(self):
        super().setUp()
        for nombre in settings.RQ_QUEUES:
            django_rq.get_queue(nombre).empty()


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
            respuesta = self.client.post(reverse("encolar"), {"segundos": "2", "fallar": "false"})
        self.assertEqual(respuesta.status_code, 202)
        estado = self.client.get(respuesta["Location"]).json()
        self.assertEqual((estado["estado"], estado["resultado"]), ("finished", 2))
# [fin sincronas]


class EstadoTests(ColasVacias, TestCase):
    def pedir(self, **campos):
        with self.captureOnCommitCallbacks(execute=True):
            respuesta = self.client.post(reverse("encolar"), {"segundos": "1", **campos})
        self.assertEqual(respuesta.status_code, 202)
        self.assertEqual(respuesta["Location"], respuesta.json()["estado"])
        return respuesta["Location"]

    def hacer_los_trabajos(self):
        # SimpleWorker hace los trabajos en este mismo proceso, sin fork().
        worker = django_rq.get_worker("high", "default", "low", worker_class=SimpleWorker)
        worker.work(burst=True, logging_level="WARNING")

    def test_en_cola_y_luego_terminado_con_su_resultado(self):
        estado = self.pedir(fallar="false")
        self.assertEqual(self.client.get(estado).json()["estado"], "queued")
        self.hacer_los_trabajos()
        self.assertEqual(self.client.get(estado).json()["resultado"], 1)

    def test_un_trabajo_fallido_da_la_ultima_linea_del_error(self):
        estado = self.pedir(fallar="true", cola="low")
        self.hacer_los_trabajos()
        datos = self.client.get(estado).json()
        self.assertEqual(datos["estado"], "failed")
        self.assertEqual(datos["error"], "ValueError: la tarea de 1 s se ha torcido (fallo simulado)")

    def test_un_trabajo_que_no_existe_es_un_404_en_json(self):
        respuesta = self.client.get(reverse("estado", args=["no-existe"]))
        self.assertEqual(respuesta.status_code, 404)
        self.assertEqual(respuesta.json(), {"error": "no hay ningún trabajo no-existe"})

    def test_una_peticion_mala_no_encola_nada(self):
        respuesta = self.client.post(reverse("encolar"), {"cola": "no-existe", "segundos": "mucho"})
        self.assertEqual(respuesta.status_code, 400)
        self.assertEqual(set(respuesta.json()["errores"]), {"cola", "segundos"})
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

    def test_con_is_staff_se_ve_el_panel_pero_no_su_enlace(self):
        self.client.force_login(User.objects.create_user("ana", is_staff=True))
        self.assertContains(self.client.get(self.panel), "informes")
        # El enlace en la portada del admin, en cambio, pide un permiso de django_rq.
        self.assertNotContains(self.client.get("/admin/"), self.panel)

    def test_el_permiso_de_django_rq_pone_el_enlace_en_el_admin(self):
        ana = User.objects.create_user("ana", is_staff=True)
        ana.user_permissions.add(Permission.objects.get(content_type__app_label="django_rq", codename="admin"))
        self.client.force_login(ana)
        self.assertContains(self.client.get("/admin/"), self.panel)
        # Un superusuario tiene todos los permisos, también ese.
        self.client.force_login(User.objects.create_superuser("jefa"))
        self.assertContains(self.client.get("/admin/"), self.panel)

    @override_settings(RQ_API_TOKEN="un-token-largo-y-secreto")
    def test_stats_json_pide_is_staff_o_el_token(self):
        estadisticas = f"{self.panel}stats.json"
        self.assertEqual(self.client.get(estadisticas).status_code, 401)
        con_token = self.client.get(estadisticas, headers={"Authorization": "Bearer un-token-largo-y-secreto"})
        self.assertEqual(con_token.json()["queues"][0]["name"], "default")

    def test_la_ruta_de_antes_de_django_rq_4_pide_lo_mismo(self):
        panel, estadisticas = reverse("django_rq:home"), reverse("django_rq:home_json")
        self.assertEqual((panel, estadisticas), ("/django-rq/", "/django-rq/stats.json/"))
        self.assertEqual(self.client.get(panel).status_code, 302)
        self.assertEqual(self.client.get(estadisticas).status_code, 401)

        self.client.force_login(User.objects.create_user("ana", is_staff=True))
        self.assertContains(self.client.get(panel), "informes")
        self.assertEqual(self.client.get(estadisticas).json()["queues"][0]["name"], "default")
