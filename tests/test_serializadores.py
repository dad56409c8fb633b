"""Capítulo "Serializadores": cada afirmación del texto sobre RQ y json, contra rq 3.0.

Las sesiones de docs/serializadores.rst y sus salidas ya lo enseñan con
workers de verdad. Aquí va cada comportamiento por separado. Los trabajos que
hay que ejecutar se encolan todos a la vez (fixture `hechos`) y los hacen
dos `rq worker --burst` de verdad, uno por serializador, con las tareas por
su nombre: funciones de la biblioteca estándar, que se importan desde
cualquier carpeta.
"""

import base64
import json
import os
import pickle
import zlib
from datetime import date

import pytest
from redis import Redis
from rq import Queue
from rq.exceptions import DeserializationError
from rq.job import Job, JobStatus
from rq.serializers import DefaultSerializer, JSONSerializer, resolve_serializer

from tests.arnes import procesos

CLAVES = {1017: 2, 0.5: "medio", True: "verdad", None: "nada", "franja": (9, 14)}
CLAVES_EN_JSON = {"1017": 2, "0.5": "medio", "true": "verdad", "null": "nada", "franja": [9, 14]}
DESCRIPCION = "tareas.tarea_pesada_y_falible(3, fallar=False)"


class _Contador:
    """Un objeto cualquiera cuyo método encolamos."""

    def registrar(self, pagina):
        return pagina


class _OrdenAlLeer:
    """Como OrdenAlLeer de serializacion_intruso.py, pero crea una carpeta."""

    def __init__(self, ruta):
        self.ruta = str(ruta)

    def __reduce__(self):
        return os.mkdir, (self.ruta,)


@pytest.fixture(scope="module")
def hechos(servidor_redis, tmp_path_factory):
    """Encola todo lo que hay que ejecutar, lo hacen dos workers y devuelve lo que quedó en Redis.

    Un worker por serializador, escrito de dos formas que el capítulo
    nombra: la ruta de la clase y el alias "pickle". Lo que miran las
    pruebas se lee aquí, antes de que la siguiente prueba vacíe Redis.
    """
    conexion = Redis.from_url(servidor_redis)
    conexion.flushdb()
    con_json = Queue("con-json", connection=conexion, serializer="json")
    con_pickle = Queue("con-pickle", connection=conexion)
    carpeta = tmp_path_factory.mktemp("intruso") / "desde-json"
    trabajos = {
        "claves": con_json.enqueue("builtins.dict", CLAVES),
        "fecha": con_json.enqueue("datetime.date.fromisoformat", "2025-03-01"),
        "len": con_json.enqueue("builtins.len", [1, 2, 3], meta={"origen": "web"}),
        "fallo": con_json.enqueue("builtins.int", "no es un número"),
        "intruso": con_json.enqueue("tareas.tarea_pesada_y_falible", 3, fallar=False),
        "conexion": con_pickle.enqueue("redis.Redis"),  # una conexión, aún sin conectar
        "cerrojo": con_pickle.enqueue("threading.Lock"),
        # Encolado con JSON en la cola del worker de pickle.
        "desajuste": Queue("con-pickle", connection=conexion, serializer="json").enqueue("builtins.len", "abc"),
    }
    llamada = ["os.mkdir", None, [str(carpeta)], {}]
    conexion.hset(trabajos["intruso"].key, "data", zlib.compress(json.dumps(llamada).encode()))
    # Los dos a la vez: cada uno vacía su cola y termina.
    with (
        procesos.en_marcha(procesos.orden_worker(
            "con-json", opciones=("--burst", "--serializer", "rq.serializers.JSONSerializer")
        )) as con_json_w,
        procesos.en_marcha(procesos.orden_worker(
            "con-pickle", opciones=("--burst", "--serializer", "pickle")
        )) as con_pickle_w,
    ):
        for worker in (con_json_w, con_pickle_w):
            assert worker.esperar_fin(limite=60) == 0, worker.texto()
    logs = {"con-json": con_json_w.texto(), "con-pickle": con_pickle_w.texto()}
    hechos = {
        nombre: {
            "id": trabajo.id,
            "estado": trabajo.get_status(),
            "descripcion": Job.fetch(trabajo.id, connection=conexion).description,
            "hash": conexion.hgetall(trabajo.key),
            "resultados": [campos for _, campos in conexion.xrange(f"rq:results:{trabajo.id}")],
            "resultado": trabajo.latest_result(),
            "fallido": trabajo.id in trabajo.failed_job_registry.get_job_ids(),
            "log": [linea for linea in logs[trabajo.origin].splitlines() if trabajo.id in linea],
        }
        for nombre, trabajo in trabajos.items()
    }
    hechos["carpeta"] = carpeta
    conexion.flushdb()
    conexion.close()
    return hechos


