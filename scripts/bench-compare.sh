#!/usr/bin/env bash
# bench-compare.sh: runs the five cases of the benchmark issue against lanchatd and ngIRCd on
# loopback, alternating servers, REPS repetitions, and prints a markdown table of medians with
# ratios (lanchatd / ngIRCd); with --write it also puts the table into BENCHMARKS.md.
#
# Usage: scripts/bench-compare.sh [--write] [--reps N] [--duration SECS] [--cases "1 2 3 4 5"]
#        [--table-only]   (no runs: only the table from the JSON files already in $RESULTS)
#        [--servers "lanchatd ngircd"]   (run only these; e.g. re-measure lanchatd alone after
#                          a change, keeping ngIRCd's runs in $RESULTS)
# Needs: root or an installed ngircd (installed with apt-get when missing), jq, cargo.
# Every server is started fresh for each run (so RSS figures start from the same point) and
# stopped after it; every run is bounded by lanchat-bench's own timeouts and by `timeout`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=3
DURATION=10
CASES="1 2 3 4 5"
WRITE=no
RUN=yes
SERVERS="lanchatd ngircd"
while [ $# -gt 0 ]; do
    case "$1" in
        --write) WRITE=yes ;;
        --reps) REPS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --cases) CASES=$2; shift ;;
        --table-only) RUN=no ;;
        --servers) SERVERS=$2; shift ;;
        *) echo "usage: $0 [--write] [--reps N] [--duration SECS] [--cases LIST]" >&2; exit 2 ;;
    esac
    shift
done
COMMAND="scripts/bench-compare.sh --reps $REPS --duration $DURATION --cases \"$CASES\""

# 5 000 clients plus 5 000 server-side sockets live in this machine at once.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 12000 ]; then
    echo "warning: ulimit -n is $(ulimit -n); case 4 (5000 clients) needs about 11000" >&2
fi

if ! command -v ngircd >/dev/null; then
    echo "installing ngircd..." >&2
    apt-get install -y ngircd >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y ngircd >/dev/null; }
fi
command -v jq >/dev/null || apt-get install -y jq >/dev/null

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release -q -p thread-server -p lanchat-bench)
LANCHATD="$CARGO_TARGET_DIR/release/lanchatd"
BENCH="$CARGO_TARGET_DIR/release/lanchat-bench"

WORK=$(mktemp -d /tmp/bench-compare.XXXXXX)
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# A loopback port nobody listens on (bash's /dev/tcp connect fails on a free port). It is
# below Linux's ephemeral range (32768-60999), where the benchmark's own clients live.
free_port() {
    local port
    for port in $(shuf -i 20000-32000 -n 100); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free port found" >&2
    exit 1
}

wait_listening() {
    local i
    for i in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server did not listen on port $1" >&2
    return 1
}

# start_server NAME PORT: starts a fresh server; sets SERVER_PID. Fails (without ending the
# script) when the server does not listen within 10 s; its log is shown then.
start_server() {
    local name=$1 port=$2
    case "$name" in
        lanchatd)
            # A fresh history database per run, so no run replays an earlier one's messages
            # and every run pays for storing its own.
            rm -rf "$WORK/lanchat-data"
            "$LANCHATD" --listen "127.0.0.1:$port" --flood-rate 0 --data-dir "$WORK/lanchat-data" \
                >"$WORK/lanchatd.log" 2>&1 &
            ;;
        ngircd)
            sed -e "s/@PORT@/$port/" -e "s#@PIDFILE@#$WORK/ngircd.pid#" \
                "$ROOT/scripts/ngircd.conf.template" >"$WORK/ngircd.conf"
            # -n: stay in the foreground, so $! is the server itself. It logs every
            # connection; the log goes to a file, as lanchatd's does.
            ngircd -n -f "$WORK/ngircd.conf" >"$WORK/ngircd.log" 2>&1 &
            ;;
    esac
    SERVER_PID=$!
    if ! wait_listening "$port"; then
        tail -5 "$WORK/$name.log" >&2
        stop_server
        return 1
    fi
}

# The five cases of the issue (bench arguments). Case 5 is case 1 plus one member that never
# reads: 101 clients, so the 100 readers are the same as in case 1.
case_args() {
    case "$1" in
        1) echo "-n 100 -s 10 -r 1000 -t $DURATION" ;;
        2) echo "-n 1000 -s 10 -r 200 -t $DURATION" ;;
        3) echo "-n 100 -s 10 -r max -t $DURATION" ;;
        4) echo "-n 5000 -s 0 -t 5 --connect-timeout 600" ;;
        5) echo "-n 101 -s 10 -r 1000 -t $DURATION --stalled 1" ;;
        # Not in the default set: case 5 held for 60 s, long enough for the stalled member's
        # queue to pass the kernel's loopback send buffer (up to 4 MiB) and get dropped.
        6) echo "-n 101 -s 10 -r 1000 -t 60 --stalled 1" ;;
    esac
}

