public enum LoopbookRuntimeVersion { public static let current = 1 }
