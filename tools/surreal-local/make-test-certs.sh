#!/usr/bin/env bash
# Writes a throw-away certificate authority and a server certificate it signed into DIR, for the
# TLS tests (tools/surreal-local/test/08-tls.test.mjs, tests/integration/tst_tls.cpp):
#   ca.pem                      the test CA (what a client adds to trust the server)
#   server.pem, server.key      for surreal-local --tls-cert/--tls-key; valid for 127.0.0.1,
#                               ::1 and localhost (subjectAltName), for two days
#   self.pem, self.key          a self-signed certificate for the same names (no CA behind it)
# Made fresh for every run rather than committed: no private key in the repository, nothing that
# expires in it. Needs the openssl command (Debian: openssl).
# usage: make-test-certs.sh DIR
set -euo pipefail
dir=${1:?usage: make-test-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
# P-256 keys: generated in milliseconds, accepted by every TLS stack involved.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=SurrealQt test CA" -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=127.0.0.1" -keyout server.key -out server.csr 2>/dev/null
cat >server.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days 2 -extfile server.ext -out server.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=127.0.0.1" -keyout self.key -out self.pem \
    -addext "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" 2>/dev/null
rm -f server.csr server.ext
