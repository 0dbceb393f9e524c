from plenipot.cli.main import main

raise SystemExit(main())
