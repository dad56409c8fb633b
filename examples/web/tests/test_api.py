"""La API de los informes, con TestClient y un SimpleWorker que hace los trabajos."""

from rq.job import Job


# [pedir y ver]
def test_pedir_un_informe_y_verlo_terminado(cliente, trabajar):
    respuesta = cliente.post("/informes", json={"segundos": 2})
    assert respuesta.status_code == 202
    url = respuesta.headers["location"]
    assert cliente.get(url).json()["estado"] == "queued"
    trabajar()
    assert cliente.get(url).json() == {
        "id": respuesta.json()["id"], "estado": "finished",
        "progreso": 100, "resultado": 2, "error": None,
    }
# [fin pedir y ver]


# [progreso]
def test_el_progreso_se_ve_mientras_trabaja(cliente, trabajar, monkeypatch):
    vistos = []

    def tramo(segundos, fallar):
        # En lugar de la tarea del libro: pregunta a la API cómo va el informe.
        vistos.append(cliente.get(url).json()["progreso"])

    # SimpleWorker trabaja en este proceso, así que el cambio le llega.
    monkeypatch.setattr("informes.tarea_pesada_y_falible", tramo)
    url = cliente.post("/informes", json={"segundos": 4}).headers["location"]
    trabajar()
    assert vistos == [0, 25, 50, 75]
# [fin progreso]


# [errores]
def test_un_informe_que_falla(cliente, trabajar):
    url = cliente.post("/informes", json={"segundos": 2, "fallar": True}).headers["location"]
    trabajar()
    informe = cliente.get(url).json()
    assert informe["estado"] == "failed"
    assert informe["progreso"] == 50
    assert informe["error"] == "ValueError: la tarea de 1 s se ha torcido (fallo simulado)"


def test_un_id_que_no_existe(cliente):
    respuesta = cliente.get("/informes/no-existe")
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "no hay ningún informe con ese id"}


def test_un_informe_caducado(cliente, cola, trabajar):
    respuesta = cliente.post("/informes", json={"segundos": 1})
    trabajar()
    # Sin esperar a que caduque: lo borramos, como hará Redis al acabar su TTL.
    Job.fetch(respuesta.json()["id"], connection=cola.connection).delete()
    assert cliente.get(respuesta.headers["location"]).status_code == 410


def test_una_peticion_mal_formada(cliente):
    respuesta = cliente.post("/informes", json={"segundos": "muchos"})
    assert respuesta.status_code == 422
    assert respuesta.json()["detail"][0]["loc"] == ["body", "segundos"]
# [fin errores]
