#!/usr/bin/env bash
# Install, start and stop the SPARQL engines that the remote-store tests and benchmarks use:
# OpenLink Virtuoso (Debian's virtuoso-opensource-7) and Oxigraph's server (PyPI `oxigraph`),
# each on 127.0.0.1 with a throw-away database folder; `install` brings nginx too (the replica
# tests put it in front of several `plenipot serve`).
#
#   bash scripts/engines.sh install          # apt (as root) and pip into ./.venv
#   bash scripts/engines.sh start DIR        # start both; writes DIR/env (export lines)
#   bash scripts/engines.sh stop DIR         # stop what `start DIR` started, delete DIR
#
# Ports: PLENIPOT_VIRTUOSO_PORT (default 18890; SQL port +1), PLENIPOT_OXIGRAPH_PORT (17878).
# Optional third engine: with PLENIPOT_OXIGRAPH_UNION_PORT set, `start` also runs an Oxigraph
# server with --union-default-graph (for PLENIPOT_SPARQL_DATASET=engine), and DIR/env gets
#   PLENIPOT_TEST_OXIGRAPH_UNION_URL (and its update / store URLs).
# `start` prints the URLs as `export` lines into DIR/env, which the tests and benchmarks read:
#   PLENIPOT_TEST_VIRTUOSO_URL, PLENIPOT_TEST_OXIGRAPH_URL (and their update / store URLs).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
VIRTUOSO_PORT=${PLENIPOT_VIRTUOSO_PORT:-18890}
VIRTUOSO_SQL_PORT=$((VIRTUOSO_PORT + 1))
OXIGRAPH_PORT=${PLENIPOT_OXIGRAPH_PORT:-17878}
OXIGRAPH_UNION_PORT=${PLENIPOT_OXIGRAPH_UNION_PORT:-}

install() {
  if ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v nginx >/dev/null 2>&1; then
    local sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # the package's own service must not start (it would listen on every address, port 8890):
    # we start virtuoso-t by hand with a throw-away ini instead
    local policy=/usr/sbin/policy-rc.d added=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
      $sudo_cmd chmod +x "$policy"; added=1
    fi
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends virtuoso-opensource-7 nginx >/dev/null
    [ -z "$added" ] || $sudo_cmd rm -f "$policy"
  fi
  if [ ! -x "$VENV/bin/oxigraph" ]; then
    "$VENV/bin/python" -m pip install -q 'oxigraph>=0.5,<0.6'
  fi
}

wait_for() {  # URL NAME LOG: wait up to 60 s for an HTTP answer
  local url=$1 name=$2 log=$3
  for _ in $(seq 1 120); do
    if "$VENV/bin/python" -c "import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=2)" \
        "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "engines.sh: $name did not answer at $url within 60 s; its log:" >&2
  tail -n 30 "$log" >&2 || true
  return 1
}

virtuoso_ini() {  # DIR
  local dir=$1 share=/usr/share/virtuoso-opensource-7 lib=/usr/lib/virtuoso-opensource-7
  cat <<INI
[Database]
DatabaseFile = $dir/virtuoso.db
ErrorLogFile = $dir/virtuoso.log
LockFile = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$VIRTUOSO_SQL_PORT
DirsAllowed = ., $dir, $share/vad
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
ThreadsPerQuery = 2
MaxClientConnections = 64
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AsyncQueueMaxThreads = 10
TimezonelessDatetimes = 1

[HTTPServer]
ServerPort = 127.0.0.1:$VIRTUOSO_PORT
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 64
ServerThreads = 64
MaxKeepAlives = 64
KeepAliveTimeout = 10
DavRoot = DAV
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0  ; its estimates refused valid queries (conference-overview: "3819116 s")
MaxQueryExecutionTime = 120
DefaultQuery = SELECT * WHERE { ?s ?p ?o } LIMIT 10

[Plugins]
LoadPath = $lib/hosting
INI
}

