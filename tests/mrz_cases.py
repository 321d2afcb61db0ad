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

# A passport whose date of birth check digit is wrong (printed 5, computed 8): an alert.
BAD_BIRTH_CHECK = ["P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<", "4012345676TJK8803145M3106305<<<<<<<<<<<<<<04"]


def mutated_mrzs():
    """Typed MRZs that make most MRZ-level checks pass, fail, warn or skip: the specimens with
    characters replaced along every line, and with a line cut short."""
    documents = [*SPECIMENS.values(), BAD_BIRTH_CHECK]
    for lines in list(documents):
        for line in range(len(lines)):
            for position in range(0, len(lines[line]), 3):
                for char in "<0X9":
                    changed = list(lines)
                    changed[line] = changed[line][:position] + char + changed[line][position + 1:]
                    documents.append(changed)
            documents.append([*lines[:line], lines[line][:-2], *lines[line + 1:]])
    return documents


def finding(result, check_id):
    matches = [f for f in result.checks if f.id == check_id]
    assert len(matches) == 1, f"{check_id}: {[f.id for f in result.checks]}"
    return matches[0]