# --- Qué se guarda y qué se comprime ---

@pytest.mark.parametrize("serializador, llamada", [
    (DefaultSerializer, ("builtins.sorted", None, ([3, 1, 2],), {"reverse": True})),
    (JSONSerializer, ["builtins.sorted", None, [[3, 1, 2]], {"reverse": True}]),
], ids=["pickle", "json"])
def test_la_llamada_entera_va_comprimida_con_zlib_con_cualquier_serializador(
    redis_conexion, serializador, llamada
):
    cola = Queue("pedidos", connection=redis_conexion, serializer=serializador)
    trabajo = cola.enqueue("builtins.sorted", [3, 1, 2], reverse=True)
    # Función, instancia, argumentos posicionales y nombrados: todo en el
    # campo data, serializado y después comprimido.
    datos = zlib.decompress(redis_conexion.hget(trabajo.key, "data"))
    assert serializador.loads(datos) == llamada


def test_al_encolar_un_metodo_el_objeto_va_en_la_llamada_como_instancia(redis_conexion):
    contador = _Contador()
    trabajo = Queue("pedidos", connection=redis_conexion).enqueue(contador.registrar, "portada")
    nombre, instancia, argumentos, _ = pickle.loads(zlib.decompress(redis_conexion.hget(trabajo.key, "data")))
    assert (nombre, type(instancia), argumentos) == ("registrar", _Contador, ("portada",))


def test_el_resultado_y_el_meta_no_se_comprimen_y_la_traza_si(hechos):
    bien, mal = hechos["len"], hechos["fallo"]
    assert bien["hash"][b"meta"] == b'{"origen": "web"}'
    (resultado,) = bien["resultados"]
    assert base64.b64decode(resultado[b"return_value"]) == b"3"
    (fallo,) = mal["resultados"]
    assert b"ValueError" in zlib.decompress(base64.b64decode(fallo[b"exc_string"]))


def test_el_serializador_no_se_guarda_con_el_trabajo(redis_conexion):
    trabajo = Queue("pedidos-json", connection=redis_conexion, serializer="json").enqueue("builtins.len", "abc")
    assert not [campo for campo in redis_conexion.hkeys(trabajo.key) if b"serial" in campo]


# --- Cómo se elige el serializador ---

@pytest.mark.parametrize("nombre, clase", [
    ("json", JSONSerializer),
    ("pickle", DefaultSerializer),
    ("rq.serializers.JSONSerializer", JSONSerializer),
    (None, DefaultSerializer),
])
def test_alias_y_rutas_del_serializador(redis_conexion, nombre, clase):
    # `rq worker -S x` pasa el texto tal cual a cada Queue, que lo resuelve igual.
    assert resolve_serializer(nombre) is clase
    assert Queue("q", connection=redis_conexion, serializer=nombre).serializer is clase


def test_los_workers_con_la_ruta_de_la_clase_y_con_el_alias_leen_sus_trabajos(hechos):
    assert hechos["len"]["estado"] == JobStatus.FINISHED
    assert hechos["len"]["resultado"].return_value == 3
    assert hechos["cerrojo"]["estado"] == JobStatus.FINISHED


def test_un_worker_con_otro_serializador_da_el_trabajo_por_fallido(hechos):
    desajuste = hechos["desajuste"]
    assert desajuste["estado"] == JobStatus.FAILED
    assert desajuste["fallido"]
    assert any("(<DeserializationError>)" in linea for linea in desajuste["log"])


