#!/usr/bin/env bash
# cluster.sh — a throwaway PostgreSQL 15 cluster on loopback for the tests (Debian paths).
# Usage: tests/pg/cluster.sh start|stop|url
#   start  initdb (first time) + pg_ctl start in $MZ_PG_DIR; prints the connection URL
#   stop   stops it and removes the data directory
#   url    prints the connection URL (postgresql://minzheng@127.0.0.1:PORT/postgres)
# Environment: MZ_PG_DIR (default: a folder under $TMPDIR), MZ_PG_PORT (default 55432).
# As root the server runs as the unprivileged user postgres (created by the Debian package).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DIR=${MZ_PG_DIR:-${TMPDIR:-/tmp}/minzheng-pg}
PORT=${MZ_PG_PORT:-55432}
USER_NAME=minzheng
URL="postgresql://$USER_NAME@127.0.0.1:$PORT/postgres"

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "${1:-}" in
start)
	[ -x "$PGBIN/initdb" ] || { echo "缺少 PostgreSQL：apt-get install postgresql-15" >&2; exit 1; }
	if [ ! -f "$DIR/data/PG_VERSION" ]; then
		mkdir -p "$DIR"
		[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
		as_owner "$PGBIN/initdb" -D "$DIR/data" -U "$USER_NAME" -A trust -E UTF8 --locale=C.UTF-8 \
			>"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
	fi
	if ! as_owner "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
		as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
			-o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off -c max_connections=200" \
			start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
	fi
	echo "$URL"
	;;
stop)
	if [ -f "$DIR/data/PG_VERSION" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$DIR"
	;;
url)
	echo "$URL"
	;;
*)
	echo "usage: $0 start|stop|url" >&2
	exit 2
	;;
esac
