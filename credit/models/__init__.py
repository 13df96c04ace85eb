from credit.models.calendar import CalendarDay, CalendarYear, DayKind
from credit.models.catalog import DeadlineKind, Item, ItemField, Office, Publicity
from credit.models.counts import RecordCount
from credit.models.lifecycle import ChangeStatus, EventAction, Notice, NoticeKind, RecordChange, RecordEvent
from credit.models.records import (
    AdvancedCollectiveRecord,
    AdvancedWorkerRecord,
    FalseRegistrationRecord,
    InstitutionRecord,
    ModelSchoolRecord,
    QualificationFraudRecord,
    Record,
    RecordStatus,
    SchoolPenaltyRecord,
    TeacherPenaltyRecord,
    TeacherQualificationRecord,
    TutoringInspectionRecord,
)
from credit.models.subjects import Subject, SubjectKind

__all__ = [
    "AdvancedCollectiveRecord",
    "AdvancedWorkerRecord",
    "CalendarDay",
    "CalendarYear",
    "ChangeStatus",
    "EventAction",
    "DayKind",
    "DeadlineKind",
    "FalseRegistrationRecord",
    "InstitutionRecord",
    "Item",
    "ItemField",
    "ModelSchoolRecord",
    "Notice",
    "NoticeKind",
    "Office",
    "Publicity",
    "QualificationFraudRecord",
    "Record",
    "RecordChange",
    "RecordCount",
    "RecordEvent",
    "RecordStatus",
    "SchoolPenaltyRecord",
    "Subject",
    "SubjectKind",
    "TeacherPenaltyRecord",
    "TeacherQualificationRecord",
    "TutoringInspectionRecord",
]
