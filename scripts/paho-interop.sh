#!/usr/bin/env bash
# Runs the Eclipse Paho interoperability suite (client_test.py for MQTT 3.1.1, client_test5.py for
# MQTT 5.0) against a fresh `./berth serve --port 0` and prints the pass/fail counts.
#
#   scripts/paho-interop.sh /path/to/paho.mqtt.testing
#
# Fetches nothing: clone https://github.com/eclipse/paho.mqtt.testing yourself. Needs python3 (the
# suite uses the standard library only). Takes about three minutes; not part of `mvn verify`.
#
# The broker runs with two settings the suite expects: max-keep-alive 60 (test_server_keep_alive wants
# Server Keep Alive 60 for a client asking 120) and an ACL that refuses subscriptions to
# test/nosubscribe (test_subscribe_failure). Tests known not to pass:
#   - client_test5.py test_subscribe_failure insists on SUBACK 0x80 (Unspecified error); Berth answers
#     an ACL refusal with 0x87 (Not authorized), the code 5.0 defines for it. (3.1.1 gets 0x80: passes.)
#   - client_test5.py test_request_response and test_subscribe_options (its No Local part) publish
#     without waiting for the second client's SUBACK (they wait on the first client's callback, as in
#     eclipse/paho.mqtt.testing issue #66 and PR #87), so they fail now and then: the second client's
#     SUBSCRIBE and the first client's PUBLISH run on different shards in either order.
# SUITES="client_test5.py" runs one suite only.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/interoperability/client_test.py" ]; then
  echo "usage: $0 <path of a paho.mqtt.testing checkout>" >&2
  exit 2
fi
suite_dir="$(cd "$1/interoperability" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/berth-paho.XXXXXX")"
broker_pid=""

stop_broker() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
}
trap stop_broker EXIT

printf 'everyone\n  all #\n  deny subscribe test/nosubscribe\n' > "$work/acl"
printf 'max-keep-alive: 60\nacl-file: %s\n' "$work/acl" > "$work/berth.yml"
"$here/berth" serve --port 0 --data "$work/data" --config "$work/berth.yml" > "$work/broker.log" 2>&1 &
broker_pid=$!

port=""
for _ in $(seq 1 600); do   # the first run builds the broker
  port="$(sed -n 's/.*Berth listening on [^:]*:\([0-9][0-9]*\).*/\1/p' "$work/broker.log")"
  [ -n "$port" ] && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$work/broker.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { echo "berth did not start; see $work/broker.log" >&2; exit 1; }
echo "berth listening on port $port; logs in $work"

# The scripts pass their whole argv to unittest.main(), which rejects --port; and "-h" matches their
# `o in ("--help")` substring test. So run them with their own options and give unittest only -v.
cat > "$work/run_suite.py" <<'PY'
import os, runpy, sys, unittest
script, host, port = sys.argv[1:4]
sys.path.insert(0, os.getcwd())
unittest_main = unittest.main
def main(*args, **kwargs):
    kwargs["argv"] = [script, "-v"]
    return unittest_main(*args, **kwargs)
unittest.main = main
sys.argv = [script, "--hostname=" + host, "-p", port]
runpy.run_path(script, run_name="__main__")
PY

status=0
summary=""
for suite in ${SUITES:-client_test.py client_test5.py}; do
  out="$work/${suite%.py}.log"
  echo "running $suite ..."
  (cd "$suite_dir" && python3 "$work/run_suite.py" "$suite" 127.0.0.1 "$port") > "$out" 2>&1 || status=1
  ran="$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in.*/\1/p' "$out")"
  failed="$(grep -cE '^(FAIL|ERROR): ' "$out" || true)"
  if [ -z "$ran" ]; then
    summary+="$suite: did not run, see $out"$'\n'
    status=1
    continue
  fi
  summary+="$suite: $((ran - failed)) passed, $failed failed of $ran"$'\n'
  summary+="$(sed -n 's/^\(FAIL\|ERROR\): \([a-z_0-9A-Z]*\).*/    \1 \2/p' "$out")"
  [ "$failed" -eq 0 ] || summary+=$'\n'
done

stop_broker
echo
printf '%s' "$summary"
exit "$status"
