"""Domain settings of the credit portal."""

from config.env import env

# The bureau's own identity, used as 数据来源单位 / 处罚机关 in national 双公示 exports.
BUREAU_NAME = env("BUREAU_NAME", default="南昌市教育局")
BUREAU_CREDIT_CODE = env("BUREAU_CREDIT_CODE", default="113601000145008695")
# Date cells of the national 双公示 export (strftime): YYYY-MM-DD as the 2021 standard's implementations use; some
# provincial importers want "%Y/%m/%d".
DOUBLE_PUBLICITY_DATE_FORMAT = env("DOUBLE_PUBLICITY_DATE_FORMAT", default="%Y-%m-%d")

# 一年两次: the semiannual reporting periods of items reported twice a year, as (month, day) of each period's due date.
SEMIANNUAL_DUE_DATES = [(6, 30), (12, 31)]
# A semiannual due date that falls on a weekend or holiday moves back to the last working day before it (on by
# default: an office cannot be expected to report on a day the bureau is closed, and moving back never makes a report
# late that the rule would accept). Off: the period's last calendar day, whatever day it is.
SEMIANNUAL_DUE_ON_WORKING_DAY = env.bool("SEMIANNUAL_DUE_ON_WORKING_DAY", default=True)

# Records are valid for five years from their business date (Annex 1 有效期限 五年).
RECORD_VALIDITY_YEARS = 5

# Where reminder e-mails send clerks (the workspace's public address).
WORKSPACE_URL = env("WORKSPACE_URL", default="http://localhost:8000/workspace/")

# Reminders go out this many working days before a record's due date.
REMINDER_WORKING_DAYS = env.int("REMINDER_WORKING_DAYS", default=3)

# Key of the personal-identifier encryption (credit.crypto): 64 random bytes, URL-safe base64. Required in production;
# elsewhere a key is derived from SECRET_KEY. Generate one with:
#   python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(64)).decode())"
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")

# The TrueType CJK font the public 信用报告 PDF embeds (vetting.services.reports): Debian's fonts-wqy-zenhei by default.
CREDIT_REPORT_FONT = env("CREDIT_REPORT_FONT", default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

# Credit evaluation (信用评价) grades of organisations: (lowest score, grade) from the top; below the last, the lowest.
CREDIT_EVALUATION_GRADES = ((90, "A"), (75, "B"), (60, "C"))
CREDIT_EVALUATION_LOWEST_GRADE = "D"
# Whether an evaluated organisation's public page (/org/<code>/) shows its grade (the grade and its date only; the
# reasons stay with staff). Off by default: publishing grades is the bureau's decision.
CREDIT_EVALUATION_PUBLIC = env.bool("CREDIT_EVALUATION_PUBLIC", default=False)
