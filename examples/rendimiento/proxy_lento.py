"""Un proxy TCP que retrasa todo lo que pasa por él, para simular un Redis lejano.

Uso: python proxy_lento.py PUERTO MILISEGUNDOS

Escucha en 127.0.0.1:PUERTO y reenvía cada conexión al Redis de
REDIS_URL, con MILISEGUNDOS de retraso añadidos a cada ida y vuelta (la
mitad en cada sentido). Páralo con Ctrl+C. varias_maquinas.py lo usa desde
dentro, cambiando el retraso entre medida y medida.
"""

import asyncio
import sys
import threading
import time
from urllib.parse import urlsplit

from conexion import url_redis


class ProxyLento:
    def __init__(self, puerto, milisegundos):
        self.puerto = puerto
        self.milisegundos = milisegundos  # Se puede cambiar con el proxy en marcha.
        self.listo = threading.Event()

    async def pasar(self, origen, destino):
        """Copia de origen a destino; cada trozo sale medio retraso después de llegar, en orden."""
        cola = asyncio.Queue()

        async def leer():
            while trozo := await origen.read(65536):
                await cola.put((time.monotonic() + self.milisegundos / 2000, trozo))
            await cola.put((0, b""))

        async def escribir():
            while (trozo := await cola.get())[1]:
                hora, datos = trozo
                await asyncio.sleep(max(0, hora - time.monotonic()))
                destino.write(datos)
                await destino.drain()
            destino.close()

        await asyncio.gather(leer(), escribir(), return_exceptions=True)

    async def servir(self):
        redis = urlsplit(url_redis())

        async def atender(cliente_lee, cliente_escribe):
            redis_lee, redis_escribe = await asyncio.open_connection(redis.hostname, redis.port or 6379)
            await asyncio.gather(self.pasar(cliente_lee, redis_escribe), self.pasar(redis_lee, cliente_escribe))

        servidor = await asyncio.start_server(atender, "127.0.0.1", self.puerto)
        self.listo.set()
        async with servidor:
            await servidor.serve_forever()

    def en_segundo_plano(self):
        """Lo arranca en un hilo de este proceso y espera a que escuche."""
        threading.Thread(target=asyncio.run, args=(self.servir(),), daemon=True).start()
        self.listo.wait(timeout=10)
        return self


def main(argumentos):
    if len(argumentos) != 2 or not all(a.isdigit() for a in argumentos):
        print("Uso: python proxy_lento.py PUERTO MILISEGUNDOS", file=sys.stderr)
        return 2
    puerto, milisegundos = map(int, argumentos)
    print(f"Proxy en 127.0.0.1:{puerto} hacia {url_redis()}, +{milisegundos} ms por ida y vuelta", flush=True)
    try:
        asyncio.run(ProxyLento(puerto, milisegundos).servir())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
