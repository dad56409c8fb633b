#!/usr/bin/env bash
# Pregunta por un informe cuatro veces por segundo hasta que termina, bien o
# mal, y escribe cada respuesta que cambia.
#
# Uso: ./sondear.sh URL_DEL_INFORME

if [ $# -ne 1 ]; then
    echo "Uso: ./sondear.sh URL_DEL_INFORME" >&2
    exit 2
fi
url=$1
anterior=""
while true; do
    # --fail-with-body: con un 4xx o un 5xx, curl sale con error y aun así
    # nos da el cuerpo, que dice qué ha pasado.
    respuesta=$(curl --silent --fail-with-body "$url")
    codigo=$?
    if [ $codigo -eq 22 ]; then
        echo "Error: $url contesta $respuesta" >&2
        exit 1
    elif [ $codigo -ne 0 ]; then
        echo "Error: nadie contesta en $url (¿está la aplicación en marcha?)" >&2
        exit 1
    fi
    if [ "$respuesta" != "$anterior" ]; then
        echo "$respuesta"
        anterior=$respuesta
    fi
    case $respuesta in
        *'"estado":"finished"'* | *'"estado":"failed"'*) exit 0 ;;
    esac
    sleep 0.25
done
