"""Hooks an app above enters around a write of an app below (the floors: docs/architecture.md).

A lower app declares `thing_changing = Watchers("…")` and wraps its write in
`with thing_changing.watching(args):`; an app above registers a context manager factory in its
AppConfig.ready (the measures' ledger follows the members whose periods a write changes). The
watchers run inside the writer's transaction: what they write commits or rolls back with it.
"""

from contextlib import ExitStack, contextmanager


class Watchers:
    def __init__(self, name: str):
        self.name = name
        self._factories: list = []

    def register(self, factory) -> None:
        if factory not in self._factories:
            self._factories.append(factory)

    @contextmanager
    def watching(self, *args, **kwargs):
        with ExitStack() as stack:
            for factory in self._factories:
                stack.enter_context(factory(*args, **kwargs))
            yield
