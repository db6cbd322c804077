import Foundation
import Ledger
import SkillsDomain

/// Runs the engine over the ledger's workers.
public enum EntitlementEngine {
    /// Every worker's outcome, one worker at a time (memory stays bounded by the largest worker's history).
    /// With `only`, just those workers (see `candidates`).
    /// With `window`, only entitlements of those months are built and returned (limits still see everything);
    /// `explaining` says which of them get parameters and an explanation.
    public static func forEachOutcome(_ store: any LedgerStorage, context: RulesContext, only: Set<String>? = nil,
                                      window: ClosedRange<Month>? = nil, explaining: Explaining = .all, progress: ((Int) -> Void)? = nil,
                                      _ body: (WorkerOutcome) throws -> Void) async throws {
        if let only, case let readers = try await store.concurrentReaders(ConcurrentReading.threads), !readers.isEmpty {
            return try ConcurrentReading(readers: readers, candidates: only).forEachOutcome(context: context, window: window, explaining: explaining,
                                                                                            progress: progress, body)
        }
        var run = OutcomePipeline(context: context, window: window, explaining: explaining, progress: progress)
        if let only {
            try await store.forEachWorker(in: only) { worker, events in try run.add(worker, events, body) }
        } else {
            try await store.forEachWorker { worker, events in try run.add(worker, events, body) }
        }
        try run.finish(body)
    }

    /// The same over a snapshot a batch reads while it is open (`grant`). Here `body` records each grant into the
    /// batch, which is as much work as reading the histories, so the reading has a thread of its own: the snapshot
    /// is read on it, the engine runs on a thread per chunk, the chunks are handed over through a `BoundedQueue`,
    /// and `body` runs on the calling thread (the batch's), in the order the workers were read.
    static func forEachOutcome(_ snapshot: any LedgerSnapshot, context: RulesContext, only: Set<String>?, window: ClosedRange<Month>?,
                               explaining: Explaining, progress: ((Int) -> Void)?, _ body: (WorkerOutcome) throws -> Void) throws {
        // The chunks read, in order, each already running on its engine thread: two at most wait to be taken.
        let chunks = BoundedQueue<ChunkRun>(capacity: 2)
        let readerDone = DispatchSemaphore(value: 0)
        let reading = SnapshotReading(snapshot: snapshot, only: only)
        chunks.fill(on: "skills-ledger reading", signalling: readerDone) { chunks in
            var chunk: [(String, [StoredEvent])] = []
            try reading.forEachWorker { worker, events in
                chunk.append((worker, events))
                guard chunk.count == OutcomePipeline.chunkSize else { return }
                try chunks.put(ChunkRun(chunk, context: context, window: window, explaining: explaining))
                chunk = []
            }
            if !chunk.isEmpty { try chunks.put(ChunkRun(chunk, context: context, window: window, explaining: explaining)) }
        }
        // The snapshot and the caller's closures are not used once this returns: should `body` stop early (a refused
        // grant), the reader is told to stop, and it is waited for in every case.
        defer {
            chunks.stop()
            readerDone.wait()
        }
        var done = 0
        while let run = try chunks.take() {
            var outcomes = run.outcomes()
            for outcome in outcomes {
                try body(outcome)
                done += 1
                progress?(done)
            }
            run.handBack(&outcomes)
        }
    }

    /// The snapshot handed to the reading thread. A batch's snapshot is only read from one thread at a time: the
    /// reader's, while the batch's thread waits for chunks or records grants (it reads the snapshot again only
    /// after the reader is done, for clawbacks).
    struct SnapshotReading: @unchecked Sendable {
        let snapshot: any LedgerSnapshot
        let only: Set<String>?

