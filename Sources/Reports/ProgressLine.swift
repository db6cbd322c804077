/// The text of a progress display: `submit events.jsonl: 1,234,567 / 5,000,000 rows (24%), 245,310 rows/s, ETA 0:15`.
/// Pure formatting; drawing it (where, how often) is the front end's business.
public enum ProgressLine {
    /// The line for `done` of `total` (when known) counted in `unit`, with the rate and the time left.
    public static func text(label: String, done: Int, total: Int?, unit: String = "rows", elapsedNanoseconds: UInt64) -> String {
        let seconds = Double(elapsedNanoseconds) / 1e9
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var text = "\(label): \(grouped(done))"
        if let total, total > 0 {
            text += " / \(grouped(total)) \(unit) (\(min(100, done * 100 / total))%)"
        } else {
            text += " \(unit)"
        }
        text += ", \(grouped(Int(rate))) \(unit)/s"
        if let total, rate > 0, done < total {
            text += ", ETA " + clock(Int((Double(total - done) / rate).rounded(.up)))
        }
        return text
    }

    /// `1234567` → `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// Seconds as `M:SS`, or `H:MM:SS` from an hour on.
    public static func clock(_ seconds: Int) -> String {
        let minutes = seconds / 60, rest = seconds % 60
        return minutes >= 60 ? "\(minutes / 60):\(pad2(minutes % 60)):\(pad2(rest))" : "\(minutes):\(pad2(rest))"
    }

    static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
