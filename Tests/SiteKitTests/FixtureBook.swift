import BookModel
import Notebook
import LoopbookRuntime
@testable import SiteKit

/// A small book exercising every feature of the site, built from values (no notebook engine needed).
enum FixtureBook {
    static let info = BookInfo(title: "Feedback Loops", subtitle: "A fixture book for SiteKit's tests",
                               introduction: "Every number in this book comes from code the build **really runs**.")

    static var chapters: [ExecutedChapter] { [welcome, data, charts] }

    static let welcome: ExecutedChapter = {
        let prose1 = """
            # Welcome

            This chapter trains a model and reaches an accuracy of **{{ accuracy }}** on the holdout set,
            against a baseline of {{baseline}}. Write `{{ accuracy }}` in prose to insert a value; write
            \\{{ accuracy }} to show the braces.

            > [!NOTE]
            > Building the book runs its code, like Jupyter and Quarto do.

            > [!WARNING]
            > Seeds matter: change `randomState` and the numbers move.

            > A plain quotation stays a quotation.

            ## Setting up

            A Swift block in prose is highlighted too:

            ```swift
            let model = RandomForestClassifier(nEstimators: 100, randomState: 42)
            ```

            ```python
            model = RandomForestClassifier(n_estimators=100, random_state=42)
            ```

            | feature | kind |
            |---|---:|
            | petal length | 3 |

            Raw HTML is filtered: <script>alert("no")</script> and <b>bold</b>.
            """
        let prose2 = """
            ## Training

            The next step prints the accuracy.

            ### A detail
            Text under a third-level heading.
            """
        let prose3 = """
            ## What is next

            A step that is shown but not run, and one whose output is hidden.
            """
        let chapter = Chapter(
            path: "Content/01-welcome.md", slug: "01-welcome", number: 1, title: "Welcome",
            summary: "What the book is about and how it is built.",
            blocks: [
                .prose(markdown: prose1, line: 1),
                .step(Step(index: 1, line: 40, code: "import Learning\nvar rng = NumPyRandom(seed: 42)\n",
                           flags: StepFlags(hidden: true))),
                .prose(markdown: prose2, line: 44),
                .step(Step(index: 2, line: 52, code: """
                    /// Trains and scores the model.
                    @MainActor func score() -> Double { 0.93 }
                    let accuracy = score()
                    print("accuracy: \\(accuracy) on \\(150 - 120) rows") // the holdout
                    publish("accuracy", accuracy)

                    """, flags: StepFlags())),
                .prose(markdown: prose3, line: 60),
                .step(Step(index: 3, line: 64, code: "while true { retrain() }\n", flags: StepFlags(norun: true))),
                .step(Step(index: 4, line: 68, code: "print(\"noise\")\n", flags: StepFlags(hideOutput: true))),
            ])
        let result = ChapterResult(
            steps: [
                StepResult(index: 1),
                StepResult(index: 2, outputs: [.stdout("accuracy: 0.93 on 30 rows\n"),
                                               .record(.value(key: "accuracy", text: "0.93"))]),
                StepResult(index: 3),
                StepResult(index: 4, outputs: [.stdout("noise\n")]),
            ],
            values: ["accuracy": "0.93", "baseline": "0.33 <chance>"])
        return ExecutedChapter(chapter: chapter, result: result, status: .cached)
    }()

    static let data: ExecutedChapter = {
        let chapter = Chapter(
            path: "Content/02-data.md", slug: "02-data", number: 2, title: "The data",
            summary: "Iris: 150 flowers, four measurements, three species.",
            blocks: [
                .prose(markdown: "# The data\n\nWe load the data and look at it.\n", line: 1),
                .step(Step(index: 1, line: 5, code: "let table = try Table.csv(\"iris.csv\")\nshow(table.head())\n",
                           flags: StepFlags())),
                .prose(markdown: "## Escaping\n\nOutput is text, never markup.\n", line: 10),
                .step(Step(index: 2, line: 14, code: "print(\"<script>alert(1)</script>\")\n", flags: StepFlags())),
                .prose(markdown: "## Errors\n\nA step that fails shows where.\n", line: 18),
                .step(Step(index: 3, line: 22, code: "let x: Int = \"one\"\n", flags: StepFlags(expectError: true))),
                .step(Step(index: 4, line: 26, code: "modle.fit()\n", flags: StepFlags())),
            ])
        let table = TableSpec(
            title: "First rows of iris", columns: ["sepal length", "sepal width", "species"],
            numeric: [true, true, false],
            rows: [["5.1", "3.5", "setosa"], ["4.9", "3.0", "setosa"], ["7.0", "3.2", "versicolor"]], totalRows: 150)
        let result = ChapterResult(
            steps: [
                StepResult(index: 1, outputs: [
                    .record(.table(table)),
                    .record(.metric(MetricSpec(name: "Rows", text: "150"))),
                    .record(.metric(MetricSpec(name: "Holdout accuracy", text: "0.933", detail: "28 of 30 right"))),
                    .stdout("loaded iris.csv\n"),
                    .stderr("warning: 2 rows had missing values\n"),
                    .record(.file(FileSpec(path: "sample.csv", description: "the first rows as CSV"))),
                ]),
                StepResult(index: 2, outputs: [
                    .stdout("<script>alert(1)</script>\n\"><img src=x onerror=alert(1)>\n"),
                    .truncated(droppedBytes: 2048),
                ]),
                StepResult(index: 3, failure: StepFailure(file: "Content/02-data.md", line: 23, column: 14,
                    message: "cannot convert value of type 'String' to specified type 'Int'")),
                StepResult(index: 4, failure: StepFailure(file: "Content/02-data.md", line: 27, column: 1,
                    message: "cannot find 'modle' in scope")),
            ],
            artifacts: [Artifact(name: "sample.csv", contents: Array("a,b\n1,2\n".utf8)),
                        Artifact(name: "notes/extra file.txt", contents: Array("extra\n".utf8))])
        return ExecutedChapter(chapter: chapter, result: result, status: .ran(reason: "no cache entry"))
    }()

