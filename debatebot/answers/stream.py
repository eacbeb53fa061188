"""One answer as it is produced: markdown fragments, then the checked Answer.

    stream = engine.stream(request)
    for fragment in stream:      # show each piece as it arrives
        ...
    answer = stream.answer       # the Answer, once the fragments are exhausted
    answer = stream.result()     # or drive it to the end in one call
    answer = yield from stream   # or hand its fragments on from another generator
"""

from __future__ import annotations

from collections.abc import Generator

from debatebot.core.models import Answer


class AnswerStream:
    def __init__(self, fragments: Generator[str, None, Answer]) -> None:
        self._fragments = fragments
        self._answer: Answer | None = None

    def __iter__(self) -> AnswerStream:
        return self

    def __next__(self) -> str:
        if self._answer is not None:
            raise StopIteration(self._answer)
        try:
            return next(self._fragments)
        except StopIteration as stop:
            self._answer = stop.value
            raise StopIteration(stop.value) from None

    @property
    def answer(self) -> Answer:
        if self._answer is None:
            raise RuntimeError("The answer is not finished: iterate the stream (or call result()) first.")
        return self._answer

    def result(self) -> Answer:
        for _ in self:
            pass
        return self.answer

    def close(self) -> None:
        self._fragments.close()
