"""``reportgen serve``: the 财政局's collection web service (optional extra ``reportgen[serve]``).

Modules, each with one job: ``security`` (tokens, passwords, CSRF, headers), ``store`` (the SQLite
database and the files under the data folder), ``records`` (findings and results as stored JSON and
as table rows), ``worker`` (the build queue and its worker processes), ``collect`` (汇总表 and zips),
``web`` (templates and shared request helpers), ``admin`` and ``clerk`` (the pages), ``app`` (the
Starlette application) and ``main`` (start-up, called by ``reportgen serve``).

Nothing outside this package imports it (the CLI only inside its ``serve`` command), so the other
commands never load Starlette.
"""
