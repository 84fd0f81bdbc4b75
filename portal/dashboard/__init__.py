"""The secretary's dashboard: where the campaign stands and where to push, at a glance."""
