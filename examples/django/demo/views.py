"""Las vistas de la aplicación: una encola y responde al momento; otra dice cómo va el trabajo."""

import uuid

import django_rq
from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from .tareas import tarea_pesada_y_falible


def en_json(datos, status=200, **opciones):
    """Una respuesta JSON con las tildes tal cual (JsonResponse, por defecto, escribiría \\u00f3 en vez de ó)."""
    return JsonResponse(datos, status=status, json_dumps_params={"ensure_ascii": False}, **opciones)


class Pedido(forms.Form):
    """Lo que admite POST /encolar/. Todo es opcional; lo que llega, se comprueba."""

    cola = forms.ChoiceField(choices=[(nombre, nombre) for nombre in settings.RQ_QUEUES], required=False)
    segundos = forms.IntegerField(min_value=0, max_value=600, required=False)
    # "true" o "false" para un resultado seguro; sin él, decide el azar de la tarea.
    fallar = forms.NullBooleanField(required=False)


# Sin protección CSRF: la llaman otros programas (curl, un cliente JS), no un
# formulario con la sesión del navegador, que es lo que esa protección cuida.
@csrf_exempt
@require_POST
def encolar(request):
    pedido = Pedido(request.POST)
    if not pedido.is_valid():
        return en_json({"errores": pedido.errors}, status=400)
    datos = pedido.cleaned_data
    cola = datos["cola"] or "default"
    segundos = 3 if datos["segundos"] is None else datos["segundos"]
    # Dentro de una transacción, enqueue no encola todavía: lo deja para el
    # commit y devuelve None. Por eso el identificador lo ponemos nosotros.
    identificador = str(uuid.uuid4())
    django_rq.get_queue(cola).enqueue(
        tarea_pesada_y_falible, segundos, fallar=datos["fallar"], job_id=identificador,
    )
    # 202 Accepted: aceptado, pero sin hacer. Location dice dónde preguntar.
    estado = reverse("estado", args=[identificador])
    return en_json({"trabajo": identificador, "cola": cola, "estado": estado}, status=202, headers={"Location": estado})


@require_GET
def estado(request, identificador):
    """GET /trabajos/<id>/: el estado del trabajo y, si ya acabó, su resultado o su error."""
    # Las cuatro colas del proyecto están en el mismo Redis: vale la conexión de default.
    try:
        trabajo = Job.fetch(identificador, connection=django_rq.get_connection())
    except NoSuchJobError:
        return en_json({"error": f"no hay ningún trabajo {identificador}"}, status=404)
    # El estado que trajo fetch: volver a pedirlo fallaría si el trabajo caduca justo ahora.
    situacion = trabajo.get_status(refresh=False)
    respuesta = {"trabajo": trabajo.id, "cola": trabajo.origin, "estado": situacion.value}
    if situacion == JobStatus.FINISHED:
        respuesta["resultado"] = trabajo.return_value()
    elif situacion == JobStatus.FAILED:
        ultimo = trabajo.latest_result()
        if ultimo is not None and ultimo.exc_string:
            # De la traza, la última línea: la excepción y su mensaje.
            respuesta["error"] = ultimo.exc_string.strip().splitlines()[-1]
    return en_json(respuesta)
