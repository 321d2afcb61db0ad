import json
import os
from importlib import resources

import jsonschema
import pytest

from screening import check_mrz_text

from mrz_cases import TODAY

# A bug inside the pipeline fails the tests instead of becoming an internal_error result
# (screening.guard); subprocesses the tests start inherit it.
os.environ["SCREENING_STRICT"] = "1"


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
