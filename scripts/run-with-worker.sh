#!/usr/bin/env bash
# `make run`: the development server in the foreground and a background-job worker
# beside it (in its own process group, so that stopping it also stops the child its
# autoreloader starts). Ctrl-C, or the server stopping for any reason, stops both; the
# worker finishes the job in hand first (SIGTERM).
# Usage: scripts/run-with-worker.sh PYTHON HOST:PORT
set -u
python=$1
address=$2

setsid "$python" manage.py worker &
worker=$!
stop_worker() {
    kill -TERM -- "-$worker" 2>/dev/null
    wait "$worker" 2>/dev/null
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

"$python" manage.py runserver "$address"
