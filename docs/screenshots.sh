#!/usr/bin/env bash
# Regenerate the README screenshots with the app's own --screenshot option (offscreen, no
# display). Screenshots use a generated demo history in memory; no data folder is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
out=docs/screenshots
export QT_QPA_PLATFORM=offscreen TZ=UTC
shot() { "$py" main.py --screenshot "$out/$1.png" "${@:2}"; }
for view in library detail guided train history; do
  shot "$view" --view "$view" --exercise leg-press-45
done
# The set screen at chosen instants of a 45° leg press (3-1-1-0, 5 s countdown) ...
shot set-countdown --view set --exercise leg-press-45 --at 2.5
shot set-lower --view set --exercise leg-press-45 --at 6.5
shot set-hold --view set --exercise leg-press-45 --at 8.5
shot set-push --view set --exercise leg-press-45 --at 9.6
# ... the switch of a single-leg press, and a small tablet size.
shot set-switch --view set --exercise single-leg-press --at 68
shot set-1024x600 --view set --exercise single-leg-press --at 80 --size 1024x600
# After the set: the log form, the rest timer 40 s in, and a whole Leg day's summary.
shot log-form --view log-form --exercise leg-press-45
shot rest --view rest --exercise leg-press-45 --at 40
shot summary --view summary
shot progress --view progress --exercise leg-press-45
shot progress-single --view progress --exercise single-leg-press
# Settings, the import preview, a gym-tablet full screen, and the start-up messages.
shot settings --view settings
shot import --view import
shot set-fullscreen --view set --exercise hip-thrust-machine --at 9 --size 1920x1080
shot recovery --view recovery
shot second-instance --view second-instance
echo "wrote $(ls "$out" | wc -l) screenshots to $out"
