#!/usr/bin/env bash
# Extract translatable strings: one catalog per app (its own locale/), one for the project-level
# templates, core and config. Needs GNU gettext (xgettext); only developers run this.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
for app in accounts schools courses research emulation compliance reports audit; do
  [ -d "$app" ] || continue
  mkdir -p "$app/locale"
  (cd "$app" && "../$PY" ../manage.py makemessages -l vi --no-obsolete --no-location >/dev/null)
done
"$PY" manage.py makemessages -l vi --no-obsolete --no-location \
  --ignore='.venv/*' --ignore='accounts/*' --ignore='schools/*' --ignore='courses/*' --ignore='research/*' \
  --ignore='emulation/*' --ignore='compliance/*' --ignore='reports/*' --ignore='audit/*' --ignore='tests/*' \
  --ignore='bench/*' --ignore='scripts/*' >/dev/null
echo "catalogs updated; translate the empty msgstr entries, then: make messages-compile"
