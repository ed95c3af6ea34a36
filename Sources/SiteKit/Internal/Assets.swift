/// The site's stylesheet and script, shipped inside the binary (no web fonts, no external requests).
///
/// They are edited as real files, `Sources/SiteKit/Resources/style.css` and `site.js`; SwiftPM embeds
/// their bytes at build time (`.embedInCode` in Package.swift), so the tool stays one executable.
enum Assets {
    /// Each asset's path in the site and its bytes, exactly as in `Resources/`.
    static let files: [(path: String, bytes: [UInt8])] = [
        ("assets/style.css", PackageResources.style_css),
        ("assets/site.js", PackageResources.site_js),
    ]

    /// The stylesheet as text.
    static var css: String { String(decoding: PackageResources.style_css, as: UTF8.self) }
}
