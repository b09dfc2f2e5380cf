#!/usr/bin/env bash
# Takes the canvas screenshots under docs/: every sample at Fit in a 1280 × 800 window, in the dark
# and the light theme, from the real window under Xvfb driven with xdotool (as a user sees it).
# Usage: docs/screenshots.sh [BINARY] (default: target/debug/drplan; build it first).
# Needs Xvfb, xdotool and ImageMagick (.ci/screenshot.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/drplan}

work=$(mktemp -d)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb=$!
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do [ -s "$work/display" ] && break; sleep 0.5; done
DISPLAY=":$(tr -d '[:space:]' <"$work/display")"
export DISPLAY

for plan in samples/*.drplan.json; do
    name=$(basename "$plan" .drplan.json)
    for theme in dark light; do
        mkdir -p "$work/state-$name-$theme"
        # Now and then the app cannot connect to a fresh Xvfb ("Failed to open connection to X
        # server"); such a start is retried, as in .ci/screenshot.sh.
        window=""
        for _ in 1 2 3 4 5; do
            env -u WAYLAND_DISPLAY DRPLAN_THEME="$theme" DRPLAN_RECOVERY_DIR="$work/recovery" XDG_DATA_HOME="$work/state-$name-$theme" \
                "$binary" "$plan" >"$work/app.log" 2>&1 &
            app=$!
            for _ in $(seq 1 60); do
                window=$(xdotool search --name drplan 2>/dev/null | head -n 1 || true)
                [ -n "$window" ] && break
                kill -0 "$app" 2>/dev/null || break
                sleep 0.5
            done
            [ -n "$window" ] && break
        done
        [ -n "$window" ] || { echo "no window for $plan"; cat "$work/app.log"; exit 1; }
        xdotool windowsize "$window" 1280 800
        sleep 2
        xdotool windowfocus --sync "$window" key ctrl+0
        xdotool mousemove 1270 790
        sleep 2
        import -window root "docs/canvas-$name-$theme.png"
        kill "$app"
        wait "$app" 2>/dev/null || true
        echo "docs/canvas-$name-$theme.png"
    done
done
