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


def test_la_fecha_de_una_respuesta_http():
    assert normalizar("date: Sat, 28 Nov 2026 07:41:55 GMT") == "date: <fecha>"
    # Solo la cabecera: una fecha en el cuerpo se queda.
    assert normalizar('{"fecha": "Sat, 28 Nov 2026"}') == '{"fecha": "Sat, 28 Nov 2026"}'


def test_el_puerto_y_el_pid_de_uvicorn():
    assert normalizar("$ uvicorn aplicacion:app --port 8040") == "$ uvicorn aplicacion:app --port <puerto>"
    assert normalizar("INFO:     Started server process [6415]") == "INFO:     Started server process [<pid>]"
    acceso = 'INFO:     127.0.0.1:58866 - "POST /informes HTTP/1.1" 202 Accepted'
    assert normalizar(acceso) == 'INFO:     127.0.0.1:<puerto> - "POST /informes HTTP/1.1" 202 Accepted'
    # Un puerto de Redis no es el del servidor web.
    assert normalizar("redis://127.0.0.1:6390/0") == "redis://127.0.0.1:6390/0"


def test_lo_que_tarda_pytest():
    assert normalizar("======== 13 passed, 3 xfailed in 5.44s =========") == "13 passed, 3 xfailed in <n>s"
    assert normalizar("=== 1 failed, 2 passed in 12.31s (0:00:12) ===") == "1 failed, 2 passed in <n>s"
    assert normalizar("3 failed, 1 passed in 1.31s") == "3 failed, 1 passed in <n>s"
    # Los demás separadores de pytest, tal cual.
    assert normalizar("=== FAILURES ===") == "=== FAILURES ==="


def test_cambia_maquina_direccion_y_pid_de_un_worker_en_rq_info():
    linea = "8ee55551e6934be3ab47ea316792bee4 (vm 127.0.0.1:59752 14560): busy high, default. jobs: 4 finished"
    assert normalizar(linea) == "<worker> (<máquina> <dirección> <pid>): busy high, default. jobs: 4 finished"


def test_cambia_solo_los_segundos_medidos_de_las_series_de_prometheus():
    texto = (
        'rq_queue_wait_seconds{queue="low"} 9.165311\n'
        'rq_working_seconds_total{name="x",queues="high"} 0.109428\n'
        'rq_jobs{queue="low",status="queued"} 1.0\n'
    )
    assert normalizar(texto) == (
        'rq_queue_wait_seconds{queue="low"} <segundos>\n'
        'rq_working_seconds_total{name="x",queues="high"} <segundos>\n'
        'rq_jobs{queue="low",status="queued"} 1.0\n'
    )


def test_las_fechas_y_el_puerto_de_runserver():
    assert normalizar("November 28, 2026 - 07:41:15") == "<fecha> - <hora>"
    assert normalizar('[28/Nov/2026 07:41:17] "GET /trabajos/x/ HTTP/1.1" 200 108') == (
        '[<fecha> <hora>] "GET /trabajos/x/ HTTP/1.1" 200 108'
    )
    assert normalizar("$ python manage.py runserver 8010") == "$ python manage.py runserver <puerto>"
    # El tamaño de la respuesta y los códigos HTTP se quedan: el libro habla de ellos.
    assert normalizar("Django version 5.2.19, using settings 'proyecto.settings'") == (
        "Django version 5.2.19, using settings 'proyecto.settings'"
    )


def test_cambia_el_nombre_de_rq_cron_y_nada_mas():
    assert normalizar("CronScheduler vm:1604:7647ab: starting...") == "CronScheduler <nombre>: starting..."
    assert normalizar("CronScheduler mi-portatil.local:42:0a1b2c: shutdown complete") == (
        "CronScheduler <nombre>: shutdown complete"
    )
    assert normalizar("Registered 'tareas.tarea_pesada_y_falible' to run on default every 600 seconds") == (
        "Registered 'tareas.tarea_pesada_y_falible' to run on default every 600 seconds"
    )


