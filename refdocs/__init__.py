"""``python -m refdocs``: the reference pages of the hand-written public surfaces of novu_async.

``make docs`` runs ``python -m codegen docs`` (the operations and models, from the OpenAPI documents,
without the runtime), then this: pages for the client, its configuration and options, the errors,
bulk sending, the blocking client, FakeNovu and the ``novu-async`` command line, into
``docs/reference/sdk/``. Everything on them comes from the code itself: the names each package
exports (``__all__``), their signatures (``inspect``), their docstrings, the comment or string that
documents a constant or an alias, attrs fields, TypedDict keys and enum members, and the command
line's argparse parser. So the pages cannot drift from the code, and a public name cannot lack one.

This is a separate step because it has to import the runtime: ``codegen`` never does (it runs
before the generated code exists), and reading the source with ``ast`` instead would mean redoing
what Python already knows (``__all__`` built at run time, attrs' generated ``__init__``, inherited
members, the keywords behind ``**settings: Unpack[...]``, the parser's options).

* ``refdocs.introspect``: a public object as an ``Entry`` (signature, docstring, fields, members);
* ``refdocs.markup``: a docstring (reST-flavoured, as the code writes them) as Markdown, with the
  names of other entries linked;
* ``refdocs.pages``: which names go on which page, the CLI page, rendering and writing.
"""
