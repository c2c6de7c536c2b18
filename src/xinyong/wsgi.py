import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

application = get_wsgi_application()

from xinyong.deployment import refuse_default_secret_key  # noqa: E402  (needs settings loaded)

refuse_default_secret_key()
