"""Dates as offices write them (2024/6/30, 2024年6月30日), read as the ISO dates records hold.

Excel in a Chinese locale saves a date cell to CSV as 2024/6/30, and forms are
filled in as 2024年6月30日; both name one day, year first, as every Chinese date
does. Only whole dates are read: year, month and day, one separator style, an
existing day (2024/2/30 is left as written, so it is refused in its own words),
and at most a midnight time (2024/6/30 0:00, Excel's datetime export). A month
alone (2024年6月), digits run together (20240630) or an Excel serial number
(45473) is not read: each could mean more than one thing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = ["office_date"]

_DATE = re.compile(
    r"(?P<y>[12][0-9]{3})\s*(?P<s>[-/.])\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*(?P<d>[0-9]{1,2})"
    r"|(?P<cy>[12][0-9]{3})\s*年\s*(?P<cm>[0-9]{1,2})\s*月\s*(?P<cd>[0-9]{1,2})\s*[日号]"
)
_MIDNIGHT = re.compile(r"\s+0?0:00(?::00)?")


def office_date(text: str) -> str | None:
    """`text` as an ISO date when it writes one whole day as offices do, else None."""
    if not text or (text.isascii() and len(text) == 10 and text[4] == "-"):
        return None  # ISO already, or nothing: the model reads it
    plain = unicodedata.normalize("NFKC", text).strip()
    midnight = _MIDNIGHT.search(plain)
    if midnight is not None and midnight.end() == len(plain):
        plain = plain[: midnight.start()]
    match = _DATE.fullmatch(plain)
    if match is None:
        return None
    year, month, day = (
        (match["y"], match["m"], match["d"])
        if match["y"]
        else (match["cy"], match["cm"], match["cd"])
    )
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
