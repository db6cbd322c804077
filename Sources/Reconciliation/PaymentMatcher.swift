import SkillsDomain

/// Matches payments to grants as SPEC.md "Reconciliation" writes it, replaying every payment up to the month in
/// `paid_on`, then `payment_id` order, so that earlier months' payments count toward what is already paid. A payment
/// of month m sees only the grants due by m (period ≤ m), as that month's own reconciliation did.
///
/// Memory: per grant, its record (ids packed inline, `PackedText`) and its progress, plus two sorted index arrays
/// (by id, by payee) searched by bisection instead of dictionaries; and the payments that no grant took. About 200
/// bytes a grant. Time: one pass over the payments, each looking only at its own payee's grants.
struct PaymentMatcher: Sendable {
    /// What matching has done to one grant (its record is at the same index in `records`).
    struct GrantState: Sendable {
        var amount: Money
        var paid = Money.zero
        /// What had been paid when the reconciled month's first payment touched the grant; nil if none did.
        var paidBeforeMonth: Money? {
            get { paidBeforeMonthFen == .min ? nil : Money(fen: paidBeforeMonthFen) }
            set { paidBeforeMonthFen = newValue?.fen ?? .min }
        }
        /// `paidBeforeMonth` without an optional's padding (`Int64.min`: none).
        private var paidBeforeMonthFen = Int64.min
        /// The month's payments credited to the grant: most grants have one, kept without an array of its own.
        var firstMonthPayment: String?
        var laterMonthPayments: [String] = []
        /// When the grant was last paid, in matching order (to find what a return gives back).
        var lastPaidOrder: Int32 = -1
        var reversed: Bool
        /// Reduced by a settlement recovery: keeps a line while overpaid, until the money comes back.
        var recovered = false

        init(amount: Money, reversed: Bool, recovered: Bool = false) {
            self.amount = amount
            self.reversed = reversed
            self.recovered = recovered
        }

        var monthPayments: [String] { firstMonthPayment.map { [$0] + laterMonthPayments } ?? [] }
        var outstanding: Money { amount - paid }
        var isOpen: Bool { !reversed && outstanding > .zero }
    }

    /// A payment no grant took (duplicate, wrong payee, revoked, unknown) whose money has not come back yet.
    struct Stray {
        var line: ReconciliationLine
        var amount: Money
        /// Where its line is in `strayLines`, when the payment is of the reconciled month.
        var lineIndex: Int?
    }

    let month: Month
    let clawbacks: [String: String]
    /// The grants oldest first, and what matching did to each (same indexes).
    private(set) var records: [DueGrant]
    private(set) var grants: [GrantState]
    /// Grant indexes ordered by id, and by payee then age: looked up by bisection.
    private var byID: [Int32] = []
    private var byPayee: [Int32] = []
    /// Grants before this index are due by the payment being matched (grants are sorted by period).
    private var admitted = 0
    private var strays: [String: [Stray]] = [:]
    private(set) var strayLines: [ReconciliationLine] = []
    /// How many payments were credited to grants so far: when a grant was last paid, for returns.
    private var credits = 0
    /// The payment fed last, to hold the stream to matching order.
    private var previous: PaymentRecord?

    /// Takes the input's grants (leaving it none), so that they are not held twice.
    init(taking input: inout ReconciliationInput, month: Month) {
        self.month = month
        // A payment naming a clawback or a recovery names the grant it withdraws or reduces.
        clawbacks = input.clawbacks.merging(input.adjustments.filter { input.recoveries[$0.key] != nil }) { clawback, _ in clawback }
        records = []
        swap(&records, &input.grants)
        // "Oldest" is by period, then the grant's date, then its id: content, not recording order, decides.
        let ages = records.map { Int64($0.periodIndex) << 32 | Int64($0.dayNumber) }
        let order = records.indices.map(Int32.init).sorted { [records] lhs, rhs in
            let left = Int(lhs), right = Int(rhs)
            return ages[left] != ages[right] ? ages[left] < ages[right] : records[left].packedID < records[right].packedID
        }
        PaymentMatcher.permute(&records, by: order)
        grants = records.map { GrantState(amount: $0.amount, reversed: input.reversedGrants.contains($0.id), recovered: $0.recovered) }
        byID = records.indices.map(Int32.init).sorted { [records] in records[Int($0)].packedID < records[Int($1)].packedID }
        byPayee = records.indices.map(Int32.init).sorted { [records] lhs, rhs in
            let left = Int(lhs), right = Int(rhs)
            return records[left].packedPayee != records[right].packedPayee ? records[left].packedPayee < records[right].packedPayee : lhs < rhs
        }
    }

