import BookModel
import Foundation

/// Compiles one generated chapter program with swiftc: into a binary, or into the errors swiftc reported.
///
/// Compiles run under a job slot and in `slots.programs`, so cancelling the build stops them.
struct Compiler: Sendable {
    /// What compiling one program gave.
    enum Outcome: Sendable {
        case binary(URL)
        case errors([Diagnostic])
    }

    var chapter: Chapter
    var toolchain: Toolchain
    var library: RuntimeLibrary
    var moduleCache: URL
    var slots: JobSlots
    /// `Content/shared/`'s Swift files, compiled with every program.
    var sharedCode: [SourceFile] = []

    /// Writes `source` to `directory`/main.swift and compiles it there against the runtime library.
    func compile(_ source: String, in directory: URL) async -> Outcome {
        let chapter = self.chapter, toolchain = self.toolchain, library = self.library, programs = slots.programs
        let moduleCache = self.moduleCache
        do {
            return try await slots.withSlot {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let file = directory.appendingPathComponent("main.swift")
                try Data(source.utf8).write(to: file)
                // Each shared file beside it, its lines mapped to its own path, so errors and traps name it.
                var sharedFiles: [String] = []
                for (index, shared) in sharedCode.enumerated() {
                    let copy = directory.appendingPathComponent("shared-\(index).swift")
                    let path = shared.path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    try Data("#sourceLocation(file: \"\(path)\", line: 1)\n\(shared.contents)\n#sourceLocation()\n".utf8).write(to: copy)
                    sharedFiles.append(copy.path)
                }
                let binary = directory.appendingPathComponent("chapter")
                let lib = library.directory.path
                let arguments = ["-Onone", "-gline-tables-only", "-swift-version", "5", file.path] + sharedFiles + [
                                 "-I", "\(lib)/Modules", "-L", lib, "-lLoopbookKit",
                                 "-Xlinker", "-rpath", "-Xlinker", lib,
                                 "-o", binary.path, "-module-cache-path", moduleCache.path]
                let (termination, _, err) = try ProcessRunner.capture(
                    executable: toolchain.swiftc, arguments: arguments, environment: ProcessInfo.processInfo.environment,
                    directory: directory.path, timeout: 600, group: programs)
                if termination == .exited(0) { return .binary(binary) }
                return .errors(CompilerDiagnostics.parse(String(decoding: err, as: UTF8.self), chapter: chapter,
                                                         sharedPaths: Set(sharedCode.map(\.path))))
            }
        } catch {
            return .errors([Diagnostic(file: chapter.path, line: StepLines.chapterLine(of: chapter),
                                       message: "the chapter could not be compiled: \(error)")])
        }
    }
}
