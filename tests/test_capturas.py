"""Las capturas del libro también tienen pruebas: el PNG que sale es pequeño y se sigue viendo."""

import io

from PIL import Image, ImageDraw

from tests.arnes.capturas import COLORES, optimizar


def test_optimizar_da_un_png_de_paleta_mas_pequeno_con_los_mismos_pixeles_clave():
    # Algo parecido a una página: fondo claro, texto oscuro, una tabla con un degradado.
    imagen = Image.new("RGB", (600, 300), (248, 249, 250))
    dibujo = ImageDraw.Draw(imagen)
    for x in range(600):
        dibujo.line([(x, 200), (x, 300)], fill=(x % 256, 120, 255 - x % 256))
    for fila in range(8):
        dibujo.text((20, 20 + 20 * fila), "default | 0, 1 executing, 2 finished, 2 failed", fill=(33, 37, 41))
    original = io.BytesIO()
    imagen.save(original, format="PNG")

    optimizado = optimizar(original.getvalue())

    assert optimizado.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(optimizado) < len(original.getvalue())
    resultado = Image.open(io.BytesIO(optimizado))
    assert resultado.mode == "P" and resultado.size == (600, 300)
    assert len(resultado.getcolors(maxcolors=256)) <= COLORES
    # El fondo y el texto siguen siendo del color que eran.
    rgb = resultado.convert("RGB")
    assert rgb.getpixel((590, 10)) == (248, 249, 250)
