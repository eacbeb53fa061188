"""The JSON reply the model is asked for: its schema, its validation, recovery of a JSON object from
free text, and a scanner that streams the `answer` field while the rest of the object arrives."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field, field_validator

from debatebot.core.models import Side
from debatebot.core.verdicts import CLAIM_VERDICTS, ClaimVerdict


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    out["type"] = [out["type"], "null"]
    return out


ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "points": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "claim": {"type": "string"},
                "side": _nullable({"type": "string", "enum": ["for", "against", "neutral"]}),
                "holder": _nullable({"type": "string"}),
                "quotes": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}, "passage": {"type": "string"}},
                    "required": ["text", "passage"], "additionalProperties": False,
                }},
            },
            "required": ["claim", "side", "holder", "quotes"], "additionalProperties": False,
        }},
        "verdict": _nullable({"type": "string", "enum": list(CLAIM_VERDICTS)}),
    },
    "required": ["answer", "points", "verdict"],
    "additionalProperties": False,
}
RESPONSE_FORMAT = {"type": "json_schema",
                   "json_schema": {"name": "debate_answer", "strict": True, "schema": ANSWER_SCHEMA}}
# JSON mode, for servers without json_schema; llama-cpp-python constrains the reply to `schema` (a grammar),
# others read it as JSON mode alone
JSON_MODE_FORMAT = {"type": "json_object", "schema": ANSWER_SCHEMA}


class RawQuote(BaseModel):
    text: str = ""
    passage: str = ""

    @field_validator("passage", mode="before")
    @classmethod
    def _label(cls, v: Any) -> str:
        m = re.search(r"\d+", str(v or ""))
        return f"P{int(m.group())}" if m else str(v or "")


class RawPoint(BaseModel):
    claim: str = ""
    side: Side | None = None
    holder: str | None = None
    quotes: list[RawQuote] = Field(default_factory=list)

    @field_validator("side", mode="before")
    @classmethod
    def _side(cls, v: Any) -> str | None:
        v = str(v or "").strip().lower()
        return v if v in ("for", "against", "neutral") else None

    @field_validator("quotes", mode="before")
    @classmethod
    def _quotes(cls, v: Any) -> Any:
        return [{"text": q} if isinstance(q, str) else q for q in (v or [])]


class LLMReply(BaseModel):
    """What the model returns; lenient about shapes small models get slightly wrong."""

    answer: str = ""
    points: list[RawPoint] = Field(default_factory=list)
    verdict: ClaimVerdict | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _answer(cls, v: Any) -> str:
        return "" if v is None else str(v)

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict(cls, v: Any) -> str | None:
        t = re.sub(r"[\s\-]+", "_", str(v or "").strip().lower())
        t = {"partially_supported": "partly_supported", "partial": "partly_supported", "not_in_the_sources":
             "not_in_sources", "not_found": "not_in_sources", "insufficient": "not_in_sources"}.get(t, t)
        return t if t in CLAIM_VERDICTS else None


def extract_json(text: str, keys: tuple[str, ...] = ("answer", "points", "verdict")) -> dict[str, Any] | None:
    """The first JSON object in `text` that has one of `keys`: bare, inside a ``` fence, or after prose.

    (langchain_core's parse_json_markdown handles fences but not an object after leading prose.)"""
    decoder = json.JSONDecoder(strict=False)
    t = text.strip()
    fence = re.search(r"```(?:json|JSON)?\s*(\{.*?\})\s*```", t, re.S)
    candidates = [t] + ([fence.group(1)] if fence else [])
    for c in candidates:
        try:
            obj = decoder.decode(c)
            if isinstance(obj, dict):
                return obj
        except ValueError:
            pass
    for n, m in enumerate(re.finditer(r"\{", t)):
        if n >= 20:
            break
        try:
            obj, _ = decoder.raw_decode(t, m.start())
        except ValueError:
            continue
        if isinstance(obj, dict) and (not keys or any(k in obj for k in keys)):
            return obj
    return None


class AnswerFieldScanner:
    """Incrementally decodes the "answer" string of a JSON object that is still arriving.

    Hand-written because re-parsing the whole buffer on every chunk (langchain's
    parse_partial_json) is quadratic; this looks at each character once."""

    _KEY = re.compile(r'"answer"\s*:\s*"')
    _ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

    def __init__(self) -> None:
        self.buf = ""
        self.pos = -1  # index in buf of the next undecoded answer character; -1 before the key
        self.done = False
        self.value: list[str] = []

    def feed(self, chunk: str) -> str:
        """Append `chunk`; return the newly decoded part of the answer string."""
        self.buf += chunk
        if self.done:
            return ""
        if self.pos < 0:
            m = self._KEY.search(self.buf)
            if not m:
                return ""
            self.pos = m.end()
        out: list[str] = []
        b, i = self.buf, self.pos
        while i < len(b):
            c = b[i]
            if c == '"':
                self.done = True
                i += 1
                break
            if c == "\\":
                if i + 1 >= len(b):
                    break
                e = b[i + 1]
                if e == "u":
                    if i + 6 > len(b):
                        break
                    try:
                        out.append(chr(int(b[i + 2 : i + 6], 16)))
                    except ValueError:
                        pass
                    i += 6
                    continue
                out.append(self._ESC.get(e, e))
                i += 2
                continue
            out.append(c)
            i += 1
        self.pos = i
        new = "".join(out)
        self.value.append(new)
        return new


