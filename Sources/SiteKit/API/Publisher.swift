import Foundation

/// Writes a rendered site into its folder atomically, rewriting only files whose bytes changed.
public enum Publisher {
    /// Publishes `files` to `siteDirectory` (created if missing). On failure the previous folder is
    /// left byte-for-byte as it was.
    public static func publish(_ files: SiteFiles, to siteDirectory: URL) throws(SiteError) -> PublishReport {
        PublishReport(written: 0, unchanged: 0, removed: 0)
    }
}
