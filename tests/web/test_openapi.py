"""The OpenAPI schema tells the truth about answers (web/openapi.py); the end-to-end tier checks
it against the real server with Schemathesis."""

from plenipot import formats


def test_the_schema_declares_400_not_fastapis_422(client):
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "422" not in operation["responses"], f"{method} {path}"
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "ErrorBody" in schema["components"]["schemas"]


def test_every_error_is_the_json_error_body(client):
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/ErrorBody"}, \
                        f"{method} {path} {status}"


def test_sparql_declares_every_format_and_error(client):
    operations = client.get("/openapi.json").json()["paths"]["/sparql"]
    for method in ("get", "post"):
        responses = operations[method]["responses"]
        assert set(responses["200"]["content"]) >= {*formats.RESULT_TYPES, *formats.GRAPH_TYPES,
                                                    formats.HTML}
        assert {"400", "406", "413", "503"} <= set(responses)
    assert "415" in operations["post"]["responses"]


def test_suffix_routes_list_their_formats(client):
    paths = client.get("/openapi.json").json()["paths"]
    suffix = paths["/export/plenipot.{suffix}"]["get"]["parameters"][0]["schema"]
    assert set(suffix["enum"]) == {"ttl", "nt", "nq", "trig", "jsonld", "rdf"}
    assert client.get("/export/plenipot.xyz").status_code == 404  # still our own 404
    assert "404" in paths["/id/{path}"]["get"]["responses"]
    assert formats.HTML in paths["/id/{path}"]["get"]["responses"]["404"]["content"]
