"""Loading framework files: the shipped 766 loads into versioned rows, exports back identically, and
a broken file is refused naming the node, with nothing written."""

from pathlib import Path

import pytest

from congvu.indices.models import Framework, FrameworkVersion, Node
from congvu.indices.scoring.tree import FrameworkInvalid, framework_dump_yaml, framework_load_yaml
from congvu.indices.selectors import version_definition, version_for
from congvu.indices.services import framework_load_text

DATA = Path(__file__).resolve().parents[2] / "src" / "congvu" / "indices" / "data"


def test_indices_766_loads_and_exports_back(db):
    text = (DATA / "766.yaml").read_text(encoding="utf-8")
    version = framework_load_text(text=text)
    assert version.framework.code == "766"
    assert float(version.max_points) == 100
    groups = list(Node.objects.filter(version=version, parent=None).values_list("code", "max_points"))
    assert [(c, float(m)) for c, m in groups] == [("1", 18), ("2", 20), ("3a", 12), ("3b", 10), ("4", 22), ("5", 18)]
    leaf = Node.objects.get(version=version, code="2.1")
    assert (leaf.method, leaf.metric, float(leaf.threshold), leaf.threshold_assumed) == (
        "live", "onestop.on_time_rate", 100, True)
    assert float(Node.objects.get(version=version, code="5.4").threshold) == 90
    # export → load gives the same definition; loading the same text twice changes nothing
    again = framework_load_yaml(framework_dump_yaml(version_definition(version=version)))
    assert again == framework_load_yaml(text)
    assert framework_load_text(text=text).pk == version.pk
    assert version_for(code="766").pk == version.pk


def test_indices_broken_file_refused_naming_node(db):
    text = (DATA / "766.yaml").read_text(encoding="utf-8").replace("max_points: 20\n    children", "max_points: 21\n    children")
    with pytest.raises(FrameworkInvalid) as exc:
        framework_load_text(text=text)
    assert any(e.code == "2" for e in exc.value.errors)
    assert "[2]" in str(exc.value)
    assert not Framework.objects.exists() and not FrameworkVersion.objects.exists()
