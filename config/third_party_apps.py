"""Chinese names for third-party apps whose admin shows English (the admin showed "AXES", "OTP_TOTP", "Created at").

The packages' field labels, model names and object names are hard-coded English (django-otp) or English f-strings
(django-axes' ``__str__``): they are named here, once, when the apps are ready. Only ``verbose_name`` is set on a
field (``Field.deconstruct`` reports the original, so no migration follows); help texts, which migrations do track,
are given by the admin forms (``accounts.admin``).
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig as CeleryBeatConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig

# django-otp's Device fields (both kinds of device) and the TOTP device's own.
OTP_DEVICE_FIELD_NAMES = {
    "user": _("用户"),
    "name": _("设备名称"),
    "confirmed": _("已确认"),
    "created_at": _("创建时间"),
    "last_used_at": _("最近使用时间"),
    "throttling_failure_timestamp": _("最近一次验证失败时间"),
    "throttling_failure_count": _("连续验证失败次数"),
}
TOTP_FIELD_NAMES = {
    "key": _("密钥"),
    "step": _("时间步长（秒）"),
    "t0": _("起始时间（t0）"),
    "digits": _("口令位数"),
    "tolerance": _("容许偏差（步）"),
    "drift": _("时钟漂移（步）"),
    "last_t": _("最近验证的时间步"),
}


def _name_model(model, name) -> None:
    """django-otp names its models in English without gettext: name them here."""
    model._meta.verbose_name = model._meta.verbose_name_plural = name


def _name_fields(model, names) -> None:
    for field in model._meta.get_fields():
        if field.name in names and hasattr(field, "verbose_name"):
            field.verbose_name = names[field.name]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _access_attempt_str(self) -> str:
    return gettext("登录失败记录：%(user)s，%(time)s") % {
        "user": self.username or "-",
        "time": _when(self.attempt_time),
    }


def _access_log_str(self) -> str:
    return gettext("登录日志：%(user)s，%(time)s") % {"user": self.username or "-", "time": _when(self.attempt_time)}


def _access_failure_log_str(self) -> str:
    text = gettext("登录失败：%(user)s，%(time)s，来自 %(ip)s") % {
        "user": self.username or "-",
        "time": _when(self.attempt_time),
        "ip": self.ip_address or "-",
    }
    return text + (gettext("（已锁定）") if self.locked_out else "")


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录失败与锁定")

    def ready(self):
        super().ready()
        # django-axes' objects name themselves with English f-strings ("Failed access: user … from …"), shown as the
        # title, breadcrumb and delete confirmation of their admin pages.
        self.get_model("AccessAttempt").__str__ = _access_attempt_str
        self.get_model("AccessLog").__str__ = _access_log_str
        self.get_model("AccessFailureLog").__str__ = _access_failure_log_str


class TOTPConfig(TOTPDefaultConfig):
    verbose_name = _("动态口令（TOTP）设备")

    def ready(self):
        super().ready()
        model = self.get_model("TOTPDevice")
        _name_model(model, _("动态口令设备"))
        _name_fields(model, OTP_DEVICE_FIELD_NAMES | TOTP_FIELD_NAMES)


class StaticOTPConfig(StaticDefaultConfig):
    verbose_name = _("备用口令设备")

    def ready(self):
        super().ready()
        device = self.get_model("StaticDevice")
        _name_model(device, _("备用口令设备"))
        _name_fields(device, OTP_DEVICE_FIELD_NAMES)
        token = self.get_model("StaticToken")
        _name_model(token, _("备用口令"))
        _name_fields(token, {"device": _("设备"), "token": _("口令")})


class BeatConfig(CeleryBeatConfig):
    def ready(self):
        super().ready()
        # The one label django-celery-beat hard-codes ("Task Name": the form, the list filter, the schedules' inline).
        _name_fields(self.get_model("PeriodicTask"), {"task": _("任务")})
