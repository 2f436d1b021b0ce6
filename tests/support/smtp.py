"""A real SMTP server on loopback (aiosmtpd) that records what reaches it.

Used by the outbox tests and by ``bench/outbox_throughput.py``. The handler can be told to
refuse a recipient, to answer DATA with a 4xx or 5xx, to slow down, or to hold one message
after receiving it and before answering (to cut an SMTP transaction with a worker kill).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller

# aiosmtpd logs every command at INFO: too much for a benchmark of thousands of messages.
logging.getLogger("mail.log").setLevel(logging.WARNING)

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Records the Message-ID of every message; answers as told.

    ``received`` lists every message whose data reached the server (answered or not);
    ``accepted`` those answered 250, in order. A message cut by a client that died after
    sending its data is in ``received`` only.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[str] = []
        self.accepted: list[str] = []
        self.messages: dict[str, bytes] = {}  # last accepted copy, by Message-ID
        self.copies: Counter[str] = Counter()  # how many times each Message-ID reached the server
        self.connections = 0
        # {address: reply}, e.g. {"absent@example.org": "550 5.1.1 Boîte inconnue"}
        self.rcpt_replies: dict[str, str] = {}
        # (Message-ID, how many times it reached the server) -> reply, or None for 250.
        self.data_reply: Callable[[str, int], str | None] | None = None
        self.delay = 0.0
        self.hold_at: int | None = None  # number of the message (1 = first) to hold
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        message_id = BytesHeaderParser().parsebytes(content)["Message-ID"] or ""
        with self.lock:
            self.received.append(message_id)
            self.copies[message_id] += 1
            number, copies = len(self.received), self.copies[message_id]
        if self.hold_at == number:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.01)
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = self.data_reply(message_id, copies) if self.data_reply else None
        if reply:
            return reply
        with self.lock:
            self.accepted.append(message_id)
            self.messages[message_id] = content
        return "250 Message accepted for delivery"

    def accepted_count(self) -> int:
        with self.lock:
            return len(self.accepted)

    def duplicates(self) -> dict[str, int]:
        """{Message-ID: copies} of the messages that reached the server more than once."""
        with self.lock:
            return {mid: count for mid, count in self.copies.items() if count > 1}


class SmtpServer:
    """aiosmtpd on 127.0.0.1; ``stop()`` then ``start()`` again on the same port."""

    def __init__(self, handler: RecordingHandler | None = None, port: int | None = None) -> None:
        self.handler = handler or RecordingHandler()
        self.port = port or free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}?timeout=10"

    def start(self) -> SmtpServer:
        deadline = time.monotonic() + 10
        while True:
            controller = Controller(self.handler, hostname=HOST, port=self.port, ready_timeout=10)
            try:
                controller.start()
            except OSError:
                # The port may take a moment to be free again after a stop.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
                continue
            self.controller = controller
            return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