start() {  # DIR
  local dir=$1
  mkdir -p "$dir/virtuoso" "$dir/oxigraph"
  dir=$(cd "$dir" && pwd)
  : > "$dir/env"
  virtuoso_ini "$dir/virtuoso" > "$dir/virtuoso/virtuoso.ini"
  (cd "$dir/virtuoso" && exec virtuoso-t +foreground +configfile "$dir/virtuoso/virtuoso.ini" \
     > "$dir/virtuoso/stdout.log" 2>&1) &
  echo $! > "$dir/virtuoso.pid"
  # no --timeout-s: Oxigraph 0.5.13 starts a timeout thread per query, and under 8 connections
  # of load it ran out of threads and crashed; the remote store's client enforces the timeout
  "$VENV/bin/oxigraph" serve --location "$dir/oxigraph" --bind "127.0.0.1:$OXIGRAPH_PORT" \
    > "$dir/oxigraph.log" 2>&1 &
  echo $! > "$dir/oxigraph.pid"
  if [ -n "$OXIGRAPH_UNION_PORT" ]; then  # optional: the engine's default graph is the union
    mkdir -p "$dir/oxigraph-union"
    "$VENV/bin/oxigraph" serve --location "$dir/oxigraph-union" --union-default-graph \
      --bind "127.0.0.1:$OXIGRAPH_UNION_PORT" > "$dir/oxigraph-union.log" 2>&1 &
    echo $! > "$dir/oxigraph-union.pid"
  fi
  wait_for "http://127.0.0.1:$OXIGRAPH_PORT/query?query=ASK%7B%7D" oxigraph "$dir/oxigraph.log"
  wait_for "http://127.0.0.1:$VIRTUOSO_PORT/sparql?query=ASK%7B%7D" virtuoso \
    "$dir/virtuoso/virtuoso.log"
  cat > "$dir/env" <<ENV
export PLENIPOT_TEST_OXIGRAPH_URL=http://127.0.0.1:$OXIGRAPH_PORT/query
export PLENIPOT_TEST_OXIGRAPH_UPDATE_URL=http://127.0.0.1:$OXIGRAPH_PORT/update
export PLENIPOT_TEST_OXIGRAPH_GSP_URL=http://127.0.0.1:$OXIGRAPH_PORT/store
export PLENIPOT_TEST_VIRTUOSO_URL=http://127.0.0.1:$VIRTUOSO_PORT/sparql
export PLENIPOT_TEST_VIRTUOSO_UPDATE_URL=http://127.0.0.1:$VIRTUOSO_PORT/sparql-auth
export PLENIPOT_TEST_VIRTUOSO_GSP_URL=http://127.0.0.1:$VIRTUOSO_PORT/sparql-graph-crud-auth
export PLENIPOT_TEST_VIRTUOSO_USER=dba
export PLENIPOT_TEST_VIRTUOSO_PASSWORD=dba
ENV
  if [ -n "$OXIGRAPH_UNION_PORT" ]; then
    wait_for "http://127.0.0.1:$OXIGRAPH_UNION_PORT/query?query=ASK%7B%7D" oxigraph-union \
      "$dir/oxigraph-union.log"
    cat >> "$dir/env" <<ENV
export PLENIPOT_TEST_OXIGRAPH_UNION_URL=http://127.0.0.1:$OXIGRAPH_UNION_PORT/query
export PLENIPOT_TEST_OXIGRAPH_UNION_UPDATE_URL=http://127.0.0.1:$OXIGRAPH_UNION_PORT/update
export PLENIPOT_TEST_OXIGRAPH_UNION_GSP_URL=http://127.0.0.1:$OXIGRAPH_UNION_PORT/store
ENV
    echo "engines.sh: Oxigraph (union default graph) on 127.0.0.1:$OXIGRAPH_UNION_PORT"
  fi
  echo "engines.sh: Virtuoso on 127.0.0.1:$VIRTUOSO_PORT, Oxigraph on 127.0.0.1:$OXIGRAPH_PORT"
}

stop() {  # DIR
  local dir=$1 name pid
  for name in oxigraph oxigraph-union virtuoso; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/$name.pid"
  done
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?usage: engines.sh start DIR}" ;;
  stop) stop "${2:?usage: engines.sh stop DIR}" ;;
  *) echo "usage: engines.sh install | start DIR | stop DIR" >&2; exit 2 ;;
esac
