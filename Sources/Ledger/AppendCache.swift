/// How much page cache a batch may take (pages are only taken as they are used, and given back when it ends).
public enum AppendCache: Sendable {
    /// 32 MiB: for a batch beside other work in the same process (`grant`'s engine, `reconcile`'s matching), whose
    /// peak memory at a million workers must leave room for it.
    case standard
    /// 96 MiB: for a batch that is all the process does (`submit`). Each event goes into the worker index at a random
    /// place, and at a million workers that index outgrows any cache we can afford; with 96 MiB instead of 32,
    /// `submit` of 100,000 workers took 6 % less CPU time.
    case large

    var kibibytes: Int {
        switch self {
        case .standard: 32 * 1024
        case .large: 96 * 1024
        }
    }
}
