"""Pages of the one-stop desk (namespace "onestop"): queue, receipt, dossier page with its actions,
"my steps", bulk return, live figures. Thin: reads go through `congvu.onestop.selectors`, writes
through `congvu.onestop.services`, permissions through `congvu.org.policy`."""
