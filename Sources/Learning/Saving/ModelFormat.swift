/// The saved-model format: every estimator is `Codable`, and what it encodes starts with two keys,
/// `formatVersion` (this number) and `model` (the type's name), before its parameters and fitted state.
///
/// ```swift
/// let data = try JSONEncoder().encode(forest)                       // save
/// let again = try JSONDecoder().decode(RandomForestClassifier.self, from: data)
/// try again.predict(rows) == forest.predict(rows)                   // true: same trees, same bits
/// ```
/// Saving is scikit-learn's `pickle`/`joblib.dump` of a fitted estimator, with two differences: the file
/// is plain JSON (readable, diffable, safe to load), and loading checks the version and the model type,
/// throwing `ModelFormatError` with a sentence saying what was found, rather than failing later.
/// Doubles are written in their shortest exact form, so a reloaded model predicts the same bits.
public enum ModelFormat {
    /// The version this library writes and reads. It changes when an estimator's saved fields change.
    public static let version = 1
}

/// A saved model that cannot be loaded: written by another format version, for another estimator, or
/// with inconsistent contents (a tree whose children point outside it, counts of the wrong length).
public struct ModelFormatError: Error, Equatable, CustomStringConvertible {
    /// A full sentence saying what was wrong and what to do.
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// Writes and checks the `formatVersion` and `model` keys of a saved estimator.
enum ModelHeader {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static let formatVersion = Key(stringValue: "formatVersion")
        static let model = Key(stringValue: "model")
    }

    static func write(_ model: String, to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(ModelFormat.version, forKey: .formatVersion)
        try container.encode(model, forKey: .model)
    }

    /// Throws `ModelFormatError` unless the saved data is a `model` of this format version.
    static func check(_ model: String, in decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard let version = try? container.decode(Int.self, forKey: .formatVersion) else {
            throw ModelFormatError(
                "The data is not a saved \(model): it has no formatVersion. Save the model with JSONEncoder().encode(model) from the Learning library.")
        }
        guard version == ModelFormat.version else {
            throw ModelFormatError(
                "This \(model) was saved in model format version \(version), but this version of Learning reads version \(ModelFormat.version). Fit the model again and save it with this version (or load it with the version that saved it).")
        }
        let saved = (try? container.decode(String.self, forKey: .model)) ?? "an unnamed model"
        guard saved == model else {
            throw ModelFormatError("The saved model is a \(saved), not a \(model); decode it as \(saved).")
        }
    }
}
