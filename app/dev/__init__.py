"""What runs only on a developer's machine, in tests and in the bench: the embedded PostgreSQL and Meilisearch,
and the app served in a subprocess. Production never imports it."""
