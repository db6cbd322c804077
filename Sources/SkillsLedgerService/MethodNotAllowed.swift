import Hummingbird

/// 405 with `Allow` for a path the service serves under other methods (`TRACE /v1/verify`, `DELETE /v1/batches`),
/// instead of the router's 404: the path exists, the method does not. Built from the router's own routes, so it
/// cannot drift from them; runs before authentication, and says nothing the public OpenAPI document does not.
struct MethodNotAllowed: RouterMiddleware {
    typealias Context = ServiceRequestContext
    /// Each served path as its segments (`{name}` or `:name` matches any one segment), with the methods served there.
    let paths: [(segments: [Substring], methods: [String])]

    init(routes: [(path: String, method: String)]) {
        var table: [String: Set<String>] = [:]
        for route in routes { table[route.path, default: []].insert(route.method) }
        paths = table.map { path, methods in (path.split(separator: "/"), methods.sorted()) }
    }

    /// The methods served at `path`, nil when no route has this path.
    func allowed(at path: String) -> [String]? {
        let segments = path.split(separator: "/")
        return paths.first { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { pattern, segment in pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == segment }
        }?.methods
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = allowed(at: request.uri.path), !methods.contains(request.method.rawValue) else { throw error }
            var response = ServiceError(.methodNotAllowed, "\(request.method.rawValue) is not served at this path; it takes \(methods.joined(separator: ", "))").response
            response.headers[.allow] = methods.joined(separator: ", ")
            return response
        }
    }
}
