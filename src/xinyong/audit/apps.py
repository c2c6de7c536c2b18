from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xinyong.audit"
    verbose_name = "审计"
