"""Token counting: tiktoken encodings with OpenAI's chat-format per-message overhead.

Counts are computed once per message (the message caches its count) so that replaying a
conversation costs one encode per message, never one per turn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from replay.errors import RunIncomplete
from replay.spec._loop import DEFAULT_ENCODING

# OpenAI's chat format wraps every message as <|start|>{role}\n{content}<|end|>: three tokens
# of framing per message plus the role, and every reply is primed with three more tokens
# (<|start|>assistant<|message|>). These are the figures of OpenAI's cookbook
# "How to count tokens with tiktoken" for gpt-3.5-turbo-0613 and every later chat model.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY_PRIMING = 3
KNOWN_ENCODINGS = ("o200k_base", "cl100k_base")
APPROXIMATE = "approximate"


class TokenizerUnavailable(RunIncomplete, RuntimeError):
    """The tiktoken vocabulary could not be loaded (no network and no TIKTOKEN_CACHE_DIR)."""


@lru_cache(maxsize=4)
def _encoding(name: str) -> tiktoken.Encoding:
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:  # tiktoken raises plain requests/OS errors when offline
        raise TokenizerUnavailable(
            f"cannot load the tiktoken encoding {name!r}: {exc}. On a machine without internet "
            "access set TIKTOKEN_CACHE_DIR to a folder holding the vocabulary files "
            "(see README, 'Offline machines')."
        ) from exc


@lru_cache(maxsize=64)
def _role_tokens(encoding: str, role: str) -> int:
    return len(_encoding(encoding).encode(role, disallowed_special=()))


@lru_cache(maxsize=4096)
def content_tokens(text: str) -> int:
    """Tokens of a message's content as LlamaIndex's memory buffers count them: get_tokenizer()
    is tiktoken.encoding_for_model("gpt-3.5-turbo") (cl100k_base), special tokens allowed."""
    return len(_encoding("cl100k_base").encode(text, allowed_special="all"))


@dataclass(frozen=True)
class TokenCounter:
    """Counts tokens the way a chat model's context budget sees them.

    ``encoding`` is a tiktoken encoding name, or ``"approximate"`` for the character
    heuristic LangChain's ``count_tokens_approximately`` uses (ceil(chars / 4) + 3 per message),
    which is what its SummarizationMiddleware budgets with by default.
    """

    encoding: str = DEFAULT_ENCODING

    def text(self, text: str) -> int:
        """Tokens of a bare text, without message framing."""
        if self.encoding == APPROXIMATE:
            return math.ceil(len(text) / 4)
        # encode_ordinary is encode(text, disallowed_special=()) without the scan for special
        # tokens that only matters when some are allowed or disallowed: the same tokens.
        return len(_encoding(self.encoding).encode_ordinary(text))

    def message(self, role: str, content: str) -> int:
        """Tokens one chat message occupies in a model's input, framing included."""
        if self.encoding == APPROXIMATE:
            return math.ceil(len(content) / 4) + 3
        return TOKENS_PER_MESSAGE + _role_tokens(self.encoding, role) + self.text(content)

    def check_available(self) -> None:
        """Load the vocabulary now so a missing file fails before the replay starts."""
        if self.encoding != APPROXIMATE:
            _encoding(self.encoding)