# Raw per-run output (table + JSON) goes here; set RESULTS to keep it after the script ends.
RESULTS=${RESULTS:-$WORK/results}
mkdir -p "$RESULTS"
[ "$RUN" = yes ] || REPS_TO_RUN=0
for rep in $(seq "${REPS_TO_RUN:-$REPS}"); do
    for case_no in $CASES; do
        # Alternate which server goes first, so neither always runs on a "warmer" machine.
        order="lanchatd ngircd"
        [ $(((rep + case_no) % 2)) -eq 0 ] && order="ngircd lanchatd"
        for server in $order; do
            case " $SERVERS " in *" $server "*) ;; *) continue ;; esac
            out="$RESULTS/$case_no-$server-$rep"
            echo "== rep $rep, case $case_no, $server" >&2
            port=$(free_port)
            if ! start_server "$server" "$port"; then
                echo "   failed: $server did not start" >&2
                continue
            fi
            # shellcheck disable=SC2046 # the case arguments are meant to split into words
            if timeout 1200 "$BENCH" --server "127.0.0.1:$port" --pid "$SERVER_PID" \
                --label "$server" $(case_args "$case_no") >"$out.txt" 2>"$out.err"; then
                grep '^{' "$out.txt" >"$out.json"
                grep -E 'deliveries/s|latency|lost|stalled dropped|server RSS|bench CPU' "$out.txt" >&2 || true
            else
                echo "   failed: $(cat "$out.err")" >&2
            fi
            stop_server
            sleep 1
        done
    done
done

# median CASE SERVER JQ_EXPR: the median over the repetitions that produced a result.
median() {
    local values
    values=$(for f in "$RESULTS/$1-$2-"*.json; do
        [ -s "$f" ] && jq -r "$3" "$f"
    done | grep -v null | sort -g)
    [ -z "$values" ] && { echo "n/a"; return; }
    local count
    count=$(echo "$values" | wc -l)
    echo "$values" | sed -n "$(((count + 1) / 2))p"
}

fmt() { # fmt FORMAT VALUE: VALUE printed with FORMAT, or as it is when it is not a number
    if [ "$2" = "n/a" ]; then echo "n/a"; else awk -v f="$1" -v v="$2" 'BEGIN { printf f, v }'; fi
}

row() { # row CASE LABEL JQ_EXPR FORMAT
    local a b ratio
    a=$(median "$1" lanchatd "$3")
    b=$(median "$1" ngircd "$3")
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "-"; else printf "%.2f", a / b }')
    printf "| %s | %s | %s | %s | %s |\n" "$1" "$2" "$(fmt "$4" "$a")" "$(fmt "$4" "$b")" "$ratio"
}

table() {
    echo "| case | figure (median of $REPS) | lanchatd | ngIRCd | ratio |"
    echo "|---|---|---:|---:|---:|"
    for case_no in $CASES; do
        case "$case_no" in
            1 | 2 | 5 | 6)
                row "$case_no" "p50 latency (us)" .p50_us "%.0f"
                row "$case_no" "p99 latency (us)" .p99_us "%.0f"
                row "$case_no" "max latency (us)" .max_us "%.0f"
                row "$case_no" "deliveries/s" .deliveries_per_s "%.0f"
                row "$case_no" "lost deliveries" .lost "%d"
                row "$case_no" "server CPU (s)" .server_cpu_s "%.2f"
                ;;
            3)
                row 3 "deliveries/s" .deliveries_per_s "%.0f"
                row 3 "p99 latency (us)" .p99_us "%.0f"
                row 3 "lost deliveries" .lost "%d"
                row 3 "server CPU (s)" .server_cpu_s "%.2f"
                row 3 "server CPU per 1M deliveries (s)" \
                    '.server_cpu_s / (.deliveries / 1000000)' "%.3f"
                row 3 "bench CPU (s)" .bench_cpu_s "%.2f"
                ;;
            4)
                row 4 "RSS per connection (KiB)" .server_rss_per_client_kib "%.1f"
                row 4 "server RSS (KiB)" .server_rss_kib "%.0f"
                row 4 "connect+register+join rate (clients/s)" .connects_per_s "%.0f"
                row 4 "server threads" .server_threads "%d"
                ;;
        esac
        if [ "$case_no" = 5 ] || [ "$case_no" = 6 ]; then
            row "$case_no" "stalled member dropped (of 1)" .stalled_dropped "%d"
        fi
    done
}

machine() {
    echo "- machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), Linux $(uname -r)"
    echo "- ngIRCd: $(ngircd --version 2>/dev/null | head -1)"
    local rev
    rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "${LANCHATD_REV:-unknown}")
    echo "- lanchatd: commit $rev (release build), started as \`lanchatd --listen 127.0.0.1:PORT --flood-rate 0 --data-dir EMPTY_DIR\`"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`$COMMAND\`"
}

TABLE=$(table)
MACHINE=$(machine)
printf '%s\n\n%s\n' "$TABLE" "$MACHINE"

if [ "$WRITE" = yes ]; then
    # Replace what lies between the markers in BENCHMARKS.md, keeping the rest of the file.
    FILE="$ROOT/BENCHMARKS.md"
    BLOCK="$WORK/block.md"
    printf '<!-- bench-compare:begin -->\n%s\n\n%s\n<!-- bench-compare:end -->\n' "$TABLE" "$MACHINE" >"$BLOCK"
    if grep -q '<!-- bench-compare:begin -->' "$FILE" 2>/dev/null; then
        awk -v block="$BLOCK" '
            /<!-- bench-compare:begin -->/ { while ((getline line < block) > 0) print line; skip = 1; next }
            /<!-- bench-compare:end -->/ { skip = 0; next }
            !skip { print }' "$FILE" >"$WORK/new.md"
        cp "$WORK/new.md" "$FILE"
    else
        cat "$BLOCK" >>"$FILE"
    fi
    echo "updated $FILE" >&2
fi
