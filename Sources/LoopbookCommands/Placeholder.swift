// LoopbookCommands
