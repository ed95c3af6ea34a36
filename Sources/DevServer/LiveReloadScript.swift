import Foundation

/// The script the dev server adds to every HTML page it serves (never to files on disk).
///
/// It listens to the server's event stream: `reload` reloads the page, `error` shows the message in an
/// overlay (as text, never as markup), and a reconnect after the server restarted reloads the page.
enum LiveReloadScript {
    static let marker = "loopbook-live-reload"

    static func tag(eventsPath: String) -> String {
        """
        <script id="\(marker)">
        (function () {
          if (!window.EventSource) return;
          var connectedBefore = false;
          var source = new EventSource("\(eventsPath)");
          function hideOverlay() {
            var old = document.getElementById("loopbook-error-overlay");
            if (old) old.remove();
          }
          function showOverlay(message) {
            hideOverlay();
            var box = document.createElement("div");
            box.id = "loopbook-error-overlay";
            box.setAttribute("role", "alert");
            box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);" +
              "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto";
            var title = document.createElement("strong");
            title.textContent = "The last rebuild failed; this page is the last good build.";
            var text = document.createElement("pre");
            text.style.cssText = "white-space:pre-wrap;color:#ffb4b4;margin:1rem 0";
            text.textContent = message;
            var close = document.createElement("button");
            close.type = "button";
            close.textContent = "Dismiss";
            close.onclick = hideOverlay;
            box.appendChild(title); box.appendChild(text); box.appendChild(close);
            document.body.appendChild(box);
          }
          source.addEventListener("hello", function () {
            if (connectedBefore) location.reload();
            connectedBefore = true;
          });
          source.addEventListener("reload", function () { location.reload(); });
          source.addEventListener("error", function (event) {
            if (typeof event.data === "string") showOverlay(event.data);
          });
        })();
        </script>
        """
    }

    /// `html` with the script inserted before the last `</body>`, or appended when there is none.
    /// The tag for the server's own events path, made once.
    private static let defaultTagBytes = Array((tag(eventsPath: StaticSiteHandler.eventsPath) + "\n").utf8)

    static func inject(into html: String, eventsPath: String) -> String {
        String(decoding: inject(into: Array(html.utf8), eventsPath: eventsPath), as: UTF8.self)
    }

    /// The page's bytes with the tag before the last `</body>` (any case), or at the end when there is
    /// none. Works on the bytes, in one backward scan: no decoding, no UTF-16 index conversions.
    static func inject(into html: [UInt8], eventsPath: String) -> [UInt8] {
        let tag = eventsPath == StaticSiteHandler.eventsPath ? defaultTagBytes : Array((tag(eventsPath: eventsPath) + "\n").utf8)
        let close = Array("</body>".utf8)
        var index = html.count - close.count
        while index >= 0 {
            if html[index] == 0x3C {
                var matches = true
                for offset in 1..<close.count {
                    let byte = html[index + offset]
                    // ASCII letters compare case-insensitively.
                    let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                    if lower != close[offset] { matches = false; break }
                }
                if matches {
                    var result = [UInt8]()
                    result.reserveCapacity(html.count + tag.count)
                    result += html[..<index]
                    result += tag
                    result += html[index...]
                    return result
                }
            }
            index -= 1
        }
        return html + tag
    }
}
