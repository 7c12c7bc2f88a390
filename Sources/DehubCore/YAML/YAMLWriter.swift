import CYAML

/// A value to write as YAML. Strings are always written so that `StrictYAMLReader` reads them back as the
/// same strings (quoted where a plain scalar would resolve to something else; literal blocks for
/// multi-line text when libyaml can keep them exact).
public indirect enum YAMLValue: Equatable, Sendable {
    case string(String)
    /// A plain scalar written as is: numbers and booleans.
    case plain(String)
    case sequence([YAMLValue])
    case mapping([(String, YAMLValue)])

    public static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)), (.plain(let x), .plain(let y)): return x == y
        case (.sequence(let x), .sequence(let y)): return x == y
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

public enum YAMLWriter {
    /// Writes one document, opened with `---`.
    public static func write(_ value: YAMLValue) -> String {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else { fatalError("libyaml: cannot initialise the emitter") }
        defer { yaml_emitter_delete(emitter) }
        let sink = OutputSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        yaml_emitter_set_output(
            emitter,
            { data, buffer, size in
                guard let data, let buffer else { return 0 }
                Unmanaged<OutputSink>.fromOpaque(data).takeUnretainedValue().bytes.append(
                    contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                return 1
            }, unmanaged.toOpaque())
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_width(emitter, -1)

        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        event.initialize(to: yaml_event_t())
        func emit() {
            // Events built here are always well formed; libyaml fails only on a programming error.
            guard yaml_emitter_emit(emitter, event) == 1 else {
                let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown"
                fatalError("libyaml emitter: \(problem)")
            }
        }
        yaml_stream_start_event_initialize(event, YAML_UTF8_ENCODING); emit()
        yaml_document_start_event_initialize(event, nil, nil, nil, 0); emit()
        emitValue(value, event: event, emit: emit)
        yaml_document_end_event_initialize(event, 1); emit()
        yaml_stream_end_event_initialize(event); emit()
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    private final class OutputSink { var bytes: [UInt8] = [] }

    private static func emitValue(_ value: YAMLValue, event: UnsafeMutablePointer<yaml_event_t>, emit: () -> Void) {
        switch value {
        case .plain(let text):
            scalar(text, style: YAML_PLAIN_SCALAR_STYLE, event: event)
            emit()
        case .string(let text):
            let style: yaml_scalar_style_t
            if text.contains("\n") {
                style = YAML_LITERAL_SCALAR_STYLE
            } else if PlainScalarResolution.kind(of: text) != .string {
                style = YAML_SINGLE_QUOTED_SCALAR_STYLE
            } else {
                style = YAML_ANY_SCALAR_STYLE
            }
            scalar(text, style: style, event: event)
            emit()
        case .sequence(let items):
            yaml_sequence_start_event_initialize(event, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
            emit()
            for item in items { emitValue(item, event: event, emit: emit) }
            yaml_sequence_end_event_initialize(event)
            emit()
        case .mapping(let pairs):
            yaml_mapping_start_event_initialize(event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
            emit()
            for (key, item) in pairs {
                scalar(key, style: YAML_PLAIN_SCALAR_STYLE, event: event)
                emit()
                emitValue(item, event: event, emit: emit)
            }
            yaml_mapping_end_event_initialize(event)
            emit()
        }
    }

    private static func scalar(_ text: String, style: yaml_scalar_style_t, event: UnsafeMutablePointer<yaml_event_t>) {
        var bytes = Array(text.utf8)
        let count = Int32(bytes.count)
        bytes.append(0)  // never an empty buffer; libyaml copies `count` bytes
        bytes.withUnsafeMutableBufferPointer { p in
            _ = yaml_scalar_event_initialize(event, nil, nil, p.baseAddress!, count, 1, 1, style)
        }
    }
}
