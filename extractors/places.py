"""Place names as OCR damages them: the repairs that are safe in a location and nowhere else."""

from __future__ import annotations

import re

#: US states (and DC) by name and postal code: what follows the comma of "City, State".
US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
    "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
    "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
)

# OCR reads the "1" of "1st" as I, l or |: "19010 Ist Ave S", "lst Floor". No English word
# is spelt so.
_FIRST_ORDINAL = re.compile(r"(?<![\w'])[Il|]st(?=[\s,.]|$)")

# OCR reads the comma before a state as a semicolon ("Santa Rosa; California"); anywhere
# else a semicolon ends a place ("Training Center; Format: classroom").
_STATE_SEMICOLON = re.compile(rf";(?=\s*(?:{'|'.join(US_STATES)})(?:[\s,.]|$))")


# ... and the comma before a city as a full stop ("Firing Range. Marion, IA"): a full stop
# followed by nothing but a city's capitalised words, a comma and a state ends no sentence.
_CITY_FULL_STOP = re.compile(
    rf"\.(?=\s+[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}},\s*(?:{'|'.join(US_STATES)})\.?\s*$)")


def fix_ordinals(place: str) -> str:
    """``Ist`` / ``lst`` / ``|st`` in a place name is ``1st``."""
    return _FIRST_ORDINAL.sub("1st", place)


def state_commas(place: str) -> str:
    """A semicolon before a US state's name or postal code, or a full stop before a closing
    ``City, State``, is a comma (same length)."""
    return _CITY_FULL_STOP.sub(",", _STATE_SEMICOLON.sub(",", place))
