"""Files of an online filing kept across a failed submit (issue 15).

A citizen who attached five documents and mistyped a phone number must not attach them again. The
files that passed their own check are kept in the default storage under the form's single-use token
(hashed: the path says nothing), and the next submit of the same form uses them for the components it
does not re-attach. They are checked again, like any upload, when the filing is created; the stash is
removed once the filing succeeds, and `stash_sweep` removes stashes older than a day (the form token's
lifetime).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = "citizen/stash"


def _dir(token: str) -> str:
    return f"{ROOT}/{hashlib.sha256(token.encode()).hexdigest()[:40]}"


def stash_save(token: str, uploads: Mapping[int, Any]) -> None:
    """Keep `uploads` ({component id: uploaded file}) for the form `token`, replacing earlier ones."""
    if not token:
        return
    base = _dir(token)
    names = stash_names(token)
    for pk, upload in uploads.items():
        upload.seek(0)
        path = f"{base}/{int(pk)}.bin"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(upload.read()))
        upload.seek(0)
        names[str(int(pk))] = {"name": upload.name or "tep", "type": getattr(upload, "content_type", "") or ""}
    meta = f"{base}/meta.json"
    if default_storage.exists(meta):
        default_storage.delete(meta)
    default_storage.save(meta, ContentFile(json.dumps(names, ensure_ascii=False).encode()))


def stash_names(token: str) -> dict[str, dict[str, str]]:
    """{component id (str): {"name", "type"}} kept for `token`."""
    meta = f"{_dir(token)}/meta.json" if token else ""
    if not token or not default_storage.exists(meta):
        return {}
    with default_storage.open(meta) as fh:
        return json.loads(fh.read().decode())


def stash_files(token: str, component_ids: Iterable[int]) -> dict[int, SimpleUploadedFile]:
    """The kept files of `token` for `component_ids`, as uploads the filing service accepts."""
    names = stash_names(token)
    out: dict[int, SimpleUploadedFile] = {}
    for pk in component_ids:
        info = names.get(str(pk))
        path = f"{_dir(token)}/{pk}.bin"
        if info and default_storage.exists(path):
            with default_storage.open(path) as fh:
                out[pk] = SimpleUploadedFile(info["name"], fh.read(), content_type=info.get("type") or None)
    return out


def stash_clear(token: str) -> None:
    if not token:
        return
    base = _dir(token)
    try:
        _dirs, files = default_storage.listdir(base)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{base}/{name}")


def stash_sweep(*, today: dt.date | None = None, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Remove stashes older than `older_than` (daily job); returns how many were removed."""
    from django.utils import timezone

    now = timezone.now()
    try:
        dirs, _files = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in dirs:
        meta = f"{ROOT}/{name}/meta.json"
        try:
            when = default_storage.get_modified_time(meta)
        except (FileNotFoundError, OSError):
            continue
        if now - when > older_than:
            _subdirs, files = default_storage.listdir(f"{ROOT}/{name}")
            for f in files:
                default_storage.delete(f"{ROOT}/{name}/{f}")
            removed += 1
    return removed
