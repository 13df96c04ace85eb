from credit import fields
from credit.models import Record


class TutoringPenaltyRecord(Record, item=12):
    """12. 校外培训机构违规处罚信息 (a throwaway item: all it declares is its item and each field's type)."""

    org_name = fields.text()
    org_code = fields.org_code()
    principal = fields.person_name()
    contact_phone = fields.phone()
    violation = fields.long_text()
    severity = fields.enum()
    decision_number = fields.text(max_length=100)
    penalty_content = fields.long_text()
    penalty_date = fields.date()
    penalty_authority = fields.text()
    licence_year = fields.year()
