/// The wire format between a chapter program (`LoopbookRuntime` writes it) and the notebook engine
/// (`Notebook` reads it).
///
/// Every record is one line on stdout, `\u{1E}LOOPBOOK <nonce> <json>\n`, written after flushing what the
/// chapter printed so far, so text and records keep their order. The nonce comes from the environment
/// variable `LOOPBOOK_NONCE` set by the engine; chapter output cannot forge a record without it.
/// Step boundaries are records too; the engine reads stdout and stderr in the order they were written,
/// so stderr splits per step as well. A long record line may arrive in several writes.
public enum Wire {
    /// The environment variable carrying the per-run nonce.
    public static let nonceVariable = "LOOPBOOK_NONCE"
    /// The byte that starts every record line (ASCII "record separator").
    public static let marker: UInt8 = 0x1E

    /// What travels in one record line.
    public enum Envelope: Codable, Sendable, Equatable {
        /// Step `index` (1-based, as in the chapter) begins.
        case step(Int)
        /// Every step ran; the program is about to return normally.
        case end
        /// Something the current step produced.
        case record(Record)
        /// Top-level code called something that threw, at this address (relative to the executable's load
        /// address); the engine locates an uncaught error with the last one.
        case thrown(offset: Int)
    }

    /// The prefix of a record line for `nonce`: the marker byte, `LOOPBOOK`, the nonce and a space.
    public static func prefix(nonce: String) -> [UInt8] {
        [marker] + Array("LOOPBOOK \(nonce) ".utf8)
    }
}
