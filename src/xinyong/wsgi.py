import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

application = get_wsgi_application()

from xinyong.deployment import guard_the_served_application  # noqa: E402  (needs settings loaded)

# Whatever server loads the application, and however it was started: serve's refusals, and
# under gunicorn its logs masked (R14).
guard_the_served_application()
