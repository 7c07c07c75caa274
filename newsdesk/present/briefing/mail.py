"""Send a briefing by email: the HTML as the body (a plain-text part beside it), the PDF attached."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from newsdesk.config import EmailSettings
from newsdesk.errors import NewsdeskError

SECURITY = ("starttls", "tls", "none")


class EmailError(NewsdeskError):
    """Email is not set up, or the server refused the message."""


def build_message(settings: EmailSettings, *, subject: str, text: str, html: str, pdf: bytes | None = None,
                  pdf_name: str = "", to: tuple[str, ...] | list[str] | None = None) -> EmailMessage:
    """A multipart message: text and HTML alternatives, and the PDF attached when there is one; to
    ``to`` or else the configured recipients."""
    recipients = list(to) if to else list(settings.to)
    if not settings.host or not settings.sender or not recipients:
        raise EmailError("email: set [briefing.email] host, sender and to in newsdesk.toml first")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


def send(settings: EmailSettings, message: EmailMessage) -> None:
    """Deliver through the configured SMTP server (STARTTLS, TLS or plain), logging in when a user is set."""
    if settings.security not in SECURITY:
        raise EmailError(f"email: security must be one of {', '.join(SECURITY)}, not {settings.security!r}")
    password = os.environ.get(settings.password_env, "") if settings.user else ""
    if settings.user and not password:
        raise EmailError(f"email: user {settings.user!r} is set but ${settings.password_env} is empty")
    if settings.user and settings.security == "none" and not settings.allow_insecure_auth:
        raise EmailError("email: refusing to send the SMTP password unencrypted (security = \"none\" with a user); "
                         "use \"starttls\" or \"tls\", or set allow_insecure_auth = true if the network is trusted")
    context = ssl.create_default_context()
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                    context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise EmailError(f"email: could not send through {settings.host}:{settings.port}: {exc}") from exc
