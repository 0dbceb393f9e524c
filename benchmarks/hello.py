"""The framework's ceiling: a hello-world FastAPI route, served with the same uvicorn settings as
``plenipot serve`` (one worker, uvicorn's default loop and HTTP implementation)."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
def hello() -> dict:
    # a plain ``def`` route runs in the thread pool, as Plenipot's lookup routes do
    return {"hello": "world"}
