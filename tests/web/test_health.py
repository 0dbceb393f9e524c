"""/health: the data version and size at once, and the SHACL verdict once the background
validation is done ("pending" until then)."""

import dataclasses
import time

from fastapi.testclient import TestClient

from plenipot.web.app import create_app


def test_health_answers_at_once_and_validates_in_the_background(sample_settings):
    settings = dataclasses.replace(sample_settings, validate_on_start=True)
    with TestClient(create_app(settings)) as client:
        first = client.get("/health").json()
        assert first["triples"] == 18 and first["conforms"] in ("pending", True, False)
        deadline = time.monotonic() + 60
        body = first
        while body["conforms"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.2)
            body = client.get("/health").json()
    assert isinstance(body["conforms"], bool), body
    assert set(body["shapes_results"]) == {"violation", "warning"}
