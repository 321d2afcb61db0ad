"""National personal numbers carried in the MRZ's optional data, where their rule is documented.

Each rule says where it comes from and how sure we are of it: a confirmed rule can
raise an alert; an unconfirmed one only warns (a national rule we got wrong must never
call a genuine document forged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT
from screening.mrz.checkdigit import check_digit, is_digits
from screening.text import Join, Text

# Century and sex from the digit both numbers share (1-6): odd male, even female;
# 1-2 born in the 1800s, 3-4 in the 1900s, 5-6 in the 2000s.
_CENTURY_SEX = {1: (1800, "M"), 2: (1800, "F"), 3: (1900, "M"), 4: (1900, "F"), 5: (2000, "M"), 6: (2000, "F")}


def kaz_iin_check_digit(digits: str) -> int | None:
    """Kazakhstan IIN check digit over the first 11 digits; None when the number cannot be valid."""
    values = [int(c) for c in digits[:11]]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        remainder = sum(v * w for v, w in zip(values, weights)) % 11
        if remainder != 10:
            return remainder
    return None


def uzb_pinfl_check_digit(digits: str) -> int:
    return int(check_digit(digits[:13]))


@dataclass(frozen=True)
class PersonalNumberRule:
    issuer: str
    name: Text
    length: int
    confirmed: bool
    source: str
    compute_check: Callable[[str], int | None]
    # Where the date of birth (YYMMDD order) and the century/sex digit sit.
    date_of: Callable[[str], str]
    century_sex_of: Callable[[str], int]


RULES = (
    PersonalNumberRule(
        issuer="KAZ",
        name=Text("IIN (individual identification number)"),
        length=12,
        confirmed=True,
        source="Kazakhstan IIN rules: YYMMDD, century/sex digit, serial, check digit with weights 1-11 then 3-11,1,2 mod 11",
        compute_check=kaz_iin_check_digit,
        date_of=lambda n: n[0:6],
        century_sex_of=lambda n: int(n[6]),
    ),
    PersonalNumberRule(
        issuer="UZB",
        name=Text("PINFL (personal identification number)"),
        length=14,
        confirmed=False,
        source="seen on public samples: century/sex digit, DDMMYY, district, serial, 7-3-1 check digit",
        compute_check=uzb_pinfl_check_digit,
        date_of=lambda n: n[5:7] + n[3:5] + n[1:3],
        century_sex_of=lambda n: int(n[0]),
    ),
)


def find_number(rule: PersonalNumberRule, optional_fields: list[str]) -> str | None:
    """The personal number at the start of an optional-data field, if one is there."""
    for value in optional_fields:
        match = re.match(rf"(\d{{{rule.length}}})(?!\d)", value)
        if match:
            return match.group(1)
    return None


@check(
    CheckSpec("data.personal_number.kaz_iin", ALERT, "Kazakhstan IIN: check digit, and its date and sex agree with the MRZ"),
    CheckSpec("data.personal_number.uzb_pinfl", None, "Uzbekistan PINFL: check digit, date and sex (unconfirmed rule: notice only)"),
)
def personal_numbers(ctx: CheckContext):
    parsed = ctx.parsed
    for rule in RULES:
        if parsed.issuing_state != rule.issuer:
            continue
        check_id = f"data.personal_number.{rule.issuer.lower()}_{rule.name.template.split()[0].lower()}"
        optional = [parsed.optional_data, parsed.optional_data_2 or ""]
        number = find_number(rule, [o.replace(" ", "") for o in optional])
        if number is None:
            continue  # not every document of the issuer carries the number in its MRZ
        problems = _problems(rule, number, parsed.raw.get("birth_date", ""), parsed.sex)
        what = dict(issuer=rule.issuer, rule=rule.name, number=number)
        if not problems:
            yield ctx.passed(check_id, "{issuer} {rule} {number} is consistent with the MRZ.", ["optional_data"], **what)
        elif rule.confirmed:
            yield ctx.failed(check_id, "{issuer} {rule} {number}: {problems}.", ["optional_data", "birth_date", "sex"],
                             problems=Join("; ", problems), **what)
        else:
            yield ctx.warned(
                check_id,
                "{issuer} {rule} {number}: {problems} (the rule is not confirmed: a notice only).",
                ["optional_data", "birth_date", "sex"],
                problems=Join("; ", problems),
                **what,
            )


def _problems(rule: PersonalNumberRule, number: str, raw_birth: str, sex: str) -> list[Text]:
    problems = []
    expected = rule.compute_check(number)
    if expected is None:
        problems.append(Text("no valid check digit exists for its first digits"))
    elif expected != int(number[-1]):
        problems.append(Text("its check digit is {printed}, computed {computed}", printed=number[-1], computed=expected))
    century_sex = rule.century_sex_of(number)
    if century_sex not in _CENTURY_SEX:
        problems.append(Text("its century/sex digit {digit} is not 1-6", digit=century_sex))
        return problems
    # The MRZ carries no century, so the number's century cannot contradict it.
    _, number_sex = _CENTURY_SEX[century_sex]
    number_date = rule.date_of(number)
    if is_digits(raw_birth) and number_date != raw_birth:
        problems.append(Text("it gives the date of birth as {number_date} (YYMMDD), the MRZ as {mrz_date}",
                             number_date=number_date, mrz_date=raw_birth))
    if sex in ("M", "F") and sex != number_sex:
        problems.append(Text("it gives sex {number_sex}, the MRZ {mrz_sex}", number_sex=number_sex, mrz_sex=sex))
    return problems
