import BookModel

/// HTML for `TableSpec`s: a scrollable wrapper, numeric columns right-aligned, a note when rows were cut.
///
/// Cells keep to one line so numbers stay compact, except in text columns with a cell longer than
/// `wrapLength` characters: those are marked `wrap` and may break over lines.
enum Tables {
    static let wrapLength = 24

    static func html(_ table: TableSpec) -> String {
        var html = "<div class=\"table-wrap\"><table class=\"data\">"
        if let title = table.title { html += "<caption>\(HTML.escape(title))</caption>" }
        func isNumeric(_ column: Int) -> Bool { column < table.numeric.count && table.numeric[column] }
        let wraps = table.columns.indices.map { column in
            !isNumeric(column) && table.rows.contains { column < $0.count && $0[column].count > wrapLength }
        }
        func headerClass(_ column: Int) -> String { isNumeric(column) ? " class=\"num\"" : "" }
        func cellClass(_ column: Int) -> String {
            isNumeric(column) ? " class=\"num\"" : column < wraps.count && wraps[column] ? " class=\"wrap\"" : ""
        }
        html += "\n<thead><tr>"
        for (column, name) in table.columns.enumerated() {
            html += "<th\(headerClass(column)) scope=\"col\">\(HTML.escape(name))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (column, cell) in row.enumerated() {
                html += "<td\(cellClass(column))>\(HTML.escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        if let total = table.totalRows, total > table.rows.count {
            html += "<p class=\"table-note\">Showing \(table.rows.count) of \(total) rows.</p>\n"
        }
        return html
    }
}
