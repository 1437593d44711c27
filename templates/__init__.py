"""The built-in formats, one folder each; installed as the package ``reportgen.builtin_templates``
(see pyproject.toml) so ``importlib.resources`` finds them in a wheel and in an editable install."""
