// learning-bench: fits and predicts random forests on scikit-learn's small data sets and a 20,000 × 20
// synthetic set, and, where scikit-learn is installed, runs the same fits with it side by side.
//
//   swift run -c release learning-bench [--repeats 3] [--splits 5] [--python PATH] [--no-sklearn]
//                                        [--fixtures DIR] [--datasets iris,wine,...] [--predict-only]
//
// Run from the repository root. Accuracy is the mean over `splits` train/test splits
// (trainTestSplit(testSize: 0.25, randomState: s), the same rows as scikit-learn's) with
// RandomForestClassifier(nEstimators: 100, randomState: s); times are medians over `repeats` runs on split 0.
// Single-threaded fits and predictions are timed in processor time (time.process_time() on the Python
// side), so other programs on a shared machine do not distort the ratios; all-core fits and predictions in
// wall time. --predict-only fits each forest once (split 0) and times only prediction, `repeats` times.
//
// Then cross-validation (issue #16): crossValScore(RandomForestClassifier(nEstimators: trees, randomState: 0),
// X, y) on --crossval's data set (digits; StratifiedKFold(5), scikit-learn's cv=5) against scikit-learn's
// cross_val_score, single-threaded in processor time and with the trees on every core in wall time; it
// prints both times, the ratio, and whether the five scores are the same (they must be; CrossValBenchParityTests
// asserts it). --crossval-only skips the forest table; --no-crossval skips cross-validation.
import Foundation
import Learning

