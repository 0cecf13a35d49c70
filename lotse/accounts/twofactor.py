"""The second factor (TOTP, django-otp): who must use it, and setting up a device with a QR code."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.utils.module_loading import import_string
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def required_for(user: Any) -> bool:
    """Who must use a second factor depends on roles, which live in a room above this one (tenancy): the
    policy is named in the settings (`SECOND_FACTOR_POLICY`), so accounts imports nothing from there."""
    return bool(import_string(settings.SECOND_FACTOR_POLICY)(user))


def has_device(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def pending_device(user: Any) -> TOTPDevice:
    """The device being set up (unconfirmed until the first correct code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Lotse", confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps without a camera."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code (SVG data URI: served inline, no external request, CSP-safe)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def confirm(device: TOTPDevice, token: str) -> bool:
    if device.verify_token(token.replace(" ", "")):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()  # one device per person
        return True
    return False


def remove(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
