"""The `congvu` console command.

Every Django management command works as `congvu <command>`; `congvu extract` runs without Django
(and without a database) so that it starts fast and works anywhere; give it the installation's
units with `congvu registry_export > units.json` and `congvu extract FILE --json --registry units.json`.
`congvu emulation check --facts ...` / `reward` / `rules` run the pure rule engine the same way;
only `--person` / `--unit` (which read the database) go through the Django command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "extract":
        from congvu.directives.extraction.cli import main as extract_main

        return extract_main(args[1:])
    if args and args[0] == "emulation" and not {"--person", "--unit"} & {a.split("=")[0] for a in args}:
        from congvu.emulation.rules.cli import main as emulation_main

        return emulation_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["congvu", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
