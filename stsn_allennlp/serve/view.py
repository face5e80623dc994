"""The HTML the server shows: predictions drawn by the HTML view's renderer, and the live page.

`render_records` is `python -m stsn_allennlp.visualize` for records held in memory: the same
reader (`scored_sentence`), marks and page (`render_page`). The live page at `/` is one
self-contained file (inline CSS and script, nothing fetched from the network): it sends the text
to `POST /predict`, hands the records the API returned to `POST /render`, and shows that page in
a frame, so that what it draws is exactly what the HTML view draws, with the scores on hover.

Hooks for tests: when the page has drawn a prediction, `<body>` carries `data-state="done"`
(`"error"` with the message in `#status` when the API refused), `data-entities` and
`data-relations` (the counts the API returned); the frame is `iframe#view`.
"""

from collections.abc import Sequence
from html import escape
from typing import Any

from stsn_allennlp.core.records import output_lines
from stsn_allennlp.visualize.html import render_page
from stsn_allennlp.visualize.inputs import scored_sentence
from stsn_allennlp.visualize.marks import sentence_marks

SOURCE = "the request"


def render_records(records: Sequence[dict[str, Any]], title: str) -> str:
    """
    The HTML view of predicted records, each sentence headed `sentence N`.

    # Parameters

    records : `Sequence[Dict[str, Any]]`
        Sentence or document records, as `POST /predict` answers them.
    title : `str`
        The page's title.

    # Raises

    `DataFormatError` when a record is not valid (e.g. a relation naming a missing entity).
    """
    sentences = [line for record in records for line in output_lines(record)]
    marks = [
        sentence_marks(
            scored_sentence(record, SOURCE, number, number - 1)._replace(where=f"sentence {number}")
        )
        for number, record in enumerate(sentences, start=1)
    ]
    return render_page(marks, title)


PAGE_STYLE = """
body{font:14px system-ui,sans-serif;margin:16px;color:#1f2328}
h1{font-size:18px;margin:0 0 8px}
textarea{width:100%;max-width:900px;height:80px;font:14px monospace;box-sizing:border-box}
.controls{margin:6px 0}
#status{color:#57606a;margin-left:8px}
body[data-state=error] #status{color:#d1242f}
iframe{width:100%;border:1px solid #d0d7de;height:60px}
pre{font:12px monospace;background:#f6f8fa;padding:8px;max-height:300px;overflow:auto}
"""

PAGE_SCRIPT = """
(function(){
var body=document.body,text=document.getElementById('text'),kind=document.getElementById('kind'),
button=document.getElementById('run'),status=document.getElementById('status'),
view=document.getElementById('view'),json=document.getElementById('json');
function post(path,payload){return fetch(path,{method:'POST',
headers:{'Content-Type':'application/json'},body:JSON.stringify(payload)});}
function detail(response){return response.json().then(function(answer){
var d=answer.detail;throw new Error(response.status+': '+(typeof d==='string'?d:
d.map(function(e){return e.loc.join('.')+': '+e.msg;}).join('; ')));});}
function count(record,key){return (record.sentences||[record]).reduce(function(n,s){
return n+s[key].length;},0);}
function run(){var input={};input[kind.value]=text.value;
body.setAttribute('data-state','busy');status.textContent='predicting...';button.disabled=true;
var record;
post('predict',input).then(function(r){return r.ok?r.json():detail(r);})
.then(function(answer){record=answer;json.textContent=JSON.stringify(answer,null,1);
return post('render',answer);}).then(function(r){return r.ok?r.text():detail(r);})
.then(function(html){view.onload=function(){
view.style.height=(view.contentDocument.documentElement.scrollHeight+20)+'px';
body.setAttribute('data-entities',count(record,'entities'));
body.setAttribute('data-relations',count(record,'relations'));
status.textContent=count(record,'entities')+' entities, '+count(record,'relations')+
' relations';body.setAttribute('data-state','done');};view.srcdoc=html;})
.catch(function(error){status.textContent=error.message;body.setAttribute('data-state','error');})
.finally(function(){button.disabled=false;});}
button.addEventListener('click',run);
text.addEventListener('keydown',function(e){if(e.key==='Enter'&&(e.ctrlKey||e.metaKey))run();});
body.setAttribute('data-state','ready');
})();
"""


def live_page(title: str) -> str:
    """
    The page at `/`: a text box, a button, and the drawn prediction.

    # Parameters

    title : `str`
        Shown as the page's heading (the model's name).
    """
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<title>{escape(title)}</title><link rel="icon" href="data:,">'
        f"<style>{PAGE_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        '<textarea id="text" placeholder="Type or paste text" autofocus></textarea>'
        '<div class="controls"><select id="kind"><option value="document">document (split into '
        'sentences)</option><option value="sentence">one sentence</option></select> '
        '<button id="run" type="button">Extract entities and relations</button>'
        '<span id="status">Ctrl+Enter also runs it.</span></div>'
        '<iframe id="view" title="entities and relations"></iframe>'
        '<details><summary>JSON from the API</summary><pre id="json"></pre></details>'
        f"<script>{PAGE_SCRIPT}</script></body></html>\n"
    )
