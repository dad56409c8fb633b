"""Una aplicación web que encola informes y dice cómo van.

Desde esta carpeta, con PYTHONPATH apuntando a ../rq:

    uvicorn aplicacion:app --port 8040

POST /informes encola un informe; GET /informes/<id> dice cómo va.
"""

import os
import sys
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Path, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from redis import Redis
from redis.exceptions import ConnectionError as RedisNoContesta
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

# [importar]
try:
    from conexion import url_redis
    from informes import generar_informe
except ModuleNotFoundError as error:
    # Sin esto, uvicorn enseñaría una traza larga por un ajuste que falta.
    sys.exit(
        f"Error: no encuentro el módulo {error.name!r}: "
        "exporta PYTHONPATH=../rq desde la carpeta web."
    )
# [fin importar]

# [ajustes]
# Cuánto guarda RQ el resultado de un informe terminado (result_ttl), en
# segundos: lo que diga INFORMES_TTL o, si no, los 500 de RQ. Pasado ese
# tiempo, RQ borra el trabajo.
GUARDAR_RESULTADO = int(os.environ.get("INFORMES_TTL", "500"))
# Cuánto recordamos nosotros que un id fue un informe: así, cuando RQ ya lo
# ha borrado, contestamos 410 (ya no está) en vez de 404 (nunca existió).
RECORDAR = 24 * 3600
# [fin ajustes]

app = FastAPI(title="Informes")
_conexion = Redis.from_url(url_redis())  # no conecta hasta la primera orden


# [dependencia]
def conexion_redis() -> Redis:
    """La conexión de las vistas; las pruebas ponen la suya en su lugar."""
    return _conexion


Conexion = Annotated[Redis, Depends(conexion_redis)]
# [fin dependencia]


class PeticionDeInforme(BaseModel):
    segundos: int = Field(ge=1, le=60)
    fallar: bool = False


def clave_recuerdo(id):
    return f"guia:informe:{id}"


# [pedir]
@app.post("/informes", status_code=status.HTTP_202_ACCEPTED)
def pedir_informe(
    peticion: PeticionDeInforme, conexion: Conexion, request: Request, response: Response
):
    """Encola el informe y contesta enseguida: 202 y dónde preguntar por él."""
    cola = Queue("informes", connection=conexion)
    trabajo = cola.enqueue(
        generar_informe, peticion.segundos, fallar=peticion.fallar,
        result_ttl=GUARDAR_RESULTADO, meta={"progreso": 0},
    )
    conexion.set(clave_recuerdo(trabajo.id), 1, ex=RECORDAR)
    response.headers["Location"] = str(request.url_for("ver_informe", id=trabajo.id))
    return {"id": trabajo.id, "estado": trabajo.get_status(refresh=False)}
# [fin pedir]


# [ver]
@app.get("/informes/{id}")
def ver_informe(id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]+$")], conexion: Conexion):
    """El estado del informe, su progreso y, al acabar, su resultado o su error."""
    try:
        trabajo = Job.fetch(id, connection=conexion)
    except NoSuchJobError:
        if conexion.exists(clave_recuerdo(id)):
            raise HTTPException(
                status.HTTP_410_GONE, "el informe ya no está: su resultado caducó"
            )
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no hay ningún informe con ese id")
    estado = trabajo.get_status(refresh=False)
    terminado = estado == JobStatus.FINISHED
    return {
        "id": trabajo.id,
        "estado": estado,
        "progreso": 100 if terminado else trabajo.meta.get("progreso"),
        "resultado": trabajo.return_value() if terminado else None,
        "error": ultima_linea_del_error(trabajo) if estado == JobStatus.FAILED else None,
    }


def ultima_linea_del_error(trabajo):
    """De la traza que guardó RQ, solo la última línea: la excepción y su mensaje."""
    resultado = trabajo.latest_result()
    return resultado.exc_string.strip().splitlines()[-1] if resultado else None
# [fin ver]


# [sin redis]
@app.exception_handler(RedisNoContesta)
def redis_no_contesta(request: Request, error: RedisNoContesta):
    # Sin Redis no hay cola: 503 (servicio no disponible) y una línea, no una traza.
    return JSONResponse(
        {"detail": "Redis no contesta; prueba dentro de un rato"},
        status.HTTP_503_SERVICE_UNAVAILABLE,
    )
# [fin sin redis]
