import Mustache

/// Wraps a ``TemplateValue`` for swift-mustache's reflection-free lookup (`MustacheParent`) and
/// does the channel escaping itself (`MustacheCustomRenderable`), because the translation emits
/// every interpolation as `{{& }}` and leaves the choice of escaping to render time.
struct ValueBox: MustacheParent, MustacheCustomRenderable {
    let value: TemplateValue
    let escaping: TemplateEscaping

    static func wrap(_ value: TemplateValue, _ escaping: TemplateEscaping) -> Any {
        if case .list(let items) = value {
            return ListBox(items: items, escaping: escaping)
        }
        return ValueBox(value: value, escaping: escaping)
    }

    func child(named name: String) -> Any? {
        if let computed = computedChild(named: name, of: value, escaping: escaping) { return computed }
        guard case .dictionary(let dictionary) = value, let child = dictionary[name] else { return nil }
        return Self.wrap(child, escaping)
    }

    var renderText: String { escaping.escape(value.plainText) }

    /// swift-mustache skips a section (and renders an inverted one) for "null" objects; `false`
    /// must behave the same, and a boxed Bool is not a Swift `Bool` the library would recognise.
    var isNull: Bool {
        switch value {
        case .null, .bool(false): true
        default: false
        }
    }
}

/// A list, iterable by Mustache sections (`MustacheSequence`) and answering the computed keys.
struct ListBox: Sequence, MustacheSequence, MustacheParent, MustacheCustomRenderable {
    let items: [TemplateValue]
    let escaping: TemplateEscaping

    func makeIterator() -> IndexingIterator<[Any]> {
        items.map { ValueBox.wrap($0, escaping) }.makeIterator()
    }

    func child(named name: String) -> Any? {
        computedChild(named: name, of: .list(items), escaping: escaping)
    }

    var renderText: String { escaping.escape(TemplateValue.list(items).plainText) }
    var isNull: Bool { false }
}

/// Text that is already escaped (or deliberately raw) and must be inserted as is.
struct RenderedText: MustacheCustomRenderable {
    let renderText: String
    var isNull: Bool { false }
}

private func computedChild(named name: String, of value: TemplateValue, escaping: TemplateEscaping) -> Any? {
    switch name {
    case RenderKey.truthy:
        return value.isTruthy
    case RenderKey.each:
        switch value {
        case .list(let items):
            return ListBox(items: items, escaping: escaping)
        case .dictionary(let dictionary):
            // Handlebars iterates an object's values; sort by key so output is deterministic.
            let values = dictionary.sorted { $0.key < $1.key }.map(\.value)
            return ListBox(items: values, escaping: escaping)
        default:
            return ListBox(items: [], escaping: escaping)
        }
    case RenderKey.raw:
        let text = value.plainText
        return RenderedText(renderText: escaping.allowsUnescapedValues ? text : escaping.escape(text))
    case RenderKey.attribute:
        return RenderedText(renderText: escaping.escapeAttribute(value.plainText))
    default:
        return nil
    }
}
