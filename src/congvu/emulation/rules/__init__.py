"""The rule engine (pure: no Django import): titles and forms of the Law on Emulation and
Commendation 2022 and its decrees as versioned rule sets in data.

    from congvu.emulation.rules import evaluate, rule_set_for, reward, may_award, apply_caps, TITLES
    v = evaluate({"kind": "person", ...}, title="CSTDCS", year=2024)   # -> Verdict
    rs = rule_set_for(date(2024, 12, 20)); rs.title_rules("CSTDCS").ballot   # procedure data

See docs/emulation-rules.md.
"""

from .engine import (
    ELIGIBLE,
    NEEDS_INFORMATION,
    NOT_ELIGIBLE,
    VERDICT_VI,
    Condition,
    Verdict,
    apply_caps,
    cap_allowance,
    evaluate,
    evaluate_all,
    may_award,
    rule_set_for,
)
from .errors import FactsError, RuleDataError, RulesError, UnknownTitle
from .facts import (
    DISCIPLINE_FORMS,
    RATING_LEVELS,
    RATING_VI,
    SCOPES,
    Facts,
    discipline_code,
    parse_facts,
    rating_code,
    scope_code,
)
from .money import Reward, reward
from .ruleset import (
    ENV_OVERRIDE,
    Authority,
    BaseSalary,
    Cap,
    DossierItem,
    RewardRule,
    RuleBook,
    RuleSet,
    TitleRules,
    default_book,
    load_rule_sets,
)
from .titles import COLLECTIVE, PERSON, TITLES, Title

__all__ = [
    "COLLECTIVE", "DISCIPLINE_FORMS", "ELIGIBLE", "ENV_OVERRIDE", "NEEDS_INFORMATION", "NOT_ELIGIBLE", "PERSON", "RATING_LEVELS", "RATING_VI", "SCOPES", "TITLES", "VERDICT_VI",
    "Authority", "BaseSalary", "Cap", "Condition", "DossierItem", "Facts", "FactsError", "Reward", "RewardRule",
    "RuleBook", "RuleDataError", "RuleSet", "RulesError", "Title", "TitleRules", "UnknownTitle", "Verdict",
    "apply_caps", "cap_allowance", "default_book", "discipline_code", "evaluate", "evaluate_all", "load_rule_sets",
    "may_award", "parse_facts", "rating_code", "reward", "rule_set_for", "scope_code",
]
