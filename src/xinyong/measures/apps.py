from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "xinyong.measures"
    verbose_name = "奖惩措施"
