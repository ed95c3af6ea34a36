/// Sorts `count` keys ascending and moves the payload with them: introsort with a median-of-three
/// pivot and a three-way partition (scikit-learn's `sort` in `_splitter.pyx`), insertion sort for
/// short runs and heapsort when the recursion gets too deep. Not stable; no allocation.
@inline(__always)
func sortKeys(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ count: Int) {
    guard count > 1 else { return }
    var depthLimit = 0
    var n = count
    while n > 1 { depthLimit += 1; n >>= 1 }
    introsort(keys, payload, count, 2 * depthLimit)
}

@inline(__always)
private func swapAt(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ i: Int, _ j: Int) {
    let k = keys[i]; keys[i] = keys[j]; keys[j] = k
    let p = payload[i]; payload[i] = payload[j]; payload[j] = p
}

@inline(__always)
private func medianOfThree(_ keys: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
    let a = keys[0], b = keys[n / 2], c = keys[n - 1]
    if a < b {
        if b < c { return b }
        return a < c ? c : a
    }
    if a < c { return a }
    return b < c ? c : b
}

private func insertionSort(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ n: Int) {
    var i = 1
    while i < n {
        let key = keys[i], value = payload[i]
        var j = i - 1
        while j >= 0 && keys[j] > key {
            keys[j + 1] = keys[j]
            payload[j + 1] = payload[j]
            j -= 1
        }
        keys[j + 1] = key
        payload[j + 1] = value
        i += 1
    }
}

private func siftDown(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ start: Int, _ end: Int) {
    var root = start
    while true {
        let child = 2 * root + 1
        if child >= end { return }
        var largest = root
        if keys[largest] < keys[child] { largest = child }
        if child + 1 < end && keys[largest] < keys[child + 1] { largest = child + 1 }
        if largest == root { return }
        swapAt(keys, payload, root, largest)
        root = largest
    }
}

private func heapsort(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ n: Int) {
    var start = (n - 2) / 2
    while start >= 0 { siftDown(keys, payload, start, n); start -= 1 }
    var end = n - 1
    while end > 0 {
        swapAt(keys, payload, 0, end)
        siftDown(keys, payload, 0, end)
        end -= 1
    }
}

private func introsort(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ count: Int, _ depth: Int) {
    var keys = keys, payload = payload, n = count, depth = depth
    while n > 1 {
        if n <= 16 { insertionSort(keys, payload, n); return }
        if depth <= 0 { heapsort(keys, payload, n); return }
        depth -= 1
        let pivot = medianOfThree(keys, n)
        // Three-way partition: [0, l) < pivot, [l, r) == pivot, [r, n) > pivot.
        var i = 0, l = 0, r = n
        while i < r {
            let k = keys[i]
            if k < pivot {
                swapAt(keys, payload, i, l); i += 1; l += 1
            } else if k > pivot {
                r -= 1; swapAt(keys, payload, i, r)
            } else {
                i += 1
            }
        }
        introsort(keys, payload, l, depth)
        keys += r; payload += r; n -= r
    }
}

/// scikit-learn's `simultaneous_sort(values, samples, n, use_three_way_partition=True)`
/// (`sklearn/utils/_sorting.pyx`, `introsort_3way`) step for step: runs longer than 15 are partitioned
/// three ways around the median of three, with `maxd = 2·⌊log₂ n⌋` before heapsort, shorter runs go to
/// insertion sort. Equal keys end up in scikit-learn's order, which the weighted tree builder needs
/// (sums of fractional weights depend on it); `sortKeys` may order ties differently.
func simultaneousSort(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ count: Int) {
    guard count > 0 else { return }
    var depthLimit = 0
    var n = count
    while n > 1 { depthLimit += 1; n >>= 1 }
    introsort3Way(keys, payload, count, 2 * depthLimit)
}

private func introsort3Way(_ keys: UnsafeMutablePointer<Double>, _ payload: UnsafeMutablePointer<Int32>, _ count: Int,
                           _ depth: Int) {
    var keys = keys, payload = payload, n = count, depth = depth
    while n > 15 {
        if depth <= 0 { heapsort(keys, payload, n); return }
        depth -= 1
        let pivot = medianOfThree(keys, n)
        var i = 0, l = 0, r = n
        while i < r {
            let k = keys[i]
            if k < pivot {
                swapAt(keys, payload, i, l); i += 1; l += 1
            } else if k > pivot {
                r -= 1; swapAt(keys, payload, i, r)
            } else {
                i += 1
            }
        }
        introsort3Way(keys, payload, l, depth)
        keys += r; payload += r; n -= r
    }
    insertionSort(keys, payload, n)
}
