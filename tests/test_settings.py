"""Production settings refuse an unsafe configuration; a safe one passes check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k8#Vn2!qP0z$Lm4@xR7^tY1&wB9*cD3(eF6)gH5_jK0+sS2-uU8=vW"


def run_manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "marketplace.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, complaint",
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-ocop-market-development-only-key"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": GOOD_SECRET, "DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
    ],
)
def test_production_refuses_unsafe_config(env, complaint):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_passes_check_deploy():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY=GOOD_SECRET
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_settings():
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert "en" in dict(settings.LANGUAGES)


def test_production_sends_email_by_smtp_from_email_url_and_logs_json():
    probe = (
        "from django.conf import settings as s; import logging, json; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER); "
        "logging.getLogger('probe').info('hello', extra={'order_id': 12})"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        probe,
        DJANGO_SECRET_KEY=GOOD_SECRET,
        EMAIL_URL="smtp+tls://mailer:s3cret@smtp.example.vn:587",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.vn",
        "587",
        "True",
        "mailer",
    ]
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello"
    assert line["order_id"] == 12
    assert line["level"] == "INFO"


def test_without_email_url_email_goes_to_the_console():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND)",
        DJANGO_SECRET_KEY=GOOD_SECRET,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
