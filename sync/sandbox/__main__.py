"""`python -m sync.sandbox`: run the local HubSpot sandbox (see `server.main`)."""

import sys

from sync.sandbox.server import main

sys.exit(main())
