import datetime as dt
import json
from importlib import resources

import jsonschema
import pytest

from screening import check_mrz_text

TODAY = dt.date(2026, 11, 23)

# ICAO Doc 9303's own specimen MRZs, one per format.
SPECIMENS = {
    "TD3": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    "TD1": ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"],
    "TD2": ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
    "MRV-A": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
    "MRV-B": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"],
}


@pytest.fixture(scope="session")
def result_validator():
    schema = json.loads(resources.files("screening.schema").joinpath("result-v1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def screen(result_validator):
    """check_mrz_text as of TODAY, with every result validated against the contract's schema."""

    def run(lines, **kwargs):
        kwargs.setdefault("today", TODAY)
        result = check_mrz_text(lines, **kwargs)
        result_validator.validate(result.to_dict())
        return result

    return run


def finding(result, check_id):
    matches = [f for f in result.checks if f.id == check_id]
    assert len(matches) == 1, f"{check_id}: {[f.id for f in result.checks]}"
    return matches[0]
