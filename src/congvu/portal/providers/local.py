"""`local`: the `congvu fakeportal` stand-in on this machine (demo, tests)."""

from __future__ import annotations

from congvu.portal.providers.http import HttpPortalProvider


class LocalPortalProvider(HttpPortalProvider):
    label = "Cổng DVCQG giả lập (congvu fakeportal)"

    def _headers(self) -> dict[str, str]:
        headers = super()._headers()
        if self.options.get("token"):
            headers["Authorization"] = f"Bearer {self.options['token']}"
        return headers
