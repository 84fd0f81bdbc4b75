"""The bottom floor: helpers every app uses (PDF rendering, the htmx helper, settings
helpers, money formatting, rate limiting). It imports no app of the project."""
