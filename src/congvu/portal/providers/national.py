"""`national`: the real Cổng DVCQG adapter. Endpoint and credentials are configuration
(`CONGVU_PORTAL_NATIONAL_ENDPOINT`, `_CLIENT_ID`, `_SECRET`); production refuses it without them and
refuses demo secrets (`congvu.common.production`).

The national integration document was not available when this was written: the adapter speaks the
same JSON protocol as the stand-in, authenticated by client id + secret headers. Which paths, headers
and envelope the national portal expects is UNCONFIRMED — adapt `_headers`/paths here once known.
"""

from __future__ import annotations

from congvu.portal.providers.http import HttpPortalProvider


class NationalPortalProvider(HttpPortalProvider):
    label = "Cổng Dịch vụ công quốc gia"

    def _headers(self) -> dict[str, str]:
        headers = super()._headers()
        headers["X-Client-Id"] = str(self.options.get("client_id") or "")
        headers["Authorization"] = f"Bearer {self.options.get('secret') or ''}"
        return headers
