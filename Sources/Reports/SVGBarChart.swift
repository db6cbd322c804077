/// A horizontal grouped bar chart as inline SVG: one row per category, one bar per series. Self-contained (no
/// scripts, no external fonts or styles), so it survives being mailed as one HTML file.
public struct SVGBarChart: Sendable {
    /// One coloured series of bars, a value per category.
    public struct Series: Sendable {
        /// The legend's name.
        public var name: String
        /// A CSS colour.
        public var color: String
        /// One value per category (fen, for money).
        public var values: [Int64]

        /// A series called `name`, drawn in `color` (CSS).
        public init(name: String, color: String, values: [Int64]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    /// No chart draws more rows than this; the caller says what was left out.
    public static let maximumCategories = 40

    /// The labels along the axis.
    public var categories: [String]
    /// The series drawn side by side in each category.
    public var series: [Series]
    /// How a value is printed beside its bar and on the axis.
    public var format: @Sendable (Int64) -> String
    /// The drawing's width in pixels.
    public var width = 1080

    /// A chart of `series` over `categories`; `format` writes a value as a label.
    public init(categories: [String], series: [Series], format: @escaping @Sendable (Int64) -> String) {
        self.categories = Array(categories.prefix(SVGBarChart.maximumCategories))
        self.series = series.map { Series(name: $0.name, color: $0.color, values: Array($0.values.prefix(SVGBarChart.maximumCategories))) }
        self.format = format
    }

    static let labelWidth = 300
    static let barHeight = 14
    static let legendHeight = 28
    static let axisHeight = 24

    var rowHeight: Int { series.count * SVGBarChart.barHeight + 12 }
    var plotWidth: Int { width - SVGBarChart.labelWidth - 110 }
    var height: Int { SVGBarChart.legendHeight + categories.count * rowHeight + SVGBarChart.axisHeight + 8 }
    /// Bars are drawn for amounts above zero; a negative amount (money returned) is printed without a bar.
    var maximum: Int64 { max(1, series.flatMap(\.values).max() ?? 1) }

    /// The chart as an inline `<svg>` element.
    public var rendered: String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-size=\"12\">\n"
        svg += legend() + grid()
        for (row, category) in categories.enumerated() { svg += bars(row: row, category: category) }
        return svg + "</svg>"
    }

    func legend() -> String {
        var x = SVGBarChart.labelWidth
        var text = ""
        for item in series {
            text += "<rect x=\"\(x)\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>"
            text += "<text x=\"\(x + 18)\" y=\"16\">\(TextEscaping.html(item.name))</text>\n"
            x += 40 + 14 * item.name.count
        }
        return text
    }

    func grid() -> String {
        let top = SVGBarChart.legendHeight
        let bottom = top + categories.count * rowHeight
        var text = ""
        for tick in 0...4 {
            let x = SVGBarChart.labelWidth + plotWidth * tick / 4
            let value = maximum * Int64(tick) / 4
            text += "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(bottom)\" stroke=\"#d0d7de\" stroke-width=\"1\"/>"
            text += "<text x=\"\(x)\" y=\"\(bottom + 16)\" text-anchor=\"middle\" fill=\"#57606a\">\(TextEscaping.html(format(value)))</text>\n"
        }
        return text
    }

    func bars(row: Int, category: String) -> String {
        let top = SVGBarChart.legendHeight + row * rowHeight + 6
        var text = "<text x=\"\(SVGBarChart.labelWidth - 8)\" y=\"\(top + rowHeight / 2)\" text-anchor=\"end\">\(TextEscaping.html(category))</text>\n"
        for (index, item) in series.enumerated() {
            let value = row < item.values.count ? item.values[row] : 0
            let length = value > 0 ? Int(Int64(plotWidth) * value / maximum) : 0
            let y = top + index * SVGBarChart.barHeight
            text += "<rect x=\"\(SVGBarChart.labelWidth)\" y=\"\(y)\" width=\"\(max(length, value > 0 ? 1 : 0))\" height=\"\(SVGBarChart.barHeight - 2)\" fill=\"\(item.color)\">"
            text += "<title>\(TextEscaping.html(item.name + " " + category + ": " + format(value)))</title></rect>"
            text += "<text x=\"\(SVGBarChart.labelWidth + length + 4)\" y=\"\(y + SVGBarChart.barHeight - 3)\" fill=\"#24292f\">\(TextEscaping.html(format(value)))</text>\n"
        }
        return text
    }
}
