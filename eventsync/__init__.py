"""eventsync: keep a spreadsheet of marketing events and a HubSpot portal in step."""

__version__ = "0.1.0"
