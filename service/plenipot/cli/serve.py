"""``plenipot serve``: the web service on uvicorn."""

from plenipot.cli.options import settings_from_args
from plenipot.store.connect import open_store
from plenipot.web.app import create_app


def cli_serve(args) -> int:
    import uvicorn

    settings = settings_from_args(args, base_url=args.base_url)
    store = open_store(settings)  # a bad input file stops here, with its file:line:column
    uvicorn.run(create_app(settings, store), host=args.host, port=args.port)
    return 0
