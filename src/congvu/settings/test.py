"""Settings for the test suite: same database selection (DATABASE_URL), faster hashing."""

from congvu.settings.base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests never write into the real var/media: one temporary MEDIA_ROOT per test run, removed at exit.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="congvu-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# No stale `collectstatic` manifest from a local `make run`: tests see the plain static names.
STATIC_ROOT = tempfile.mkdtemp(prefix="congvu-test-static-")
atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)

# The national-portal sender talks to nothing unless a test starts the stand-in (tests/fakeportal_proc.py):
# a developer's `congvu fakeportal` on the default port must not receive the suite's records.
CONGVU_PORTAL_PROVIDER = ""
