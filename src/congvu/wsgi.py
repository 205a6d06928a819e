import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings")
application = get_wsgi_application()

# Production never serves with a demo payment provider or a demo secret (congvu.common.production).
from django.conf import settings  # noqa: E402

from congvu.common.production import enforce  # noqa: E402

enforce(settings)