def test_job_fetch_con_otro_serializador_lee_el_trabajo_pero_no_sus_datos(redis_conexion):
    trabajo = Queue("pedidos-json", connection=redis_conexion, serializer="json").enqueue("builtins.len", (1, 2))
    leido = Job.fetch(trabajo.id, connection=redis_conexion)
    assert leido.origin == "pedidos-json"
    with pytest.raises(DeserializationError) as error:
        leido.args
    assert isinstance(error.value.__cause__, pickle.UnpicklingError)
    assert "invalid load key, '['" in str(error.value.__cause__)
    # Con JSON, los argumentos (y las tuplas de dentro) vuelven como listas.
    assert Job.fetch(trabajo.id, connection=redis_conexion, serializer="json").args == [[1, 2]]


# --- Lo que JSON rechaza o cambia ---

def test_json_rechaza_al_encolar_lo_que_no_sabe_guardar(redis_conexion):
    cola = Queue("pedidos-json", connection=redis_conexion, serializer="json")
    with pytest.raises(TypeError, match="Object of type date is not JSON serializable"):
        cola.enqueue("builtins.str", date(2025, 3, 1))
    with pytest.raises(TypeError, match="keys must be str, int, float, bool or None, not tuple"):
        cola.enqueue("builtins.str", {(9, 14): "mañana"})
    assert len(cola) == 0


def test_json_convierte_en_texto_sin_avisar_las_claves_que_no_son_texto(hechos):
    assert json.loads(json.dumps(CLAVES)) == CLAVES_EN_JSON
    # Y eso es lo que le llega al worker.
    assert hechos["claves"]["resultado"].return_value == CLAVES_EN_JSON


@pytest.mark.parametrize("nombre", ["fecha", "conexion", "cerrojo"])
def test_un_resultado_que_no_se_puede_serializar_se_cambia_por_un_aviso(hechos, nombre):
    # Con JSON, una fecha; con pickle, una conexión o un cerrojo.
    assert hechos[nombre]["estado"] == JobStatus.FINISHED
    assert hechos[nombre]["resultado"].return_value == "Unserializable return value"
    # Y en el log del worker, nada raro: Job OK, como siempre.
    assert any(linea.endswith(": Job OK ({})".format(hechos[nombre]["id"])) for linea in hechos[nombre]["log"])


# --- Quien escribe en Redis ejecuta código ---

def test_leer_un_pickle_ejecuta_codigo_cada_vez_que_se_leen_los_datos(redis_conexion, tmp_path):
    cola = Queue("pedidos", connection=redis_conexion)
    trabajo = cola.enqueue("tareas.tarea_pesada_y_falible", 3, fallar=False)
    # El intruso cambia el campo data; luego, un programa cualquiera lee el trabajo.
    carpeta = tmp_path / "desde-pickle"
    redis_conexion.hset(trabajo.key, "data", zlib.compress(pickle.dumps(_OrdenAlLeer(carpeta))))
    leido = Job.fetch(trabajo.id, connection=redis_conexion)
    with pytest.raises(DeserializationError):
        leido.args  # os.mkdir devuelve None, no la tupla de la llamada...
    assert carpeta.is_dir()  # ...pero la carpeta ya está hecha.
    # Los datos que no se pudieron leer se vuelven a leer (y a ejecutar) en cada acceso.
    carpeta.rmdir()
    with pytest.raises(DeserializationError):
        leido.func_name
    assert carpeta.is_dir()
    # La descripción, guardada aparte como texto, sigue diciendo lo de antes.
    assert leido.description == DESCRIPCION


def test_con_json_el_worker_llama_a_la_funcion_que_nombre_el_trabajo(hechos):
    assert hechos["carpeta"].is_dir()
    assert hechos["intruso"]["estado"] == JobStatus.FINISHED
    # La descripción, guardada aparte como texto, es la del trabajo encolado.
    assert hechos["intruso"]["descripcion"] == DESCRIPCION


@pytest.mark.parametrize("script", ["serializacion_intruso.py", "serializacion_encolar_json.py"])
def test_los_scripts_rechazan_argumentos(script):
    resultado = procesos.python(script, "de-mas")
    assert resultado.returncode == 2
    assert resultado.stdout == f"Uso: python {script}  (sin argumentos)\n"
