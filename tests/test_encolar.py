"""Capítulo "Encolar trabajos": lo que afirma el texto y no enseñan del todo sus salidas.

Las sesiones de docs/encolar.rst ya ejecutan la API de la cola, las reglas
y los resultados contra un worker de verdad. Aquí van los comportamientos
de RQ 3.0.0 y redis-py 8.1.0 que el capítulo cuenta (el recorte de los
resultados, el socket_timeout, la caché de return_value, los trabajos que
ya no existen) y las entradas malas de sus scripts. Para ejecutar un
trabajo aquí mismo, sin otro proceso, usamos una cola síncrona
(``Queue(..., is_async=False)``), que lo ejecuta al encolarlo y guarda su
resultado y su estado en el mismo Redis.
"""

import runpy
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import DataError, TimeoutError
from redis.retry import Retry
from rq import Queue
from rq.exceptions import InvalidJobOperation
from rq.job import Job, JobStatus
from rq.results import Result

from tests.arnes.procesos import EJEMPLOS, esperar
from tests.arnes.servidor_web import servir


@pytest.fixture
def ejemplos(monkeypatch):
    """Los módulos de examples/rq importables aquí, como desde su carpeta."""
    monkeypatch.syspath_prepend(str(EJEMPLOS / "rq"))


@pytest.fixture
def carpeta_temporal():
    """Una carpeta de usar y tirar (sin tmp_path: su carpeta base la comparten
    todas las ejecuciones de pytest de la máquina)."""
    with tempfile.TemporaryDirectory(prefix="guia-rq-encolar-") as carpeta:
        yield Path(carpeta)


# --- Entradas malas de los scripts ---

# (Llamamos a main() aquí mismo: el script hace sys.exit(main(sys.argv[1:])),
# así que lo que devuelve es su código de salida.)

def test_encolar_conteo_sin_url_explica_el_uso_y_sale_con_2(ejemplos, capsys):
    from encolar_conteo import main

    assert main([]) == 2
    salida = capsys.readouterr()
    assert salida.out == ""
    assert salida.err.startswith("Uso: python encolar_conteo.py URL") and salida.err.count("\n") == 1


@pytest.mark.parametrize(
    "argumentos, validas",
    [
        ((), None),
        (("http://127.0.0.1:8070/a.html", "bienvenida.html"), None),
        (("ftp://ejemplo.org/a.html",), None),
        (("http://127.0.0.1:8070/a.html", "https://ejemplo.org/"), ["http://127.0.0.1:8070/a.html", "https://ejemplo.org/"]),
    ],
    ids=["nada", "sin-esquema", "ftp", "buenas"],
)
def test_encolar_conteo_solo_acepta_urls_http(ejemplos, argumentos, validas):
    from encolar_conteo import urls_validas

    assert urls_validas(list(argumentos)) == validas


@pytest.mark.parametrize(
    "argumentos, veces",
    [((), 30), (("5",), 5), (("200",), 200), (("0",), None), (("201",), None),
     (("-3",), None), (("tres",), None), (("2", "3"), None)],
    ids=["nada", "5", "200", "0", "201", "negativo", "texto", "dos"],
)
def test_repetir_trabajo_acepta_de_1_a_200_veces(ejemplos, argumentos, veces):
    from repetir_trabajo import veces_pedidas

    assert veces_pedidas(list(argumentos)) == veces


def test_repetir_trabajo_con_argumentos_malos_explica_el_uso_y_sale_con_2(ejemplos, capsys):
    from repetir_trabajo import main

    assert main(["muchas"]) == 2
    salida = capsys.readouterr()
    assert salida.out == ""
    assert salida.err.startswith("Uso: python repetir_trabajo.py [VECES]") and salida.err.count("\n") == 1


