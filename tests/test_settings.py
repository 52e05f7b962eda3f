"""Production settings refuse an unsafe configuration; a safe one passes check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k8#Vn2!qP0z$Lm4@xR7^tY1&wB9*cD3(eF6)gH5_jK0+sS2-uU8=vW"


# What production demands besides the secret key, set to safe values unless a test says
# otherwise (a value of None leaves the variable unset).
PRODUCTION_ENV = {
    "DJANGO_NUM_PROXIES": "1",
    "STRIPE_API_BASE": "https://api.stripe.com",
    "STRIPE_SECRET_KEY": "sk_live_51Probe0000000000000000000000",
    "STRIPE_WEBHOOK_SECRET": "whsec_Probe000000000000000000000000",
}


def run_manage(*args: str, **env_overrides: str | None) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "STRIPE_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
            # Production requires a PostgreSQL URL: the one the suite runs on.
            "DATABASE_URL": os.environ["DATABASE_URL"],
            **PRODUCTION_ENV,
            **env_overrides,
        }
    )
    env = {k: v for k, v in env.items() if v is not None}
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


@pytest.mark.parametrize(
    "env, complaint",
    [
        # Behind a TLS proxy every client would share the proxy's address.
        ({"DJANGO_NUM_PROXIES": None}, "DJANGO_NUM_PROXIES"),
        ({"DJANGO_NUM_PROXIES": "-1"}, "DJANGO_NUM_PROXIES"),
        # A live key must never go to the local Stripe server (or anywhere but Stripe).
        ({"STRIPE_API_BASE": None}, "STRIPE_API_BASE"),
        ({"STRIPE_API_BASE": "http://127.0.0.1:8420"}, "STRIPE_API_BASE"),
        ({"STRIPE_API_BASE": "http://api.stripe.com"}, "STRIPE_API_BASE"),
        ({"STRIPE_API_BASE": "https://api.stripe.com.example.vn"}, "STRIPE_API_BASE"),
        (
            {"STRIPE_ALLOW_TEST_API": "true", "STRIPE_API_BASE": "http://127.0.0.1:8420"},
            "STRIPE_API_BASE",
        ),
        ({"STRIPE_SECRET_KEY": None}, "STRIPE_SECRET_KEY"),
        ({"STRIPE_SECRET_KEY": "sk_test_local"}, "STRIPE_SECRET_KEY"),
        ({"STRIPE_WEBHOOK_SECRET": "whsec_local"}, "STRIPE_WEBHOOK_SECRET"),
    ],
)
def test_production_refuses_a_missing_proxy_count_and_stripe_that_is_not_stripe(env, complaint):
    result = run_manage("check", DJANGO_SECRET_KEY=GOOD_SECRET, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


@pytest.mark.parametrize("proxies", ["0", "2"])
def test_production_takes_the_proxy_count_it_is_told_zero_included(proxies):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.REST_FRAMEWORK['NUM_PROXIES'])",
        DJANGO_SECRET_KEY=GOOD_SECRET,
        DJANGO_NUM_PROXIES=proxies,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == proxies


def test_the_compose_stack_runs_production_settings_against_the_local_stripe_server():
    """docker-compose.yml's shared environment says STRIPE_ALLOW_TEST_API explicitly;
    without it the same stack refuses to start."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    stack = {k: str(v) for k, v in compose["x-app-env"].items()}
    stack.update(DJANGO_SECRET_KEY=GOOD_SECRET)
    assert stack["STRIPE_ALLOW_TEST_API"] == "true"
    assert stack["DJANGO_NUM_PROXIES"] == "0"
    result = run_manage("check", **stack)
    assert result.returncode == 0, result.stdout + result.stderr
    refused = run_manage("check", **{**stack, "STRIPE_ALLOW_TEST_API": None})
    assert refused.returncode != 0
    assert "STRIPE_API_BASE" in refused.stderr


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
