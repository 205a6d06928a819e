"""The metrics catalogue: named live figures per unit and period that every domain app contributes
(one-stop, payments, citizen ratings and PAKN, directives, portal sync) and that the indices read.

A bottom-floor registry: it imports no domain app. Each app registers its providers from its
AppConfig.ready() (`congvu.metrics.registry.provider_register`); `indices` and `emulation` read
values through `congvu.metrics.selectors.metric_values`. See docs/metrics.md.
"""
