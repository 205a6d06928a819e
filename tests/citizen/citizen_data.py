"""Sample file contents and local times shared by the citizen tests."""

import datetime as dt
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 200
ZIP = b"PK\x03\x04" + b"\x00" * 200
