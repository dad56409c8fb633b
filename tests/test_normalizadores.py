"""Los normalizadores también tienen pruebas: un marcador de más esconde errores."""

from tests.normalizadores import normalizar


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


def test_cambia_el_puerto_del_yaml_de_rqstats_y_nada_mas():
    assert normalizar("    port: 60385\n    db: 0") == "    port: <puerto>\n    db: 0"
    for texto in ["Error: no puedo conectar con Redis en localhost:6390/0.", "port: 6379 es el de siempre"]:
        assert normalizar(texto) == texto
