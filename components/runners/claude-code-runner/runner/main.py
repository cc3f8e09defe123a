"""Runs one agentic session: sends the prompt to the Anthropic Messages API and prints the answer.

The Job that runs this module gets ANTHROPIC_API_KEY from the ExternalSecret-managed Secret and
SESSION_PROMPT from the operator. Egress is limited to port 443 by the runner's NetworkPolicy.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

API_URL = "https://api.anthropic.com/v1/messages"
DEFAULT_MODEL = "claude-sonnet-4-5"


def build_request(prompt: str, api_key: str, model: str = DEFAULT_MODEL) -> urllib.request.Request:
    body = {"model": model, "max_tokens": 4096, "messages": [{"role": "user", "content": prompt}]}
    return urllib.request.Request(
        API_URL,
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={
            "content-type": "application/json",
            "x-api-key": api_key,
            "anthropic-version": "2023-06-01",
        },
    )


def answer_text(response: dict) -> str:
    return "".join(part.get("text", "") for part in response.get("content", []) if part.get("type") == "text")


def main() -> int:
    prompt = os.environ.get("SESSION_PROMPT", "").strip()
    api_key = os.environ.get("ANTHROPIC_API_KEY", "")
    if not prompt:
        print("SESSION_PROMPT is empty: the operator sets it from the AgenticSession spec.", file=sys.stderr)
        return 2
    if not api_key:
        print("ANTHROPIC_API_KEY is not set: check the ExternalSecret anthropic-api-key.", file=sys.stderr)
        return 2
    request = build_request(prompt, api_key, os.environ.get("MODEL", DEFAULT_MODEL))
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            print(answer_text(json.load(response)))
    except urllib.error.HTTPError as error:
        # The body names the problem (quota, model); the key is never part of it.
        print(f"the API answered {error.code}: {error.read().decode('utf-8', 'replace')}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
