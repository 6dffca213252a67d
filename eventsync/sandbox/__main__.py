"""`python -m eventsync.sandbox`: run the local HubSpot sandbox (`server.main`), or change a
running one's events as a colleague would (`edit`, `add`, `delete`, `list`: `colleague`)."""

import sys

from eventsync.sandbox import colleague, server

if sys.argv[1:2] and sys.argv[1] in colleague.COMMANDS:
    sys.exit(colleague.main(sys.argv[1:]))
sys.exit(server.main())
