"""The PDF renderer fetches nothing: a URL that reached the document could only have come from typed text."""

import http.server
import threading

from disclosure.document import render_pdf


def test_the_pdf_renderer_requests_no_url_the_html_names() -> None:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (
            f'<html><head><link rel="stylesheet" href="{url}/style.css"></head>'
            f'<body><p>部门预算</p><img src="{url}/image.png"><img src="file:///etc/passwd"></body></html>'
        )
        pdf = render_pdf(html)
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert hits == []
