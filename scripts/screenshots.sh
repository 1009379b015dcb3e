#!/usr/bin/env bash
# screenshots.sh: makes the PNGs in screenshots/ from real sessions of the real binaries.
# lanchatd and several lanchat clients run in a private tmux server; the clients type with
# send-keys; each picture is `tmux capture-pane -e` (text with colours) -> HTML (a short Python
# converter below, because aha drops reverse video and dim text and cannot give wide characters
# their two cells) -> headless Chromium (HTML to PNG). Everything comes from Debian packages,
# installed with apt-get when missing. Pictures: a busy class channel, Korean/emoji text, a
# narrow pane.
#
# Usage: scripts/screenshots.sh            (writes screenshots/*.png)
# Environment: OUT (default screenshots), CARGO_TARGET_DIR as for cargo.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT="${OUT:-screenshots}"
mkdir -p "$OUT"

# --- tools --------------------------------------------------------------------------------
packages=()
command -v tmux >/dev/null || packages+=(tmux)
command -v chromium >/dev/null || packages+=(chromium)
command -v python3 >/dev/null || packages+=(python3)
for font in fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji; do
    dpkg -s "$font" >/dev/null 2>&1 || packages+=("$font")
done
if [ ${#packages[@]} -gt 0 ]; then
    echo "screenshots.sh: installing ${packages[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

cargo build --release -p thread-server -p tui-client
BIN="$(cd "${CARGO_TARGET_DIR:-target}/release" && pwd)"

# --- a server and a private tmux server, both removed on exit -----------------------------
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
SOCKET="lanchat-shots-$$"
T=(tmux -u -L "$SOCKET" -f /dev/null)
"$BIN/lanchatd" --listen "127.0.0.1:$PORT" >"$WORK/lanchatd.log" 2>&1 &
SERVER_PID=$!
cleanup() {
    "${T[@]}" kill-server 2>/dev/null || true
    kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

# open NAME WIDTH HEIGHT CHANNELS: a lanchat for nick NAME in its own window.
open() {
    local cmd="TERM=xterm-256color $BIN/lanchat 127.0.0.1:$PORT --nick $1 --join '$4'"
    if "${T[@]}" has-session -t shots 2>/dev/null; then
        "${T[@]}" new-window -d -t shots -n "$1" "$cmd"
    else
        "${T[@]}" new-session -d -s shots -n "$1" -x "$2" -y "$3" "$cmd"
    fi
    "${T[@]}" resize-window -t "shots:$1" -x "$2" -y "$3"
    sleep 0.4
}
# say NAME TEXT: NAME types TEXT and presses Enter.
say() {
    "${T[@]}" send-keys -t "shots:$1" -l "$2"
    "${T[@]}" send-keys -t "shots:$1" Enter
    sleep 0.25
}
key() {
    "${T[@]}" send-keys -t "shots:$1" "$2"
    sleep 0.2
}

# --- the class ----------------------------------------------------------------------------
open teacher 100 30 "#lab,#help"
open minsu 80 24 "#lab,#korean"
open yuki 40 14 "#lab,#help"
for student in alice bob carol dave erin; do
    open "$student" 80 24 "#lab"
done
open jiwoo 80 24 "#korean"
"${T[@]}" send-keys -t shots:teacher M-2
say teacher "/topic Lab 3: sockets and threads. Slides: http://lab.local/3 - hand in by 12:00"
say teacher "Good morning! Today we write a tiny chat server. Start from the skeleton in lab3/."
say alice "good morning!"
say bob "is the skeleton the same as last week's echo server?"
say teacher "bob: almost, but each connection gets its own thread now"
say carol "/me opens lab3/server.rs"
say dave "cargo build says: error[E0382]: borrow of moved value: \`stream\`"
say erin "dave: clone the stream with try_clone() before you move it into the thread"
say minsu "안녕하세요! 저도 같은 오류가 났어요 😅"
say yuki "works for me now 🎉 thanks erin"
say alice "teacher: can we use std::sync::mpsc for the broadcast?"
say dave "ok that fixed it, thank you erin 👍"
say teacher "/op alice"
say minsu "/msg teacher 질문이 있어요: 과제 마감이 언제예요?"
say alice "/join #help"
say alice "teacher: is the deadline noon today?"
key teacher M-2

# A bot on a raw socket, using mIRC bold and colour codes (shown as styles, never as codes).
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'NICK ci-bot\r\nUSER ci 0 * :ci\r\nJOIN #lab\r\n' >&3
sleep 0.5
printf 'PRIVMSG #lab :\002build #42\002: \00303passed\003 (57 tests) \00304,01 1 warning \003\r\n' >&3
sleep 0.3

# Korean and emoji, seen by minsu in #korean.
key minsu M-3
say jiwoo "다들 실습 잘 되고 있어요? 서버가 스레드마다 연결 하나씩 처리하는 구조예요 🧵"
say minsu "네! 한국어도 잘 보이고 줄바꿈도 글자 폭에 맞춰서 정확하게 돼요 👏👏"
say jiwoo "日本語も大丈夫: こんにちは、世界 🌏 / 中文也可以：你好，世界"
say minsu "/me 커피 마시러 갑니다 ☕"
say jiwoo "이모지 테스트 😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘😗 끝"

# A narrow pane: yuki at 40x14.
say yuki "the narrow pane hides both side lists; Alt-1..9 still switches"
say alice "/msg #help yuki: your turn to present"
sleep 1

# --- capture: tmux -> ANSI -> HTML -> PNG --------------------------------------------------
# Each cell gets an exact width (wide characters two cells) so columns line up whatever the
# fonts' own widths are.
cat >"$WORK/ansi2html.py" <<'PY'
"""tmux `capture-pane -e -N` output (SGR colour codes) to HTML where every terminal cell has
an exact width: wide characters (Korean, CJK, emoji) take two cells, whatever the fonts."""
import html
import re
import sys
import unicodedata

BG, FG = (0x1D, 0x1F, 0x21), (0xD8, 0xD8, 0xD8)
BASE16 = [
    (0x1D, 0x1F, 0x21), (0xCC, 0x66, 0x66), (0xB5, 0xBD, 0x68), (0xF0, 0xC6, 0x74),
    (0x81, 0xA2, 0xBE), (0xB2, 0x94, 0xBB), (0x8A, 0xBE, 0xB7), (0xC5, 0xC8, 0xC6),
    (0x96, 0x98, 0x96), (0xFF, 0x7B, 0x7B), (0xD7, 0xE5, 0x7A), (0xFF, 0xE0, 0x8A),
    (0x9A, 0xC0, 0xE6), (0xD6, 0xB1, 0xE0), (0xA0, 0xE0, 0xD6), (0xFF, 0xFF, 0xFF),
]


def palette(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


def sgr(state, params):
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            state.clear()
        elif c in (1, 2, 3, 4, 7, 9):
            state[c] = True
        elif c == 22:
            state.pop(1, None)
            state.pop(2, None)
        elif c in (23, 24, 27, 29):
            state.pop(c - 20, None)
        elif 30 <= c <= 37 or 90 <= c <= 97:
            state["fg"] = palette(c - 30 if c < 90 else c - 90 + 8)
        elif 40 <= c <= 47 or 100 <= c <= 107:
            state["bg"] = palette(c - 40 if c < 100 else c - 100 + 8)
        elif c == 39:
            state.pop("fg", None)
        elif c == 49:
            state.pop("bg", None)
        elif c in (38, 48) and i + 1 < len(codes):
            key = "fg" if c == 38 else "bg"
            if codes[i + 1] == 5 and i + 2 < len(codes):
                state[key] = palette(codes[i + 2])
                i += 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                state[key] = tuple(codes[i + 2:i + 5])
                i += 4
        i += 1


def css(state):
    fg, bg = state.get("fg", FG), state.get("bg", BG)
    if state.get(7):
        fg, bg = bg, fg
    if state.get(2):
        fg = tuple(int(f * 0.55 + b * 0.45) for f, b in zip(fg, bg))
    rules = ["color:#%02x%02x%02x" % fg]
    if bg != BG:
        rules.append("background:#%02x%02x%02x" % bg)
    if state.get(1):
        rules.append("font-weight:bold")
    if state.get(3):
        rules.append("font-style:italic")
    deco = [d for k, d in ((4, "underline"), (9, "line-through")) if state.get(k)]
    if deco:
        rules.append("text-decoration:" + " ".join(deco))
    return ";".join(rules)


def cell(c):
    if ord(c) < 128:
        return html.escape(c)
    wide = unicodedata.east_asian_width(c) in "WF"
    return '<span class="%s">%s</span>' % ("w" if wide else "n", html.escape(c))


def convert(text):
    out, state = [], {}
    for line in text.rstrip("\n").split("\n"):
        pieces = re.split(r"\x1b\[([0-9;]*)m", line)
        for index, piece in enumerate(pieces):
            if index % 2:
                sgr(state, piece)
            elif piece:
                out.append('<span style="%s">%s</span>' % (css(state), "".join(map(cell, piece))))
        out.append("\n")
    return "".join(out)


sys.stdout.write(convert(sys.stdin.read()))
PY

# shot WINDOW NAME: captures window WINDOW into $OUT/NAME.png.
shot() {
    local width height html="$WORK/$2.html"
    width="$("${T[@]}" display-message -p -t "shots:$1" '#{window_width}')"
    height="$("${T[@]}" display-message -p -t "shots:$1" '#{window_height}')"
    {
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        echo 'body{margin:0;background:#1d1f21}'
        echo 'pre{margin:0;padding:12px;color:#d8d8d8;font:16px/20px "DejaVu Sans Mono",'
        echo '"Noto Sans Mono CJK KR","Noto Color Emoji",monospace}'
        echo '.n,.w{display:inline-block;text-align:center;vertical-align:top;overflow:visible}'
        echo '.n{width:1ch}.w{width:2ch}</style></head><body><pre>'
        "${T[@]}" capture-pane -e -N -p -t "shots:$1" | python3 "$WORK/ansi2html.py"
        echo '</pre></body></html>'
    } >"$html"
    # 16px DejaVu Sans Mono is 9.63 px per cell; 20 px per row; 12 px padding around.
    local px_width=$(( width * 963 / 100 + 26 )) px_height=$(( height * 20 + 24 ))
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$WORK/chromium-$2" --window-size="$px_width,$px_height" \
        --screenshot="$OUT/$2.png" "file://$html" >/dev/null 2>&1
    echo "screenshots.sh: wrote $OUT/$2.png (${width}x${height} cells)"
}
shot teacher class-channel
shot minsu korean-emoji
shot yuki narrow-pane