    /// Puts `items[order[k]]` at position k, in place (following the permutation's cycles), so that a million records
    /// are not copied into a second array.
    static func permute<T>(_ items: inout [T], by order: [Int32]) {
        var placed = [Bool](repeating: false, count: items.count)
        for start in items.indices where !placed[start] {
            var position = start
            let first = items[start]
            while true {
                placed[position] = true
                let source = Int(order[position])
                if source == start { break }
                items[position] = items[source]
                position = source
            }
            items[position] = first
        }
    }

    /// Matches payments held in memory (sorted here into matching order) and returns the month's lines.
    static func lines(_ input: ReconciliationInput, month: Month) -> [ReconciliationLine] {
        var input = input
        var matcher = PaymentMatcher(taking: &input, month: month)
        for payment in input.payments.sorted(by: PaymentRecord.precedes) { matcher.feed(payment) }
        matcher.finish()
        var lines: [ReconciliationLine] = []
        matcher.forEachLine { lines.append($0) }
        return lines
    }

    /// Matches the next payment; payments must come in matching order (`PaymentRecord.precedes`).
    mutating func feed(_ payment: PaymentRecord) {
        precondition(previous.map { !PaymentRecord.precedes(payment, $0) } ?? true, "payments must be fed in matching order")
        previous = payment
        let paymentMonth = payment.paidOn.yearMonth
        admit(through: paymentMonth)
        match(payment, inMonth: paymentMonth == month)
    }

    /// Admits the grants due by the month itself: call once every payment has been fed, before `forEachLine`.
    mutating func finish() {
        admit(through: month)
        // Only the grants and the month's stray lines make lines; the look-ups served matching.
        byID = []
        byPayee = []
        strays = [:]
    }

    /// The month's lines grouped by class in `ReconciliationClass` order; within a class, grants by age and payments
    /// in matching order. Produced on each walk from the grants and the stray payments, never held all at once.
    func forEachLine(_ body: (ReconciliationLine) throws -> Void) rethrows {
        for classification in ReconciliationClass.allCases {
            if classification.isStrayPayment {
                for line in strayLines where line.classification == classification { try body(line) }
            } else {
                try forEachGrantLine(classification, body)
            }
        }
    }

    mutating func admit(through month: Month) {
        let last = Int32(month.index)
        while admitted < records.count, records[admitted].periodIndex <= last { admitted += 1 }
    }

    /// The payee's admitted grants, oldest first.
    func grantIndexes(of payee: PayeeKey) -> [Int] {
        var low = 0, high = byPayee.count
        while low < high {
            let middle = (low + high) / 2
            if records[Int(byPayee[middle])].packedPayee < payee { low = middle + 1 } else { high = middle }
        }
        var indexes: [Int] = []
        while low < byPayee.count, case let index = Int(byPayee[low]), records[index].packedPayee == payee {
            if index < admitted { indexes.append(index) }
            low += 1
        }
        return indexes
    }

    /// The admitted grant a payment names; a clawback's id stands for the grant it withdraws.
    func namedGrant(_ id: String) -> Int? {
        let wanted = PackedText(clawbacks[id] ?? id)
        var low = 0, high = byID.count
        while low < high {
            let middle = (low + high) / 2
            if records[Int(byID[middle])].packedID < wanted { low = middle + 1 } else { high = middle }
        }
        guard low < byID.count, case let index = Int(byID[low]), records[index].packedID == wanted, index < admitted else { return nil }
        return index
    }

    mutating func match(_ payment: PaymentRecord, inMonth: Bool) {
        if payment.amount > .zero { matchPayment(payment, inMonth: inMonth) } else { matchReturn(payment, inMonth: inMonth) }
    }

