#!/usr/bin/env bash
# Apache Kafka (KRaft, single node, loopback only) from Maven Central jars; no Docker needed.
# Usage: scripts/kafka.sh start|stop|status.  Idempotent: start on a running broker just checks it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
home="${TOTHON_INFRA_DIR:-$root/.infra}/kafka"
port="${TOTHON_KAFKA_PORT:-9092}"
cport=$((port + 1))
libs="$home/libs"
pidfile="$home/kafka.pid"
log="$home/kafka.log"

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: ERROR: %s\n' "$*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

fetch() {
  if [[ -f $libs/.complete ]]; then return; fi
  command -v java >/dev/null || die "Java 17 is needed (Debian: apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "Maven is needed to fetch the broker (Debian: apt-get install maven)"
  say "fetching the broker's jars from Maven Central (once)"
  rm -rf "$libs"; mkdir -p "$libs"
  (cd "$root/deploy/local/kafka" && mvn -q -B dependency:copy-dependencies \
      -DoutputDirectory="$libs" -DincludeScope=runtime) || die "mvn could not fetch org.apache.kafka:kafka_2.13"
  touch "$libs/.complete"
}

configure() {
  mkdir -p "$home/data"
  cat >"$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$home/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=-1
PROPS
  cat >"$home/log4j2.properties" <<'PROPS'
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
PROPS
}

java_cmd() {
  java -Xms512m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$home/log4j2.properties" -Dkafka.logs.dir="$home" \
    -cp "$libs/*" "$@"
}

start() {
  if running && listening; then say "already running on 127.0.0.1:$port"; return; fi
  listening && die "port $port is taken by another program"
  fetch; configure
  if [[ ! -f $home/data/meta.properties ]]; then
    local id; id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n 1)"
    java_cmd kafka.tools.StorageTool format -t "$id" -c "$home/server.properties" \
      --ignore-formatted >"$home/format.log" 2>&1 \
      || { cat "$home/format.log" >&2; die "could not format the storage in $home/data"; }
  fi
  say "starting on 127.0.0.1:$port (log: $log)"
  # setsid: the broker outlives the shell that started it, and a test run's process group.
  setsid nohup java -Xms512m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$home/log4j2.properties" -Dkafka.logs.dir="$home" \
    -cp "$libs/*" kafka.Kafka "$home/server.properties" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if listening; then say "ready"; return; fi
    running || { tail -n 40 "$log" >&2; die "the broker exited while starting"; }
    sleep 0.5
  done
  tail -n 40 "$log" >&2; die "the broker did not listen on $port within 60 s"
}

stop() {
  if running; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid"; for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "stopped"
  else say "not running"; fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && listening; then say "running on 127.0.0.1:$port"; else say "not running"; exit 3; fi ;;
  fetch) fetch ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
