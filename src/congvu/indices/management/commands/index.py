"""`congvu index validate FILE` · `export CODE [--version V]` · `load FILE... | --shipped` ·
`compute CODE --unit CODE_OR_EXACT_NAME --period 2023 [--json]` ·
`rank CODE --level commune --period 2023 [--json]` · `list`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError
from congvu.indices.scoring.periods import PeriodInvalid
from congvu.indices.scoring.tree import FrameworkInvalid


class Command(BaseCommand):
    help = ("Bộ chỉ số (766, PAR INDEX, DTI, SIPAS): kiểm tra (validate), xuất (export), nạp (load), "
            "tính điểm một đơn vị (compute), xếp hạng (rank), liệt kê (list).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        v = sub.add_parser("validate", help="Kiểm tra một tệp bộ chỉ số YAML (không ghi gì).")
        v.add_argument("file")
        e = sub.add_parser("export", help="Xuất một bộ chỉ số ra YAML (stdout).")
        e.add_argument("code")
        e.add_argument("--version", dest="fw_version")
        ld = sub.add_parser("load", help="Nạp (hoặc thay) bộ chỉ số từ tệp YAML.")
        ld.add_argument("files", nargs="*")
        ld.add_argument("--shipped", action="store_true", help="Nạp các bộ chỉ số kèm theo congvu (766, DTI, PAR, SIPAS).")
        c = sub.add_parser("compute", help="Điểm của một đơn vị trong một kỳ.")
        c.add_argument("code")
        c.add_argument("--unit", required=True, help="Mã đơn vị hoặc tên chính xác")
        c.add_argument("--period", required=True, help="2023, 2023-Q2 hoặc 2023-06")
        c.add_argument("--version", dest="fw_version")
        c.add_argument("--json", action="store_true")
        c.add_argument("--detail", action="store_true", help="Thêm số liệu, tử số, mẫu số, ngưỡng của từng chỉ số.")
        c.add_argument("--peers", choices=["province", "parent"], default="province",
                       help="Hạng trong các đơn vị cùng cấp của tỉnh (mặc định) hoặc của đơn vị cấp trên trực tiếp.")
        r = sub.add_parser("rank", help="Xếp hạng các đơn vị cùng cấp trong một kỳ.")
        r.add_argument("code")
        r.add_argument("--level", required=True, choices=["province", "department", "commune", "district"])
        r.add_argument("--period", required=True)
        r.add_argument("--within", help="Chỉ xếp hạng trong đơn vị này (mã hoặc tên), ví dụ một tỉnh")
        r.add_argument("--version", dest="fw_version")
        r.add_argument("--json", action="store_true")
        sub.add_parser("list", help="Các bộ chỉ số và phiên bản đã nạp.")

    def handle(self, *args, **opts):
        try:
            getattr(self, "_" + opts["sub"])(opts)
        except FrameworkInvalid as exc:
            lines = "\n".join(f"  - {e}" for e in exc.errors)
            raise CommandError(f"Bộ chỉ số không hợp lệ ({len(exc.errors)} lỗi):\n{lines}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except (LookupError, PeriodInvalid, ValueError) as exc:
            raise CommandError(str(exc.args[0] if exc.args else exc)) from exc

    # -------------------------------------------------------------- framework files

    def _read(self, path: str) -> str:
        p = Path(path)
        if not p.is_file():
            raise CommandError(f"Không có tệp {path}.")
        return p.read_text(encoding="utf-8")

    def _validate(self, opts):
        from congvu.indices.scoring.tree import framework_load_yaml, framework_validate
        from congvu.metrics.registry import metrics_catalogue

        fw = framework_load_yaml(self._read(opts["file"]))
        errors = framework_validate(fw, metrics=[m.name for m in metrics_catalogue()])
        if errors:
            raise FrameworkInvalid(errors)
        leaves = fw.leaves()
        self.stdout.write(f"Hợp lệ: {fw.code} phiên bản {fw.version}, {len(leaves)} chỉ số thành phần, "
                          f"tổng {fw.max_points:g} điểm.")

    def _export(self, opts):
        from congvu.indices.scoring.tree import framework_dump_yaml
        from congvu.indices.selectors import version_definition

        version = self._version(opts["code"], opts.get("fw_version"))
        self.stdout.write(framework_dump_yaml(version_definition(version=version)), ending="")

    def _load(self, opts):
        from congvu.indices.services import framework_load_text, frameworks_load_shipped

        if not opts["files"] and not opts["shipped"]:
            raise CommandError("Cho biết tệp cần nạp, hoặc --shipped.")
        loaded = frameworks_load_shipped() if opts["shipped"] else []
        for f in opts["files"]:
            loaded.append(framework_load_text(text=self._read(f)))
        for v in loaded:
            self.stdout.write(f"Đã nạp {v.framework.code} phiên bản {v.version} ({v.nodes.count()} chỉ số).")

    def _list(self, opts):
        from congvu.indices.models import FrameworkVersion

        for v in FrameworkVersion.objects.select_related("framework").order_by("framework__code", "-effective_from"):
            to = f"{v.effective_to:%d/%m/%Y}" if v.effective_to else "nay"
            tpl = " [khung mẫu]" if v.is_template else ""
            self.stdout.write(f"{v.framework.code:<10} {v.version:<12} {','.join(v.levels):<28} "
                              f"{v.effective_from:%d/%m/%Y}–{to} {float(v.max_points):g} điểm{tpl}  {v.framework.name}")

    def _version(self, code: str, version: str | None, day=None):
        from congvu.indices.selectors import FrameworkNotFound, version_for
        from congvu.indices.services import frameworks_load_shipped

        try:
            return version_for(code=code, day=day, version=version)
        except FrameworkNotFound:
            frameworks_load_shipped(codes=[code])  # a shipped framework not loaded yet
            return version_for(code=code, day=day, version=version)

    # -------------------------------------------------------------- scores

    def _compute(self, opts):
        from congvu.indices.scoring.periods import period_bounds
        from congvu.indices.selectors import unit_score
        from congvu.org.selectors import unit_resolve

        date_from, date_to = period_bounds(opts["period"])
        self._version(opts["code"], opts.get("fw_version"), day=date_to)
        unit = unit_resolve(opts["unit"], day=date_to)
        answer = unit_score(code=opts["code"], unit=unit, period=opts["period"], version=opts.get("fw_version"),
                            detail=opts["detail"], peers=opts.get("peers") or "province")
        if opts["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        pts = "không có số liệu" if answer["points"] is None else f"{answer['points']:g}/{answer['max_points']:g}"
        self.stdout.write(f"{answer['framework']} {answer['version']} · {answer['unit']} ({answer['unit_code']}) · "
                          f"kỳ {answer['period']}: {pts}"
                          + (f" ({answer['percent']:g}%)" if answer["percent"] is not None else "")
                          + (f", {answer['band']}" if answer["band"] else "")
                          + (f", hạng {answer['rank']} {answer['peers']['label'].replace('các ', 'trong các ', 1)}"
                             if answer["rank"] else ""))

        def show(nodes, depth):
            for n in nodes:
                val = "không có số liệu" if n["points"] is None else f"{n['points']:g}/{n['max_points']:g}"
                rate = "" if n["rate"] is None else f"  [{n['rate']:g}]"
                self.stdout.write(f"{'  ' * depth}{n['code']:<6} {n['name'][:70]:<70} {val}{rate}")
                show(n.get("children") or [], depth + 1)

        show(answer["nodes"], 1)

    def _rank(self, opts):
        from congvu.indices.scoring.periods import period_bounds
        from congvu.indices.selectors import units_ranking
        from congvu.org.selectors import unit_resolve

        date_from, date_to = period_bounds(opts["period"])
        self._version(opts["code"], opts.get("fw_version"), day=date_to)
        within = unit_resolve(opts["within"], day=date_to) if opts.get("within") else None
        answer = units_ranking(code=opts["code"], level=opts["level"], period=opts["period"],
                               version=opts.get("fw_version"), within=within)
        if opts["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{answer['framework']} {answer['version']} · cấp {answer['level']} · kỳ {answer['period']}: "
                          f"{answer['ranked']}/{answer['units']} đơn vị có số liệu")
        for row in answer["ranking"]:
            if row["rank"] is None:
                continue
            self.stdout.write(f"{row['rank_label']:>8}  {row['unit'][:60]:<60} {row['points']:>7g} "
                              f"{row['percent']:>6g}%  {row['band'] or ''}")