struct Options {
    var repeats = 3
    var splits = 5
    var trees = 100
    var python: String?
    var sklearn = true
    var fixtures = "Tests/LearningTests/Fixtures/datasets"
    var datasets = ["iris", "wine", "breast_cancer", "digits"]
    var synthetic = true
    var predictOnly = false
    var crossval: String? = "digits"
    var crossvalOnly = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw BenchError("\(flag) needs a value.") }
            return v
        }
        func number(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let n = Int(text), n >= 1 else { throw BenchError("\(flag) needs a positive integer, not '\(text)'.") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--repeats": repeats = try number(flag)
            case "--splits": splits = try number(flag)
            case "--trees": trees = try number(flag)
            case "--python": python = try value(flag)
            case "--no-sklearn": sklearn = false
            case "--fixtures": fixtures = try value(flag)
            case "--datasets": datasets = try value(flag).split(separator: ",").map(String.init)
            case "--no-synthetic": synthetic = false
            case "--predict-only": predictOnly = true
            case "--crossval": crossval = try value(flag)
            case "--no-crossval": crossval = nil
            case "--crossval-only": crossvalOnly = true
            case "-h", "--help":
                print("usage: learning-bench [--repeats N] [--splits N] [--trees N] [--python PATH] [--no-sklearn]"
                      + " [--fixtures DIR] [--datasets a,b] [--no-synthetic] [--predict-only]"
                      + " [--crossval DATASET | --no-crossval] [--crossval-only]")
                exit(0)
            default: throw BenchError("Unknown option '\(flag)'; see --help.")
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

struct Measured: Decodable {
    var fit1: Double
    var fitAll: Double
    var predict: Double
    var predictAll: Double
    var accuracy: Double
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Processor time of this process (all threads), robust to other programs sharing the machine.
func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
    let start = now()
    try body()
    return now() - start
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func benchSwift(_ data: Dataset, options: Options, splits: Int) throws -> Measured {
    if options.predictOnly { return try benchSwiftPredict(data, options: options) }
    var accuracies: [Double] = []
    for s in 0..<splits {
        let split = try trainTestSplit(data.x, data.y, testSize: 0.25, randomState: s)
        var forest = RandomForestClassifier(nEstimators: options.trees, randomState: s)
        try forest.fit(split.xTrain, split.yTrain)
        accuracies.append(try accuracyScore(split.yTest, forest.predict(split.xTest)))
    }
    let split = try trainTestSplit(data.x, data.y, testSize: 0.25, randomState: 0)
    var serial = RandomForestClassifier(nEstimators: options.trees, randomState: 0, nJobs: 1)
    var parallel = RandomForestClassifier(nEstimators: options.trees, randomState: 0)
    var fit1: [Double] = [], fitAll: [Double] = [], predict: [Double] = [], predictAll: [Double] = []
    for _ in 0..<options.repeats {
        fit1.append(try cpuSeconds { try serial.fit(split.xTrain, split.yTrain) })
        fitAll.append(try seconds { try parallel.fit(split.xTrain, split.yTrain) })
        predict.append(try cpuSeconds { _ = try serial.predict(split.xTest) })
        predictAll.append(try seconds { _ = try parallel.predict(split.xTest) })
    }
    return Measured(fit1: median(fit1), fitAll: median(fitAll), predict: median(predict),
                    predictAll: median(predictAll), accuracy: accuracies.reduce(0, +) / Double(accuracies.count))
}

/// --predict-only: one fit on split 0, then `repeats` timed predictions single-threaded (processor time)
/// and on every core (wall time); the fit columns are 0 and the accuracy is split 0's.
func benchSwiftPredict(_ data: Dataset, options: Options) throws -> Measured {
    let split = try trainTestSplit(data.x, data.y, testSize: 0.25, randomState: 0)
    var forest = RandomForestClassifier(nEstimators: options.trees, randomState: 0)
    try forest.fit(split.xTrain, split.yTrain)
    var serial = forest
    serial.nJobs = 1
    var predict: [Double] = [], predictAll: [Double] = []
    for _ in 0..<options.repeats {
        predict.append(try cpuSeconds { _ = try serial.predict(split.xTest) })
        predictAll.append(try seconds { _ = try forest.predict(split.xTest) })
    }
    let accuracy = try accuracyScore(split.yTest, serial.predict(split.xTest))
    return Measured(fit1: 0, fitAll: 0, predict: median(predict), predictAll: median(predictAll), accuracy: accuracy)
}

/// The first Python that can import scikit-learn: --python, $LEARNING_BENCH_PYTHON, /work/venv-sk, .build/bench-venv.
func findPython(_ options: Options) -> String? {
    let candidates = [options.python, ProcessInfo.processInfo.environment["LEARNING_BENCH_PYTHON"],
                      "/work/venv-sk/bin/python", ".build/bench-venv/bin/python"].compactMap { $0 }
    for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: path)
        probe.arguments = ["-c", "import sklearn"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        if (try? probe.run()) != nil {
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return path }
        }
    }
    return nil
}

func runSklearn(python: String, options: Options, syntheticPath: String?) throws -> [String: Measured] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    var arguments = ["Benchmarks/learning_bench.py", "--fixtures", options.fixtures, "--repeats", "\(options.repeats)",
                     "--splits", "\(options.splits)", "--trees", "\(options.trees)",
                     "--datasets", options.datasets.joined(separator: ",")]
    if let syntheticPath { arguments += ["--synthetic", syntheticPath] }
    if options.predictOnly { arguments.append("--predict-only") }
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()  // drains until the child exits
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("Benchmarks/learning_bench.py exited with status \(process.terminationStatus).")
    }
    return try JSONDecoder().decode([String: Measured].self, from: output)
}

struct CrossValMeasured: Decodable {
    var cv1: Double
    var cvAll: Double
    var scores: [Double]
}

/// crossValScore of a `trees`-tree forest (randomState 0) with the default StratifiedKFold(5): medians of
/// `repeats` runs, nJobs 1 in processor time and every core in wall time.
func benchCrossVal(_ data: Dataset, options: Options) throws -> CrossValMeasured {
    let serial = RandomForestClassifier(nEstimators: options.trees, randomState: 0, nJobs: 1)
    let parallel = RandomForestClassifier(nEstimators: options.trees, randomState: 0)
    let scores = try crossValScore(serial, data.x, data.y)
    var cv1: [Double] = [], cvAll: [Double] = []
    for _ in 0..<options.repeats {
        cv1.append(try cpuSeconds { _ = try crossValScore(serial, data.x, data.y) })
        cvAll.append(try seconds { _ = try crossValScore(parallel, data.x, data.y) })
    }
    return CrossValMeasured(cv1: median(cv1), cvAll: median(cvAll), scores: scores)
}

