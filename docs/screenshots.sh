#!/usr/bin/env bash
# Regenerate the README screenshots with the app's own --screenshot option (offscreen, no display).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
out=docs/screenshots
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export QT_QPA_PLATFORM=offscreen
shot() { "$py" main.py --data-dir "$data" --no-sound --screenshot "$out/$1.png" "${@:2}"; }
for view in library detail guided; do
  shot "$view" --view "$view" --exercise leg-press-45
done
# The set screen at chosen instants of a 45° leg press (3-1-1-0, 5 s countdown) ...
shot set-countdown --view set --exercise leg-press-45 --at 2.5
shot set-lower --view set --exercise leg-press-45 --at 6.5
shot set-hold --view set --exercise leg-press-45 --at 8.5
shot set-push --view set --exercise leg-press-45 --at 9.6
shot set-done --view set --exercise leg-press-45 --at 70
# ... the switch of a single-leg press, and a small tablet size.
shot set-switch --view set --exercise single-leg-press --at 68
shot set-1024x600 --view set --exercise single-leg-press --at 80 --size 1024x600
echo "wrote $(ls "$out" | wc -l) screenshots to $out"
