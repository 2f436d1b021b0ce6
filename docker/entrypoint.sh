#!/bin/sh
# Runs before the command of every container built from the image.
# Migrations run only where MIGRATE=1 (the web service in docker-compose.yml): the
# worker and beat start once the web service is healthy, so they never race it.
set -eu

if [ "${MIGRATE:-0}" = "1" ]; then
    python manage.py migrate --noinput
fi

exec "$@"
