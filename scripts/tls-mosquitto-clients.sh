#!/usr/bin/env bash
# MQTT over TLS with the Mosquitto command-line clients against `./berth serve`: makes a throw-away CA
# and server certificate with openssl, a password file with `berth passwd`, starts the broker with a TLS
# listener on 127.0.0.1, then checks that mosquitto_sub receives what mosquitto_pub sends with
# --cafile, and that a wrong password and an untrusted CA are refused.
# Usage: scripts/tls-mosquitto-clients.sh        (needs openssl, mosquitto_pub and mosquitto_sub)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in openssl mosquitto_pub mosquitto_sub; do
  command -v "$tool" >/dev/null || { echo "tls-mosquitto-clients: $tool is needed" >&2; exit 2; }
done
work="$(mktemp -d)"
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# a CA and a server certificate for 127.0.0.1 (keys in PKCS#8, as the broker reads them)
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key" 2>/dev/null
openssl req -x509 -new -key "$work/ca.key" -subj "/CN=Berth test CA" -days 2 -out "$work/ca.crt"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/server.key" 2>/dev/null
openssl req -new -key "$work/server.key" -subj "/CN=localhost" -out "$work/server.csr"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/san.ext" -out "$work/server.crt" 2>/dev/null
# a second CA that the broker's certificate does not chain to
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/other.key" 2>/dev/null
openssl req -x509 -new -key "$work/other.key" -subj "/CN=Other CA" -days 2 -out "$work/other.crt"

echo 'alice-pw' | ./berth passwd add "$work/passwd" alice >/dev/null
cat > "$work/berth.yml" <<YAML
data: $work/data
durability: memory
admin-port: -1
password-file: $work/passwd
listeners:
  - type: tls
    bind: 127.0.0.1
    port: 0
    cert: $work/server.crt
    key: $work/server.key
YAML

./berth serve --config "$work/berth.yml" > "$work/broker.out" 2>&1 &
broker_pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's/^Berth listening on tls 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/broker.out")"
  [ -n "$port" ] && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$work/broker.out" >&2; exit 1; }
  sleep 0.2
done
[ -n "$port" ] || { echo "tls-mosquitto-clients: the broker did not start" >&2; cat "$work/broker.out" >&2; exit 1; }
echo "broker: $(head -1 "$work/broker.out")"

tls=(-h 127.0.0.1 -p "$port" --cafile "$work/ca.crt")
mosquitto_sub "${tls[@]}" -u alice -P alice-pw -i tls-sub -t 'tls/#' -q 1 -C 1 -W 10 > "$work/received" &
sub_pid=$!
sleep 1
mosquitto_pub "${tls[@]}" -u alice -P alice-pw -i tls-pub -t tls/hello -q 1 -m 'hello over TLS'
wait "$sub_pid"
[ "$(cat "$work/received")" = "hello over TLS" ] || { echo "FAIL: received '$(cat "$work/received")'" >&2; exit 1; }
echo "ok: mosquitto_pub --cafile -> mosquitto_sub over TLS"

if mosquitto_pub "${tls[@]}" -u alice -P wrong -t tls/x -m x 2> "$work/wrong.err"; then
  echo "FAIL: a wrong password was accepted" >&2; exit 1
fi
echo "ok: wrong password refused ($(tr -d '\n' < "$work/wrong.err"))"
if mosquitto_pub -h 127.0.0.1 -p "$port" --cafile "$work/other.crt" -u alice -P alice-pw -t tls/x -m x \
  2> "$work/ca.err"; then
  echo "FAIL: a server certificate from an untrusted CA was accepted" >&2; exit 1
fi
echo "ok: untrusted server certificate refused by the client"
