#!/bin/sh
# `make run` after ingest: the API in the background, then, once /healthz answers, the UI.
# Usage: scripts/run.sh BIN HOST API_PORT UI_PORT. Fails fast, with the reason, when a port
# is taken or the API dies before it is healthy; stops the API when the UI stops.
set -u
BIN=$1 HOST=$2 API_PORT=$3 UI_PORT=$4
PY="$BIN/python"

for port in "$API_PORT" "$UI_PORT"; do
  if "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('$HOST', $port)) != 0)"; then
    echo "make run: port $port on $HOST is already in use. Stop what uses it, or pick free ports:" >&2
    echo "  make run API_PORT=8010 UI_PORT=8510" >&2
    exit 1
  fi
done

if [ -z "${RAG_API_TOKEN:-}" ]; then
  echo "Note: no RAG_API_TOKEN is set, so uploads and deletes are allowed without a token from this machine."
  echo "  To require one: RAG_API_TOKEN=\$(openssl rand -hex 16) make run   (then paste it into the UI's sidebar)"
fi

"$BIN/rag" serve --host "$HOST" --port "$API_PORT" &
api=$!
trap 'kill $api 2>/dev/null' EXIT INT TERM

echo "Waiting for the API at http://$HOST:$API_PORT/healthz ..."
waited=0
until "$PY" -c "import urllib.request,sys; sys.exit(b'ok' not in urllib.request.urlopen('http://$HOST:$API_PORT/healthz', timeout=2).read())" 2>/dev/null; do
  if ! kill -0 "$api" 2>/dev/null; then
    echo "make run: the API stopped before it was ready (its messages are above); the UI was not started." >&2
    exit 1
  fi
  waited=$((waited + 1))
  if [ "$waited" -gt 300 ]; then
    echo "make run: the API did not answer /healthz within 300 s; the UI was not started." >&2
    exit 1
  fi
  sleep 1
done
echo "API ready at http://$HOST:$API_PORT; UI at http://$HOST:$UI_PORT"
"$BIN/rag" ui --host "$HOST" --port "$UI_PORT" --api-url "http://$HOST:$API_PORT"
