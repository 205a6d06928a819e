"""Errors of the rule engine. Each carries a Vietnamese message fit to show a person as is."""

from __future__ import annotations


class RulesError(ValueError):
    """Base class: the message is Vietnamese and complete (the CLI prints it and exits 2)."""


class RuleDataError(RulesError):
    """A rule-set, base-salary or province override file is broken; nothing is loaded from it."""


class FactsError(RulesError):
    """The facts describing a candidate cannot be read (bad date, unknown rating word ...)."""


class UnknownTitle(RulesError):
    """A title code that is not in TITLES, or a title the rule set in force does not know."""
