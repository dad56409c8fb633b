"""Lo que el capítulo "Logs y errores de los workers" afirma y no cabe en una salida.

Workers reales de una sola pasada contra el Redis privado de las pruebas, y
el receptor de Sentry de verdad (examples/logs/receptor_sentry.py).
"""

import json
import subprocess
import sys
import time

from rq.job import JobStatus

from tests.arnes import procesos
from tests.arnes.redis_privado import puerto_libre

LOGS = procesos.EJEMPLOS / "logs"
TAREA = "tareas.tarea_pesada_y_falible"


def test_quiet_deja_solo_avisos_y_errores_y_los_errores_van_a_la_salida_de_errores(cola):
    cola.enqueue(TAREA, 3, fallar=True)
    resultado = subprocess.run(
        [str(procesos.BIN / "rq"), "worker", "--burst", "--quiet"], cwd=procesos.EJEMPLOS / "rq",
        env=procesos.entorno(), capture_output=True, text=True, timeout=60,
    )
    assert "Listening on" not in resultado.stdout + resultado.stderr
    # La tarea escribe en la salida normal; el error de RQ, con su traza, en la de errores.
    assert "¡Ay! Hoy no me sale." in resultado.stdout
    assert "exception raised while executing" in resultado.stderr
    assert "exception raised while executing" not in resultado.stdout


def test_log_format_y_date_format_cambian_cada_linea():
    resultado = procesos.ejecutar(
        ["rq", "worker", "--burst", "--log-format", "[rq] %(levelname)s %(asctime)s %(message)s",
         "--date-format", "%Y"], carpeta="rq")
    assert resultado.returncode == 0
    primera = resultado.stdout.splitlines()[0]
    assert primera.startswith(f"[rq] INFO {time.strftime('%Y')} Worker ")


def test_rq_worker_deja_de_propagar_cuando_pone_sus_manejadores():
    """Como al arrancar `rq worker`: con logging sin configurar, RQ pone sus dos
    manejadores (salida normal y de errores) y propagate = False; con logging ya
    configurado, no pone ninguno y deja propagar hacia los de la aplicación."""
    codigo = (
        "import logging, sys\n"
        "from rq.logutils import setup_loghandlers\n"
        "if sys.argv[1] == 'configurado': logging.basicConfig()\n"
        "setup_loghandlers('INFO')\n"
        "registro = logging.getLogger('rq.worker')\n"
        "print(registro.propagate, len(registro.handlers))\n"
    )
    for caso, esperado in [("sin-configurar", "False 2"), ("configurado", "True 0")]:
        resultado = procesos.ejecutar([sys.executable, "-c", codigo, caso])
        assert resultado.stdout.strip() == esperado, caso


def test_con_c_la_conexion_sale_solo_del_modulo_de_ajustes(monkeypatch, tmp_path):
    """Sin REDIS_URL en el módulo, `rq -c` va a localhost:6379 aunque el entorno diga otra cosa."""
    from rq.cli.helpers import CliConfig
    (tmp_path / "ajustes_sin_url.py").write_text("QUEUES = ['default']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/5")
    monkeypatch.setenv("REDIS_HOST", "otra-maquina")
    conexion = CliConfig(config="ajustes_sin_url").connection  # Solo la crea: no conecta.
    argumentos = conexion.connection_pool.connection_kwargs
    assert (argumentos["host"], argumentos["port"], argumentos["db"]) == ("localhost", 6379, 0)
    # Y el nuestro la copia del entorno.
    monkeypatch.syspath_prepend(str(LOGS))
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    conexion = CliConfig(config="ajustes_worker").connection
    argumentos = conexion.connection_pool.connection_kwargs
    assert (argumentos["host"], argumentos["port"], argumentos["db"]) == ("127.0.0.1", 1, 5)
    sys.modules.pop("ajustes_worker", None)
    sys.modules.pop("ajustes_sin_url", None)


def test_un_manejador_que_devuelve_false_corta_la_cadena():
    from rq.job_lifecycle import call_exception_handlers
    llamados = []

    def apunta(nombre, devuelve):
        def manejador(*_):
            llamados.append(nombre)
            return devuelve
        return manejador

    call_exception_handlers([apunta("a", None), apunta("b", True), apunta("c", False), apunta("d", None)], None)
    assert llamados == ["a", "b", "c"]


def test_sentry_recibe_el_fallo_pero_no_la_muerte_del_hijo(cola, vigia):
    """La integración de Sentry, como los manejadores de excepciones, no ve morir al hijo."""
    puerto = puerto_libre()
    receptor = procesos.ProcesoVivo(["python", "../logs/receptor_sentry.py", str(puerto)], carpeta="rq")
    try:
        receptor.esperar_texto("Esperando eventos")
        muerto = cola.enqueue("errores.morir_de_golpe")
        trabajo = cola.enqueue(TAREA, 3, fallar=True)
        resultado = procesos.ejecutar(
            ["rq", "worker", "--burst", "-c", "ajustes_worker", "--exception-handler", "errores.apuntar_fallo"],
            carpeta="rq", SENTRY_DSN=f"http://guia@127.0.0.1:{puerto}/1", PYTHONPATH="../logs")
        assert resultado.returncode == 0
        assert f"[apuntar_fallo] {TAREA} ({trabajo.id}): ValueError" in resultado.stdout
        assert "[apuntar_fallo] errores.morir_de_golpe" not in resultado.stdout
        receptor.esperar_texto(f"({trabajo.id})")
        assert "ValueError: la tarea de 3 s se ha torcido" in receptor.texto()
        assert receptor.ctrl_c() == 0
        assert receptor.texto().count("Evento ") == 1
    finally:
        receptor.acabar()
    assert trabajo.get_status() == JobStatus.FAILED
    assert "Work-horse terminated unexpectedly" in muerto.latest_result().exc_string


