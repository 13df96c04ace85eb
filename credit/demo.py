"""Valid sample values for every catalogue item, used by ``load_demo`` and the test factories.

ID numbers and credit codes are generated with their real check characters so they pass validation; they are
fictitious (region codes of Nanchang, made-up sequence numbers).
"""

from __future__ import annotations

import datetime

from stdnum.cn import ric, uscc

from credit.catalog import ItemSpec
from credit.validators import orgcode_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["晓明", "丽华", "建国", "秀英", "志强", "海燕", "文静", "俊杰", "雪梅", "国平"]
SCHOOLS = [
    "南昌市第一中学",
    "南昌市第二中学",
    "南昌市育新学校",
    "南昌市豫章中学",
    "南昌市心远中学",
    "南昌市外国语学校",
    "南昌市阳明学校",
    "南昌市滨江学校",
    "南昌市青山湖小学",
    "南昌市红谷滩实验学校",
]


def person_id(seq: int, *, female: bool = False, birth: datetime.date | None = None) -> str:
    """A valid 18-character ID number (region 360102, Nanchang 东湖区)."""
    birth = birth or datetime.date(1970 + seq % 30, 1 + seq % 12, 1 + seq % 28)
    order = (seq * 2) % 1000
    order = order - order % 2 + (0 if female else 1)
    body = f"360102{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def credit_code(seq: int) -> str:
    """A valid unified social credit code of a public institution (12…) in Nanchang (360100)."""
    org_body = f"{(seq * 7919) % 100000000:08d}"
    org = org_body + orgcode_check_char(org_body)
    body = f"12360100{org}"
    return body + uscc.calc_check_digit(body)


def person_name(seq: int) -> str:
    return SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq // len(SURNAMES)) % len(GIVEN)]


def school_name(seq: int) -> str:
    base = SCHOOLS[seq % len(SCHOOLS)]
    return base if seq < len(SCHOOLS) else f"{base}（{seq // len(SCHOOLS) + 1}分校）"


# A valid value per field type, from the record's demo context (an enum takes its first allowed value).
TYPE_VALUES = {
    "person_name": lambda f, c: c["person"],
    "cn_id": lambda f, c: c["pid"],
    "doc_number": lambda f, c: c["pid"],
    "org_code": lambda f, c: c["code"],
    "date": lambda f, c: c["day"],
    "year": lambda f, c: str(c["year"] - 1),
    "phone": lambda f, c: f"1380791{c['seq'] % 10000:04d}",
    "enum": lambda f, c: f.values[0],
    "text": lambda f, c: c["school"] if f.key == c["subject_name_field"] else f"{f.name}{c['n']}",
    "long_text": lambda f, c: f"{f.name}（演示数据{c['n']}）",
}


def sample_values(no: int, seq: int = 0, *, day: datetime.date | None = None) -> dict[str, str]:
    """Valid field values (as a clerk would type them) of a record of item ``no``.

    Each field takes its catalogue ``demo`` template where it has one (realistic text, values that must agree with
    another field), else a valid value of its type; ``seq`` varies names, identifiers and numbers. The template may
    use ``{seq}``, ``{n}`` (seq + 1), ``{day}``, ``{person}``, ``{pid}``, ``{sex}``, ``{code}`` and ``{school}``.
    """
    item = ItemSpec.get(no)
    day = day or datetime.date(2026, 3, 2)
    female = seq % 2 == 1
    context = {
        "seq": seq,
        "n": seq + 1,
        "day": day.isoformat(),
        "year": day.year,
        "person": person_name(seq),
        "pid": person_id(seq, female=female),
        "sex": "女" if female else "男",
        "code": credit_code(seq),
        "school": school_name(seq),
        "subject_name_field": item.subject_name_field,
    }
    out = {
        f.key: f.demo.format_map(context) if f.demo is not None else TYPE_VALUES[f.type](f, context)
        for f in item.fields
    }
    if item.business_date_field is None:  # the clerk enters the business date
        out["business_date"] = context["day"]
    return out
