#!/bin/sh
# Runs the web server and the background worker until Ctrl-C; stops both together.
set -eu
: "${BIN:=.venv/bin}" "${HOST:=127.0.0.1}" "${PORT:=8000}"
export DJANGO_SETTINGS_MODULE=config.settings.dev
# Links in messages to residents (SMS, e-mail) point where this demo answers,
# unless the address people reach it by is given.
: "${CIVICGRID_PUBLIC_URL:=http://$HOST:$PORT}"
export CIVICGRID_PUBLIC_URL

"$BIN/python" manage.py worker &
WORKER=$!
"$BIN/gunicorn" -c config/gunicorn.py config.wsgi:application \
  --env DJANGO_SETTINGS_MODULE=config.settings.dev \
  --bind "$HOST:$PORT" --workers 2 --threads 4 --access-logfile - &
WEB=$!
trap 'kill $WORKER $WEB 2>/dev/null; wait; exit 0' INT TERM
sleep 2
echo
"$BIN/python" manage.py demo_accounts
echo "CivicGrid is running at http://$HOST:$PORT/  (Ctrl-C stops it)"
wait $WEB
kill $WORKER 2>/dev/null || true
