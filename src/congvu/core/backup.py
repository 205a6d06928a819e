"""Backup and restore of one installation: the database and the uploaded files (issue 13).

A backup is one tar.gz:

    manifest.json           format, vendor, time, Django version, every media file with size and SHA-256
    database.sqlite3        SQLite: a consistent copy through SQLite's online backup API
    database.pgdump         PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`)
    media/...               MEDIA_ROOT as it was

Values are copied byte for byte (no dumpdata/loaddata): timestamps keep their microseconds, so the
audit chain's hashes still verify after a restore (`congvu audit verify`). A restore replaces the
database and MEDIA_ROOT with the backup's; it refuses a backup of another database vendor and a file
whose media does not match its manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (Vietnamese)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    conf = connection.settings_dict
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    return env, args


def _run(cmd: list[str], env: dict[str, str]) -> None:
    tool = cmd[0]
    if shutil.which(tool) is None:
        raise BackupError(f"Thiếu công cụ {tool} (gói Debian postgresql-client).")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=6 * 3600)
    if done.returncode != 0:
        raise BackupError(f"{tool} thất bại: {done.stderr.strip()[:2000]}")


def _dump_database(workdir: Path) -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(workdir / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        return "database.sqlite3"
    if vendor == "postgresql":
        env, args = _pg_env_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", *args, "-f", str(workdir / "database.pgdump"),
              connection.settings_dict["NAME"]], env)
        return "database.pgdump"
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")


def backup_create(path: str | Path) -> dict[str, Any]:
    """Write a backup of the database and MEDIA_ROOT to `path` (tar.gz); returns the manifest."""
    path = Path(path)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="congvu-backup-") as tmp:
        workdir = Path(tmp)
        db_member = _dump_database(workdir)
        files = []
        if media.exists():
            for file in sorted(p for p in media.rglob("*") if p.is_file()):
                files.append({"path": file.relative_to(media).as_posix(), "size": file.stat().st_size,
                              "sha256": _sha256(file)})
        manifest = {"format": FORMAT, "vendor": connection.vendor, "database": db_member,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(), "django": django.get_version(),
                    "media": files}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(workdir / db_member, arcname=db_member)
            for item in files:
                tar.add(media / item["path"], arcname=f"media/{item['path']}")
        partial.replace(path)  # a crash mid-way never leaves a truncated file under the real name
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member else None
    except (KeyError, json.JSONDecodeError) as exc:
        raise BackupError("Tệp không phải bản sao lưu congvu (thiếu manifest.json).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu có định dạng không được hỗ trợ.")
    return manifest


def _restore_database(workdir: Path, manifest: dict[str, Any]) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"Bản sao lưu là cơ sở dữ liệu {manifest['vendor']}, cấu hình hiện tại là "
                          f"{connection.vendor}; không khôi phục chéo được.")
    source = workdir / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(source)
        with src:
            src.backup(connection.connection)
        src.close()
        return
    env, args = _pg_env_args()
    connection.close()  # pg_restore drops and recreates tables: no lock held by us
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
          *args, "-d", connection.settings_dict["NAME"], str(source)], env)


def backup_restore(path: str | Path) -> dict[str, Any]:
    """Replace the database and MEDIA_ROOT with the backup at `path`; returns its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="congvu-restore-", dir=media.parent if media.parent.exists() else None) \
            as tmp:
        workdir = Path(tmp)
        try:
            with tarfile.open(path, "r:*") as tar:
                manifest = _read_manifest(tar)
                tar.extractall(workdir, filter="data")  # refuses absolute paths, "..", devices, links out
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"Không đọc được tệp sao lưu: {exc}") from exc
        staged = workdir / "media"
        staged.mkdir(exist_ok=True)
        for item in manifest["media"]:
            file = staged / item["path"]
            if not file.is_file() or _sha256(file) != item["sha256"]:
                raise BackupError(f"Tệp {item['path']} trong bản sao lưu bị thiếu hoặc hỏng; chưa khôi phục gì.")
        _restore_database(workdir, manifest)
        old = media.with_name(media.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old)
        if media.exists():
            media.rename(old)
        media.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), str(media))
        if old.exists():
            shutil.rmtree(old)
    return manifest
