#!/usr/bin/env bash
# Starts the real drplan window under Xvfb on a sample plan, takes a screenshot, and fails if the
# window did not come up or the screenshot is blank. Usage: .ci/screenshot.sh BINARY PLAN OUT.png
set -euo pipefail
binary=$1 plan=$2 out=$3

missing=()
for tool in Xvfb import identify xdotool; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Xvfb, ImageMagick, Mesa and xdotool (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq xvfb imagemagick libgl1-mesa-dri libegl-mesa0 xdotool >/dev/null
fi

# Xvfb picks a free display itself and writes its number to descriptor 3 once it accepts
# connections (-displayfd), so there is no fixed display to collide with and no fixed sleep that a
# slow first start (font and keyboard caches on a fresh machine) can outlast.
work=$(mktemp -d)
recovery="$work/recovery"
mkdir "$recovery"
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb=$!
cleanup() { kill "${app:-}" "$xvfb" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
    [ -s "$work/display" ] && break
    if ! kill -0 "$xvfb" 2>/dev/null; then echo "Xvfb did not start:"; cat "$work/xvfb.log"; exit 1; fi
    sleep 0.5
done
if [ ! -s "$work/display" ]; then echo "Xvfb did not accept connections after 60 s:"; cat "$work/xvfb.log"; exit 1; fi
display=":$(tr -d '[:space:]' <"$work/display")"
echo "Xvfb is up on display $display"

# Now and then the app cannot connect to a fresh Xvfb ("Failed to open connection to X server")
# while the server answers xdotool fine; such a start is retried, up to five times.
window=""
for attempt in 1 2 3 4 5; do
    env -u WAYLAND_DISPLAY DISPLAY="$display" DRPLAN_RECOVERY_DIR="$recovery" "$binary" "$plan" >"$out.log" 2>&1 &
    app=$!
    for _ in $(seq 1 60); do
        window=$(DISPLAY="$display" xdotool search --name "drplan" 2>/dev/null | head -n 1 || true)
        [ -n "$window" ] && break
        kill -0 "$app" 2>/dev/null || break
        sleep 0.5
    done
    [ -n "$window" ] && break
    if kill -0 "$app" 2>/dev/null; then echo "no drplan window after 30 s"; cat "$out.log"; exit 1; fi
    echo "attempt $attempt: drplan exited before its window came up:"; cat "$out.log"
done
if [ -z "$window" ]; then echo "drplan never opened its window; Xvfb said:"; cat "$work/xvfb.log"; exit 1; fi
sleep 6   # Mesa's software renderer draws the first frames slowly
DISPLAY="$display" import -window root "$out"

colours=$(identify -format '%k' "$out")
deviation=$(identify -format '%[fx:standard_deviation]' "$out")
echo "screenshot $out: $colours colours, standard deviation $deviation"
if [ "$colours" -lt 64 ] || awk "BEGIN { exit !($deviation < 0.02) }"; then
    echo "the screenshot is blank"; exit 1
fi
