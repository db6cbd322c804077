import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import NIOCore
import Logging
import ServiceLifecycle
import UnixSignals
import SkillsLedgerCore

/// `skills-ledger serve`: the ledger behind an HTTP service (SPEC.md "Service"). Routes, tokens, roles and the
/// mapping of requests and answers live here; every operation is a `SkillsLedgerCore` use case, every answer a
/// `Reports` value, exactly as the CLI has them.
///
/// ```swift
/// let service = LedgerService(location: LedgerLocation("skills-ledger.sqlite"), logger: Logger(label: "skills-ledger"))
/// try await service.run { address in print("listening on \(address)") }
/// ```
public struct LedgerService: Sendable {
    /// The ledger served.
    public var location: LedgerLocation
    /// 127.0.0.1 unless told otherwise: the service is put behind a proxy, not on the open network.
    public var host: String
    /// 8080 by default; 0 takes any free port (tests).
    public var port: Int
    /// The largest request body taken, 64 MiB unless told otherwise; more is answered 413.
    public var bodyLimitBytes: Int
    /// Idle and request timeouts and the number of uploads kept at once (`ServiceLimits`).
    public var limits: ServiceLimits
    /// Where request logs go (never a token or a 公民身份号码).
    public var logger: Logger

    /// The largest request body accepted unless `--body-limit` says otherwise: 64 MiB (413 beyond).
    public static let defaultBodyLimitBytes = 64 * 1024 * 1024

    /// A service over the ledger at `location`, listening on `host:port` (127.0.0.1:8080 by default).
    public init(location: LedgerLocation, host: String = "127.0.0.1", port: Int = 8080,
                bodyLimitBytes: Int = LedgerService.defaultBodyLimitBytes, limits: ServiceLimits = ServiceLimits(), logger: Logger) {
        self.location = location
        self.host = host
        self.port = port
        self.bodyLimitBytes = bodyLimitBytes
        self.limits = limits
        self.logger = logger
    }

    /// Every route, with logging, error mapping, authentication and role checks.
    public func router() -> Router<ServiceRequestContext> { router(ledgers: LedgerAccess(location: location)) }

    func router(ledgers: LedgerAccess) -> Router<ServiceRequestContext> {
        let routes = Routes(ledgers: ledgers, bodyLimitBytes: bodyLimitBytes, limits: limits)
        // The routes alone first, so that 405 knows every path and its methods.
        let table = Router(context: ServiceRequestContext.self)
        routes.add(to: table)
        Pages(routes: routes).add(to: table)
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestLogging())
        router.add(middleware: SecurityHeaders())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: MethodNotAllowed(routes: table.routes.map { ($0.path.description, $0.method.rawValue) }))
        router.add(middleware: RequestDeadline(timeout: limits.requestTimeout))
        routes.add(to: router)
        Pages(routes: routes).add(to: router)
        return router
    }

    /// The application, calling `onListening` with `http://HOST:PORT` once it accepts requests.
    public func application(onListening: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        application(ledgers: LedgerAccess(location: location), onListening: onListening)
    }

    func application(ledgers: LedgerAccess, onListening: @escaping @Sendable (String) -> Void) -> some ApplicationProtocol {
        let host = host
        return Application(router: router(ledgers: ledgers), server: .http1(configuration: .init(idleTimeout: TimeAmount(limits.idleTimeout))),
                           configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "skills-ledger"),
                           onServerRunning: { channel in onListening("http://\(host):\(channel.localAddress?.port ?? 0)") },
                           logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then stops after the requests in flight are answered.
    /// - Throws: when the ledger cannot be opened (checked before listening) or the address cannot be bound.
    /// A PostgreSQL ledger's connections are closed once the service has stopped.
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        let ledgers = LedgerAccess(location: location)
        try await ledgers.check()
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [application(ledgers: ledgers, onListening: onListening)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do { try await group.run() } catch {
            await ledgers.close()
            throw error
        }
        await ledgers.close()
    }
}
