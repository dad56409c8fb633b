"""args= y kwargs=: pasar argumentos que se llaman igual que una opción de enqueue."""


def publicar(titulo, description):
    """Su segundo parámetro se llama como la opción `description` de enqueue."""
    return f"{titulo}: {description}"


def encolar_publicaciones(cola):
    return {
        # RQ se queda `description` para sí: publicar() no lo recibirá.
        "mal": cola.enqueue(publicar, "Novedades", description="Lo nuevo de junio"),
        "bien": cola.enqueue(
            publicar,
            args=("Novedades",),
            kwargs={"description": "Lo nuevo de junio"},
            description="Publicar las novedades",
        ),
    }
