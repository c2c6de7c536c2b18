import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

application = get_wsgi_application()

from xinyong.deployment import (  # noqa: E402  (needs settings loaded)
    CheckedAtFirstRequest,
    guard_the_served_application,
)

# Whatever server loads the application, and however it was started: serve's refusals, and
# under gunicorn its logs masked (R14); with the database out of reach, made before the first
# request it answers.
if not guard_the_served_application():
    application = CheckedAtFirstRequest(application)
