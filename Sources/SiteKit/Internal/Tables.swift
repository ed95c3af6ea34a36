import LoopbookRuntime

/// HTML for `TableSpec`s: a scrollable wrapper, numeric columns right-aligned, a note when rows were cut.
enum Tables {
    static func html(_ table: TableSpec) -> String {
        var html = "<div class=\"table-wrap\"><table class=\"data\">"
        if let title = table.title { html += "<caption>\(HTML.escape(title))</caption>" }
        func cellClass(_ column: Int) -> String {
            column < table.numeric.count && table.numeric[column] ? " class=\"num\"" : ""
        }
        html += "\n<thead><tr>"
        for (column, name) in table.columns.enumerated() {
            html += "<th\(cellClass(column)) scope=\"col\">\(HTML.escape(name))</th>"
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