def test_repetir_trabajo_sin_worker_lo_dice_en_una_linea_y_sale_con_1(ejemplos, redis_conexion, monkeypatch, capsys):
    import repetir_trabajo

    monkeypatch.setattr(repetir_trabajo, "ESPERA_MAXIMA", 0.2)
    assert repetir_trabajo.main(["3"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Error: en 0.2 s nadie ha ejecutado el trabajo.")
    assert "rq worker default" in error and error.count("\n") == 1


@pytest.mark.parametrize(
    "script, argumentos",
    [("encolar_desde_main.py", []), ("encolar_importando.py", []),
     ("encolar_conteo.py", ["http://127.0.0.1:8070/bienvenida.html"]), ("repetir_trabajo.py", [])],
)
def test_sin_redis_cada_script_da_una_linea_y_sale_con_1(ejemplos, monkeypatch, script, argumentos):
    # Como `python script`: el módulo se ejecuta como __main__ con sus argumentos.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(sys, "argv", [script, *argumentos])
    with pytest.raises(SystemExit) as salida:
        runpy.run_path(str(EJEMPLOS / "rq" / script), run_name="__main__")
    # sys.exit("texto") escribe el texto en stderr y sale con 1.
    mensaje = salida.value.code
    assert isinstance(mensaje, str) and "\n" not in mensaje
    assert mensaje.startswith("Error: no puedo conectar con Redis en redis://127.0.0.1:1/0.")


# --- Quitar trabajos ---

def test_vaciar_y_borrar_la_cola_no_tocan_los_trabajos_terminados_ni_los_fallidos(ejemplos, redis_conexion):
    from tareas import tarea_pesada_y_falible
    from vocales import contar_vocales

    # Una cola síncrona (is_async=False) ejecuta cada trabajo al encolarlo:
    # uno termina y otro falla, en los registros de la cola default.
    sincrona = Queue(connection=redis_conexion, is_async=False)
    hecho = sincrona.enqueue(contar_vocales, "murciélago")
    fallido = sincrona.enqueue(tarea_pesada_y_falible, 1, fallar=True)
    cola = Queue(connection=redis_conexion)
    pendiente = cola.enqueue(contar_vocales, "cola")

    assert cola.empty() == 1
    cola.delete()
    assert not Job.exists(pendiente.id, connection=redis_conexion)
    assert Queue.all(connection=redis_conexion) == []
    # Los terminados y fallidos no estaban en la lista: siguen, con sus registros.
    assert hecho.get_status() == JobStatus.FINISHED and hecho.return_value() == 5
    assert fallido.get_status() == JobStatus.FAILED
    assert cola.finished_job_registry.get_job_ids() == [hecho.id]
    assert cola.failed_job_registry.get_job_ids() == [fallido.id]


def test_get_status_de_un_trabajo_borrado_o_caducado_lanza_invalidjoboperation(ejemplos, redis_conexion):
    from vocales import contar_vocales

    cola = Queue(connection=redis_conexion)
    borrado = cola.enqueue(contar_vocales, "hola")
    borrado.delete()
    with pytest.raises(InvalidJobOperation, match=f"Failed to retrieve status for job: {borrado.id}"):
        borrado.get_status()

    # Un trabajo terminado dura result_ttl segundos (500 por omisión); aquí, 1.
    # La cola síncrona lo ejecuta al encolarlo.
    caducado = Queue(connection=redis_conexion, is_async=False).enqueue(contar_vocales, "hola", result_ttl=1)
    assert caducado.return_value() == 2
    esperar(lambda: not Job.exists(caducado.id, connection=redis_conexion), limite=5, que="que caducara")
    with pytest.raises(InvalidJobOperation):
        caducado.get_status()
    assert caducado.return_value(refresh=True) is None
    assert caducado.latest_result() is None


# --- Cuántos resultados guarda ---

def copiar_ultimo_resultado(trabajo, veces):
    """Guarda `veces` resultados más como el último, con Result.create, igual que el worker."""
    real = trabajo.latest_result()
    for _ in range(veces):
        Result.create(
            trabajo, real.type, ttl=600, return_value=real.return_value, exc_string=real.exc_string,
            worker_name=real.worker_name, execution_id=real.execution_id,
            execution_started_at=real.execution_started_at, execution_ended_at=real.execution_ended_at,
        )


def test_un_trabajo_guarda_mas_de_diez_resultados(ejemplos, redis_conexion):
    """30 resultados de éxito se quedan los 30; 30 fallos con su traza, menos (y al menos 10).

    La primera ejecución es de verdad (en una cola síncrona); las otras 29
    guardan lo mismo que ella por el mismo camino que el worker
    (Result.create). Con un worker y 30 ejecuciones reales lo enseña el
    capítulo (repetir_trabajo.py).
    """
    from tareas import tarea_pesada_y_falible
    from vocales import contar_vocales

    sincrona = Queue(connection=redis_conexion, is_async=False)
    bien = sincrona.enqueue(contar_vocales, "murciélago")
    mal = sincrona.enqueue(tarea_pesada_y_falible, 1, fallar=True)
    copiar_ultimo_resultado(bien, 29)
    copiar_ultimo_resultado(mal, 29)
    assert len(bien.results()) == 30
    # Con su traza, un fallo ocupa más: caben menos por nodo y el recorte llega antes.
    assert 10 <= len(mal.results()) < 30


def test_el_recorte_de_resultados_quita_nodos_enteros(ejemplos, redis_conexion):
    """XADD ... MAXLEN ~ 10: Redis solo quita nodos enteros (100 entradas o 4 KB)."""
    from vocales import contar_vocales

    entradas = redis_conexion.config_get("stream-node-max-entries")["stream-node-max-entries"]
    bytes_por_nodo = redis_conexion.config_get("stream-node-max-bytes")["stream-node-max-bytes"]
    assert (entradas, bytes_por_nodo) == ("100", "4096")  # los de Redis si no se cambian

    trabajo = Queue(connection=redis_conexion).enqueue(contar_vocales, "hola")
    cuantos = []
    for _ in range(250):
        # Lo mismo que guarda el worker al acabar: Result.create hace el XADD.
        Result.create(trabajo, Result.Type.SUCCESSFUL, ttl=60, return_value=2)
        cuantos.append(Result.count(trabajo))
    # Con resultados pequeños, el nodo se llena por entradas: 100 + 9 antes de recortar.
    assert max(cuantos) == 109
    assert min(cuantos[9:]) == 10
    assert cuantos[109] == 10  # la entrada 110 permite quitar el primer nodo entero


# --- Esperar un resultado: latest_result(timeout=...) y el socket_timeout ---

def con_parametro(url, consulta):
    partes = urlsplit(url)
    return urlunsplit(partes._replace(query=consulta))


def test_conectar_deja_el_socket_timeout_de_redis_py_5_segundos(ejemplos):
    from conexion import conectar

    conexion = conectar()
    enchufe = conexion.connection_pool.get_connection()
    try:
        assert enchufe.socket_timeout == 5
    finally:
        conexion.connection_pool.release(enchufe)
        conexion.close()


def test_esperar_mas_que_el_socket_timeout_lanza_timeouterror(ejemplos, redis_url):
    from vocales import contar_vocales

    # Nadie atiende la cola "nadie": el trabajo nunca tendrá resultado.
    trabajo = Queue("nadie", connection=Redis.from_url(redis_url)).enqueue(contar_vocales, "hola")
    # El socket_timeout también se puede poner en la URL.
    impaciente = Redis.from_url(con_parametro(redis_url, "socket_timeout=0.2"))
    with pytest.raises(TimeoutError, match="Timeout reading from socket"):
        Job.fetch(trabajo.id, connection=impaciente).latest_result(timeout=1)
    # (Con la espera por debajo del socket_timeout, da None: lo enseña el capítulo.)
    # Y en segundos enteros: XREAD BLOCK no admite fracciones.
    with pytest.raises(DataError, match="XREAD block must be a non-negative integer"):
        trabajo.latest_result(timeout=0.5)


def test_el_socket_timeout_protege_de_un_redis_que_no_contesta():
    """Por eso no conviene quitarlo (None): sin él, esta conexión esperaría para siempre."""
    with socket.socket() as mudo:
        # Acepta conexiones (el sistema completa el saludo TCP) y nunca contesta.
        mudo.bind(("127.0.0.1", 0))
        mudo.listen()
        # Sin reintentos, para no esperar: redis-py reintenta 3 veces por omisión.
        conexion = Redis(host="127.0.0.1", port=mudo.getsockname()[1], socket_timeout=0.3,
                         retry=Retry(NoBackoff(), 0))
        with pytest.raises(TimeoutError, match="Timeout reading from socket"):
            conexion.ping()


# --- Cuando el trabajo se ejecuta otra vez ---

def test_tras_requeue_return_value_sigue_con_el_primer_resultado(ejemplos, redis_url, redis_conexion, carpeta_temporal):
    from contar_palabras import contar_palabras

    with servir(carpeta_temporal) as base:
        # Una cola síncrona (is_async=False) lo ejecuta al encolarlo, y falla:
        # la página aún no existe (404).
        trabajo = Queue(connection=redis_conexion, is_async=False).enqueue(contar_palabras, f"{base}/nueva.html")
        assert trabajo.return_value() is None
        (carpeta_temporal / "nueva.html").write_text("<p>ya existe</p>", encoding="utf-8")
        trabajo.requeue()

        # Sin worker, latest_result(timeout=...) no espera a la ejecución nueva:
        # da al momento el resultado que ya hay. (Si esperase, el socket_timeout
        # de 1 s saltaría antes que los 2 s de espera.)
        impaciente = Job.fetch(trabajo.id, connection=Redis.from_url(redis_url, socket_timeout=1))
        assert impaciente.latest_result(timeout=2).type == Result.Type.FAILED
        assert trabajo.get_status() == JobStatus.QUEUED

        # Y se ejecuta otra vez (aquí mismo, con una cola síncrona): ahora, bien.
        Queue(connection=redis_conexion, is_async=False).enqueue_job(trabajo)
    assert trabajo.get_status() == JobStatus.FINISHED
    assert trabajo.return_value() is None  # El primer resultado que leyó, el del fallo.
    assert trabajo.return_value(refresh=True) == 2
    assert [r.type for r in trabajo.results()] == [Result.Type.SUCCESSFUL, Result.Type.FAILED]


# --- Lo obsoleto ---

def test_job_result_esta_obsoleto_pero_sigue_dando_el_valor(ejemplos, redis_conexion):
    from vocales import contar_vocales

    # is_async=False ejecuta el trabajo aquí mismo, sin worker: basta para
    # tener un resultado guardado en Redis.
    cola = Queue("sincrona", connection=redis_conexion, is_async=False)
    trabajo = cola.enqueue(contar_vocales, "murciélago")
    assert trabajo.return_value() == 5
    with pytest.warns(DeprecationWarning, match=r"job\.result is deprecated, use job\.return_value"):
        assert trabajo.result == 5