    static let chartSpecs: [ChartSpec] = [
        ChartSpec(title: "Accuracy by round", xLabel: "round", yLabel: "accuracy", kind: .line([
            LineSeries(name: "with feedback", points: (1...8).map { Point(x: Double($0), y: 0.80 + 0.015 * Double($0)) },
                       band: (1...8).map { BandPoint(x: Double($0), low: 0.78 + 0.015 * Double($0), high: 0.82 + 0.015 * Double($0)) }),
            LineSeries(name: "without", points: (1...8).map { Point(x: Double($0), y: 0.80 - 0.004 * Double($0)) }),
        ])),
        ChartSpec(title: "Errors per class", summary: "Most errors are versicolor.", xLabel: "class", kind: .bar(
            categories: ["setosa", "versicolor", "virginica"],
            series: [BarSeries(name: "round 1", values: [0, 7, 4]), BarSeries(name: "round 5", values: [0, 3, 2])])),
        ChartSpec(title: "Petal length", xLabel: "cm", yLabel: "flowers", kind: .histogram(
            [HistogramBin(lower: 1, upper: 2, count: 50), HistogramBin(lower: 2, upper: 3, count: 0),
             HistogramBin(lower: 3, upper: 4, count: 11), HistogramBin(lower: 4, upper: 5, count: 43),
             HistogramBin(lower: 5, upper: 6, count: 35), HistogramBin(lower: 6, upper: 7, count: 11)])),
        ChartSpec(title: "Petals & mistakes", xLabel: "petal length", yLabel: "petal width", kind: .scatter(
            [ScatterPoint(x: 1.4, y: 0.2, group: "setosa"), ScatterPoint(x: 1.3, y: 0.3, group: "setosa"),
             ScatterPoint(x: 4.7, y: 1.4, group: "versicolor"), ScatterPoint(x: 4.5, y: 1.6, group: "versicolor", highlighted: true),
             ScatterPoint(x: 6.0, y: 2.5, group: "virginica"), ScatterPoint(x: 5.1, y: 1.5, group: "virginica", highlighted: true)])),
        ChartSpec(title: "Confusion matrix", xLabel: "predicted", yLabel: "true", kind: .heatmap(
            rowLabels: ["setosa", "versicolor", "virginica"], columnLabels: ["setosa", "versicolor", "virginica"],
            values: [[10, 0, 0], [0, 8, 1], [0, 1, 10]])),
        ChartSpec(title: "First tree", kind: .tree([
            TreeNode(label: "petal length ≤ 2.45", detail: "gini 0.67 · n 120", children: [1, 2]),
            TreeNode(label: "setosa", detail: "n 40"),
            TreeNode(label: "petal width ≤ 1.75", detail: "gini 0.5 · n 80", children: [3, 4]),
            TreeNode(label: "petal length ≤ 4.95", detail: "n 42", children: [5, 6]),
            TreeNode(label: "virginica", detail: "n 38"),
            TreeNode(label: "sepal width ≤ 2.6", children: [7, 8]),
            TreeNode(label: "virginica", detail: "n 4"),
            TreeNode(label: "versicolor"), TreeNode(label: "virginica"),
        ])),
    ]

    static let charts: ExecutedChapter = {
        var blocks: [Block] = [.prose(markdown: "# Charts\n\nEvery kind of chart the site draws.\n", line: 1)]
        var steps: [StepResult] = []
        for (offset, spec) in chartSpecs.enumerated() {
            blocks.append(.prose(markdown: "## \(spec.title)\n", line: 4 + offset * 6))
            blocks.append(.step(Step(index: offset + 1, line: 6 + offset * 6, code: "show(chart\(offset + 1))\n",
                                     flags: StepFlags())))
            steps.append(StepResult(index: offset + 1, outputs: [.record(.chart(spec))]))
        }
        let chapter = Chapter(path: "Content/03-charts.md", slug: "03-charts", number: 3, title: "Charts",
                              summary: "Lines, bars, histograms, scatter plots, heatmaps and trees.", blocks: blocks)
        return ExecutedChapter(chapter: chapter, result: ChapterResult(steps: steps), status: .cached)
    }()
}