        func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) throws {
            if let only { try snapshot.forEachWorker(in: only, body) } else { try snapshot.forEachWorker(body) }
        }
    }

    /// Both cores: while the ledger reads the next `chunkSize` workers, the engine runs over the chunk read before on
    /// a thread of its own; outcomes are handed to `body` on the reading thread, in the order the workers were read,
    /// so every report and batch is the same as one worker at a time. Memory holds two chunks of histories.
    struct OutcomePipeline {
        static let chunkSize = 256

        let context: RulesContext
        let window: ClosedRange<Month>?
        let explaining: Explaining
        let progress: ((Int) -> Void)?
        var chunk: [(String, [StoredEvent])] = []
        var running: ChunkRun?
        var done = 0

        mutating func add(_ worker: String, _ events: [StoredEvent], _ body: (WorkerOutcome) throws -> Void) throws {
            chunk.append((worker, events))
            if chunk.count == Self.chunkSize { try start(body) }
        }

        /// Hands the last workers over and waits for every outcome.
        mutating func finish(_ body: (WorkerOutcome) throws -> Void) throws {
            if !chunk.isEmpty { try start(body) }
            try handOver(body)
        }

        private mutating func start(_ body: (WorkerOutcome) throws -> Void) throws {
            let next = ChunkRun(chunk, context: context, window: window, explaining: explaining)
            chunk = []
            try handOver(body)
            running = next
        }

        private mutating func handOver(_ body: (WorkerOutcome) throws -> Void) throws {
            guard let previous = running else { return }
            running = nil
            var outcomes = previous.outcomes()
            for outcome in outcomes {
                try body(outcome)
                done += 1
                progress?(done)
            }
            previous.handBack(&outcomes)
        }
    }

    /// One chunk's engine runs, on a thread of its own; `outcomes()` waits for them. The thread stays until the
    /// caller hands the outcomes back (`handBack`, or when the run is dropped), and frees them itself: a chunk's
    /// outcomes are hundreds of thousands of small blocks, and glibc frees a block on another thread than the one
    /// that allocated it at several times the cost, on the batch's thread, which `grant` waits for. The thread has the
    /// main thread's stack size: the engine recurses through expressions.
    final class ChunkRun: @unchecked Sendable {
        /// What the chunk's thread and the caller share: the outcomes, once computed, until handed back.
        private final class Shared: @unchecked Sendable {
            let computed = DispatchSemaphore(value: 0)
            let spent = DispatchSemaphore(value: 0)
            /// Signalled as the thread ends (for tests: a dropped run must not leave its thread waiting).
            let ended = DispatchSemaphore(value: 0)
            var outcomes: [WorkerOutcome] = []
        }

        private let shared = Shared()
        private var handedBack = false

        init(_ workers: [(String, [StoredEvent])], context: RulesContext, window: ClosedRange<Month>?, explaining: Explaining) {
            let shared = shared
            let thread = Thread {
                shared.outcomes = ChunkRun.compute(workers, context: context, window: window, explaining: explaining)
                shared.computed.signal()
                shared.spent.wait()
                // The last reference, once the caller has dropped its copy: freed on the thread that made them.
                shared.outcomes = []
                shared.ended.signal()
            }
            thread.stackSize = 8 << 20
            thread.name = "skills-ledger rules"
            thread.start()
        }

        /// The outcomes, once computed; not to be called after `handBack`.
        func outcomes() -> [WorkerOutcome] {
            shared.computed.wait()
            shared.computed.signal()
            return shared.outcomes
        }

        /// Gives the outcomes back: the caller's copy is emptied first, so that the chunk's thread holds the last
        /// reference and frees them.
        func handBack(_ outcomes: inout [WorkerOutcome]) {
            outcomes = []
            guard !handedBack else { return }
            handedBack = true
            shared.spent.signal()
        }

        /// Signalled once the chunk's thread has freed the outcomes and ended.
        var threadEnded: DispatchSemaphore { shared.ended }

        /// A run dropped without being handed back (a stopped batch) lets its thread end.
        deinit {
            if !handedBack { shared.spent.signal() }
        }

        /// Each worker's outcome, with the events it was computed from.
        static func compute(_ workers: [(String, [StoredEvent])], context: RulesContext, window: ClosedRange<Month>?,
                            explaining: Explaining) -> [WorkerOutcome] {
            workers.map { worker, events in
                var engine = WorkerEngine(policies: context.policies, worker: worker, events: events, inForce: context.inForce, window: window,
                                          explaining: explaining)
                var outcome = engine.run()
                outcome.events = events
                return outcome
            }
        }
    }

    /// The candidates' histories read on several threads at once, each with a reader of its own
    /// (`LedgerStorage.concurrentReaders`): the candidates in pseudonym order are cut into chunks of
    /// `OutcomePipeline.chunkSize`, thread `t` of `n` reads chunks `t`, `t + n`, … and computes each on the spot,
    /// and the caller takes the chunks' outcomes in order, so `body` sees every worker in the order one reader gives.
    /// Reading was one thread's work while the engine used part of the other core; now both cores read and compute.
    /// Memory holds at most `queued` computed chunks per thread besides the one each is working on. Used by the
    /// reads of the store (`entitlements`, settlement), not by a grant's snapshot: there the batch's thread is busy
    /// too, and two reading threads beside it made the next grant at a million workers 12–16 % slower.
    struct ConcurrentReading: @unchecked Sendable {
        /// One thread per core, at most four.
        static let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        static let queued = 2

        let readers: [any LedgerSnapshot & Sendable]
        let chunks: [[String]]

        init(readers: [any LedgerSnapshot & Sendable], candidates: Set<String>) {
            self.readers = readers
            let sorted = candidates.sorted()
            chunks = stride(from: 0, to: sorted.count, by: OutcomePipeline.chunkSize).map {
                Array(sorted[$0..<min($0 + OutcomePipeline.chunkSize, sorted.count)])
            }
        }

        func forEachOutcome(context: RulesContext, window: ClosedRange<Month>?, explaining: Explaining, progress: ((Int) -> Void)?,
                            _ body: (WorkerOutcome) throws -> Void) throws {
            let queues = readers.map { _ in BoundedQueue<[WorkerOutcome]>(capacity: Self.queued) }
            let spent = readers.map { _ in Spent() }
            let finished = DispatchSemaphore(value: 0)
            for (index, reader) in readers.enumerated() {
                queues[index].fill(on: "skills-ledger reading \(index + 1)", signalling: finished) { [chunks, count = queues.count] queue in
                    for chunk in stride(from: index, to: chunks.count, by: count) {
                        spent[index].free()
                        var workers: [(String, [StoredEvent])] = []
                        workers.reserveCapacity(chunks[chunk].count)
                        try reader.forEachWorker(in: Set(chunks[chunk])) { worker, events in workers.append((worker, events)) }
                        try queue.put(ChunkRun.compute(workers, context: context, window: window, explaining: explaining))
                    }
                }
            }
            // Should `body` throw, or a reader fail, every thread is told to stop and waited for: the readers and the
            // caller's closures are not used once this returns.
            defer {
                for queue in queues { queue.stop() }
                for _ in queues { finished.wait() }
            }
            var done = 0
            for chunk in chunks.indices {
                // A thread closes its queue without an error only after putting every chunk of its share.
                guard var outcomes = try queues[chunk % queues.count].take() else { preconditionFailure("reading thread ended before chunk \(chunk)") }
                for outcome in outcomes {
                    try body(outcome)
                    done += 1
                    progress?(done)
                }
                spent[chunk % queues.count].keep(&outcomes)
            }
        }

        /// The outcomes of chunks the caller is done with, freed by the thread that read and computed them: glibc's
        /// malloc frees a block on another thread than the one that allocated it at several times the cost (through
        /// the other thread's arena, under its lock), and a chunk is hundreds of thousands of small blocks.
        final class Spent: @unchecked Sendable {
            private let lock = NSLock()
            private var chunks: [[WorkerOutcome]] = []

            /// Takes the caller's last reference to a chunk's outcomes.
            func keep(_ outcomes: inout [WorkerOutcome]) {
                lock.lock()
                chunks.append(outcomes)
                lock.unlock()
                outcomes = []
            }

            /// Frees what was kept, on the calling thread.
            func free() {
                lock.lock()
                var taken: [[WorkerOutcome]] = []
                swap(&taken, &chunks)
                lock.unlock()
                taken.removeAll()
            }
        }
    }

    /// `entitlement` of `outcome` with its parameters and explanation, when the run that computed it left them out
    /// (`Explaining`): the worker's events are computed again, explaining everything.
    static func explained(_ entitlement: Entitlement, of outcome: WorkerOutcome, context: RulesContext,
                          window: ClosedRange<Month>?) -> Entitlement {
        guard entitlement.explanationZH.isEmpty else { return entitlement }
        return explained([outcome.worker: outcome.events], context: context, window: window)[entitlement.id] ?? entitlement
    }

    /// Every entitlement of these workers (pseudonym → their events as read), explained, by id: each worker computed
    /// once, for the few entitlements a caller computed without explanations and then found it must show.
    static func explained(_ workers: [String: [StoredEvent]], context: RulesContext, window: ClosedRange<Month>?) -> [String: Entitlement] {
        var result: [String: Entitlement] = [:]
        for (worker, events) in workers {
            var engine = WorkerEngine(policies: context.policies, worker: worker, events: events, inForce: context.inForce, window: window)
            for entitlement in engine.run().entitlements { result[entitlement.id] = entitlement }
        }
        return result
    }

    /// One worker's outcome, from their own events, read through the worker index (not with the grants and payments
    /// made to them as payee, which the rules do not read and which are found by reading every grant and payment).
    public static func outcome(_ store: any LedgerStorage, context: RulesContext, worker: String) async throws -> WorkerOutcome {
        var own: [StoredEvent] = []
        try await store.forEachWorker(in: [worker]) { _, events in own = events }
        return outcome(context: context, worker: worker, events: own)
    }

    /// One worker's outcome from their own events, in recording order, already read (a person's page has them in
    /// its timeline).
    public static func outcome(context: RulesContext, worker: String, events: [StoredEvent]) -> WorkerOutcome {
        var engine = WorkerEngine(policies: context.policies, worker: worker, events: events, inForce: context.inForce)
        return engine.run()
    }

    /// The month an entitlement falls in for a jurisdiction: its own month, or, if that month was closed before it
    /// was granted (late evidence), the first open month after it.
    public static func effectivePeriod(_ entitlement: Entitlement, jurisdiction: JurisdictionCode, context: RulesContext,
                                       granted: GrantedEntitlements) -> Month {
        effectivePeriod(entitlement, jurisdiction: jurisdiction, context: context, isGranted: granted.contains(entitlement.id))
    }

    /// The same, told whether it was granted.
    public static func effectivePeriod(_ entitlement: Entitlement, jurisdiction: JurisdictionCode, context: RulesContext,
                                       isGranted: Bool) -> Month {
        var month = entitlement.period
        guard !isGranted else { return month }
        var steps = 0
        while context.closed.isClosed(jurisdiction, month) && steps < 600 {
            month = month.adding(1)
            steps += 1
        }
        return month
    }

    /// The workers whose entitlements can fall in a month: those with a triggering event in it (or in the closed
    /// months just before it, whose late entitlements land in it), and everyone with an accruing event before its end.
    /// Limits still see each candidate's whole history; the others cannot have anything in that month.
    public static func candidates(_ store: any LedgerStorage, context: RulesContext, jurisdiction: JurisdictionCode,
                                  month: Month) async throws -> Set<String> {
        try await candidates(store, context: context, jurisdiction: jurisdiction, from: month, through: month)
    }

    /// The same for the months `from` through `month` (a grant after months without one); with `closedBefore`
    /// false, not the closed months just before `from` (a grant run already took their entitlements).
    static func candidates(_ store: any LedgerStorage, context: RulesContext, jurisdiction: JurisdictionCode,
                           from: Month, through month: Month, closedBefore: Bool = true) async throws -> Set<String> {
        let first = closedBefore ? firstMonth(context: context, jurisdiction: jurisdiction, month: from) : from
        let rules = context.policies.packs.flatMap(\.rules)
        let triggers = Set(rules.filter { $0.accrual == nil }.map(\.trigger))
        let accruing = Set(rules.filter { $0.accrual != nil }.map(\.trigger))
        return try await store.workers(withEventsOf: triggers, from: first.firstDay, through: month.lastDay)
            .union(await store.workers(withEventsOf: accruing, from: nil, through: month.lastDay))
    }

    /// The earliest month whose entitlements can land in `month`: the closed months just before it carry theirs over.
    static func firstMonth(context: RulesContext, jurisdiction: JurisdictionCode, month: Month) -> Month {
        var first = month
        while context.closed.isClosed(jurisdiction, first.adding(-1)) && month.index - first.index < 600 { first = first.adding(-1) }
        return first
    }

    /// The entitlements arising in a month for a jurisdiction (SPEC.md `entitlements`), sorted by payee and rule.
    /// `progress` is told the workers computed so far and how many the month concerns.
    public static func entitlements(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month,
                                    progress: ((_ done: Int, _ total: Int) -> Void)? = nil) async throws -> (entitlements: [Entitlement], problems: [String]) {
        try await entitlements(store, context: try await RulesContext.load(store), jurisdiction: jurisdiction, month: month, progress: progress)
    }

    /// The same with the context already loaded.
    public static func entitlements(_ store: any LedgerStorage, context: RulesContext, jurisdiction: JurisdictionCode, month: Month,
                                    progress: ((_ done: Int, _ total: Int) -> Void)? = nil) async throws -> (entitlements: [Entitlement], problems: [String]) {
        // Whether an entitlement was granted matters only when its month is closed (it then moves to the first open
        // month unless granted): the granted ids (16 MB and a sort at a million grants) are built on first need.
        var granted: GrantedEntitlements?
        var result: [Entitlement] = []
        var problems: [String] = []
        let candidates = try await candidates(store, context: context, jurisdiction: jurisdiction, month: month)
        let window = firstMonth(context: context, jurisdiction: jurisdiction, month: month)...month
        let total = candidates.count
        try await forEachOutcome(store, context: context, only: candidates, window: window, progress: progress.map { report in { report($0, total) } }) { outcome in
            problems += outcome.problems
            for entitlement in outcome.entitlements where jurisdiction.contains(entitlement.jurisdiction) {
                var period = entitlement.period
                if context.closed.isClosed(jurisdiction, period) {
                    if granted == nil { granted = context.grantedEntitlementIDs }
                    period = effectivePeriod(entitlement, jurisdiction: jurisdiction, context: context, granted: granted!)
                }
                if period == month { result.append(entitlement) }
            }
        }
        return (result.sorted { ($0.payee, $0.rule, $0.id) < ($1.payee, $1.rule, $1.id) }, problems)
    }
}
