"""``plenipot validate``: the report formats (text for people, JSON, Turtle, GitHub Actions
annotations, SARIF 2.1.0 for code-scanning tools) and the command's exit codes."""

import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

from plenipot import __version__
from plenipot.validation.shacl import Report


def _short(text: str | None) -> str:
    if text is None:
        return ""
    return f"<{text}>" if text.startswith(("http://", "https://", "urn:")) else repr(text)


def format_text(report: Report) -> str:
    lines: list[str] = []
    current = object()
    for r in report.results:
        if r.file != current:
            if lines:
                lines.append("")
            current = r.file
        place = f"{r.file or '(no file)'}:{r.line}" if r.line else (r.file or "(no file)")
        details = [f"focus {_short(r.focus)}"]
        if r.path:
            details.append(f"path {r.path}")
        if r.value is not None:
            details.append(f"value {_short(r.value)}")
        lines.append(f"{place}: {r.severity}: {r.message} ({', '.join(details)}) [{r.rule}]")
    if lines:
        lines.append("")
    summary = (f"{report.count('violation')} violation(s), {report.count('warning')} warning(s), "
               f"{report.count('info')} info in {report.files} file(s), {report.triples} triples, "
               f"{report.seconds:.2f} s")
    if report.results and not report.count("violation"):
        summary += " (no violation: passes unless --strict)"
    lines.append(("conforms: " if report.conforms else "does not conform: ") + summary)
    return "\n".join(lines)


def format_json(report: Report) -> str:
    body = {"conforms": report.conforms, "results": [asdict(r) for r in report.results]}
    return json.dumps(body, indent=2, ensure_ascii=False)


def github_escape(text: str, property_value: bool = False) -> str:
    """Escaping of a GitHub Actions workflow command's message (and its properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per result."""
    commands = {"violation": "error", "warning": "warning", "info": "notice"}
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={github_escape(r.file, True)}")
            if r.line:
                props.append(f"line={r.line}")
        props.append(f"title={github_escape(f'plenipot validate: {r.rule}', True)}")
        details = f" (focus {r.focus}" + (f", path {r.path}" if r.path else "") + (
            f", value {r.value})" if r.value is not None else ")")
        lines.append(f"::{commands.get(r.severity, 'error')} {','.join(props)}::"
                     f"{github_escape(r.message + details)}")
    return "\n".join(lines)


def format_turtle(report: Report) -> str:
    return report.graph.serialize(format="turtle")


_SARIF_LEVELS = {"violation": "error", "warning": "warning", "info": "note"}


def _artifact_uri(file: str) -> str:
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())


def format_sarif(report: Report) -> str:
    """SARIF 2.1.0: one result per SHACL result, its rule the shape, its level the severity,
    its message the sh:message, located at the file and line of the focus node."""
    rules: dict[str, int] = {}
    results = []
    for r in report.results:
        rule = r.rule or "(no shape)"
        index = rules.setdefault(rule, len(rules))
        result = {
            "ruleId": rule,
            "ruleIndex": index,
            "level": _SARIF_LEVELS.get(r.severity, "error"),
            "message": {"text": r.message},
            "properties": {key: value for key, value in (
                ("focusNode", r.focus), ("resultPath", r.path), ("value", r.value),
                ("sourceShape", r.shape), ("sourceConstraintComponent", r.component),
                ("severity", r.severity)) if value is not None},
        }
        if r.file:
            location = {"artifactLocation": {"uri": _artifact_uri(r.file)}}
            if r.line:
                location["region"] = {"startLine": r.line}
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    driver = {
        "name": "plenipot validate",
        "version": __version__,
        "informationUri": "https://w3id.org/plenipot/",
        "rules": [{"id": rule, "name": rule} for rule in rules],
    }
    body = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results,
                  "properties": {"conforms": report.conforms}}],
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github,
              "turtle": format_turtle, "sarif": format_sarif}


