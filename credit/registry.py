"""Item number → typed record model. Metadata only: the record form generated from it is
``credit.forms.form_for_item``, which imports this module (never the other way round)."""

from credit import models as m

ITEM_MODELS: dict[int, type[m.Record]] = {
    model.ITEM_NO: model
    for model in (
        m.TeacherQualificationRecord,
        m.SchoolPenaltyRecord,
        m.InstitutionRecord,
        m.ModelSchoolRecord,
        m.TutoringInspectionRecord,
        m.AdvancedCollectiveRecord,
        m.AdvancedWorkerRecord,
        m.TeacherPenaltyRecord,
        m.FalseRegistrationRecord,
        m.QualificationFraudRecord,
    )
}


def model_for_item(no: int) -> type[m.Record]:
    return ITEM_MODELS[no]
