"""Salidas del capítulo "Tu aplicación web y RQ" (docs/web.rst).

Todo se ejecuta desde examples/web con PYTHONPATH=../rq, como pide el
capítulo. La sesión entera (uvicorn, curl, sondear.sh y el worker, cada uno
en su terminal) es un solo escenario: el capítulo la enseña a trozos, con
texto en medio. El libro usa el puerto 8040; bajo prueba, uvicorn escucha en
uno libre (los normalizadores tapan el número).
"""

import json
import re

from redis import Redis
from rq.job import Job

from tests.arnes import procesos
from tests.arnes.procesos import esperar
from tests.arnes.redis_privado import puerto_libre
from tests.arnes.transcripciones import escenario, modo

CARPETA = "web"
ENTORNO = {"PYTHONPATH": "../rq"}
PUERTO_DEL_LIBRO = 8040
JSON = "-H 'Content-Type: application/json'"
# Las peticiones de sondear.sh (cuatro por segundo) no salen siempre las
# mismas veces: del log de uvicorn las quitamos, con un [...] a la vista.
ACCESO = re.compile(r'^INFO: +127\.0\.0\.1:\d+ - "(?P<peticion>[^"]+)" (?P<estado>\d+)')


def estado(id_):
    return Job.fetch(id_, connection=Redis.from_url(procesos.entorno()["REDIS_URL"])).get_status().value


def recortar_sondeos(texto):
    """Del log de uvicorn, las peticiones de sondear.sh, cambiadas por [...].

    Son las que van entre el GET que hace el lector a mano, justo después
    de pedir el informe, y el segundo POST.
    """
    lineas = texto.splitlines()
    accesos = [i for i, linea in enumerate(lineas) if ACCESO.match(linea)]
    posts = [i for i in accesos if ACCESO.match(lineas[i])["peticion"].startswith("POST")]
    primer_get = next(i for i in accesos if i > posts[0])
    sondeos = [i for i in accesos if primer_get < i < posts[1]]
    assert sondeos, texto
    return "\n".join([*lineas[:sondeos[0]], "[...]", *lineas[sondeos[-1] + 1:]]) + "\n"


@escenario("web/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("web/sesion")
def sesion(s):
    """Uvicorn, un worker y curl, como en las tres terminales del capítulo."""
    puerto = PUERTO_DEL_LIBRO if modo() == "reescribir" else puerto_libre()
    if modo() == "reescribir":
        s.requiere_puerto_libre(puerto)
    base = f"http://127.0.0.1:{puerto}"
    orden_uvicorn = f"INFORMES_TTL=1 uvicorn aplicacion:app --port {puerto}"
    with s.en_otra_terminal(orden_uvicorn) as uvicorn:
        uvicorn.esperar_texto("Uvicorn running on", limite=30)

        pedido = s.ejecutar(f"""curl -si -X POST {base}/informes {JSON} -d '{{"segundos": 2}}'""")
        url = re.search(r"^location: (\S+)", pedido.stdout, re.M)[1]
        s.ejecutar(f"curl -s {url}")

        # sondear.sh en esta terminal; cuando ya ha dicho "queued", el worker
        # en la tercera. A velocidad real también bajo prueba: sondear.sh
        # pregunta cuatro veces por segundo y cada tramo del informe dura uno.
        with s.en_otra_terminal(f"./sondear.sh {url}") as sondeo:
            sondeo.esperar_texto('"estado":"queued"')
            with s.en_otra_terminal("rq worker informes", TAREAS_ESCALA="1") as worker:
                assert sondeo.esperar_fin(limite=30) == 0, sondeo.texto()
                s.anotar_terminal(f"./sondear.sh {url}", sondeo)

                fallido = s.ejecutar(
                    f"""curl -s -X POST {base}/informes {JSON} -d '{{"segundos": 2, "fallar": true}}'"""
                )
                id_fallido = json.loads(fallido.stdout)["id"]
                # El lector espera a que falle (un par de segundos) y pregunta.
                esperar(lambda: estado(id_fallido) == "failed", limite=30, que="que fallara el informe")
                s.ejecutar(f"curl -s {base}/informes/{id_fallido}")

                # Ha pasado más de un segundo desde que acabó el primero (el
                # segundo informe ha trabajado uno entero): RQ ya lo ha borrado.
                s.ejecutar(f"curl -si {url}")
                s.ejecutar(f"curl -si {base}/informes/no-existe")
                s.ejecutar(f"./sondear.sh {base}/informes/no-existe", codigo=1)
                s.ejecutar(f"""curl -si -X POST {base}/informes {JSON} -d '{{"segundos": 0}}'""")

                worker.ctrl_c()
            s.anotar_terminal("rq worker informes", worker)
        uvicorn.ctrl_c()
    s.anotar(f"$ {orden_uvicorn}", recortar_sondeos(uvicorn.texto()))


@escenario("web/sin-pythonpath")
def sin_pythonpath(s):
    # Se va antes de escuchar: el puerto da igual que esté ocupado.
    s.ejecutar("env -u PYTHONPATH uvicorn aplicacion:app --port 8040", codigo=1)
