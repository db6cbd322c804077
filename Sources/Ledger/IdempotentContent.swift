/// What an event id already holds in the chain: the columns a resubmission of that id is compared on, the same on
/// both backends. Identical content is the same event again (idempotent: counted as already recorded); any difference
/// is a conflict that names the columns.
package struct RecordedContent: Sendable {
    package var seq: Int64
    package var kind: String
    package var occurredOn: String
    package var source: String
    package var worker: String?
    package var employer: String?
    package var data: String

    package init(seq: Int64, kind: String, occurredOn: String, source: String, worker: String?, employer: String?, data: String) {
        self.seq = seq
        self.kind = kind
        self.occurredOn = occurredOn
        self.source = source
        self.worker = worker
        self.employer = employer
        self.data = data
    }

    /// The conflict of a resubmitted `envelope` (its data as canonical JSON text) with what is held, naming the
    /// columns that differ in the table's order; nil when it is the same event.
    package func conflict(with envelope: Envelope, dataText: String, origin: String) -> LedgerError.Conflict? {
        var differences: [String] = []
        if kind != envelope.kind { differences.append("kind") }
        if occurredOn != envelope.occurredOn { differences.append("occurred_on") }
        if source != envelope.source { differences.append("source") }
        if worker != envelope.worker { differences.append("worker") }
        if employer != envelope.employer { differences.append("employer") }
        if data != dataText { differences.append("data") }
        guard !differences.isEmpty else { return nil }
        return LedgerError.Conflict(id: envelope.id, origin: origin, recordedSeq: seq, differences: "differs in " + differences.joined(separator: ", "))
    }
}
