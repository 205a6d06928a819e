"""`congvu emulation check|reward` — the rule engine from the command line, without Django.

    congvu emulation check --facts FILE.json --title CSTDCS --year 2024 [--decided 2024-12-20] [--json]
    congvu emulation check --person ID | --unit CODE --title ... --year ...   (reads the database)
    congvu emulation reward --title LDTT --decided 2024-12-20 [--kind person|collective] [--json]
    congvu emulation rules [--date 2024-12-20] [--json]     (the rule set in force: conditions, procedure)

`--config FILE.yaml` (or $CONGVU_EMULATION_CONFIG) applies a province override file.
Exit codes: 0 done, 2 bad input (a Vietnamese message on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .engine import VERDICT_VI, Verdict, evaluate
from .errors import FactsError, RulesError
from .facts import parse_date, parse_year
from .money import Reward, reward
from .ruleset import CONFIDENCE, RuleBook, load_rule_sets, resolve_book
from .titles import KINDS, TITLES

# Loads a candidate's facts from the database: (person_id, unit_code, year) -> facts mapping.
DbFacts = Callable[[str | None, str | None, int], Mapping[str, Any]]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own English text, but our exit code and a hint
        self.print_usage(sys.stderr)
        print(f"Lỗi: tham số không hợp lệ: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="congvu emulation", description="Xét điều kiện danh hiệu thi đua, hình thức khen thưởng "
                                                     "và tính tiền thưởng (Luật TĐKT 2022).")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    check = sub.add_parser("check", help="xét một ứng viên theo một danh hiệu")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--facts", metavar="FILE.json", help="dữ liệu ứng viên (JSON; '-' là đọc từ stdin)")
    source.add_argument("--person", metavar="ID", help="mã cá nhân trong cơ sở dữ liệu")
    source.add_argument("--unit", metavar="CODE", help="mã đơn vị (tập thể) trong cơ sở dữ liệu")
    check.add_argument("--title", required=True, help="mã danh hiệu: " + ", ".join(TITLES))
    check.add_argument("--year", required=True, help="năm xét")
    check.add_argument("--decided", metavar="YYYY-MM-DD", help="ngày quyết định (sáng kiến công nhận sau ngày này không tính)")
    check.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    check.add_argument("--config", metavar="FILE.yaml", help="tệp cấu hình của tỉnh")
    money = sub.add_parser("reward", help="tính tiền thưởng")
    money.add_argument("--title", required=True, help="mã danh hiệu: " + ", ".join(TITLES))
    money.add_argument("--decided", required=True, metavar="YYYY-MM-DD", help="ngày ký quyết định khen thưởng")
    money.add_argument("--kind", choices=KINDS, help="cá nhân (person) hay tập thể (collective)")
    money.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    money.add_argument("--config", metavar="FILE.yaml", help="tệp cấu hình của tỉnh")
    rules = sub.add_parser("rules", help="bộ quy tắc có hiệu lực: điều kiện, hồ sơ, biểu quyết, thẩm quyền")
    rules.add_argument("--date", metavar="YYYY-MM-DD", help="ngày (mặc định: hôm nay)")
    rules.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    rules.add_argument("--config", metavar="FILE.yaml", help="tệp cấu hình của tỉnh")
    return p


def main(argv: list[str], db_facts: DbFacts | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        book = _book(args.config)
        if args.command == "check":
            return _check(args, book, db_facts)
        if args.command == "reward":
            return _reward(args, book)
        return _rules(args, book)
    except RulesError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


def _book(path: str | None) -> RuleBook:
    if path is None:
        return resolve_book(None)
    return load_rule_sets(override=path)


def _title(code: str) -> str:
    code = code.strip().upper()
    if code not in TITLES:
        raise RulesError(f"Mã danh hiệu không hợp lệ: {code!r} (dùng {', '.join(TITLES)})")
    return code


def _read_facts(path: str) -> Any:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
    except FileNotFoundError:
        raise FactsError(f"Không tìm thấy tệp dữ liệu: {path}") from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as exc:
        raise FactsError(f"Không đọc được tệp dữ liệu {path}: {exc.__class__.__name__}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactsError(f"Tệp {path} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}") from None


def _db_facts_default(person: str | None, unit: str | None, year: int) -> Mapping[str, Any]:
    raise FactsError("Đọc dữ liệu từ cơ sở dữ liệu (--person/--unit) cần chạy qua lệnh quản trị của Django: "
                     "congvu emulation check --person ID ...")


def _check(args: argparse.Namespace, book: RuleBook, db_facts: DbFacts | None) -> int:
    title = _title(args.title)
    year = parse_year(args.year, "--year")
    decided = parse_date(args.decided, "--decided") if args.decided else None
    if args.facts is not None:
        facts = _read_facts(args.facts)
    else:
        facts = (db_facts or _db_facts_default)(args.person, args.unit, year)
    verdict = evaluate(facts, title, year, config=book, decided=decided)
    if args.json:
        sys.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(summary(verdict, book))
    return 0


def _reward(args: argparse.Namespace, book: RuleBook) -> int:
    title = _title(args.title)
    decided = parse_date(args.decided, "--decided")
    result = reward(title, decided, args.kind, config=book)
    if args.json:
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(reward_summary(result))
    return 0


def _rules(args: argparse.Namespace, book: RuleBook) -> int:
    day = parse_date(args.date, "--date") if args.date else dt.date.today()
    rs = book.for_date(day)
    if args.json:
        sys.stdout.write(json.dumps(rs.as_dict(), ensure_ascii=False, indent=1) + "\n")
        return 0
    lines = [f"Bộ quy tắc {rs.id}: {rs.name}", f"Hiệu lực từ {rs.effective_from:%d/%m/%Y}"
             + (f" đến {rs.effective_to:%d/%m/%Y}" if rs.effective_to else "")]
    for code, rules in rs.titles.items():
        lines.append("")
        lines.append(f"{rules.title.name_vi} ({code})")
        for kind in rules.kinds:
            lines.append(f"  {'Cá nhân' if kind == 'person' else 'Tập thể'}:")
            for c in rules.variants[kind]:
                lines.append(f"    - {c.text} [{c.article}] {CONFIDENCE[c.confidence]}")
        ballot = "bỏ phiếu kín" if rules.ballot == "secret" else "biểu quyết công khai"
        cmp = "trên" if rules.approval_strict else "từ"
        lines.append(f"  Hội đồng: {ballot}, {cmp} {_num(rules.approval_percent)}% tổng số thành viên đồng ý")
        if rules.disclosure_required:
            lines.append(f"  Công khai {rules.disclosure_working_days} ngày làm việc trước khi Hội đồng họp")
        lines.append("  Hồ sơ: " + "; ".join(d.name + ("" if d.required else " (nếu có)") for d in rules.dossier))
        if rules.authorities:
            lines.append("  Thẩm quyền: " + "; ".join(rs.authority[a].name for a in rules.authorities))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _money(amount: int | Decimal) -> str:
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".") + " đ"
    whole, frac = f"{value:,.2f}".split(".")
    return whole.replace(",", ".") + "," + frac + " đ"


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def summary(v: Verdict, book: RuleBook | None = None) -> str:
    """A short Vietnamese account of a verdict for a person at a terminal."""
    title = TITLES[v.title]
    lines = [f"Danh hiệu: {title.name_vi} ({v.title}) — năm {v.year}"]
    if book is not None:
        rs = book.get(v.rule_set)
        lines.append(f"Bộ quy tắc: {rs.id} ({rs.name})")
    else:
        lines.append(f"Bộ quy tắc: {v.rule_set}")
    lines.append(f"Kết luận: {VERDICT_VI[v.verdict].upper()}")
    lines.append("Điều kiện:")
    for c in v.conditions:
        mark = "[✓]" if c.met else ("[?]" if c.met is None else "[✗]")
        lines.append(f"  {mark} {c.text}")
        lines.append(f"      Căn cứ: {c.article}" + ("" if c.confidence == "verified" else f" {CONFIDENCE[c.confidence]}"))
        if c.detail:
            lines.append(f"      {c.detail}")
    if v.notes:
        lines.append("Ghi chú:")
        lines.extend(f"  - {n}" for n in v.notes)
    return "\n".join(lines) + "\n"


def reward_summary(r: Reward) -> str:
    who = "tập thể" if r.kind == "collective" else "cá nhân"
    exact = r.coefficient * r.base_salary
    return (f"Tiền thưởng {TITLES[r.title].name_vi} ({who}), quyết định ngày {r.decided:%d/%m/%Y}:\n"
            f"  {_num(r.coefficient)} × {_money(r.base_salary)} (mức lương cơ sở) = {_money(exact)}\n"
            f"  Làm tròn lên hàng chục nghìn: {_money(r.amount)}\n"
            f"  Bộ quy tắc: {r.rule_set}; lương cơ sở theo {r.base_salary_source.split(' — ')[0]}\n")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
