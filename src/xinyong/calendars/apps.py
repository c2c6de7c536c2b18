from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "xinyong.calendars"
    verbose_name = "工作日历"
