#!/usr/bin/env bash
# Extract translatable strings into one catalog per app (its own locale/) and one for the
# project-level templates, core and config (locale/): run from the root, makemessages writes each
# file's strings to the nearest locale/ directory above it. Needs GNU gettext (xgettext); only
# developers run this. (Not run from inside an app: Celery's Django fix-up puts the working
# directory first on sys.path, where an app module such as courses/audit.py would shadow an app.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" manage.py makemessages -l vi --no-obsolete --no-location \
  --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' --ignore='scripts/*' --ignore='var/*' \
  --ignore='docs/*' --ignore='static/*' >/dev/null
echo "catalogs updated; translate the empty msgstr entries, then: make messages-compile"
