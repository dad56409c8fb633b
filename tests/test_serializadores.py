"""Capítulo "Serializadores": lo que el libro afirma y no enseña en pantalla.

Las sesiones de docs/serializadores.rst ya prueban pickle, JSON y el
contador con __getstate__/__setstate__ contra workers de verdad; las
transcripciones, el desajuste entre cola y worker.
"""

import json
import os
import pickle
import tempfile
import zlib
from pathlib import Path

from rq import Queue
from rq.serializers import JSONSerializer

from tests.arnes.procesos import en_marcha, orden_worker


class _CargaMaliciosa:
    """Un pickle que, al leerse, crea una carpeta: podría hacer cualquier cosa."""

    def __init__(self, ruta):
        self.ruta = str(ruta)

    def __reduce__(self):
        return (os.mkdir, (self.ruta,))


def test_con_json_los_datos_del_trabajo_son_json_comprimido(redis_conexion):
    cola = Queue("pedidos-json", connection=redis_conexion, serializer=JSONSerializer)
    trabajo = cola.enqueue("serializacion_pedidos.resumir_pedido", {"cliente": "Ana", "lineas": []})
    datos = json.loads(zlib.decompress(redis_conexion.hget(trabajo.key, "data")))
    assert datos == ["serializacion_pedidos.resumir_pedido", None, [{"cliente": "Ana", "lineas": []}], {}]


def test_quien_escribe_en_redis_ejecuta_codigo_en_los_workers(redis_conexion):
    with tempfile.TemporaryDirectory(prefix="guia-rq-") as carpeta:
        desde_pickle = Path(carpeta, "desde-pickle")
        desde_json = Path(carpeta, "desde-json")

        # pickle: basta con que el worker lea los datos del trabajo. Cambiamos
        # los de un trabajo normal por el pickle malicioso, como haría
        # cualquiera con acceso de escritura a Redis.
        cola = Queue("pedidos", connection=redis_conexion)
        trabajo = cola.enqueue("serializacion_pedidos.resumir_pedido", {"cliente": "Ana", "lineas": []})
        redis_conexion.hset(trabajo.key, "data", pickle.dumps(_CargaMaliciosa(desde_pickle)))

        # JSON: el trabajo nombra la función, y el worker llama a la que sea.
        cola_json = Queue("pedidos-json", connection=redis_conexion, serializer=JSONSerializer)
        cola_json.enqueue("os.mkdir", str(desde_json))

        con_json = ("--burst", "--serializer", "rq.serializers.JSONSerializer")
        with (
            en_marcha(orden_worker("pedidos", opciones=("--burst",))) as worker_pickle,
            en_marcha(orden_worker("pedidos-json", opciones=con_json)) as worker_json,
        ):
            worker_pickle.communicate(timeout=60)
            worker_json.communicate(timeout=60)

        assert desde_pickle.is_dir()
        assert desde_json.is_dir()
