#!/usr/bin/env bash
# `make run`: the web server and, beside it, the background worker (imports of large files).
# Stopping the server (Ctrl+C) stops the worker too.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/coso worker &  # Ctrl+C: it ends the step it is running, then exits (press again to stop it at once)
worker=$!
trap 'kill -TERM $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
$BIN/coso runserver "${1:-127.0.0.1:8000}"
