# Helpers shared by scripts/e2e and scripts/e2e-redis; sourced, not run. The sourcing script sets E2E_NAME (the log
# prefix) and keeps its own cleanup trap; these only report, wait and poll, each bounded.
# shellcheck shell=bash

FAILED=0 PASSED=0
T0=$(date +%s)

log() { printf '[%s %3ss] %s\n' "${E2E_NAME:-e2e}" "$(( $(date +%s) - T0 ))" "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS  %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL  %s\n' "$*"; }
# check NAME COMMAND...: PASS when the command succeeds; its output is the detail either way.
check() {
  local name=$1 out; shift
  if out=$("$@" 2>&1); then pass "$name${out:+: $out}"; else fail "$name${out:+: $out}"; fi
}
die() { fail "$*"; exit 1; }

stop_pid() { # stop_pid PID SECONDS: TERM, wait, then KILL (with its children, the worker JVMs)
  local pid=$1 wait=$2 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  pkill -KILL -P "$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
}

apt_install() { # apt_install PACKAGE...: Debian packages, without starting any service they ship; sudo when not root
  local sudo="" policy=/usr/sbin/policy-rc.d created=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null \
      || die "missing $*: install it (apt-get install $*), or run as root or with password-less sudo"
    sudo="sudo -n"
  fi
  # policy-rc.d answering 101 keeps the packages' services (redis-server, prometheus) from starting on install.
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null; $sudo chmod +x "$policy"; created=1
  fi
  log "installing $* with apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  [ -z "$created" ] || $sudo rm -f "$policy"
}

http_get() { curl -sS --max-time 10 "$@"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
# poll SECONDS COMMAND...: runs the command every 0.25 s until it succeeds (returns 0) or SECONDS have passed (1)
poll() {
  local end=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.25
  done
}
# wait_for SECONDS DESCRIPTION COMMAND...: as poll, and fails the run when the time is up
wait_for() {
  local seconds=$1 what=$2; shift 2
  poll "$seconds" "$@" || die "$what: not within ${seconds}s"
}
free_port() { # a port nobody listens on, on 127.0.0.1
  local port
  for _ in $(seq 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  die "no free port found"
}
# prom_query EXPR [TIME]: the instant query's JSON; prom_value EXPR [TIME]: its first value, or "none" ($PROM: the
# Prometheus base URL)
prom_query() { http_get -G "$PROM/api/v1/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"}; }
prom_value() { prom_query "$@" | jq -r 'if .status == "success" and (.data.result | length) > 0
                                        then .data.result[0].value[1] else "none" end'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "none" && a != "NaN" && a + 0 > b + 0) }'; }

# sample_jar: builds $JAR (sample-app/target/spool-sample-app.jar) unless it is newer than every pom and main source
# of the modules it packs (test sources do not go into the jar); the build's output goes to $WORK/build.log.
sample_jar() {
  if [ ! -f "$JAR" ] || [ -n "$(find pom.xml core/pom.xml autoconfigure/pom.xml starter/pom.xml redis/pom.xml \
        sample-app/pom.xml core/src/main autoconfigure/src/main redis/src/main sample-app/src/main \
        -type f -newer "$JAR" 2>/dev/null | head -n 1)" ]; then
    log "building the sample jar (./mvnw -pl sample-app -am package -DskipTests)"
    ./mvnw -B -ntp -q -pl sample-app -am package -DskipTests >"$WORK/build.log" 2>&1 \
      || { tail -n 40 "$WORK/build.log"; die "the sample jar did not build"; }
  else
    log "reusing $JAR (newer than the sources)"
  fi
}
