// The executable is a shell: all commands live in LoopbookCommands (tests use them in-process).
import LoopbookCommands

await Loopbook.execute()
