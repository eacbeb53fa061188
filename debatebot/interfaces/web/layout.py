"""The app's layout: the Blocks, its tabs and how each control is wired to a `UI` handler.
Nothing is fetched from the internet: the theme uses system fonts, analytics are off, no share links."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path

import gradio as gr

from debatebot.answers.engine import Engine
from debatebot.core.models import Mode
from debatebot.corpus.library import Library
from debatebot.corpus.uploads import UPLOAD_TYPES
from debatebot.interfaces.web.examples import EXAMPLES_FILE, examples_from_documents, load_examples
from debatebot.interfaces.web.render import (
    docs_table_html,
    sources_panel_html,
    status_markdown,
)
from debatebot.interfaces.web.session import MODE_CHOICES, Session
from debatebot.interfaces.web.ui import OPPONENT_UNSURE, PLACEHOLDERS, UI

log = logging.getLogger(__name__)

CHAT_PLACEHOLDER = (
    "**debatebot** only speaks from its sources: every quotation is verbatim and every **[n]** opens the "
    "passage in context.\n\nPick a mode, then type below — or start from an example underneath."
)


def new_session() -> Session:
    """A fresh per-browser-session state (a function: gr.State would serialise a dataclass type)."""
    return Session()


# ---- layout -------------------------------------------------------------------------------------------
def build_app(library: Library, engine: Engine | Future) -> gr.Blocks:
    ui = UI(library, engine)
    mb = library.settings.limits.max_upload_mb
    examples = load_examples(library.settings.index.seeds_dir)
    if not (Path(library.settings.index.seeds_dir) / EXAMPLES_FILE).is_file():  # a seed folder of one's own
        try:
            examples = examples_from_documents(list(library.documents().values())) if library.docs() else examples
        except Exception:  # no index yet, or it cannot be read: the mode-only examples
            log.warning("examples could not be made from the indexed documents", exc_info=True)
    with gr.Blocks(title="debatebot", analytics_enabled=False) as demo:
        session = gr.State(new_session)
        gr.HTML("<h1>debatebot <small>debate preparation that only speaks from its sources</small></h1>",
                elem_id="title", js_on_load=None)
        status = gr.HTML(status_markdown(ui.engine_label(), 0, 0), elem_id="status", js_on_load=None)
        with gr.Tabs():
            with gr.Tab("Debate", id="debate"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=480):
                        mode = gr.Radio(list(MODE_CHOICES), value="Ask", label="Mode", elem_id="mode")
                        motion = gr.Textbox(examples.motion, label="Motion (used by Argue, Rebut and Practice)",
                                            max_lines=3, visible=False, elem_id="motion")
                        with gr.Row():
                            # every mode's choices (the API accepts any of them); `mode_changed` shows a mode's own
                            side = gr.Radio(["for", "against", OPPONENT_UNSURE], value="for",
                                            label="Your side in the practice debate", visible=False, elem_id="side")
                            speaker = gr.Textbox(label="Speaker the quotation is attributed to (optional)",
                                                 placeholder=f"e.g. {examples.speaker_hint}" if examples.speaker_hint else None,
                                                 visible=False, elem_id="speaker")
                        # no floating label over the first line; tall enough to read, short enough that the
                        # question box below it is on screen on a 1366x768 laptop (browser test)
                        chatbot = gr.Chatbot(label="Debate", show_label=False, height="max(300px, calc(100vh - 450px))",
                                             latex_delimiters=[], elem_id="chat",
                                             placeholder=CHAT_PLACEHOLDER, feedback_options=None,
                                             buttons=["copy"], group_consecutive_messages=False)
                        with gr.Row():
                            # not autofocus: the browser would scroll the page down to the box on load
                            # (app.js focuses it without scrolling, on devices with a mouse)
                            text = gr.Textbox(show_label=False, placeholder=PLACEHOLDERS[Mode.ask], lines=1,
                                              max_lines=6, scale=6, elem_id="ask-box")
                            send = gr.Button("Send", variant="primary", scale=1, min_width=90, elem_id="send")
                        with gr.Row():
                            feedback_btn = gr.Button("End round / feedback", visible=False, elem_id="feedback",
                                                     size="sm")
                            export = gr.DownloadButton("Export brief (.md)", elem_id="export", size="sm")
                            clear = gr.Button("New conversation", elem_id="clear", size="sm")
                        with gr.Accordion("Documents searched (none ticked = all)", open=False):
                            docs_sel = gr.CheckboxGroup(choices=ui.doc_choices(), show_label=False, elem_id="docs-sel")
                        shown = gr.Examples(examples.rows, inputs=[mode, text, speaker, motion], label="Examples",
                                            example_labels=examples.labels())
                    with gr.Column(scale=2, min_width=360, elem_id="sources-col"):
                        gr.HTML("<div class='sources-head'><h3>Sources</h3></div>", elem_id="sources-head",
                                js_on_load=None)
                        sources = gr.HTML(sources_panel_html([], {}), elem_id="sources-panel", js_on_load=None)
            with gr.Tab("Check a draft", id="draft"):
                gr.Markdown("Paste a draft article (or upload it): every quotation, with the speaker the draft gives "
                            "it, and every checkable factual sentence is verified against the indexed sources.",
                            elem_id="draft-help")
                draft_box = gr.Textbox(label="Draft article", lines=10, max_lines=30, elem_id="draft-box",
                                       placeholder="Paste the draft here…")
                draft_file = gr.File(file_count="single", file_types=UPLOAD_TYPES, type="filepath",
                                     label="…or upload it", elem_id="draft-file")
                with gr.Row():
                    draft_btn = gr.Button("Check the draft", variant="primary", elem_id="draft-btn", scale=0,
                                          min_width=200)
                    draft_export = gr.DownloadButton("Export report (.md)", elem_id="draft-export", scale=0,
                                                     min_width=200)
                draft_out = gr.HTML("", elem_id="draft-report", js_on_load=None)
            with gr.Tab("Documents", id="documents"):
                upload = gr.File(file_count="multiple", file_types=UPLOAD_TYPES, type="filepath",
                                 label=f"Upload sources ({', '.join(UPLOAD_TYPES)}; up to {mb:g} MB each)",
                                 elem_id="upload")
                upload_btn = gr.Button("Add to index", variant="primary", elem_id="upload-btn")
                upload_msg = gr.Markdown(elem_id="upload-msg")
                docs_table = gr.HTML(docs_table_html([]), elem_id="docs-table", js_on_load=None)
                with gr.Row():
                    remove_sel = gr.Dropdown(choices=[d for _, d in ui.doc_choices()], value=None, label="Remove a document", scale=3, elem_id="remove-sel")
                    remove_btn = gr.Button("Remove", variant="stop", scale=1, elem_id="remove-btn")

        doc_outputs = [upload_msg, docs_table, docs_sel, remove_sel, status]
        chat_inputs = [session, text, mode, motion, side, speaker, docs_sel]
        chat_outputs = [chatbot, sources, session, text, export]
        send.click(ui.respond, chat_inputs, chat_outputs, api_name="respond", show_progress="minimal")
        text.submit(ui.respond, chat_inputs, chat_outputs, api_visibility="private", show_progress="minimal")
        feedback_btn.click(ui.end_round, [session], [chatbot, session, export], api_name="end_round")
        clear.click(ui.clear, None, [chatbot, sources, session, export], api_name="clear")
        mode.change(ui.mode_changed, [mode], [text, motion, speaker, side, feedback_btn], api_visibility="private",
                    queue=False)
        # an upload replaces the examples with ones made from the new documents
        upload_btn.click(ui.upload, [upload], [upload, *doc_outputs, shown.dataset], api_name="upload")
        remove_btn.click(ui.remove, [remove_sel], doc_outputs, api_name="remove")
        draft_btn.click(ui.check_draft, [session, draft_box, draft_file], [draft_out, session, draft_export],
                        api_name="check_draft")
        demo.load(ui.refresh, None, doc_outputs, api_visibility="private")
        if isinstance(engine, Future):  # refresh the status line once the model has loaded
            timer = gr.Timer(1.0)
            timer.tick(ui.refresh_status, None, [status, timer], api_visibility="private", show_progress="hidden")
        # an API-only endpoint for the brief (the button itself is refreshed after every answer)
        gr.Button(visible=False).click(ui.export, [session], [export], api_name="export")
    return demo
