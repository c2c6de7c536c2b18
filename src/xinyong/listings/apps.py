from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "xinyong.listings"
    verbose_name = "红黑名单"