def test_con_dict_config_cada_linea_de_rq_es_un_objeto_json(cola, vigia):
    """formato_json.py: las líneas de RQ, JSON; la del fallo, con el trabajo y la traza aparte."""
    trabajo = cola.enqueue(TAREA, 3, fallar=True)
    resultado = procesos.ejecutar(["rq", "worker", "--burst", "-c", "ajustes_worker"],
                                  carpeta="rq", PYTHONPATH="../logs")
    assert resultado.returncode == 0
    lineas = [json.loads(linea) for linea in resultado.stdout.splitlines() if linea.startswith("{")]
    assert {linea["logger"] for linea in lineas} == {"rq.worker"}
    [fallo] = [linea for linea in lineas if linea["nivel"] == "ERROR"]
    assert fallo["job_id"] == trabajo.id and fallo["queue"] == "default"
    assert "\n" not in fallo["mensaje"] and fallo["traza"].startswith("Traceback")
    # Lo que no es de RQ, tal cual: el print de la tarea.
    otras = [linea for linea in resultado.stdout.splitlines() if not linea.startswith("{")]
    assert otras == ["tarea_pesada_y_falible (3) ¡Ay! Hoy no me sale."]


def test_receptor_sentry_se_queja_en_una_linea():
    for argumentos, mensaje in [(["no-es-un-puerto"], "Uso: python receptor_sentry.py")]:
        resultado = procesos.python("../logs/receptor_sentry.py", *argumentos)
        assert resultado.returncode == 1
        assert resultado.stdout.strip() == f"{mensaje} [PUERTO]"


def test_un_manejador_que_devuelve_false_no_quita_lo_que_hace_rq_por_defecto(cola, vigia, carpeta):
    """False corta los manejadores que vienen detrás, pero el trabajo acaba igual entre los fallidos."""
    (carpeta / "cortar.py").write_text("def cortar(*_):\n    print('[cortar]', flush=True)\n    return False\n")
    trabajo = cola.enqueue(TAREA, 3, fallar=True)
    resultado = procesos.ejecutar(
        ["rq", "worker", "--burst", "--exception-handler", "cortar.cortar",
         "--exception-handler", "errores.apuntar_fallo"],
        carpeta="rq", PYTHONPATH=f"{carpeta}:../logs")
    assert "[cortar]" in resultado.stdout and "[apuntar_fallo]" not in resultado.stdout
    assert trabajo.id in cola.failed_job_registry
    assert "ValueError" in trabajo.latest_result().exc_string


def test_sin_el_manejador_por_defecto_el_trabajo_fallido_no_caduca_ni_tiene_registro(cola, redis_conexion):
    # Sin vigía: que el trabajo no quede en ningún registro es justo lo que se prueba.
    trabajo = cola.enqueue(TAREA, 3, fallar=True)
    resultado = procesos.ejecutar(
        ["rq", "worker", "--burst", "--disable-default-exception-handler",
         "--exception-handler", "errores.apuntar_fallo"], carpeta="rq", PYTHONPATH="../logs")
    assert f"[apuntar_fallo] {TAREA} ({trabajo.id})" in resultado.stdout
    assert trabajo.get_status() == JobStatus.FAILED and trabajo.latest_result() is None
    assert trabajo.id not in cola.failed_job_registry
    assert redis_conexion.ttl(trabajo.key) == -1
    trabajo.delete()  # Nadie más lo borraría.


def test_el_logging_de_una_tarea_no_sale_en_json_si_dict_config_no_configura_su_logger(cola, vigia, carpeta):
    """El DICT_CONFIG del libro solo configura "rq": el aviso de una tarea sale tal cual por stderr."""
    (carpeta / "tarea_con_log.py").write_text(
        "import logging\n\ndef avisar():\n    logging.getLogger('tarea_con_log').warning('aviso de la tarea')\n")
    cola.enqueue("tarea_con_log.avisar")
    resultado = subprocess.run(
        [str(procesos.BIN / "rq"), "worker", "--burst", "--quiet", "-c", "ajustes_worker"],
        cwd=procesos.EJEMPLOS / "rq", env=procesos.entorno(PYTHONPATH=f"../logs:{carpeta}"),
        capture_output=True, text=True, timeout=60,
    )
    assert resultado.returncode == 0
    assert resultado.stderr.strip() == "aviso de la tarea"
    assert "aviso de la tarea" not in resultado.stdout
