"""The FastAPI application: `POST /predict`, `POST /render`, `GET /health`, `GET /info` and the
live page at `/`.

`create_app` wraps a loaded predictor; `app_from_environment` is the factory uvicorn's workers
call (`python -m stsn_allennlp.serve` stores the settings in the environment). Swagger UI and
ReDoc are off, since they load scripts from the network: the schema is at `/openapi.json`.
"""

import asyncio
import os
from contextlib import asynccontextmanager
from typing import Annotated, Any, cast

from allennlp.common import Params
from allennlp.predictors import Predictor
from fastapi import Body, FastAPI, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse

from stsn_allennlp.core import DataFormatError
from stsn_allennlp.models import Stsn
from stsn_allennlp.predictors import StsnPredictor, load_stsn_archive
from stsn_allennlp.predictors.inputs import parse_input
from stsn_allennlp.serve.batcher import Batcher
from stsn_allennlp.serve.info import model_info, package_version
from stsn_allennlp.serve.limits import BodyLimit, check_size
from stsn_allennlp.serve.schemas import (
    Health,
    Info,
    PredictInput,
    PredictRequest,
    PredictResponse,
    Record,
)
from stsn_allennlp.serve.settings import ServeSettings
from stsn_allennlp.serve.view import live_page, render_records

JsonDict = dict[str, Any]


def create_app(predictor: StsnPredictor, settings: ServeSettings, config: Params) -> FastAPI:
    """
    The application serving `predictor`.

    # Parameters

    predictor : `StsnPredictor`
        The loaded predictor; its `predict_batch_json` runs every model call.
    settings : `ServeSettings`
        Limits and batching.
    config : `Params`
        The archive's configuration, for `/info`.
    """
    batcher = Batcher(predictor.predict_batch_json, settings.max_batch, settings.batch_wait)
    info = model_info(cast(Stsn, predictor.model), config, settings)
    page = live_page(f"STSN: {info.model}")

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        batcher.start()
        yield
        await batcher.stop()

    app = FastAPI(
        title="STSN joint entity and relation extraction",
        version=package_version(),
        description="Entities and relations in raw text or words, as `allennlp predict` gives them.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )

    @app.get("/", response_class=HTMLResponse, summary="The live page")
    async def index() -> HTMLResponse:
        return HTMLResponse(page)

    @app.post(
        "/predict",
        response_model=PredictResponse,
        summary="Predict entities and relations",
        responses={
            413: {"description": "Body, sentences or words over the limit (named)"},
            400: {"description": "Body not UTF-8"},
            503: {"description": "The prediction ran past the time limit"},
        },
    )
    async def predict(request: Annotated[PredictRequest, Body()]) -> JSONResponse:
        """The predictor's output for one input (a record) or a list of inputs (a list)."""
        inputs = request if isinstance(request, list) else [request]
        return JSONResponse(await _predict(batcher, settings, inputs, isinstance(request, list)))

    @app.post("/render", response_class=HTMLResponse, summary="Draw predictions as the HTML view")
    async def render(records: Annotated[Record | list[Record], Body()]) -> HTMLResponse:
        """The HTML view (`python -m stsn_allennlp.visualize`) of predicted records."""
        chosen = records if isinstance(records, list) else [records]
        try:
            html = render_records(
                [record.model_dump(exclude_none=True) for record in chosen], info.model
            )
        except DataFormatError as error:
            raise HTTPException(422, str(error)) from None
        return HTMLResponse(html)

    @app.get("/health", response_model=Health, summary="Liveness and batching counters")
    async def health() -> Health:
        return Health(
            queued_requests=batcher.queued,
            model_calls=batcher.model_calls,
            sentences=batcher.sentences,
            pid=os.getpid(),
        )

    @app.get("/info", response_model=Info, summary="The model and the server's limits")
    async def get_info() -> Info:
        return info

    app.add_middleware(BodyLimit, max_body_bytes=settings.max_body_bytes)
    return app


async def _predict(
    batcher: Batcher, settings: ServeSettings, inputs: list[PredictInput], many: bool
) -> JsonDict | list[JsonDict]:
    """Checks the request's size, waits for its model call at most `settings.timeout` seconds."""
    plain = [item.as_json() for item in inputs]
    # spaCy's tokenizer runs beside the event loop: a long text does not hold up other requests
    parsed = await asyncio.to_thread(lambda: [parse_input(item) for item in plain])
    sentences = check_size(parsed, settings.max_sentences, settings.max_words)
    try:
        outputs = await asyncio.wait_for(batcher.submit(plain, sentences), settings.timeout)
    except TimeoutError:
        raise HTTPException(
            503,
            f"the prediction did not finish within the time limit of {settings.timeout:g} s "
            "(--timeout); the server goes on serving",
        ) from None
    return outputs if many else outputs[0]


def load_app(settings: ServeSettings) -> FastAPI:
    """
    Loads the archive and builds the application.

    # Parameters

    settings : `ServeSettings`
        The archive and the limits.
    """
    archive = load_stsn_archive(settings.archive, cuda_device=settings.cuda_device)
    predictor = Predictor.from_archive(
        archive, "stsn", extra_args={"batch_size": settings.model_batch}
    )
    return create_app(cast(StsnPredictor, predictor), settings, archive.config)


def app_from_environment() -> FastAPI:
    """The factory uvicorn calls in each worker: `load_app` with the settings stored by
    `python -m stsn_allennlp.serve`."""
    return load_app(ServeSettings.from_environment())
