#!/usr/bin/env bash
# `make run`: the development server, with a Celery worker on the embedded filesystem transport
# next to it, so background jobs run without Redis. Ctrl+C (or a SIGTERM to the group) stops both.
#
# (The old recipe trapped INT/TERM with `kill 0`, which signalled its own shell again from inside
# the trap: a recursion that ended in "Segmentation fault" and could leave the worker running.)
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}

# --beat: the periodic tasks (stale report jobs, expired files and uploads) run here too.
mkdir -p var
"$(dirname "$PY")/celery" -A config worker --beat --schedule var/celerybeat-schedule --loglevel=WARNING \
  --concurrency=1 --pool=solo &
worker=$!
"$PY" manage.py runserver "127.0.0.1:$PORT" &
server=$!

stop() {
  trap - INT TERM EXIT
  # runserver's autoreloader serves from a child process: stop it too, then the worker.
  kill -TERM $(pgrep -P "$server" 2>/dev/null) "$server" "$worker" 2>/dev/null
  wait "$server" "$worker" 2>/dev/null
  echo "stopped"
  exit 0
}
trap stop INT TERM EXIT
wait "$server"
