# Redis and PostgreSQL for the store tests, on loopback and unusual ports, in throwaway folders.
# `source .ci/services.sh; start_services` exports TEST_REDIS_URL and TEST_POSTGRES_URL.

REDIS_PORT=${REDIS_PORT:-6390}
PG_PORT=${PG_PORT:-5439}

install_services() {
  if command -v redis-server >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server postgresql >/dev/null
}

start_services() {
  install_services
  SERVICES_DIR=$(mktemp -d /tmp/fazhi-services.XXXXXX)
  chmod 755 "$SERVICES_DIR"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no \
    --dir "$SERVICES_DIR" --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log"
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  mkdir -p "$SERVICES_DIR/pg"
  chown postgres "$SERVICES_DIR/pg"
  # PostgreSQL refuses to run as root; its own user runs a throwaway cluster.
  su postgres -s /bin/sh -c "$pgbin/initdb -D $SERVICES_DIR/pg -A trust -U postgres >/dev/null"
  su postgres -s /bin/sh -c "$pgbin/pg_ctl -D $SERVICES_DIR/pg -w -l $SERVICES_DIR/pg/log \
    -o '-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SERVICES_DIR/pg' start >/dev/null"
  su postgres -s /bin/sh -c "$pgbin/createdb -h 127.0.0.1 -p $PG_PORT fazhi_test"
  PG_BIN=$pgbin
  export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PG_PORT/fazhi_test"
  echo "services: Redis on 127.0.0.1:$REDIS_PORT, PostgreSQL on 127.0.0.1:$PG_PORT"
}

stop_services() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $SERVICES_DIR/pg -m fast stop >/dev/null" || true
  rm -rf "$SERVICES_DIR"
}
