"""Resource classes of Fixture API 0.0.1: ``novu.<group>.<method>(...)``.

Do not edit: `make generate` rewrites this package.
"""
