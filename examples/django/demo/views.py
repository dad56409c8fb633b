"""La vista que encola: responde al momento y deja el trabajo a un worker."""

import uuid

import django_rq
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .tareas import tarea_pesada_y_falible


@require_POST
def encolar(request):
    cola = request.POST.get("cola", "default")
    segundos = request.POST.get("segundos", "3")
    if cola not in settings.RQ_QUEUES or not segundos.isdigit():
        return JsonResponse({"error": "cola o segundos no válidos"}, status=400)
    # Dentro de una transacción, enqueue no encola todavía: lo deja para el
    # commit y devuelve None. Por eso el identificador lo ponemos nosotros.
    identificador = str(uuid.uuid4())
    django_rq.get_queue(cola).enqueue(tarea_pesada_y_falible, int(segundos), job_id=identificador)
    return JsonResponse({"trabajo": identificador, "cola": cola}, status=202)
