"""Leaf 1.4 of `congvu index compute 766` equals the stand-in's acknowledged count over dossiers."""

import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from congvu.onestop import services as s
from congvu.portal.services import portal_send

pytestmark = pytest.mark.django_db


def _leaf(node, code):
    if node.get("code") == code:
        return node
    for child in node.get("children", []) or []:
        found = _leaf(child, code)
        if found:
            return found
    return None


def test_leaf_1_4_is_what_the_portal_acknowledged(fakeportal, receive, district, capsys):
    ds = [receive() for _ in range(5)]
    s.dossier_transfer(dossier=ds[0])
    fakeportal.control(reject_next=1)
    portal_send()
    acknowledged_receipts = sum(1 for d in ds if any(a["sequence"] == 1 for a in fakeportal.arrivals(d.pk)))
    call_command("index", "load", "--shipped")
    capsys.readouterr()
    period = timezone.localdate().strftime("%Y-%m")
    call_command("index", "compute", "766", "--unit", district.code, "--period", period, "--json", "--detail")
    out = json.loads(capsys.readouterr().out)
    leaf = _leaf(out if "code" in out else {"children": out.get("nodes") or out.get("tree") or [out]}, "1.4")
    assert leaf is not None, out
    text = json.dumps(leaf)
    assert acknowledged_receipts == 4
    assert '"numerator": 4' in text.replace(".0", "") and '"denominator": 5' in text.replace(".0", ""), text
