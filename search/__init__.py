"""Everything Meilisearch: the client, index settings, documents, sync and the local runner."""
