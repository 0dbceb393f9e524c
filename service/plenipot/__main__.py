from plenipot.cli import main

raise SystemExit(main())
