#!/usr/bin/env bash
# Starts a throwaway single-node Apache Kafka broker (KRaft, no ZooKeeper) on
# 127.0.0.1 for the test run and exports where it is for the event tests.
# The broker's jars come from Maven Central through `mvn` (scripts/lib/kafka/
# pom.xml) the first time and are cached outside the checkout, so later runs
# only pay for the broker's start. It needs Java 17 or newer.
#
# Needs `log` (scripts/lib/bootstrap.sh) and Node on PATH.

KAFKA_VERSION="4.1.0"
KAFKA_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dataflex/kafka/$KAFKA_VERSION"
# Pinned so a new plugin release cannot change how the classpath is fetched.
KAFKA_MVN_GOAL="org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"

install_maven() {
  log "Maven (and a Java runtime) not found; installing Debian's maven package"
  if [[ $EUID -ne 0 ]]; then
    echo "The Kafka tests need 'mvn' and Java 17+ to fetch and run the broker; install the 'maven' package and re-run" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
}

check_java_version() {
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  if [[ -z "$major" || "${major%%.*}" -lt 17 ]]; then
    echo "Kafka $KAFKA_VERSION needs Java 17 or newer; 'java' on PATH is ${major:-unknown}" >&2
    exit 1
  fi
}

ensure_kafka_jars() {
  local libs="$KAFKA_CACHE_DIR/libs"
  if ! command -v java >/dev/null 2>&1; then
    install_maven
  fi
  check_java_version
  if [[ -f "$libs/.complete" ]]; then
    return
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    install_maven
  fi
  mkdir -p "$KAFKA_CACHE_DIR"
  # Concurrent test runs wait for one download instead of fetching twice.
  exec {kafka_lock}>"$KAFKA_CACHE_DIR/.lock"
  flock "$kafka_lock"
  if [[ ! -f "$libs/.complete" ]]; then
    log "Fetching Apache Kafka $KAFKA_VERSION from Maven Central (first run only)"
    local build_dir
    build_dir="$(mktemp -d "$KAFKA_CACHE_DIR/fetch.XXXXXX")"
    if ! mvn -q -B -f "$DATAFLEX_ROOT/scripts/lib/kafka/pom.xml" \
      -Dkafka.version="$KAFKA_VERSION" \
      -DoutputDirectory="$build_dir/libs" -DincludeScope=runtime \
      "$KAFKA_MVN_GOAL" >"$build_dir/fetch.log" 2>&1; then
      tail -n 30 "$build_dir/fetch.log" >&2
      echo "Could not fetch Kafka $KAFKA_VERSION with mvn (log above)" >&2
      exit 1
    fi
    rm -rf "$libs"
    mv "$build_dir/libs" "$libs"
    touch "$libs/.complete"
    rm -rf "$build_dir"
  fi
  flock -u "$kafka_lock"
  exec {kafka_lock}>&-
}

kafka_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# A Kafka cluster id: 16 random bytes, URL-safe Base64 without padding. Not
# starting with '-', which the storage tool would take for an option (one id
# in 64; Kafka's own Uuid.randomUuid() avoids it the same way).
kafka_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    if [[ "$id" != -* ]]; then
      echo "$id"
      return
    fi
  done
}

write_kafka_config() {
  local dir="$1" port="$2" sasl_port="$3" controller_port="$4" user="$5" password="$6"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sasl_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sasl_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$user" password="$password" user_$user="$password";
log.dirs=$dir/data
# Several partitions, so tests see that a subject's events keep their order
# because they share a key, not because there is only one partition.
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
EOF
  # Warnings and the start-up line kafka.sh waits for; nothing else.
  cat >"$dir/log4j2.properties" <<'EOF'
status = error
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
EOF
}

start_kafka() {
  ensure_kafka_jars
  KAFKA_TMP_DIR="$(mktemp -d -t dataflex-kafka.XXXXXX)"
  local port sasl_port controller_port user password
  port="$(kafka_free_port)"
  sasl_port="$(kafka_free_port)"
  controller_port="$(kafka_free_port)"
  user="dataflex-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  password="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
  write_kafka_config "$KAFKA_TMP_DIR" "$port" "$sasl_port" "$controller_port" "$user" "$password"

  local java_opts=(
    -Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$KAFKA_TMP_DIR/log4j2.properties"
    -cp "$KAFKA_CACHE_DIR/libs/*"
  )
  if ! java "${java_opts[@]}" kafka.tools.StorageTool format \
    --cluster-id "$(kafka_cluster_id)" --config "$KAFKA_TMP_DIR/server.properties" \
    >"$KAFKA_TMP_DIR/format.log" 2>&1; then
    cat "$KAFKA_TMP_DIR/format.log" >&2
    echo "Could not format the Kafka storage directory (log above)" >&2
    stop_kafka
    exit 1
  fi

  java "${java_opts[@]}" kafka.Kafka "$KAFKA_TMP_DIR/server.properties" \
    >"$KAFKA_TMP_DIR/server.log" 2>&1 &
  KAFKA_PID=$!

  local tries=0
  until grep -q 'Kafka Server started' "$KAFKA_TMP_DIR/server.log" 2>/dev/null &&
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$KAFKA_PID" 2>/dev/null || ((++tries > 600)); then
      cat "$KAFKA_TMP_DIR/server.log" >&2
      echo "Kafka did not become ready on 127.0.0.1:$port (server log above)" >&2
      stop_kafka
      exit 1
    fi
    sleep 0.2
  done

  export DATAFLEX_TEST_KAFKA_BROKERS="127.0.0.1:$port"
  export DATAFLEX_TEST_KAFKA_SASL_BROKERS="127.0.0.1:$sasl_port"
  export DATAFLEX_TEST_KAFKA_SASL_USERNAME="$user"
  export DATAFLEX_TEST_KAFKA_SASL_PASSWORD="$password"
  export DATAFLEX_REQUIRE_KAFKA=1
  log "Kafka $KAFKA_VERSION listening on 127.0.0.1:$port (SASL/PLAIN on $sasl_port)"
}

stop_kafka() {
  if [[ -n "${KAFKA_PID:-}" ]]; then
    kill "$KAFKA_PID" 2>/dev/null || true
    wait "$KAFKA_PID" 2>/dev/null || true
    KAFKA_PID=""
  fi
  if [[ -n "${KAFKA_TMP_DIR:-}" ]]; then
    rm -rf "$KAFKA_TMP_DIR"
    KAFKA_TMP_DIR=""
  fi
}
