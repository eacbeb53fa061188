"""The messages sent to the model: the packaged prompts, as many retrieved passages as the context
budget allows (tiktoken counts), each delimited as untrusted data, and the recent conversation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from debatebot.answers.prompts import load_prompt
from debatebot.core.errors import BackendError
from debatebot.core.models import Mode, Passage, Request
from debatebot.core.settings import Settings
from debatebot.core.text import SourceDocument


@dataclass
class Prepared:
    messages: list[tuple[str, str]]
    labels: dict[str, Passage]  # "P1" -> passage, for the passages actually sent
    left_out: int
    prompt_tokens: int


def prepare(settings: Settings, enc: Any, request: Request, passages: list[Passage],
            docs: dict[str, SourceDocument]) -> Prepared:
    """Messages for the request, with as many passages as the context budget allows."""
    if not passages:
        raise BackendError("No passages were retrieved for this request, so the LLM has nothing to cite.",
                           hint="The offline engine handles requests that need the whole library.")
    s = settings

    def count(t: str) -> int:
        return len(enc.encode_ordinary(t)) + 4  # + per-message overhead

    # a PromptError (missing file or variable) is a bug or a broken install: it propagates, loudly
    system = load_prompt("system").render()
    user_prompt = load_prompt(request.mode.value)
    vars_ = mode_variables(request)
    skeleton = user_prompt.render(passages="", **vars_)
    budget = s.llm.context_tokens - s.llm.max_tokens - count(system) - count(skeleton) - 16
    blocks: list[str] = []
    labels: dict[str, Passage] = {}
    left_out = 0
    for p in passages:
        block = format_passage(f"P{len(labels) + 1}", p, docs)
        cost = len(enc.encode_ordinary(block)) + 1
        if cost > budget:
            left_out += 1
            continue
        budget -= cost
        labels[f"P{len(labels) + 1}"] = p
        blocks.append(block)
    if not labels:
        raise BackendError("The passages do not fit the LLM's context window "
                           f"({s.llm.context_tokens} tokens with {s.llm.max_tokens} kept for the answer).",
                           hint="Raise DEBATEBOT_LLM_CONTEXT_TOKENS or lower DEBATEBOT_LLM_MAX_TOKENS.")
    messages: list[tuple[str, str]] = [("system", system)]
    history: list[tuple[str, str]] = []
    for turn in reversed(request.history[-s.llm.history_turns:] if s.llm.history_turns else []):
        role = turn.get("role")
        content = str(turn.get("content") or "")[: s.llm.history_chars]
        if role not in ("user", "assistant") or not content.strip():
            continue
        cost = count(content)
        if cost > budget:
            break
        budget -= cost
        history.insert(0, ("human" if role == "user" else "ai", content))
    messages += history
    user = user_prompt.render(passages="\n\n".join(blocks), **vars_)
    messages.append(("human", user))
    return Prepared(messages, labels, left_out, sum(count(c) for _, c in messages))


_TAG = re.compile(r"<(\s*/?\s*)(passage)", re.I)


def format_passage(label: str, p: Passage, docs: dict[str, SourceDocument]) -> str:
    """A passage as delimited untrusted data; a delimiter inside the text is neutralised."""
    doc = docs.get(p.doc)
    text = doc.text[p.start : p.end] if doc is not None else p.text
    text = _TAG.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)
    attr = re.sub(r'["<>&\n]', "_", p.doc)
    return f'<passage id="{label}" doc="{attr}" paragraph="{p.paragraph + 1}">\n{text}\n</passage>'


def mode_variables(req: Request) -> dict[str, str]:
    """Template variables of the user prompt of `req.mode` (empty optional values spelled out)."""
    text = (req.text or "").strip()
    motion = (req.motion or "").strip()
    none = "(none given)"
    if req.mode == Mode.ask:
        q = f"{text} (follow-up to: {req.topic})" if req.topic else text
        return {"question": q}
    if req.mode == Mode.argue:
        return {"motion": motion or text, "side": req.side or "for"}
    if req.mode == Mode.rebut:
        return {"argument": text, "motion": motion or none}
    if req.mode == Mode.check:
        return {"claim": text}
    if req.mode == Mode.quote:
        return {"quotation": text, "speaker": (req.speaker or "").strip() or none}
    if req.mode == Mode.summary:
        return {"topic": (req.topic or text or "").strip() or none}
    if req.mode == Mode.practice:
        other = {"for": "against", "against": "for"}.get(req.side or "")
        side_text = f"{other} the motion" if other else "against the student's argument"
        return {"argument": text, "motion": motion or none, "opponent_side": side_text,
                "opponent_stance": other or "neutral"}
    raise BackendError(f"Mode {req.mode!r} is not supported by the LLM backend.")
