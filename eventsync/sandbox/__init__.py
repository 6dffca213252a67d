"""A local stand-in for HubSpot's Marketing Events API, for tests and `make demo`.

Apart from the product: nothing in eventsync imports it."""