def test_las_medidas_de_rendimiento_cambian_sus_cifras_y_nada_mas():
    # Las filas de las tablas de examples/rendimiento: la etiqueta se queda, cada cifra no.
    assert normalizar("Worker           72.1 ms    80.8 ms       67") == "Worker <n> <n> <n>"
    # Las filas de trabajos_por_segundo.py, solo de enteros, se quedan en un <n>…:
    # bajo prueba mide menos números de workers, y salen menos columnas.
    assert normalizar("worker-pool          46        21") == "worker-pool <n>…"
    assert normalizar("20 ms                14 (88%)      2 (12%)") == "20 ms <n> <n>"
    assert normalizar("SimpleWorker + max-jobs       38 MB        -") == "SimpleWorker + max-jobs <n>        -"
    assert normalizar("  enqueue_many() (pipeline)    2457 trabajos/s  (5.3× más deprisa)") == (
        "  enqueue_many() (pipeline) <n> trabajos/s  (<n>× más deprisa)")
    assert normalizar("Máquina: 2 núcleos, Linux, Python 3.11.7") == "Máquina: <máquina>"
    assert normalizar("300 trabajos vacíos, de uno en uno") == "<n> trabajos vacíos, de uno en uno"
    # Una línea de log de un worker no empieza por la etiqueta: se queda como estaba.
    for texto in ["Worker rq:worker:abc started", "RQ 3.0 cambió esto", "default: 10"]:
        assert normalizar(texto) == texto


def test_las_cifras_con_tilde_y_la_orden_que_choca_con_un_redis_lleno():
    assert normalizar("~257 tienen sus datos") == "~<n> tienen sus datos"
    assert normalizar("Encolados 600 de 600") == "Encolados 600 de 600"
    oom = "OutOfMemoryError: Command # 2 (HSET rq:worker:abc birth 2026...) of pipeline caused error: command not allowed"
    assert normalizar(oom) == "OutOfMemoryError: Command # <n> (...) of pipeline caused error: command not allowed"


def test_la_linea_de_ssl_c_de_cada_version_de_python():
    error = "certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)."
    assert normalizar(error) == "certificate verify failed: self-signed certificate in certificate chain (_ssl.c:<línea>)."


def test_quita_la_limpieza_de_grupos_que_sale_o_no_segun_el_momento():
    con = (
        "08:49:07 Worker 5a74c0ed675f4c3f997729da880a0f1b: cleaning registries for queue: default\n"
        "08:49:07 Worker 5a74c0ed675f4c3f997729da880a0f1b: cleaning group registries\n"
    )
    sin = "08:49:09 Worker b45b6b8aa1bc484f87a276e920f049b0: cleaning registries for queue: default\n"
    assert normalizar(con) == normalizar(sin)


def test_los_milisegundos_de_medir_arranque():
    assert normalizar("rq.worker.Worker             26.4 ms\n") == normalizar("rq.worker.Worker            152.3 ms\n")


def test_killed_de_bash_y_los_pid_de_kill_y_pgrep():
    assert normalizar("$ pgrep -P 17300\n17350\n$ kill -9 17300 17350") == (
        "$ pgrep -P <pid>\n<pid>\n$ kill -9 <pid> <pid>"
    )
    # bash escribe "Killed" donde iba el cursor; el huérfano sigue tras el prompt.
    assert normalizar("tarea_pesada_y_falible (100) ...Killed\n$ ....... [OK]") == (
        "tarea_pesada_y_falible (100) Killed\n$ <puntos> [OK]"
    )


def test_la_hora_detras_del_eco_de_ctrl_c():
    assert normalizar("^C10:55:16 CronScheduler vm:1:abcdef: received shutdown signal 2") == (
        "^C<hora> CronScheduler <nombre>: received shutdown signal 2"
    )


def test_cambia_pid_y_fecha_del_log_de_redis_server_pero_no_el_mensaje():
    arranque = "6533:M 28 Nov 2026 15:56:44.203 * Ready to accept connections"
    assert normalizar(arranque) == "<pid>:M <fecha> * Ready to accept connections"
    senal = "^C6533:signal-handler (1795881404) Received SIGINT scheduling shutdown..."
    assert normalizar(senal) == "^C<pid>:signal-handler (<n>) Received SIGINT scheduling shutdown..."
    primera = "Redis 7.0.15 (PATH) en redis://localhost:6379; Ctrl+C para pararlo."
    assert normalizar(primera) == "Redis <versión> (PATH) en redis://localhost:6379; Ctrl+C para pararlo."


def test_el_json_de_los_workers_de_rq_dashboard():
    json = (
        '            "birth_date": "Sat, 28 Nov 2026 15:57:21 GMT",\n'
        '            "failed_job_count": 2,\n'
        '            "pid": 8313,\n'
        '            "python_version": "3.11.7 (main, May  9 2026, 07:35:25) [GCC 12.2.0]",\n'
        '            "total_working_time": 10.033282,\n'
        '            "version": "3.0.0"'
    )
    assert normalizar(json) == (
        '            "birth_date": "<fecha>",\n'
        '            "failed_job_count": 2,\n'
        '            "pid": <pid>,\n'
        '            "python_version": <versión>,\n'
        '            "total_working_time": <segundos>,\n'
        '            "version": "3.0.0"'
    )
