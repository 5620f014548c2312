"""The blocking client's resources of Fixture API 0.0.1, for type checkers only.

``novu_async.sync.Novu`` forwards to the async client at run time; these stubs describe what it returns. Do not edit: `make generate` rewrites this package.
"""
