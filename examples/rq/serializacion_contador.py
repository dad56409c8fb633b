"""Un contador de visitas que guarda su conexión a Redis, en dos versiones."""

from redis import Redis


class ContadorIngenuo:
    """Guarda la conexión tal cual: pickle no sabe copiarla."""

    def __init__(self, url_redis):
        self.conexion = Redis.from_url(url_redis)

    def registrar(self, pagina):
        return self.conexion.incr(f"guia:visitas:{pagina}")


class ContadorDeVisitas:
    """Viaja como una URL y, al llegar, vuelve a abrir su conexión."""

    def __init__(self, url_redis):
        self.url_redis = url_redis
        self.conexion = Redis.from_url(url_redis)

    def __getstate__(self):
        # Lo que pickle guarda: solo la URL, que es un texto.
        return {"url_redis": self.url_redis}

    def __setstate__(self, estado):
        # Lo que pickle hace al leerlo, ya en el worker: conectar de nuevo.
        self.url_redis = estado["url_redis"]
        self.conexion = Redis.from_url(self.url_redis)

    def registrar(self, pagina):
        return self.conexion.incr(f"guia:visitas:{pagina}")
