"""Static files storage: WhiteNoise's hashed, compressed manifest storage that never breaks a page.

After `collectstatic` (`congvu serve --setup`, `make run`, deployments) every `{% static %}` URL carries
its content hash, WhiteNoise serves those files compressed (gzip/brotli) with a one-year immutable
cache lifetime. A name missing from the manifest (no collectstatic yet: tests, a fresh checkout, a file
added since) falls back to its plain name, which WhiteNoise serves from the app's static folders."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected: the plain name (served by the finders)
            return name
