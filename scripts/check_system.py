"""Say clearly what system libraries the project wants and which are missing.

Only Python and make are needed to run; these make PDFs fast and browser tests run.
"""

import ctypes.util
import shutil
import sys

missing = []
if not ctypes.util.find_library("harfbuzz-subset"):
    missing.append(
        "libharfbuzz-subset0 — WeasyPrint subsets fonts ~20x faster with it "
        "(apt-get install libharfbuzz-subset0)"
    )
if not ctypes.util.find_library("pango-1.0"):
    missing.append(
        "libpango-1.0-0 — WeasyPrint needs Pango to render PDFs (apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    )
if not shutil.which("chromium"):
    missing.append("chromium — only for the browser tests (apt-get install chromium)")
if missing:
    print("System packages not found:", file=sys.stderr)
    for item in missing:
        print("  - " + item, file=sys.stderr)
    sys.exit(1)
print("System packages: all present.")
