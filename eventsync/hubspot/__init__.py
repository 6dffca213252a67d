"""Send: HubSpot's Marketing Events API over HTTP: request bodies (payload), retry
decisions (retry), pacing under the rate limits (pacing), the client, and reads of
HubSpot's current state (remote)."""