    /// With a grant named: that grant, unless it is another payee's, reversed, or paid in full. With none: the
    /// payee's oldest open grant whose outstanding amount equals the payment, else their oldest open grant, else a
    /// grant of that amount already paid in full (a duplicate), else unknown.
    mutating func matchPayment(_ payment: PaymentRecord, inMonth: Bool) {
        if let named = payment.grant {
            guard let index = namedGrant(named) else { return stray(payment, .unknown, grant: nil, named: named, inMonth: inMonth) }
            let grant = grants[index]
            if records[index].packedPayee != PayeeKey(payment.payee) { return stray(payment, .wrongPayee, grant: index, inMonth: inMonth) }
            if grant.reversed { return stray(payment, .revoked, grant: index, inMonth: inMonth) }
            if grant.outstanding <= .zero { return stray(payment, .duplicate, grant: index, inMonth: inMonth) }
            return credit(index, payment, inMonth: inMonth)
        }
        let candidates = grantIndexes(of: PayeeKey(payment.payee))
        if let index = candidates.first(where: { grants[$0].isOpen && grants[$0].outstanding == payment.amount })
            ?? candidates.first(where: { grants[$0].isOpen }) {
            return credit(index, payment, inMonth: inMonth)
        }
        if let index = candidates.first(where: { grants[$0].amount == payment.amount && grants[$0].outstanding <= .zero }) {
            return stray(payment, .duplicate, grant: index, inMonth: inMonth)
        }
        stray(payment, .unknown, grant: nil, named: nil, inMonth: inMonth)
    }

    /// A returned payment (退回) reopens what it returned: first a payment of the same payee and amount that no grant
    /// took (a duplicate sent back settles the duplicate, and reopens nothing); else the grant it names, or without
    /// one the payee's most recently paid grant that was paid at least the amount returned. A return of more than
    /// was paid on the grant, or that nothing explains, is `unknown`.
    mutating func matchReturn(_ payment: PaymentRecord, inMonth: Bool) {
        let returned = -payment.amount
        if settleStray(payment, inMonth: inMonth) { return }
        if let named = payment.grant {
            guard let index = namedGrant(named) else { return stray(payment, .unknown, grant: nil, named: named, inMonth: inMonth) }
            let grant = grants[index]
            if records[index].packedPayee != PayeeKey(payment.payee) { return stray(payment, .wrongPayee, grant: index, inMonth: inMonth) }
            if grant.reversed { return stray(payment, .revoked, grant: index, inMonth: inMonth) }
            if grant.paid < returned { return stray(payment, .unknown, grant: index, inMonth: inMonth) }
            return credit(index, payment, inMonth: inMonth)
        }
        let candidates = grantIndexes(of: PayeeKey(payment.payee)).filter { !grants[$0].reversed && grants[$0].paid >= returned }
        // A grant a recovery left overpaid by exactly the return takes it first.
        if let index = candidates.first(where: { grants[$0].recovered && grants[$0].outstanding == payment.amount })
            ?? candidates.max(by: { grants[$0].lastPaidOrder < grants[$1].lastPaidOrder }) {
            return credit(index, payment, inMonth: inMonth)
        }
        stray(payment, .unknown, grant: nil, named: nil, inMonth: inMonth)
    }

    /// Counts the payment toward a grant.
    mutating func credit(_ index: Int, _ payment: PaymentRecord, inMonth: Bool) {
        if inMonth {
            if grants[index].paidBeforeMonth == nil { grants[index].paidBeforeMonth = grants[index].paid }
            if grants[index].firstMonthPayment == nil {
                grants[index].firstMonthPayment = payment.paymentID
            } else {
                grants[index].laterMonthPayments.append(payment.paymentID)
            }
        }
        grants[index].paid += payment.amount
        credits += 1
        grants[index].lastPaidOrder = Int32(clamping: credits)
    }

    /// Records a payment that no due grant takes: its own line in the reconciled month, and, while its money has not
    /// come back, a candidate for a later return.
    mutating func stray(_ payment: PaymentRecord, _ classification: ReconciliationClass, grant index: Int?, named: String? = nil,
                        inMonth: Bool) {
        let grant = index.map { records[$0] }
        let line = ReconciliationLine(classification: classification, grant: grant?.id ?? named, payments: [payment.paymentID],
                                      payee: payment.payee, due: .zero, paid: payment.amount, rule: grant?.rule, period: grant?.period)
        var lineIndex: Int?
        if inMonth {
            strayLines.append(line)
            lineIndex = strayLines.count - 1
        }
        if payment.amount > .zero {
            strays[payment.payee, default: []].append(Stray(line: line, amount: payment.amount, lineIndex: lineIndex))
        }
    }

