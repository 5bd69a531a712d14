#!/usr/bin/env bash
# Regenerate the README screenshots from the real window under Xvfb:
#   assets/screenshot-exam.png       a mock exam in progress (an answer flagged)
#   assets/screenshot-dashboard.png  Home after that exam: readiness, mastery per skill area
#   assets/screenshot-import.png     the Import preview of assets/screenshot-import.gift
#
# Needs: xvfb xdotool imagemagick (apt-get install -y --no-install-recommends xvfb xauth
# imagemagick xdotool). Run from anywhere:  bash assets/make-screenshots.sh
# Everything is driven by the keyboard (Tab moves the focus, Enter presses), with a fresh,
# temporary data folder, so the pictures do not depend on your own history.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
for tool in Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "make-screenshots: $tool is missing" >&2; exit 1; }
done

cargo build --release --quiet
bin="$repo/target/release/certprep"

tmp=$(mktemp -d)
data="$tmp/data"
mkdir -p "$data"
# Dark theme, so the pictures do not follow the machine's setting.
printf '{"theme":"dark","zoom":1.0,"last_screen":"home"}\n' >"$data/settings.json"

# A free X display.
display=90
while [ -e "/tmp/.X${display}-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display"
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

wid=""
start_app() {
    "$bin" --data-dir "$data" --banks "$repo/question-banks" >"$tmp/app.log" 2>&1 &
    app_pid=$!
    wid=$(xdotool search --sync --name '^certprep$' | head -1)
    sleep 1.5 # first frames
    xdotool windowfocus --sync "$wid"
}
stop_app() {
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
    app_pid=""
}
key() { # key NAME [times]
    for _ in $(seq "${2:-1}"); do
        # Held for a moment: a press and release in the same instant is sometimes lost.
        xdotool keydown "$1"; sleep 0.05; xdotool keyup "$1"
        sleep 0.15
    done
    sleep 0.3
}
shot() {
    sleep 0.8
    import -window "$wid" "$repo/assets/$1"
    echo "wrote assets/$1"
}

# --- A mock exam: Home → Practice… (CETL) → Start exam; answer three, flag the second.
start_app
key Tab 5       # Home, Settings, Study group, Import, Practice… of the first bank
key Return
key Tab 6       # bank, Timed exam, Study, Questions, Time limit, Start exam
key Return
key 2; key n
key 1; key f; key n
key 3
key p           # back to the flagged question
shot screenshot-exam.png

# Review (R), submit (Ctrl+Enter on the review page).
key r
# Hold Ctrl a moment first: X delivers the modifier change separately from the key.
xdotool keydown ctrl; sleep 0.3
xdotool key Return; sleep 0.3
xdotool keyup ctrl
sleep 1.5
stop_app
"$bin" --data-dir "$data" export history --out "$tmp/history.csv" >/dev/null
if [ "$(wc -l <"$tmp/history.csv")" -lt 2 ]; then
    echo "make-screenshots: the exam was not submitted (a key press was lost); run again" >&2
    exit 1
fi

# --- The dashboard after that exam (the app opens on Home again), scrolled to readiness.
start_app
xdotool mousemove --window "$wid" 600 400
xdotool click --repeat 3 --delay 100 5
xdotool mousemove --window "$wid" 1090 750
shot screenshot-dashboard.png

# --- Import: the nav bar's Import, then the file field; type the path, Enter previews.
key Tab 4
key Return
key Tab
xdotool type --delay 20 "$repo/assets/screenshot-import.gift"
key Return
sleep 1
shot screenshot-import.png
stop_app
