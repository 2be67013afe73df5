"""LMS login tested: an LTI 1.3 launch from a platform into the class hub, end to end.

The LMS is a platform built with lti1p3platform (its registration, OIDC login initiation and
signed launch message), its public keys served over HTTP as an LMS publishes them. The hub runs
as `make hub` runs it (its own Python, its own accounts, prefix hubtestl-) with HUB_AUTH=lti13:
jupyterhub-ltiauthenticator checks the platform's OIDC login, state, nonce and the id_token's
signature against those keys. The test is the student's browser: it starts the launch at the
LMS, follows the hub's redirect to the platform's authorisation endpoint, and posts the
platform's id_token back, as the LMS's auto-submitted form does. Then the student lands in their
own server; their LMS roles decide their hub group; a token signed with another key and an
expired one are refused. Needs root, like tests/test_hub.py.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import MessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

from trafficking_course.hub import accounts
from trafficking_course.hub.client import HubProcess, HubUser, free_port

from .test_hub import _needs, hub_state, no_accounts_with, start_hub, stop_and_clear

pytestmark = [pytest.mark.slow]

PREFIX = "hubtestl-"
ISSUER = "https://lms.course-test.invalid"
CLIENT_ID = "trafficking-course-hub"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
LEARNER, INSTRUCTOR = f"{LIS}membership#Learner", f"{LIS}membership#Instructor"


def rsa_keys() -> tuple[str, str]:
    """A new RSA key pair as PEM text: (private, public)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


class Platform(LTI1P3PlatformConfAbstract):
    """The LMS's registration of the hub as a tool, with the key the LMS signs with."""

    def init_platform_config(self, **kwargs: Any) -> None:
        hub, (private, public) = kwargs["hub"], kwargs["keys"]
        self._registration = (
            Registration().set_iss(ISSUER).set_client_id(CLIENT_ID).set_deployment_id("1")
            .set_launch_url(f"{hub}/hub/spawn")
            .set_oidc_login_url(f"{hub}/hub/lti13/oauth_login")
            .set_platform_public_key(public).set_platform_private_key(private))

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        assert self._registration is not None
        return self._registration


class Login(OIDCLoginAbstract):
    """The LMS's OIDC login initiation: the URL the student's browser is sent to."""

    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["resource"]

    def get_redirect(self, url: str) -> str:
        return url


class AuthRequest(Request):
    """The hub's authorisation request as it reaches the LMS (the query of the redirect)."""

    def build_metadata(self, request: Any) -> Any:
        return {"method": "GET", "get_data": request, "form_data": {}, "headers": {},
                "content_type": None, "path": "/authorize", "json": None}


class Launch(MessageLaunchAbstract):
    """The LMS's launch: who the student is, their roles, the custom hub_username."""

    def __init__(self, request: Request, platform: Platform, *, user: str, account: str,
                 roles: list[str]) -> None:
        super().__init__(request, platform)
        self.user, self.account, self.roles = user, account, roles

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        self.set_user_data(self.user, self.roles, full_name=f"Student {self.user}")
        self.set_resource_link_claim("module-1", title="Module 1: definitions")
        self.set_launch_context_claim("course-2027", context_label="TRAFFICKING")
        self.set_custom_parameters_claim({"hub_username": self.account})

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return launch_data  # the form the browser submits: id_token and state to launch_url


class JWKSServer:
    """The LMS's public keys (JWKS) over HTTP, where the hub fetches them."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        body = json.dumps(jwks).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def launch(hub: HubProcess, platform: Platform, user: str, account: str, roles: list[str],
           *, expires_in: int = 300) -> tuple[requests.Session, requests.Response]:
    """A student's launch from the LMS, as their browser makes it; the hub's last answer."""
    session = requests.Session()
    login = Login(None, platform)
    login.set_lti_message_hint(resource="module-1")
    start = urlparse(login.prepare_preflight_url(user))
    to_platform = session.post(f"{hub.base}{start.path}", data=dict(parse_qsl(start.query)),
                               allow_redirects=False, timeout=30)
    assert to_platform.status_code == 302, to_platform.text[:500]
    asked = dict(parse_qsl(urlparse(to_platform.headers["Location"]).query))
    assert asked["login_hint"] == user and asked["client_id"] == CLIENT_ID
    message = Launch(AuthRequest(asked), platform, user=user, account=account, roles=roles)
    message.set_id_token_expiration(expires_in)
    form = message.lti_launch()
    answer = session.post(form["launch_url"], data={"id_token": form["id_token"],
                                                    "state": form["state"]}, timeout=120)
    return session, answer


def hub_user_model(hub: HubProcess, session: requests.Session) -> requests.Response:
    xsrf = session.cookies.get("_xsrf", path="/hub/") or ""
    return session.get(f"{hub.base}/hub/api/user", headers={"X-XSRFToken": xsrf}, timeout=30)


@pytest.fixture
def lms_and_hub(tmp_path) -> Iterator[tuple[HubProcess, Platform, Platform]]:
    _needs()
    state, roster = hub_state("lti"), accounts.Roster(PREFIX)
    keys, other_keys = rsa_keys(), rsa_keys()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    platform = Platform(hub=base, keys=keys)
    forger = Platform(hub=base, keys=other_keys)  # same LMS name, a key the LMS never published
    jwks = JWKSServer(platform.get_jwks())
    env = {"HUB_AUTH": "lti13", "HUB_LTI_ISSUER": ISSUER, "HUB_LTI_CLIENT_ID": CLIENT_ID,
           "HUB_LTI_AUTHORIZE_URL": f"{jwks.url}/authorize",
           "HUB_LTI_JWKS_URL": f"{jwks.url}/jwks"}
    the_hub = None
    try:
        the_hub = start_hub(state, roster, "pw-" + os.urandom(6).hex(), tmp_path / "hub.log",
                            env=env, port=port)
        yield the_hub, platform, forger
    finally:
        jwks.server.shutdown()
        left = stop_and_clear(the_hub, state, roster.accounts)
        assert not left, f"processes left after the hub stopped: {left}"
        no_accounts_with(PREFIX)


def test_an_lti_launch_logs_a_student_into_their_own_server(lms_and_hub):
    hub, platform, forger = lms_and_hub
    student, lecturer = PREFIX + "student1", PREFIX + "instructor"
    session, answer = launch(hub, platform, "lms-user-17", student, [LEARNER])
    assert answer.status_code == 200, answer.text[:500]
    seconds = HubUser(hub.base, student, session=session).wait_ready()
    assert seconds < 240
    model = hub_user_model(hub, session).json()
    assert model["name"] == student and model["groups"] == ["students"]
    # the lecturer's LMS role makes them one of the hub's instructors
    session, answer = launch(hub, platform, "lms-user-2", lecturer, [INSTRUCTOR, LEARNER])
    model = hub_user_model(hub, session).json()
    assert model["name"] == lecturer and model["groups"] == ["instructors"]
    # a token signed with a key the LMS never published, and an expired one, are refused
    # (ltiauthenticator answers 400 to a token it cannot validate, and logs why)
    for forged, expires, why in ((forger, 300, "Unable to find a signing key that matches"),
                                 (platform, -600, "Signature has expired")):
        session, answer = launch(hub, forged, "lms-user-18", PREFIX + "student2", [LEARNER],
                                 expires_in=expires)
        assert answer.status_code == 400, (why, answer.status_code, answer.text[:300])
        assert f"400 POST /hub/lti13/oauth_callback (127.0.0.1): {why}" in hub.text()
        assert hub_user_model(hub, session).status_code == 403  # not logged in
    assert "(hubtestl-student2@" not in hub.text()  # never logged in, no server started
