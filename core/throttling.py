"""Rate limits on what an attacker repeats: sign-in, password reset, writes.

DRF's throttles, counted in the default cache (shared by every web process: Redis in
services mode, a file cache in embedded mode). Rates come from
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` by scope. The same classes guard DRF views
(``throttle_classes``) and plain Django views (``throttle_form_view``).
"""

from __future__ import annotations

import functools
import hashlib
import math

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.translation import ngettext
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class SettingsRateThrottle(SimpleRateThrottle):
    """Reads its rate from the settings when it counts (DRF reads them once, at import)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class IPRateThrottle(SettingsRateThrottle):
    """Per client address (REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES proxies)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountRateThrottle(SettingsRateThrottle):
    """Per account named in the request (``field`` of the body), whoever sends it: an
    attacker spreading guesses over many addresses still hits one account's limit."""

    field = "username"

    def get_cache_key(self, request, view):
        data = getattr(request, "data", None)
        value = data.get(self.field) if hasattr(data, "get") else request.POST.get(self.field)
        if not isinstance(value, str) or not value.strip():
            return None  # nothing to count: the form or serializer refuses it anyway
        digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class LoginIPThrottle(IPRateThrottle):
    scope = "login"


class LoginAccountThrottle(AccountRateThrottle):
    scope = "login_account"


class PasswordResetIPThrottle(IPRateThrottle):
    scope = "password_reset"


class PasswordResetAccountThrottle(AccountRateThrottle):
    scope = "password_reset_account"
    field = "email"


class WriteRateThrottle(SettingsRateThrottle):
    """Unsafe methods per user (per address for anonymous callers); reads are not counted."""

    scope = "writes"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def wait_message(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Trop de tentatives. Réessayez dans %(minutes)d minute.",
        "Trop de tentatives. Réessayez dans %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def throttle_form_view(view, throttle_classes, *, error_field: str | None = None):
    """Guard the POSTs of a Django form view (admin login, password reset).

    Over the limit, the POST is not looked at: the empty form is shown again with a French
    error (on ``error_field``, or above the form) and a 429 status carrying Retry-After.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        waits = [throttle.wait() or 60 for throttle in (cls() for cls in throttle_classes)
                 if not throttle.allow_request(request, None)]  # fmt: skip
        if not waits:
            return view(request, *args, **kwargs)
        wait = max(waits)
        request.method = "GET"  # the view renders its form as for a first visit
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None:
            extra = {} if error_field else {"error_class": "nonfield"}
            form._errors = ErrorDict(
                {
                    error_field or NON_FIELD_ERRORS: form.error_class(
                        [wait_message(wait)], renderer=form.renderer, **extra
                    )
                }
            )
        response.status_code = 429
        response["Retry-After"] = str(math.ceil(wait))
        return response

    return wrapped