    /// A return of a payment no grant took: joins that payment's line (or, for an earlier month's payment, gets a
    /// line of the same class). Latest first; a named grant must be the one the payment named.
    mutating func settleStray(_ payment: PaymentRecord, inMonth: Bool) -> Bool {
        let returned = -payment.amount
        let named = payment.grant.map { [$0, clawbacks[$0] ?? $0] }
        guard let candidates = strays[payment.payee],
              let position = candidates.lastIndex(where: { $0.amount == returned && (named == nil || named!.contains($0.line.grant ?? "")) })
        else { return false }
        let settled = strays[payment.payee]!.remove(at: position)
        guard inMonth else { return true }
        if let lineIndex = settled.lineIndex {
            strayLines[lineIndex].payments.append(payment.paymentID)
            strayLines[lineIndex].paid += payment.amount
        } else {
            var line = settled.line
            line.payments = [payment.paymentID]
            line.paid = payment.amount
            strayLines.append(line)
        }
        return true
    }

    /// The class, due and paid of every line, grants' lines without building them (no ids or payees decoded): what
    /// the report's totals need.
    func forEachLineAmount(_ body: (ReconciliationClass, Money, Money) -> Void) {
        for grant in grants[0..<admitted] where !grant.reversed {
            if let (classification, due, paid) = PaymentMatcher.outcome(grant) { body(classification, due, paid) }
        }
        for line in strayLines { body(line.classification, line.due, line.paid) }
    }

    /// A grant's line class, due and paid in the month; nil when the grant has no line.
    static func outcome(_ grant: GrantState) -> (ReconciliationClass, Money, Money)? {
        let before = grant.paidBeforeMonth ?? grant.paid
        let due = grant.amount - before
        let touched = grant.paidBeforeMonth != nil
        guard touched || due > .zero || (grant.recovered && due < .zero) else { return nil }
        let classification: ReconciliationClass = if !touched { due > .zero ? .unpaid : .overpaid }
            else if grant.outstanding == .zero { .matched }
            else if grant.outstanding > .zero { .underpaid }
            else { .overpaid }
        return (classification, due, grant.paid - before)
    }

    /// Up to `limit` lines in `forEachLine`'s order, from where an earlier call stopped; the cursor to go on from, or
    /// nil when the walk is over. Lets a caller wait between chunks (for the registry, say) without holding every line.
    func lines(from start: LineCursor, limit: Int) -> (lines: [ReconciliationLine], next: LineCursor?) {
        var cursor = start
        var result: [ReconciliationLine] = []
        result.reserveCapacity(limit)
        let classes = ReconciliationClass.allCases
        while cursor.classIndex < classes.count {
            let wanted = classes[cursor.classIndex]
            if wanted.isStrayPayment {
                while cursor.position < strayLines.count {
                    let line = strayLines[cursor.position]
                    cursor.position += 1
                    guard line.classification == wanted else { continue }
                    result.append(line)
                    if result.count == limit { return (result, cursor) }
                }
            } else {
                while cursor.position < admitted {
                    let index = cursor.position
                    cursor.position += 1
                    let grant = grants[index]
                    guard !grant.reversed, let (classification, due, paid) = PaymentMatcher.outcome(grant), classification == wanted else { continue }
                    let record = records[index]
                    result.append(ReconciliationLine(classification: classification, grant: record.id, payments: grant.monthPayments,
                                                     payee: record.payee, due: due, paid: paid, rule: record.rule, period: record.period))
                    if result.count == limit { return (result, cursor) }
                }
            }
            cursor.classIndex += 1
            cursor.position = 0
        }
        return (result, nil)
    }

    /// One line per grant due by the month that is not reversed and either still owed money when the month began
    /// or was paid (or returned) in the month. `due` is what it still owed when the month began.
    func forEachGrantLine(_ wanted: ReconciliationClass, _ body: (ReconciliationLine) throws -> Void) rethrows {
        for (index, grant) in grants[0..<admitted].enumerated() where !grant.reversed {
            guard let (classification, due, paid) = PaymentMatcher.outcome(grant), classification == wanted else { continue }
            let record = records[index]
            try body(ReconciliationLine(classification: classification, grant: record.id, payments: grant.monthPayments,
                                        payee: record.payee, due: due, paid: paid, rule: record.rule, period: record.period))
        }
    }
}
