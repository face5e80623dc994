"""An HTTP service for an STSN model with a live page:
`python -m stsn_allennlp.serve MODEL.tar.gz [--host 127.0.0.1] [--port 8000] [--workers N]`.

`POST /predict` answers the predictor's inputs with its outputs (what `allennlp predict` writes),
batching concurrent requests into one model call (`batcher`); `GET /` is a page that draws them
with the HTML view's renderer (`view`); limits on what a request may ask are in `limits`.
"""

from stsn_allennlp.serve.app import create_app, load_app
from stsn_allennlp.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app", "load_app"]
