"""MkDocs hook that renders the claims ledger (docs/sources/claims.yml) into its page."""
