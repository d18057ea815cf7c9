# pg.sh — the PostgreSQL side of the benchmarks, sourced by bench/http.sh and bench/payroll.sh.
#
#   pg_server          sets PG_SERVER_URL: BENCH_PG_URL if given (a database on a server where the
#                      bench may create and drop its own databases), else a throwaway cluster from
#                      tests/pg/cluster.sh (MZ_PG_PORT, default the first free port from 18560;
#                      MZ_PG_DIR, default a fresh temporary directory), stopped and removed by
#                      pg_cleanup (call it from the caller's EXIT trap).
#   pg_db_url NAME     the URL of database NAME on that server
#   pg_copy SQLITE NAME   (re)creates database NAME, `minzheng init` on it (the schema as the
#                      program makes it on PostgreSQL: tables, indexes, triggers), then copies every
#                      table of the SQLite database into it with COPY (triggers and foreign-key
#                      checks off while copying, as for a restore), moves every identity sequence
#                      past its column's maximum and runs ANALYZE. The rows are the SQLite file's
#                      own, so both engines answer over the same data. Prints the time taken.
#   pg_size NAME       pg_database_size in bytes
#
# Needs: $bin (the minzheng binary), $root (the repository), $out (bench/out), fail().
# shellcheck shell=bash disable=SC2154

PG_SERVER_URL='' pg_started=0 pg_env=()

pg_server() {
	command -v psql >/dev/null || fail "psql not installed (the Debian package postgresql-client)"
	if [ -n "${BENCH_PG_URL:-}" ]; then
		PG_SERVER_URL=$BENCH_PG_URL
	else
		local port=${MZ_PG_PORT:-} dir=${MZ_PG_DIR:-}
		if [ -z "$port" ]; then
			port=18560
			while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
		fi
		[ -n "$dir" ] || dir=$(mktemp -d -t minzheng-bench-pg.XXXXXX)
		pg_env=(MZ_PG_PORT="$port" MZ_PG_DIR="$dir")
		PG_SERVER_URL=$(env "${pg_env[@]}" "$root/tests/pg/cluster.sh" start) ||
			fail "cannot start a PostgreSQL cluster (tests/pg/cluster.sh; apt-get install postgresql-15)"
		pg_started=1
	fi
	psql "$PG_SERVER_URL" -Atqc 'SELECT 1' >/dev/null || fail "cannot connect to $PG_SERVER_URL"
}

pg_cleanup() {
	if [ "$pg_started" = 1 ]; then
		env "${pg_env[@]}" "$root/tests/pg/cluster.sh" stop || true
		pg_started=0
	fi
}

pg_db_url() { # replace the database name (the last path segment, before any ?options)
	local base=${PG_SERVER_URL%%\?*} opts=''
	[ "$base" != "$PG_SERVER_URL" ] && opts="?${PG_SERVER_URL#*\?}"
	echo "${base%/*}/$1$opts"
}

pg_size() { psql "$PG_SERVER_URL" -Atqc "SELECT pg_database_size('$1')"; }

pg_copy() {
	local src=$1 name=$2 url t0 t cols sel n
	url=$(pg_db_url "$name")
	t0=$(date +%s)
	psql "$PG_SERVER_URL" -qX -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name" \
		-c "CREATE DATABASE $name TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" \
		>/dev/null || fail "cannot create database $name"
	"$bin" init --db "$url" >/dev/null || fail "minzheng init on $name failed"
	# every base table, emptied (init's own rows come again from the SQLite file)
	psql "$url" -AtqX -v ON_ERROR_STOP=1 -c "SELECT 'TRUNCATE ' || string_agg(quote_ident(table_name), ', ') || ';'
		FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'" |
		psql "$url" -qX -v ON_ERROR_STOP=1 >/dev/null || fail "cannot empty $name"
	# plain indexes (not those of a constraint) are dropped while copying and built again after:
	# building an index once is quicker than growing it row by row
	psql "$url" -AtqX -v ON_ERROR_STOP=1 -c "SELECT pg_get_indexdef(i.indexrelid) || ';' FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)" \
		>"$out/pg-indexes-$name.sql" || fail "cannot read the indexes of $name"
	psql "$url" -AtqX -v ON_ERROR_STOP=1 -c "SELECT 'DROP INDEX ' || quote_ident(c.relname) || ';' FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)" |
		psql "$url" -qX -v ON_ERROR_STOP=1 >/dev/null || fail "cannot drop the indexes of $name"
	for t in $(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name"); do
		n=$(sqlite3 "$src" "SELECT count(*) FROM \"$t\"")
		[ "$n" -gt 0 ] || continue
		# the PostgreSQL columns in order; bytea columns are sent as \x hex
		cols='' sel=''
		while IFS='|' read -r c ty; do
			cols+="${cols:+, }\"$c\""
			if [ "$ty" = bytea ]; then
				sel+="${sel:+, }CASE WHEN \"$c\" IS NULL THEN NULL ELSE '\\x' || hex(\"$c\") END"
			else
				sel+="${sel:+, }\"$c\""
			fi
		done < <(psql "$url" -AtqX -c "SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = '$t' ORDER BY ordinal_position")
		[ -n "$cols" ] || fail "table $t is not in the PostgreSQL schema"
		sqlite3 -csv -nullvalue '\N' "$src" "SELECT $sel FROM \"$t\"" |
			psql "$url" -qX -v ON_ERROR_STOP=1 -c "SET session_replication_role = replica" \
				-c "\\copy \"$t\"($cols) FROM STDIN WITH (FORMAT csv, NULL '\\N')" >/dev/null ||
			fail "copying $t into $name failed"
	done
	{ echo "SET maintenance_work_mem = '256MB';"; cat "$out/pg-indexes-$name.sql"; } |
		psql "$url" -qX -v ON_ERROR_STOP=1 >/dev/null || fail "cannot build the indexes of $name again"
	psql "$url" -AtqX -v ON_ERROR_STOP=1 -c "SELECT format('SELECT setval(%L, coalesce((SELECT max(%I) FROM %I), 0) + 1, false);',
			pg_get_serial_sequence(quote_ident(table_name), column_name), column_name, table_name)
		FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'" |
		psql "$url" -qX -v ON_ERROR_STOP=1 >/dev/null || fail "cannot move the sequences of $name"
	psql "$url" -qX -c "VACUUM ANALYZE" >/dev/null || fail "ANALYZE on $name failed"
	echo "$(($(date +%s) - t0))"
}
