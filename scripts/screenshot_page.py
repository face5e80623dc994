"""Take a screenshot of the server's live page as a person sees it after one question.

    python scripts/screenshot_page.py MODEL.tar.gz "Some text." docs/serve_page.png [--height H]

Starts the server (`python -m stsn_allennlp.serve MODEL.tar.gz`, on a free port of 127.0.0.1),
opens its page in headless Chromium, types the text, presses the button, waits for the drawing,
writes the PNG (1200 pixels wide) and stops the server.
"""

import argparse
import tempfile
from pathlib import Path

from stsn_allennlp.serve.browser import BrowserPage
from stsn_allennlp.serve.process import ServerProcess


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", help="the model archive")
    parser.add_argument("text", help="what to type into the page")
    parser.add_argument("png", type=Path, help="the screenshot to write")
    parser.add_argument("--height", type=int, default=700, help="window height in pixels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with ServerProcess(args.archive, log) as server, BrowserPage(height=args.height) as page:
            page.open(server.url + "/")
            page.type_into("#text", args.text)
            page.click("#run")
            state = page.wait_for(
                "['done', 'error'].indexOf(document.body.dataset.state) >= 0 && document.body.dataset.state"
            )
            page.evaluate("document.activeElement.blur()")
            page.screenshot(args.png)
    print(f"wrote {args.png} (the page's state: {state})")


if __name__ == "__main__":
    main()