func runSklearnCrossVal(python: String, options: Options, dataset: String) throws -> CrossValMeasured {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["Benchmarks/learning_bench.py", "--fixtures", options.fixtures, "--repeats", "\(options.repeats)",
                         "--trees", "\(options.trees)", "--crossval", dataset]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()  // drains until the child exits
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("Benchmarks/learning_bench.py --crossval exited with status \(process.terminationStatus).")
    }
    return try JSONDecoder().decode(CrossValMeasured.self, from: output)
}

/// Prints the cross-validation table: Swift and scikit-learn times, ratios, and whether the scores agree.
func reportCrossVal(_ dataset: String, options: Options) throws {
    let table = try Table.readCSV("\(options.fixtures)/\(dataset).csv")
    guard let labels = table.labels else { throw BenchError("\(dataset).csv has no 'target' column.") }
    let data = Dataset(featureNames: table.columnNames, features: table.rows, labels: labels)
    FileHandle.standardError.write("[swift] cross-validation on \(dataset)\n".data(using: .utf8)!)
    let s = try benchCrossVal(data, options: options)
    var k: CrossValMeasured?
    if options.sklearn, let python = findPython(options) {
        FileHandle.standardError.write("[sklearn] cross-validation on \(dataset)\n".data(using: .utf8)!)
        k = try runSklearnCrossVal(python: python, options: options, dataset: dataset)
    }
    print("")
    print("Cross-validation: crossValScore / cross_val_score of RandomForestClassifier(\(options.trees) trees, random_state 0)")
    print("on \(dataset) (\(data.count) × \(data.x.first?.count ?? 0)), cv=5 (StratifiedKFold(5)); medians of \(options.repeats) runs;")
    print("1T: nJobs 1, processor time; all: trees on every core, wall time. Ratios are scikit-learn time / Swift time.")
    print("")
    var header = [pad("", 6, left: true), pad("Swift", 10)]
    if k != nil { header += [pad("sklearn", 10), pad("ratio", 8)] }
    print(header.joined(separator: " "))
    for (name, swiftTime, skTime) in [("1T", s.cv1, k?.cv1), ("all", s.cvAll, k?.cvAll)] {
        var row = [pad(name, 6, left: true), pad(ms(swiftTime), 10)]
        if let skTime { row += [pad(ms(skTime), 10), pad(ratio(skTime, swiftTime), 8)] }
        print(row.joined(separator: " "))
    }
    print("scores (Swift):        " + s.scores.map { String(format: "%.6f", $0) }.joined(separator: " "))
    if let k {
        print("scores (scikit-learn): " + k.scores.map { String(format: "%.6f", $0) }.joined(separator: " "))
        print(k.scores == s.scores ? "same folds, same scores: yes (bit for bit)" : "same scores: NO — the scores differ")
    }
}

func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let gap = String(repeating: " ", count: max(0, width - text.count))
    return left ? text + gap : gap + text
}

