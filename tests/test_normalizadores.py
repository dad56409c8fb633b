"""Los normalizadores también tienen pruebas: un marcador de más esconde errores."""

from tests.arnes.normalizadores import normalizar


def test_cambia_ids_workers_horas_y_duraciones():
    linea = (
        "20:19:43 Worker 113da4587f664ef58b2cb3692fdc2232: default: Job OK "
        "(8723c30b-875f-4813-9bdc-635094748558) in 0:00:00.252839s"
    )
    assert normalizar(linea) == "<hora> Worker <worker>: default: Job OK (<id>) in <duración>"


def test_cambia_pid_y_segundos_del_ejemplo():
    assert normalizar("started with PID 6578") == "started with PID <pid>"
    assert normalizar("He tardado 34 segundos en total") == "He tardado <n> segundos en total"


def test_deja_intacto_lo_que_no_varia():
    # Lo que el libro afirma no debe desaparecer tras un marcador.
    for texto in ["result is kept for 500 seconds", "default: 10", "tarea_pesada_y_falible (5) ..... [OK]"]:
        assert normalizar(texto) == texto


def test_quita_las_rutas_de_la_maquina():
    traza = 'File "/home/ana/.venv/lib/python3.11/site-packages/rq/job.py", line 1478'
    assert normalizar(traza) == 'File ".../site-packages/rq/job.py", line 1478'


def test_cambia_los_tiempos_medidos_de_la_tabla():
    assert normalizar("      2        17.5 s         1.9×") == "      2 <n> s <n>×"
    assert normalizar("      1       134.2 s        11.0×") == "      1 <n> s <n>×"
    # Pero no la duración con la que se llamó a la tarea.
    assert normalizar("la tarea de 7 s se ha torcido") == "la tarea de 7 s se ha torcido"


def test_cambia_solo_el_puerto_del_servidor_local_de_paginas():
    assert normalizar("GET http://127.0.0.1:8000/bienvenida.html") == "GET http://127.0.0.1:<puerto>/bienvenida.html"
    assert normalizar("http://127.0.0.1:41234/") == "http://127.0.0.1:<puerto>/"
    # Las URL de Redis no son páginas: se quedan como están.
    assert normalizar("redis://127.0.0.1:6390/0") == "redis://127.0.0.1:6390/0"


def test_cambia_el_puerto_del_yaml_de_rqstats_y_nada_mas():
    assert normalizar("    port: 60385\n    db: 0") == "    port: <puerto>\n    db: 0"
    for texto in ["Error: no puedo conectar con Redis en localhost:6390/0.", "port: 6379 es el de siempre"]:
        assert normalizar(texto) == texto


def test_los_puntos_de_una_tarea_interrumpida():
    # La tarea pinta un punto por segundo; si una línea del registro la corta,
    # cuántos puntos salen (o si sale alguno) depende de la velocidad.
    cortada = "tarea_pesada_y_falible (300) ...12:00:01 Worker abc: cold shut down"
    assert normalizar(cortada) == "tarea_pesada_y_falible (300) <hora> Worker abc: cold shut down"
    assert normalizar("tarea_pesada_y_falible (300) 12:00:01 Worker abc: cold shut down") == normalizar(cortada)
    # Un kill -9 al worker corta la línea sin más.
    assert normalizar("tarea_pesada_y_falible (300) ..") == "tarea_pesada_y_falible (300) "
    # Puntos sueltos entre dos líneas del registro: como si no estuvieran.
    assert normalizar(".12:00:02 Worker abc: killed horse pid 7") == "<hora> Worker abc: killed horse pid <pid>"
    # El resto de una línea cortada, en la línea siguiente.
    assert normalizar("......... [OK]") == "<puntos> [OK]"


def test_los_puntos_de_una_tarea_completa_no_cambian():
    for linea in ["tarea_pesada_y_falible (4) .... [OK]", "tarea_pesada_y_falible (5) ¡Ay! Hoy no me sale."]:
        assert normalizar(linea) == linea
    texto = "12:00:00 Worker abc: default: Job OK (x)\n12:00:00 Worker abc: done, quitting"
    assert "<puntos>" not in normalizar(texto)


def test_los_pid_del_proceso_hijo():
    assert normalizar("Worker abc: killed horse pid 4321") == "Worker abc: killed horse pid <pid>"
    assert normalizar("Work horse killed for job x: retpid=4321, ret_val=9") == (
        "Work horse killed for job x: retpid=<pid>, ret_val=9"
    )
