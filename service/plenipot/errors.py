"""The project's exceptions and the one table that maps them to HTTP statuses and exit codes."""

from dataclasses import dataclass


class PlenipotError(Exception):
    """Base of every error that is the caller's to fix (never a bug)."""

    http_status = 400
    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"error": type(self).__name__, "message": self.message}


@dataclass
class Location:
    """Where in an input something is wrong: a file and line (and column), or a CSV row."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class InputError(PlenipotError):
    """An input file that cannot be read: syntax errors, unknown formats, missing files."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location


class ParameterError(PlenipotError):
    """A missing, repeated or wrongly typed parameter; the message names it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter

    def to_dict(self) -> dict:
        return {**super().to_dict(), "parameter": self.parameter}


class QueryError(PlenipotError):
    """A SPARQL query that does not parse or cannot be evaluated."""


class ForbiddenOperation(PlenipotError):
    """A query that would write, or reach out to another host (SERVICE, LOAD, remote FROM)."""


class NotFound(PlenipotError):
    http_status = 404
    exit_code = 2


class NotAcceptable(PlenipotError):
    http_status = 406


class UnsupportedMediaType(PlenipotError):
    http_status = 415


class PayloadTooLarge(PlenipotError):
    http_status = 413


class QueryTimeout(PlenipotError):
    """A query that ran longer than the configured limit and was stopped."""

    http_status = 503
    exit_code = 3


class QueryMemoryExceeded(PlenipotError):
    """A query that needed more memory than a query worker may use; the worker was replaced."""

    http_status = 503
    exit_code = 3


class StoreUnavailable(PlenipotError):
    """The remote SPARQL engine did not answer."""

    http_status = 502
    exit_code = 3
