"""Shared test data: ICAO's specimen MRZs and the fixed date tests screen as of."""

import datetime as dt

TODAY = dt.date(2026, 11, 23)

# ICAO Doc 9303's own specimen MRZs, one per format.
SPECIMENS = {
    "TD3": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    "TD1": ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"],
    "TD2": ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
    "MRV-A": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
    "MRV-B": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"],
}


def finding(result, check_id):
    matches = [f for f in result.checks if f.id == check_id]
    assert len(matches) == 1, f"{check_id}: {[f.id for f in result.checks]}"
    return matches[0]
