#!/usr/bin/env bash
# `make run` and `make serve`: the web server given as arguments and, beside it, the background
# worker (imports of large files). Stopping the server (Ctrl+C) stops the worker too.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/coso worker &  # Ctrl+C: it ends the step it is running, then exits (press again to stop it at once)
worker=$!
trap 'kill -TERM $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
"$@"
