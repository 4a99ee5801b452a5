"""Compile every locale/*/LC_MESSAGES/django.po of the project into .mo files with polib.

Django's compilemessages needs GNU gettext on the machine; this does the same with a pure-Python
library so that `make run` works on a machine that has only Python and make.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def main() -> int:
    count = 0
    for po_path in ROOT.rglob("locale/*/LC_MESSAGES/*.po"):
        if SKIP.intersection(po_path.relative_to(ROOT).parts):
            continue
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    print(f"compiled {count} catalog(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
