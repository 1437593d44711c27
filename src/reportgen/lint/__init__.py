"""The reviewer's lint (L1xx): warnings about what a 财政局 reviewer queries in a self-evaluation,
each at its cell and each switchable per format (``format.yaml``'s ``lint``). ``rules.lint(...)`` runs
the rules; ``settings.LintSettings`` is the declaration (imported by the format loader, so this
package imports nothing heavy itself). ``check`` prints lint apart from errors and notes; a clerk can
still build."""
