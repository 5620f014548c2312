"""The novu_async code generator: OpenAPI document -> IR -> Python modules.

Run it as ``python -m codegen``; ``python -m codegen --help`` lists the commands.
"""