func ms(_ value: Double) -> String { value > 0 ? String(format: "%.1f ms", value * 1000) : "—" }
func ratio(_ a: Double, _ b: Double) -> String { a > 0 && b > 0 ? String(format: "%.2f×", a / b) : "—" }
func percent(_ value: Double) -> String { String(format: "%.2f", value * 100) }

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if options.crossvalOnly {
        try reportCrossVal(options.crossval ?? "digits", options: options)
        exit(0)
    }
    var sets: [(name: String, data: Dataset)] = []
    for name in options.datasets {
        let table = try Table.readCSV("\(options.fixtures)/\(name).csv")
        guard let labels = table.labels else { throw BenchError("\(name).csv has no 'target' column.") }
        sets.append((name, Dataset(featureNames: table.columnNames, features: table.rows, labels: labels)))
    }
    var syntheticPath: String?
    if options.synthetic {
        let synthetic = try Datasets.classification(samples: 20_000, features: 20, randomState: 0)
        sets.append(("synthetic", synthetic))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("learning-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("synthetic.csv").path
        try Table(columnNames: synthetic.featureNames, rows: synthetic.x, labelName: "target", labels: synthetic.y)
            .writeCSV(to: path)
        syntheticPath = path
    }
    defer { if let syntheticPath { try? FileManager.default.removeItem(atPath: (syntheticPath as NSString).deletingLastPathComponent) } }

    var swift: [String: Measured] = [:]
    for set in sets {
        FileHandle.standardError.write("[swift] \(set.name)\n".data(using: .utf8)!)
        swift[set.name] = try benchSwift(set.data, options: options, splits: set.name == "synthetic" ? 1 : options.splits)
    }
    var sklearn: [String: Measured] = [:]
    if options.sklearn {
        if let python = findPython(options) {
            FileHandle.standardError.write("[sklearn] \(python)\n".data(using: .utf8)!)
            sklearn = try runSklearn(python: python, options: options, syntheticPath: syntheticPath)
        } else {
            FileHandle.standardError.write(
                "note: no Python with scikit-learn found (try --python PATH); printing Swift numbers only.\n".data(using: .utf8)!)
        }
    }

    print("Random forests, \(options.trees) trees; \(cores) cores; times are medians of \(options.repeats) runs on a 75/25 split")
    print("(fit 1T and pred 1T, single-threaded: processor time; fit all and pred all, every core: wall time);")
    print("accuracy is the mean over \(options.splits) splits (1 for synthetic). Ratios are scikit-learn time / Swift time.")
    print("")
    var header = [pad("dataset", 14, left: true), pad("n × d", 12), pad("fit 1T", 9), pad("fit all", 9), pad("pred 1T", 9), pad("pred all", 9),
                  pad("acc %", 7)]
    if !sklearn.isEmpty {
        header += [pad("sk fit 1T", 10), pad("sk fit all", 10), pad("sk pred 1T", 10), pad("sk pred all", 11),
                   pad("sk acc %", 9), pad("fit 1T ×", 9), pad("fit all ×", 10), pad("sk1T/all", 9), pad("pred 1T ×", 10),
                   pad("pred all ×", 11), pad("Δacc", 6)]
    }
    print(header.joined(separator: " "))
    for set in sets {
        guard let s = swift[set.name] else { continue }
        var row = [pad(set.name, 14, left: true), pad("\(set.data.count) × \(set.data.x.first?.count ?? 0)", 12),
                   pad(ms(s.fit1), 9), pad(ms(s.fitAll), 9), pad(ms(s.predict), 9), pad(ms(s.predictAll), 9),
                   pad(percent(s.accuracy), 7)]
        if let k = sklearn[set.name] {
            row += [pad(ms(k.fit1), 10), pad(ms(k.fitAll), 10), pad(ms(k.predict), 10), pad(ms(k.predictAll), 11),
                    pad(percent(k.accuracy), 9), pad(ratio(k.fit1, s.fit1), 9), pad(ratio(k.fitAll, s.fitAll), 10),
                    pad(ratio(k.fit1, s.fitAll), 9), pad(ratio(k.predict, s.predict), 10), pad(ratio(k.predictAll, s.predictAll), 11),
                    pad(String(format: "%+.2f", (s.accuracy - k.accuracy) * 100), 6)]
        }
        print(row.joined(separator: " "))
    }
    if let dataset = options.crossval { try reportCrossVal(dataset, options: options) }
} catch {
    FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
