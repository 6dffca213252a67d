import sys

from eventsync.cli import main

sys.exit(main())
