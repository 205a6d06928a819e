from congvu.cli import main

raise SystemExit(main())
