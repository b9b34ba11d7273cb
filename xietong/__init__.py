"""Xietong's domain: models, rules and services, importable without NoneBot.

The NoneBot plugins under ``plugins/`` are thin: they parse a chat message, call one
service here and render its result. Keeping the domain free of the chat framework lets
alembic, the unit tests and the benchmark seeding script import it on their own.
"""
