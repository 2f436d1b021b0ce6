#!/usr/bin/env bash
# Serve the API with a Celery worker and beat beside it; Ctrl-C stops all three.
set -euo pipefail
PY=${PY:-.venv/bin/python}
CELERY=${CELERY:-.venv/bin/celery}
mkdir -p var/log

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT

"$CELERY" -A backend worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
"$CELERY" -A backend beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 &
echo "Worker et beat démarrés (journaux : var/log/worker.log, var/log/beat.log)."
echo "API : http://127.0.0.1:8000/api/  —  documentation : http://127.0.0.1:8000/api/docs/  —  admin : http://127.0.0.1:8000/admin/"
"$PY" manage.py runserver 127.0.0.1:8000
