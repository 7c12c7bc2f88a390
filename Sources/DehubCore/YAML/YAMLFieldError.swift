/// A document that parsed as YAML but does not have the expected shape: names the field (as a path such as
/// `access_controls[1].filters[0].count`), says what is wrong, and where.
public struct YAMLFieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var problem: String
    public var mark: YAMLMark?

    public init(field: String, problem: String, mark: YAMLMark?) {
        self.field = field
        self.problem = problem
        self.mark = mark
    }

    public var description: String {
        let place = mark.map { "\($0): " } ?? ""
        return field.isEmpty ? "\(place)\(problem)" : "\(place)\(field): \(problem)"
    }
}
