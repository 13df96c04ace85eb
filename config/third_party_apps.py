"""Chinese names for third-party apps that give their admin section none (the admin showed "AXES", "OTP_TOTP")."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录失败与锁定")


def _name_model(model, name) -> None:
    """django-otp names its models in English without gettext: name them here."""
    model._meta.verbose_name = model._meta.verbose_name_plural = name


class TOTPConfig(TOTPDefaultConfig):
    verbose_name = _("动态口令（TOTP）设备")

    def ready(self):
        super().ready()
        _name_model(self.get_model("TOTPDevice"), _("动态口令设备"))


class StaticOTPConfig(StaticDefaultConfig):
    verbose_name = _("备用口令设备")

    def ready(self):
        super().ready()
        _name_model(self.get_model("StaticDevice"), _("备用口令设备"))
