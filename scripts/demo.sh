#!/usr/bin/env bash
# demo.sh: the "run everything locally in tmux" use case in one command. Builds the release
# binaries, then opens a tmux session with lanchatd and three lanchat clients (alice, bob,
# carol) in panes, all on 127.0.0.1. Stop everything (server included) with:
#   scripts/demo.sh stop
#
# Environment: PORT (default 6667), SESSION (default lanchat-demo),
#              NO_ATTACH=1 to leave the session running in the background.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT="${PORT:-6667}"
SESSION="${SESSION:-lanchat-demo}"

PIDFILE="${TMPDIR:-/tmp}/$SESSION.lanchatd.pid"

if [ "${1:-}" = "stop" ]; then
    # Stop the server first, while its pane still exists, so it shuts down cleanly (clients
    # get an ERROR line), then close the session.
    if [ -f "$PIDFILE" ]; then
        kill "$(cat "$PIDFILE")" 2>/dev/null || true
        sleep 1
        rm -f "$PIDFILE"
    fi
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    echo "demo.sh: stopped"
    exit 0
fi

if ! command -v tmux >/dev/null; then
    echo "demo.sh: tmux is needed (sudo apt-get install tmux)" >&2
    exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "demo.sh: port $PORT is taken; try PORT=6668 $0" >&2
    exit 1
fi

cargo build --release -p thread-server -p tui-client
BIN="$(cd "${CARGO_TARGET_DIR:-target}/release" && pwd)"

tmux kill-session -t "$SESSION" 2>/dev/null || true
tmux new-session -d -s "$SESSION" -n lanchat -x 200 -y 50 \
    "echo \$\$ > '$PIDFILE'; exec $BIN/lanchatd --listen 127.0.0.1:$PORT"

# Start the clients only once the server listens (at most 10 s).
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

client() {
    echo "$BIN/lanchat 127.0.0.1:$PORT --nick $1 --join '#lab,#help'"
}
tmux split-window -t "$SESSION:lanchat" -h "$(client alice)"
tmux split-window -t "$SESSION:lanchat" -v "$(client bob)"
tmux select-pane -t "$SESSION:lanchat.0"
tmux split-window -t "$SESSION:lanchat" -v "$(client carol)"
# Server log small at the top left, the three clients around it.
tmux select-layout -t "$SESSION:lanchat" tiled
tmux set-option -t "$SESSION" monitor-activity on
tmux select-pane -t "$SESSION:lanchat.2"

echo "demo.sh: stop everything with: $0 stop"
if [ -n "${NO_ATTACH:-}" ]; then
    echo "demo.sh: session '$SESSION' is running; attach with: tmux attach -t $SESSION"
elif [ -n "${TMUX:-}" ]; then
    tmux switch-client -t "$SESSION"
else
    tmux attach -t "$SESSION"
fi
