"""Carrying a workbook's data into a new workbook: this schema version (``upgrade``), next year's
(``next_year``); ``source`` reads the old one, ``blanks`` lists what the new one still needs."""
