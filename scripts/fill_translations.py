"""Fill a .po catalogue from a JSON dictionary {msgid: msgstr} (used while translating).

python scripts/fill_translations.py institutes/locale/ar/LC_MESSAGES/django.po ar.json
"""

import json
import sys

import polib

po = polib.pofile(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as fh:
    table = json.load(fh)
missing = []
for entry in po:
    if entry.msgid in table:
        entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif not entry.msgstr:
        missing.append(entry.msgid)
po.save()
for msgid in missing:
    print("untranslated:", msgid)
