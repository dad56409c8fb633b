"""Las tareas propias del capítulo "Flujos de trabajos": juntar, informar y mandar un correo.

Viven en su propio módulo, y no en los programas que las encolan, porque
el worker tiene que poder importarlas (un programa que se ejecuta con
`python programa.py` es el módulo __main__, y RQ no admite sus funciones).
"""

from rq import get_current_job

BUZON = "guia:buzon"


def juntar():
    """Suma lo que devolvieron las partes de las que depende este trabajo."""
    partes = get_current_job().fetch_dependencies()
    total = sum(parte.return_value() for parte in partes)
    print(f"juntar: {len(partes)} partes, {total} segundos de trabajo en total", flush=True)
    return total


def informar():
    """Dice cómo acabó cada parte, haya ido bien o mal."""
    partes = sorted(get_current_job().fetch_dependencies(), key=lambda parte: parte.description)
    for parte in partes:
        print(f"informar: {parte.description}: {parte.get_status().value}", flush=True)
    return len(partes)


class CorreoEnCurso(Exception):
    """Otro intento tiene la marca "mandando": sigue mandando el correo, o murió a mitad."""


def mandar_correo(pedido):
    """Manda el correo de un pedido, y solo una vez aunque el trabajo se repita.

    Antes de mandarlo, apunta en Redis que se está mandando, con SET NX: solo
    lo consigue el primero. Si el envío sale bien, la marca pasa a "mandado"
    para siempre; si falla, la borra para que un reintento lo pueda volver a
    intentar. Un intento que no consigue la marca mira qué dice: con
    "mandado", no hace nada; con "mandando", otro intento está a mitad, o
    murió a mitad, y desde aquí no se sabe cuál: lanza CorreoEnCurso para
    que el reintento (Retry) lo vuelva a probar más tarde. La marca
    "mandando" caduca a los diez minutos, por si el worker murió: pasado ese
    tiempo, el siguiente intento lo manda.
    """
    conexion = get_current_job().connection
    marca = f"guia:correo:{pedido}"
    if not conexion.set(marca, "mandando", nx=True, ex=600):
        if conexion.get(marca) == b"mandado":
            print(f"El correo del pedido {pedido} ya se ha mandado: no hago nada.", flush=True)
            return "ya estaba"
        raise CorreoEnCurso(f"el correo del pedido {pedido} se está mandando en otro intento (o murió a mitad)")
    try:
        _enviar(conexion, pedido)
    except Exception:
        conexion.delete(marca)
        raise
    conexion.set(marca, "mandado")
    return "mandado"


def _enviar(conexion, pedido):
    # Nuestro "servidor de correo": una lista de Redis que hace de buzón.
    conexion.rpush(BUZON, f"Tu pedido {pedido} ya está en camino")
    print(f"Correo del pedido {pedido} mandado.", flush=True)
