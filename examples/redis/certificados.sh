#!/bin/sh
# Certificados de prueba para un Redis con TLS: una autoridad (CA) propia y
# un certificado para localhost firmado por ella.
#
# Uso: sh certificados.sh CARPETA
#
# Solo para probar en tu máquina: en producción, los certificados salen de
# la autoridad de tu organización (o de tu proveedor de Redis).
set -eu
carpeta=${1:?"Uso: sh certificados.sh CARPETA"}
mkdir -p "$carpeta"
cd "$carpeta"

# openssl escribe en stderr aunque todo vaya bien; lo guardamos y solo lo
# enseñamos si algo falla.
trap 'status=$?; [ $status -eq 0 ] || cat openssl.log >&2; rm -f openssl.log redis.csr ca.srl' EXIT

# La autoridad: una clave y un certificado firmado por ella misma.
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -subj "/CN=Autoridad de la Guia de RQ" -days 30 \
    -keyout ca.key -out ca.crt 2>openssl.log
# El del servidor: para el nombre localhost y la dirección 127.0.0.1.
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -subj "/CN=localhost" -keyout redis.key -out redis.csr 2>>openssl.log
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
openssl x509 -req -in redis.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
    -days 30 -extfile san.ext -out redis.crt 2>>openssl.log
rm -f san.ext
chmod 600 ca.key redis.key
echo "En $carpeta: ca.crt (la autoridad), redis.crt y redis.key (el servidor)"
