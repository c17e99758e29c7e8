"""Arabic formats for the back office and the public site.

Django's own Arabic formats separate decimals with "," and thousands with ".", so a
share printed as 65.3 read "65,3" on Arabic screens — while every number this project
prints itself (institutes/formatting.py) uses "." with Western digits and "٫"/"٬" with
Arabic-Indic digits, and the one number parser reads all of them. The screens print
Western digits, so their separators are the Western ones; the dates stay Django's.
"""

from django.conf.locale.ar.formats import *  # noqa: F403 - the rest stays Django's

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
