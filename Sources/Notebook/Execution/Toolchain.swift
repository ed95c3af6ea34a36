import BookModel
import Crypto
import Foundation

/// The Swift compiler chapters are compiled with, and its identity for cache keys.
struct Toolchain: Sendable {
    /// Absolute path of `swiftc`.
    var swiftc: String
    /// The `llvm-symbolizer` next to `swiftc` (the real file, not a link's folder), if there is one.
    var symbolizer: String? {
        let real = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath()
        let path = real.deletingLastPathComponent().appendingPathComponent("llvm-symbolizer").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
    /// The output of `swiftc --version`.
    var version: String

    /// Finds `swiftc` (explicit path, else `$SWIFTC`, else `PATH`) and its version.
    ///
    /// `swiftc --version` takes about 0.25 s, so the answer is kept in `memoDirectory`, keyed by the
    /// resolved compiler binary's path, size, inode and modification time.
    static func locate(explicit: String?, memoDirectory: URL) throws -> Toolchain {
        let environment = ProcessInfo.processInfo.environment
        let candidate = explicit ?? environment["SWIFTC"] ?? findInPath("swiftc", path: environment["PATH"] ?? "/usr/bin")
        guard let swiftc = candidate, FileManager.default.isExecutableFile(atPath: swiftc) else {
            throw NotebookError.compilerUnavailable(path: candidate ?? "swiftc", message: "it was not found; install Swift or put swiftc on PATH.")
        }
        let resolved = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
        var info = stat()
        let identity = stat(resolved, &info) == 0
            ? "\(resolved) \(info.st_size) \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)" : resolved
        let memoName = "toolchain-" + SHA256.hash(data: Data(identity.utf8)).hex.prefix(16) + ".txt"
        let memo = memoDirectory.appendingPathComponent(memoName)
        if let data = try? Data(contentsOf: memo), let version = String(data: data, encoding: .utf8), !version.isEmpty {
            return Toolchain(swiftc: swiftc, version: version)
        }
        let (termination, out, err) = try ProcessRunner.capture(
            executable: swiftc, arguments: ["--version"], environment: environment,
            directory: FileManager.default.currentDirectoryPath, timeout: 60)
        guard termination == .exited(0) else {
            throw NotebookError.compilerUnavailable(path: swiftc, message: String(decoding: err, as: UTF8.self))
        }
        let version = String(decoding: out, as: UTF8.self)
        try? FileManager.default.createDirectory(at: memoDirectory, withIntermediateDirectories: true)
        try? AtomicFile.write(Data(version.utf8), to: memo)
        return Toolchain(swiftc: swiftc, version: version)
    }

    static func findInPath(_ name: String, path: String) -> String? {
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// The shared library chapter programs link (Learning + LoopbookRuntime) and its fingerprint.
struct RuntimeLibrary: Sendable {
    static let fileName = "libLoopbookKit.so"

    /// The folder holding libLoopbookKit.so and Modules/.
    var directory: URL
    /// SHA-256 over the library and the runtime's and Learning's module files.
    var fingerprint: String

    /// Finds the library: explicit folder, else `$LOOPBOOK_LIBRARY_DIR`, else the running executable's folder
    /// (`.build/release`, where `swift build` puts both), else `<executable's folder>/../lib/loopbook` (where
    /// `make install PREFIX=…` puts it beside `PREFIX/bin/loopbook`).
    static func locate(explicit: URL?, memoDirectory: URL) throws -> RuntimeLibrary {
        var candidates: [URL] = []
        if let explicit { candidates.append(explicit) }
        else {
            if let fromEnvironment = ProcessInfo.processInfo.environment["LOOPBOOK_LIBRARY_DIR"], !fromEnvironment.isEmpty {
                candidates.append(URL(fileURLWithPath: fromEnvironment))
            }
            if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
                let folder = executable.deletingLastPathComponent()
                candidates.append(folder)
                candidates.append(folder.deletingLastPathComponent().appendingPathComponent("lib/loopbook").standardizedFileURL)
            }
        }
        for directory in candidates where isLibraryDirectory(directory) {
            return RuntimeLibrary(directory: directory, fingerprint: try fingerprint(of: directory, memoDirectory: memoDirectory))
        }
        throw NotebookError.libraryNotFound(searched: candidates.map(\.path))
    }

    static func isLibraryDirectory(_ directory: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: directory.appendingPathComponent(fileName).path)
            && manager.fileExists(atPath: directory.appendingPathComponent("Modules/LoopbookRuntime.swiftmodule").path)
    }

    /// The files whose content decides what chapter programs link against.
    static func fingerprintFiles(in directory: URL) -> [URL] {
        [directory.appendingPathComponent(fileName),
         directory.appendingPathComponent("Modules/LoopbookRuntime.swiftmodule"),
         directory.appendingPathComponent("Modules/Learning.swiftmodule"),
         directory.appendingPathComponent("Modules/ChartSVG.swiftmodule"),
         directory.appendingPathComponent("Modules/BookModel.swiftmodule")]
    }

    /// Hashes the library files; the hash is memoized per (path, size, inode, mtime) of each file, like
    /// git's index, so a no-op build does not re-read megabytes.
    static func fingerprint(of directory: URL, memoDirectory: URL) throws -> String {
        var identity = ""
        let files = fingerprintFiles(in: directory)
        for file in files {
            var info = stat()
            guard stat(file.path, &info) == 0 else { continue }
            identity += "\(file.path) \(info.st_size) \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\n"
        }
        let memo = memoDirectory.appendingPathComponent("library-" + SHA256.hash(data: Data(identity.utf8)).hex.prefix(16) + ".txt")
        if let data = try? Data(contentsOf: memo), let text = String(data: data, encoding: .utf8), text.count == 64 {
            return text
        }
        var hasher = SHA256()
        for file in files {
            guard let data = try? Data(contentsOf: file, options: .mappedIfSafe) else { continue }
            hasher.update(data: Data(file.lastPathComponent.utf8))
            hasher.update(data: data)
        }
        let result = hasher.finalize().hex
        try? FileManager.default.createDirectory(at: memoDirectory, withIntermediateDirectories: true)
        try? AtomicFile.write(Data(result.utf8), to: memo)
        return result
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal digits.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in self { bytes.append(digits[Int(byte >> 4)]); bytes.append(digits[Int(byte & 15)]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Write-then-rename, so readers see the old file or the new one, never half of one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw NotebookError.io(path: url.path, message: "the file could not be replaced: \(String(cString: strerror(code))).")
        }
    }
}
