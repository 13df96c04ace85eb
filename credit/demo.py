"""Valid sample values for every item, used by ``load_demo`` and the test factories.

ID numbers and credit codes are generated with their real check characters so they pass validation; they are
fictitious (region codes of Nanchang, made-up sequence numbers).
"""

from __future__ import annotations

import datetime

from stdnum.cn import ric, uscc

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


def sample_values(no: int, seq: int = 0, *, day: datetime.date | None = None) -> dict[str, str]:
    """Valid field values (as a clerk would type them) of a record of item ``no``."""
    d = (day or datetime.date(2026, 3, 2)).isoformat()
    female = seq % 2 == 1
    pid = person_id(seq, female=female)
    code = credit_code(seq)
    school = school_name(seq)
    person = person_name(seq)
    values: dict[int, dict[str, str]] = {
        1: {
            "name": person,
            "id_number": pid,
            "sex": "女" if female else "男",
            "cert_name": "中等职业学校实习指导教师资格证书",
            "cert_number": f"2026360100{seq:06d}",
            "issue_date": d,
            "grant_date": d,
            "issuing_authority": "南昌市教育局",
            "cert_status": "有效",
        },
        2: {
            "org_name": school,
            "org_code": code,
            "address": f"南昌市东湖区八一大道{100 + seq}号",
            "penalty_type": "警告",
            "penalty_content": "未按规定办理招生备案",
            "penalty_result": "给予警告，责令限期改正",
            "penalty_date": d,
            "penalty_authority": "南昌市教育局",
            "penalty_basis": "《中华人民共和国民办教育促进法》第六十二条",
            "execution_status": "已执行",
        },
        3: {"org_name": school, "org_code": code, "supervising_authority": "南昌市教育局", "school_type": "普通高中"},
        4: {
            "org_code": code,
            "org_name": school,
            "cert_number": f"洪教示范〔2026〕{seq + 1}号",
            "cert_content": "南昌市示范性普通高中",
            "valid_from": d,
            "valid_to": "2031-03-01",
            "recognition_date": d,
            "recognition_authority": "南昌市教育局",
        },
        5: {
            "org_code": code,
            "org_name": f"南昌市求实自考助学中心{seq + 1}",
            "inspection_year": "2025",
            "conclusion": "合格",
            "inspection_authority": "南昌市教育局",
        },
        6: {
            "org_code": code,
            "org_name": school,
            "award_name": "南昌市教育系统先进集体",
            "award_doc_number": f"洪教字〔2026〕{seq + 10}号",
            "award_content": "在2025年度教育教学工作中成绩突出",
        },
        7: {
            "name": person,
            "id_number": pid,
            "honour_matter": "2025年度先进工作者评选",
            "honour_name": "南昌市教育系统先进工作者",
            "award_date": d,
            "awarding_unit": "南昌市教育局",
        },
        8: {
            "name": person,
            "id_number": pid,
            "offence": "违规组织有偿补课",
            "decision_number": f"洪教罚〔2026〕{seq + 1}号",
            "penalty_result": "给予警告处分",
            "penalty_authority": "南昌市教育局",
            "penalty_date": d,
        },
        9: {
            "actor_name": person,
            "doc_type": "居民身份证",
            "doc_number": pid,
            "registration_content": "冒用他人学历信息注册",
            "registration_date": "2026-01-05",
            "report_date": d,
            "employer": school,
        },
        10: {
            "target_name": f"南昌市启明教育咨询有限公司{seq + 1}",
            "target_code": code,
            "principal_name": person,
            "contact_phone": f"1380791{seq % 10000:04d}",
            "registered_address": "南昌市红谷滩区丰和中大道1号",
            "business_scope": "教育咨询服务",
            "implementing_agency": "南昌市教育局",
            "implementation_date": d,
            "reason": "提交虚假材料骗取专业机构资格",
            "location": "南昌市",
        },
    }
    out = values[no]
    if no in (3, 5, 6):
        out = {**out, "business_date": d}
    return out
