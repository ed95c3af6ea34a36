import Foundation
import Learning

let data = try Datasets.classification(randomState: 0)
let xTrain = Array(data.x[0..<15000]), yTrain = Array(data.y[0..<15000])
let xTest = Array(data.x[15000...]), yTest = Array(data.y[15000...])
for jobs in (CommandLine.arguments.count > 1 ? [1] : [1, nil]) as [Int?] {
    var forest = RandomForestClassifier(nEstimators: 100, randomState: 0, nJobs: jobs)
    let t0 = Date()
    try forest.fit(xTrain, yTrain)
    let t1 = Date()
    let p = try forest.predict(xTest)
    let t2 = Date()
    let acc = Double(zip(p, yTest).filter { $0 == $1 }.count) / Double(p.count)
    print(jobs as Any, "fit", t1.timeIntervalSince(t0), "predict", t2.timeIntervalSince(t1), "acc", acc,
          "nodes", Double(forest.treeNodeCounts.reduce(0, +)) / 100, "depth", Double(forest.treeDepths.reduce(0, +)) / 100)
}
